"""Drive every review action through keys and check what the store and the log hold.

Row order of the fixture (score, best first): #2 VNeID, #1 digital transformation,
#3 e-government, #4 digital economy, #5 science (approved), #6 smart city,
#7 infrastructure (no en), #8 committee (rejected), #9 people (no vi), #10 th-only duplicate of #1,
#11 public service (en only).
"""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len
from termalign.tui.app import ReviewApp
from termalign.tui.cells import COENG
from termalign.tui.screens import HelpScreen, ReviewScreen
from termalign.tui.widgets import ProposalTable
from textual.widgets import Input

from termalign.store import open_store
from termalign.store.concepts import load_concept

SIZE = (100, 40)


def log(conn) -> list[tuple]:
    return [(r["concept_id"], r["reviewer"], r["action"]) for r in conn.execute("SELECT * FROM review_log ORDER BY id")]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def current(app) -> int:
    return app.screen.query_one(ProposalTable).current.id


async def goto(pilot, concept_id: int) -> None:
    app = pilot.app
    table = app.screen.query_one(ProposalTable)
    for _ in range(table.row_count):
        if table.current.id == concept_id:
            return
        await pilot.press("j")
    raise AssertionError(f"concept {concept_id} not in the table")


async def test_approve_reject_reopen_and_advance(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        assert current(app) == 2
        await pilot.press("a")
        assert current(app) == 1  # approve moves on, as memoQ's accept does
        await pilot.press("x")
        assert current(app) == 3
        await pilot.press("k", "o")
        assert current(app) == 1
    assert load_concept(reader, 2).status == "approved"
    assert (load_concept(reader, 1).status, load_concept(reader, 1).version) == ("unreviewed", 3)
    assert log(reader) == [(2, "alice", "approve"), (1, "alice", "reject"), (1, "alice", "reset")]
    after = json.loads(reader.execute("SELECT after FROM review_log WHERE action = 'reject'").fetchone()[0])
    assert (after["status"], after["updated_by"]) == ("rejected", "alice")


async def test_edit_term_inline_and_cancel(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        await pilot.press("h")  # the term cursor wraps to the last term: en
        assert app.screen.view.term.text == "digital transformation"
        await pilot.press("e")
        field = app.screen.query_one(Input)
        assert field.has_focus and field.value == "digital transformation"
        await pilot.press("ctrl+u")
        await type_text(pilot, "digital transition")
        await pilot.press("enter")
        assert app.screen.query_one(ProposalTable).has_focus
        # Escape leaves the term as it is
        await pilot.press("e", "ctrl+u", "x", "escape")
        # Khmer is typed through an input method: set the field as an IME would
        await pilot.press("l", "e")
        assert app.screen.view.term.lang == "km"
        field.value = "ការផ្លាស់ប្ដូរឌីជីថល"  # coeng DA: same key, another spelling
        await pilot.press("enter")
        assert app.screen.view.term.text == "ការផ្លាស់ប្ដូរឌីជីថល"
        await pilot.press("e")
        field.value = "ការផ្លាស់ប្តូរទៅជាឌីជីថល"
        await pilot.press("enter")
    terms = {(t.lang, t.status): t.text for t in load_concept(reader, 1).terms}
    assert terms[("en", "preferred")] == "digital transition"
    assert terms[("km", "preferred")] == "ការផ្លាស់ប្តូរទៅជាឌីជីថល"
    assert [a for *_, a in log(reader)] == ["edit_term", "edit_term", "edit_term"]


async def test_add_missing_language_term(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 7)
        await pilot.press("i")
        field = app.screen.query_one(Input)
        assert field.value == "" and "missing: en" in field.placeholder  # offered, never pre-filled
        await type_text(pilot, "en: infrastructure")
        await pilot.press("enter")
        assert app.screen.query_one(ProposalTable).current.terms["en"] == "infrastructure"
        await pilot.press("i", "ctrl+u")
        await type_text(pilot, "xx: nope")
        await pilot.press("enter")
    assert [(t.text, t.status) for t in load_concept(reader, 7).terms_in("en")] == [("infrastructure", "preferred")]
    assert log(reader) == [(7, "alice", "add_term")]


async def test_choose_preferred_variant(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        await pilot.press("l", "l")
        assert app.screen.view.term.text == "ការបំប្លែងឌីជីថល"
        await pilot.press("asterisk")
        assert app.screen.query_one(ProposalTable).current.terms["km"] == "ការបំប្លែងឌីជីថល"
    km = {t.text: t.status for t in load_concept(reader, 1).terms_in("km")}
    assert km == {"ការផ្លាស់ប្តូរឌីជីថល": "admitted", "បរិវត្តកម្មឌីជីថល": "admitted", "ការបំប្លែងឌីជីថល": "preferred"}
    assert log(reader) == [(1, "alice", "set_preferred")]


async def test_mark_and_merge(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 10)
        await pilot.press("m")
        assert app.screen.query_one(ProposalTable).merge_mark == 10
        await pilot.press("g")
        await goto(pilot, 1)
        await pilot.press("M")
        table = app.screen.query_one(ProposalTable)
        assert table.row_count == 10 and table.merge_mark is None
        assert current(app) == 1
    assert load_concept(reader, 10) is None
    th = {t.text: t.status for t in load_concept(reader, 1).terms_in("th")}
    assert th["ดิจิทัลทรานส์ฟอร์เมชัน"] == "admitted"
    assert log(reader) == [(1, "alice", "merge")]


async def test_split_variant_off(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        await pilot.press("l", "S")
        assert app.screen.query_one(ProposalTable).row_count == 12
    new_id = reader.execute("SELECT max(id) FROM concepts").fetchone()[0]
    new = load_concept(reader, new_id)
    assert [(t.lang, t.text) for t in new.terms] == [("km", "បរិវត្តកម្មឌីជីថល")]
    assert "បរិវត្តកម្មឌីជីថល" not in {t.text for t in load_concept(reader, 1).terms}
    assert log(reader) == [(1, "alice", "split")]


async def test_note(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await type_text(pilot, "VNeID is the national e-ID app")
        await pilot.press("enter")
    assert [(n.author, n.text) for n in load_concept(reader, 2).notes] == [("alice", "VNeID is the national e-ID app")]
    assert log(reader) == [(2, "alice", "note")]


async def test_undo_redo(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "x")  # approve #2, reject #1
        await pilot.press("u")
        assert load_concept(reader, 1).status == "unreviewed"
        assert current(app) == 1  # the cursor goes to what was undone
        await pilot.press("u")
        assert load_concept(reader, 2).status == "unreviewed"
        await pilot.press("u")  # nothing left: a notice, no entry
        await pilot.press("ctrl+r")
        assert load_concept(reader, 2).status == "approved"
        assert app.screen.query_one(ProposalTable).proposals.row(0).status == "approved"
    assert [a for *_, a in log(reader)] == ["approve", "reject", "undo", "undo", "redo"]


async def test_next_and_previous_undecided(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 4)
        await pilot.press("n")
        assert current(app) == 6  # #5 is approved: skipped
        await pilot.press("n", "n")
        assert current(app) == 9  # #8 is rejected: skipped
        await pilot.press("p", "p")
        assert current(app) == 6


async def test_bulk_approve_selection(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "j", "space")  # #2, #1, skip #3, #4
        assert app.screen.query_one(ProposalTable).selected == {2, 1, 4}
        await pilot.press("A")
        await pilot.pause()
        assert not app.screen.query_one(ProposalTable).selected
    assert {c: load_concept(reader, c).status for c in (1, 2, 3, 4)} == {
        1: "approved", 2: "approved", 3: "unreviewed", 4: "approved"
    }
    assert log(reader) == [(None, "alice", "bulk_approve")]


async def test_search_filter_and_clear(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ProposalTable)
        await pilot.press("slash")
        await type_text(pilot, "digital")
        await pilot.press("enter")
        assert table.proposals.ids == [1, 4, 10]
        await pilot.press("f")
        await type_text(pilot, "missing:km")
        await pilot.press("enter")
        assert table.proposals.ids == [10]  # search and filter combine
        await pilot.press("F", "f")
        await type_text(pilot, "status:unreviewed score:0.6-0.9")
        await pilot.press("enter")
        assert table.proposals.ids == [3, 4, 6, 7]
        await pilot.press("a")  # decided rows leave an unreviewed-only listing
        assert table.proposals.ids == [4, 6, 7] and current(app) == 4
        await pilot.press("f", "ctrl+u")
        await type_text(pilot, "colour:red")
        await pilot.press("enter")
        assert table.proposals.ids == [4, 6, 7]  # a bad filter changes nothing


async def test_quit_and_reopen_returns_to_the_same_place(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await type_text(pilot, "status:unreviewed")
        await pilot.press("enter", "j", "j", "j")
        assert current(app) == 4
        await pilot.press("q")
    assert app.return_code == 0
    again = ReviewApp(termbase, "alice")
    async with again.run_test(size=SIZE) as pilot:
        table = again.screen.query_one(ProposalTable)
        assert table.proposals.filters.status == "unreviewed"
        assert current(again) == 4
        assert again.screen.view.concept.id == 4
    other = ReviewApp(termbase, "bob")  # each reviewer has a place of their own
    async with other.run_test(size=SIZE) as pilot:
        assert current(other) == 2


async def test_two_reviewers_on_one_file_conflict_is_refused(termbase, reader):
    alice, bob = ReviewApp(termbase, "alice"), ReviewApp(termbase, "bob")
    async with alice.run_test(size=SIZE) as a, bob.run_test(size=SIZE) as b:
        # alice acts before her screen looks for others' changes (tests/tui/test_live.py: after)
        alice.screen.live_timer.pause()
        await a.press("j")
        await b.press("j")
        assert current(alice) == current(bob) == 1
        await b.press("a")  # bob approves what alice is looking at
        await a.press("x")  # alice rejects the version she saw: refused
        await a.pause()
        screen = alice.screen
        assert isinstance(screen, ReviewScreen)
        assert current(alice) == 1  # she stays on it, no advance
        assert screen.view.concept.status == "approved" and screen.view.concept.version == 2
        assert "Not saved" in screen.view.notice and "bob" in screen.view.notice
        assert screen.query_one(ProposalTable).current.status == "approved"
        assert any("bob" in str(n.message) for n in alice._notifications)
        await a.press("x")  # now she has seen bob's decision: her rejection goes through
    assert log(reader) == [(1, "bob", "approve"), (1, "alice", "reject")]
    assert load_concept(reader, 1).status == "rejected"


async def test_concordance_follows_the_term_cursor(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        view = app.screen.view
        line = view.concordance[0]
        assert line.title == "កម្ពុជាជំរុញការផ្លាស់ប្តូរឌីជីថល"
        assert line.sentence[line.start : line.end] == "ការផ្លាស់ប្តូរឌីជីថល"
        await pilot.press("l", "l", "l")  # to the Thai preferred term
        assert view.term.lang == "th" and view.concordance_total == 2


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
async def test_table_lines_keep_khmer_and_thai_clusters_whole(termbase, size):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=size):
        table = app.screen.query_one(ProposalTable)
        width = table.scrollable_content_region.width
        for y in range(1, table.row_count + 1):
            strip = table.render_line(y)
            assert strip.cell_length == width
            text = "".join(seg.text for seg in strip)
            assert cell_len(text) == width
            for cell in text.split(" "):
                assert not cell.endswith(COENG), cell  # no Khmer subscript cut from its consonant
                marks = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e48\u0e49\u17b6\u17c1"
                assert not (cell and cell[0] in marks), cell  # no orphan mark


async def test_help_lists_every_binding(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {k for k, _ in app.screen.rows}
        descriptions = {d for _, d in app.screen.rows}
        for binding in ReviewScreen.BINDINGS + ProposalTable.BINDINGS:
            assert (binding.tooltip or binding.description) in descriptions
        assert {"a", "x", "e", "i", "*", "m", "M", "S", "c", "u", "ctrl+r", "n", "p", "Space", "A", "ctrl+p"} <= {
            part for k in keys for part in k.split()
        }
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_footer_shows_main_bindings(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=(80, 24)):
        shown = {b.description for _, b, enabled, _ in app.screen.active_bindings.values() if b.show}
        assert {"Approve", "Reject", "Edit", "Undo", "Next", "Search", "Help", "Quit"} <= shown


async def test_export_from_the_command_palette(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Export approved termbase: TBX v3" in titles
        await pilot.press("ctrl+p")
        await type_text(pilot, "export tbx v3")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        try:
            import termalign.export as export

            has_export = hasattr(export, "export_termbase")
        except ImportError:
            has_export = False
        if not has_export:
            pytest.skip("termalign.export.export_termbase is not written yet (another engineer's issue)")
        tbx = (termbase.parent / "termbase.tbx").read_text(encoding="utf-8")
        assert "วิทยาศาสตร์" in tbx  # the approved concept (#5)
        assert "VNeID" not in tbx  # unreviewed concepts stay out
        assert any("Wrote 1 approved" in str(n.message) for n in app._notifications)


async def test_no_color_keeps_cursor_and_marks_readable(termbase, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await pilot.press("space")
        table = app.screen.query_one(ProposalTable)
        first = "".join(s.text for s in table.render_line(1))
        second = "".join(s.text for s in table.render_line(2))
        assert first.startswith(" +")  # selected, shown by a character, not a colour
        assert second.startswith(">")  # the cursor row, likewise
        assert any(seg.style and seg.style.reverse for seg in table.render_line(2))


def test_store_file_must_exist(tmp_path):
    from termalign.errors import StoreError

    with pytest.raises(StoreError):
        ReviewApp(tmp_path / "missing.db", "alice")
    conn = open_store(tmp_path / "empty.db")
    conn.close()
