"""Snapshot tests: fixed terminal sizes, the fixed fixture, nothing from the clock shown.

Update after an intended change of the look with ``pytest tests/tui --snapshot-update``
and review the SVGs in ``tests/tui/__snapshots__/``.
"""

from __future__ import annotations

from termalign.store import open_store
from termalign import review
from termalign.tui.app import ReviewApp


def test_main_screen_80x24(termbase, snap_compare):
    assert snap_compare(ReviewApp(termbase, "alice"), terminal_size=(80, 24))


def test_detail_pane_khmer_and_thai(termbase, snap_compare):
    # #1: three Khmer and two Thai variants, evidence, an MT suggestion, a note, concordance
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j"], terminal_size=(110, 44))


def test_help_screen(termbase, snap_compare):
    assert snap_compare(ReviewApp(termbase, "alice"), press=["question_mark"], terminal_size=(90, 48))


def test_conflict_notice(termbase, snap_compare):
    async def bob_decides_first(pilot) -> None:
        await pilot.press("j")
        other = open_store(termbase, create=False)  # a second reviewer on the same file
        review.approve(other, 1, version=1, reviewer="bob")
        other.close()
        await pilot.press("x")  # alice rejects what she saw: refused

    assert snap_compare(ReviewApp(termbase, "alice"), run_before=bob_decides_first, terminal_size=(100, 30))


def test_no_color(termbase, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j", "space"], terminal_size=(80, 24))
