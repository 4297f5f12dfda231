"""A reviewer's day through the keys and the mouse (issue 17): each test fails on the
behaviour the issue reports and passes on the fixed app.

Row order of the fixture: #2, #1, #3, #4, #5 (approved), #6, #7 (no en), #8 (rejected), #9,
#10, #11 (en only).
"""

from __future__ import annotations

import pytest
from termalign.tui.app import ReviewApp
from termalign.tui.screens import ConfirmScreen, HistoryScreen, ReviewScreen
from termalign.tui.widgets import ProposalTable
from textual.widgets import Input

from termalign.store.concepts import load_concept

SIZE = (100, 40)


def actions(conn) -> list[tuple]:
    return [(r["concept_id"], r["reviewer"], r["action"]) for r in conn.execute("SELECT * FROM review_log ORDER BY id")]


def current(app) -> int:
    return app.screen.query_one(ProposalTable).current.id


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def goto(pilot, concept_id: int) -> None:
    table = pilot.app.screen.query_one(ProposalTable)
    for _ in range(table.row_count):
        if table.current.id == concept_id:
            return
        await pilot.press("j")
    raise AssertionError(f"concept {concept_id} not in the table")


async def answer(pilot, purpose_key: str, value: str) -> None:
    """Open a prompt with a key and submit ``value`` as an input method would type it."""
    await pilot.press(purpose_key)
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await pilot.pause()


# 1 ----------------------------------------------------------------------------------------
async def test_undo_walks_back_three_steps_on_one_concept(termbase, reader):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "c", "first look")
        await answer(pilot, "c", "ministry glossary agrees")
        await pilot.press("a")  # approve #2, the cursor moves on
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert not [m for m in messages(app) if "cannot undo" in m]
    concept = load_concept(reader, 2)
    assert (concept.status, concept.notes) == ("unreviewed", [])
    assert [a for *_, a in actions(reader)] == ["note", "note", "approve", "undo", "undo", "undo"]


# 2 ----------------------------------------------------------------------------------------
async def test_bulk_approve_leaves_rejections_alone_and_asks_before_overturning(termbase, reader):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("V", "A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # #8 is rejected: asked, with the count
        assert "1 already rejected" in app.screen.question and "9 unreviewed" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        notice = messages(app)[-1]
        assert "\n" not in notice and len(notice) < 80  # one line, not ~400 ids
        assert notice == "9 approved; 1 already decided left as they were"
        await pilot.press("u")
        await pilot.pause()
        assert messages(app)[-1] == "undo: 9 concepts"
        await pilot.press("V", "X")  # bulk reject: #5 is approved, so asked again
        await pilot.pause()
        await pilot.press("o")  # overturn it too
        await pilot.pause()
    assert load_concept(reader, 8).status == "rejected"
    assert {load_concept(reader, c).status for c in range(1, 12)} == {"rejected"}
    assert [a for *_, a in actions(reader)] == ["bulk_approve", "undo", "bulk_reject"]


# 4 ----------------------------------------------------------------------------------------
async def test_terms_are_checked_against_the_script_and_added_with_an_explicit_language(termbase, reader):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        await pilot.press("l", "l", "l")  # the Thai preferred term
        assert app.screen.view.term.lang == "th"
        await pilot.press("e")
        app.screen.query_one(Input).value = "ខេត្ត"  # Khmer typed into the Thai term
        await pilot.press("enter")
        await pilot.pause()
        assert any("not written in Thai script" in m for m in messages(app))
        await pilot.press("i")
        assert app.screen.query_one(Input).value == ""  # no language pre-filled
        app.screen.query_one(Input).value = "chuyển đổi số"
        await pilot.press("enter")
        await pilot.pause()
        assert any("Write the language first" in m for m in messages(app))
        await answer(pilot, "i", "th: chuyển đổi số")
        assert any("not written in Thai script (it reads as Vietnamese)" in m for m in messages(app))
    assert actions(reader) == []  # nothing stored


# 5 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["ផ្លាស់ប្ដូរ", "ផ្លាស់ប្តូរ", "chuyen doi", "Chuyển đổi"])
async def test_search_finds_other_spellings_and_vietnamese_without_diacritics(termbase, typed):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "slash", typed)
        assert app.screen.query_one(ProposalTable).proposals.ids == [1]


# 8 ----------------------------------------------------------------------------------------
async def test_term_actions_and_a_concepts_history(termbase, reader):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        await pilot.press("d")  # deprecate the Khmer preferred term: the cursor stays on it
        await pilot.pause()
        assert app.screen.view.term.status == "deprecated"
        await pilot.press("h")  # the variant that is now preferred, listed first
        await answer(pilot, "P", "noun")
        await pilot.press("l", "l")
        assert app.screen.view.term.text == "ការបំប្លែងឌីជីថល"
        await pilot.press("D")  # delete that variant
        await pilot.pause()
        await answer(pilot, "T", "e-government")
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert [what.split(":")[0] for *_, what in app.screen.rows] == [
            "deprecate",
            "set_pos",
            "delete_term",
            "set_subject_field",
        ]
        await pilot.press("escape")
    concept = load_concept(reader, 1)
    km = {t.text: (t.status, t.pos) for t in concept.terms_in("km")}
    assert km == {"ការផ្លាស់ប្តូរឌីជីថល": ("deprecated", None), "បរិវត្តកម្មឌីជីថល": ("preferred", "noun")}
    assert concept.subject_field == "e-government"


# 9 ----------------------------------------------------------------------------------------
async def test_a_click_selects_the_row(termbase):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(ProposalTable, offset=(10, 3))  # the header, then rows #2, #1, #3
        assert current(app) == 3
        assert app.screen.view.concept.id == 3


async def test_after_clearing_filters_the_highlighted_row_is_on_screen_at_80x24(termbase):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, "f", "score:-0.45")
        await pilot.press("j", "j")
        assert current(app) == 11
        await pilot.press("F")
        await pilot.pause()
        table = app.screen.query_one(ProposalTable)
        assert current(app) == 11
        top, rows = round(table.scroll_y), table.scrollable_content_region.height - 1
        assert top <= table.cursor < top + rows


async def test_a_concept_leaving_the_filtered_list_after_an_edit_is_announced(termbase):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "f", "missing:en")
        assert app.screen.query_one(ProposalTable).proposals.ids == [7]
        await answer(pilot, "i", "en: infrastructure")
        assert any("#7 no longer matches the filter" in m for m in messages(app))


async def test_palette_export_to_a_chosen_file(termbase):
    app = ReviewApp(termbase, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*["space" if ch == " " else ch for ch in "export to a file"])
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.value.endswith("termbase.tbx")
        field.value = "approved-2025.csv"
        await pilot.press("enter")
        await pilot.pause()
    try:
        from termalign.export import export_termbase  # noqa: F401
    except ImportError:
        pytest.skip("termalign.export.export_termbase is not available")
    written = (termbase.parent / "approved-2025.csv").read_text(encoding="utf-8")
    assert "วิทยาศาสตร์" in written and "VNeID" not in written
