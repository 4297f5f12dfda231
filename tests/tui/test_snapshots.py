"""Snapshot tests: fixed terminal sizes, the fixed fixture, nothing from the clock shown.

Update after an intended change of the look with ``pytest tests/tui --snapshot-update``
and review the SVGs in ``tests/tui/__snapshots__/``.
"""

from __future__ import annotations

from termalign.tui.app import ReviewApp
from termalign.tui.widgets import ProposalTable

from termalign import review
from termalign.store import open_store


def test_main_screen_80x24(termbase, snap_compare):
    assert snap_compare(ReviewApp(termbase, "alice"), terminal_size=(80, 24))


def test_detail_pane_khmer_and_thai(termbase, snap_compare):
    # #1: three Khmer and two Thai variants, evidence, an MT suggestion, a note, concordance
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j"], terminal_size=(110, 44))


def test_help_screen(termbase, snap_compare):
    assert snap_compare(ReviewApp(termbase, "alice"), press=["question_mark"], terminal_size=(90, 48))


def test_conflict_notice(termbase, snap_compare):
    async def bob_decides_first(pilot) -> None:
        pilot.app.screen.live_timer.pause()  # alice acts before her screen shows bob's change
        await pilot.press("j")
        other = open_store(termbase, create=False)  # a second reviewer on the same file
        review.approve(other, 1, version=1, reviewer="bob")
        other.close()
        await pilot.press("x")  # alice rejects what she saw: refused

    assert snap_compare(ReviewApp(termbase, "alice"), run_before=bob_decides_first, terminal_size=(100, 30))


def test_live_update_marks_the_row(termbase, snap_compare):
    async def bob_rejects_elsewhere(pilot) -> None:
        await pilot.press("j")
        other = open_store(termbase, create=False)  # a second reviewer on the same file
        review.reject(other, 3, version=1, reviewer="bob")
        other.close()
        table = pilot.app.screen.query_one(ProposalTable)
        for _ in range(200):  # no key: the screen's next look (within half a second) shows it
            if 3 in table.changed:
                break
            await pilot.pause(0.05)

    assert snap_compare(ReviewApp(termbase, "alice"), run_before=bob_rejects_elsewhere, terminal_size=(100, 30))


def test_no_color(termbase, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j", "space"], terminal_size=(80, 24))


def test_khmer_and_thai_rows_and_detail_80x24(termbase, snap_compare):
    # #1's Khmer has spacing vowels (ា), its Thai above/below marks: the columns must line up
    # as a terminal draws them (tests/tui/test_cells.py checks the same screen in tmux)
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j"], terminal_size=(80, 24))


def test_khmer_and_thai_rows_and_detail_120x36(termbase, snap_compare):
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j"], terminal_size=(120, 36))


# The README's walkthrough (docs/review-step-*.svg are copies of these snapshots).
WALK = (110, 36)


def test_walkthrough_1_evidence(termbase, snap_compare):
    # #1: terms with corpus counts, evidence in sentences, the MT suggestion apart
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j"], terminal_size=WALK)


def test_walkthrough_2_concordance(termbase, snap_compare):
    # scrolled down the detail: the concordance aligned on the term, the other languages
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j", "J", "J", "J", "J"], terminal_size=WALK)


def test_walkthrough_3_decided(termbase, snap_compare):
    # approved (the cursor moved on), back with k: ok in the table, v2 by alice
    # (no history screen here: it shows the clock's time)
    assert snap_compare(ReviewApp(termbase, "alice"), press=["j", "a", "k"], terminal_size=WALK)
