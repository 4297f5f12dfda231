"""Term suggestions in the review TUI: listed, numbered, in the Suggestions section; y accepts
one into the concept, u takes it out again.

The words are written for this test (a toy lexicon file), not taken from the seeds: the
aligner composes the English and Vietnamese readings of a Khmer–Thai pair from the lexicon,
and no text attests them, so they wait as suggestions."""

from __future__ import annotations

from termalign.tui.app import ReviewApp
from termalign.tui.screens import ReviewScreen
from termalign.tui.widgets import DetailPane, ProposalTable
from textual.widgets import Static

from termalign import lang, review
from termalign.cli import main
from termalign.store import open_store
from termalign.store.concepts import load_concept

SIZE = (100, 40)
KM_TEXT = (
    "ក្រសួងបានពិនិត្យគុណភាពទឹកនៅខេត្ត។ គុណភាពទឹកនៅភូមិល្អ។ របាយការណ៍គុណភាពទឹកចេញហើយ។\n"
    "មន្ត្រីនិយាយថាគុណភាពទឹកត្រូវតែល្អ។ ការត្រួតពិនិត្យគុណភាពទឹកធ្វើរៀងរាល់ខែ។\n"
)
TH_TEXT = (
    "กระทรวงตรวจคุณภาพน้ำในจังหวัด คุณภาพน้ำในหมู่บ้านดี รายงานคุณภาพน้ำออกแล้ว\n"
    "เจ้าหน้าที่กล่าวว่าคุณภาพน้ำต้องดี การตรวจคุณภาพน้ำทำทุกเดือน\n"
)
LEXICON = (
    "km\tគុណភាព\tquality\t1\nkm\tទឹក\twater\t1\nth\tคุณภาพ\tquality\t1\nth\tน้ำ\twater\t1\n"
    "vi\tchất lượng\tquality\t1\nvi\tnước\twater\t1\n"
)


def build(tmp_path, capsys):
    (tmp_path / "km.txt").write_text(KM_TEXT, encoding="utf-8")
    (tmp_path / "th.txt").write_text(TH_TEXT, encoding="utf-8")
    (tmp_path / "toy.tsv").write_text(LEXICON, encoding="utf-8")
    db = tmp_path / "t.db"
    args = [str(tmp_path / "km.txt"), str(tmp_path / "th.txt"), "--db", str(db), "-o", str(tmp_path / "out")]
    assert main(["build", *args, "--lexicon", str(tmp_path / "toy.tsv")]) == 0
    capsys.readouterr()
    conn = open_store(db, create=False)
    key = lang.get("km").key("គុណភាពទឹក")
    cid = conn.execute("SELECT concept_id FROM terms WHERE lang = 'km' AND key = ?", (key,)).fetchone()[0]
    conn.close()
    return db, cid


def terms_of(db, cid) -> set[tuple[str, str]]:
    conn = open_store(db, create=False)
    try:
        concept = load_concept(conn, cid)
        assert concept is not None
        return {(t.lang, t.text) for t in concept.terms}
    finally:
        conn.close()


def waiting(db, cid) -> set[tuple[str, str]]:
    conn = open_store(db, create=False)
    try:
        return {(s.lang, s.text) for s in review.term_suggestions(conn, cid)}
    finally:
        conn.close()


async def test_y_accepts_a_suggestion_into_the_concept_and_u_undoes_it(tmp_path, capsys):
    db, cid = build(tmp_path, capsys)
    before = waiting(db, cid)
    assert before, "composition gave this concept no suggestion"
    app = ReviewApp(db, "dara")
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(ProposalTable)
        for _ in range(table.row_count):
            if table.current.id == cid:
                break
            await pilot.press("j")
        assert table.current.id == cid
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.view is not None
        shown = str(app.screen.query_one(DetailPane).query_one("#detail-suggestions", Static).render())
        for n, (code, text) in enumerate(sorted(before, key=lambda s: lang.CODES.index(s[0])), 1):
            assert f"{n}. {code}  {text}  (compositional)" in shown
        chosen = screen.view.suggestion
        assert chosen is not None
        picked = (chosen.lang, chosen.text)
        assert picked not in terms_of(db, cid)

        await pilot.press("y")
        await pilot.pause()
        assert picked in terms_of(db, cid)
        assert picked not in waiting(db, cid)
        assert screen.view is not None and picked not in {(s.lang, s.text) for s in screen.view.suggestions}
        assert any("Accepted" in str(n.message) for n in app._notifications)

        await pilot.press("u")
        await pilot.pause()
        assert picked not in terms_of(db, cid)
        assert waiting(db, cid) == before
    conn = open_store(db, create=False)
    actions = [r[0] for r in conn.execute("SELECT action FROM review_log WHERE concept_id = ? ORDER BY id", (cid,))]
    conn.close()
    assert actions[-2:] == ["accept_suggestion", "undo"]


async def test_y_without_a_suggestion_changes_nothing(termbase, reader):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        cid = app.screen.query_one(ProposalTable).current.id
        concept = load_concept(reader, cid)
        assert concept is not None
        await pilot.press("y")
        await pilot.pause()
        after = load_concept(reader, cid)
        assert after is not None and after.version == concept.version
        assert any("No suggestion" in str(n.message) for n in app._notifications)
