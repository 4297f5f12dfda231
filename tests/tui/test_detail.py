"""The detail pane as a reviewer reads it: evidence in sentences, corpus counts beside the
terms, suggestions apart, and a concordance aligned on the term with the other languages."""

from __future__ import annotations

import json

from rich.cells import cell_len
from termalign.tui.app import ReviewApp
from termalign.tui.evidence import SIGNALS
from termalign.tui.screens import HelpScreen
from termalign.tui.widgets import DetailPane, ProposalTable
from textual.widgets import Input, Static

SIZE = (120, 60)

# Evidence rows as alignment stores them for a composed Khmer term: one per gloss of a piece.
COMPOSED = [
    (
        "compositional",
        0.8,
        "km",
        "en",
        {
            "gloss": gloss,
            "term": "ការផ្លាស់ប្តូរឌីជីថល",
            "pieces": [
                ["ការ", "", "nominalizer"],
                ["ផ្លាស់ប្តូរ", piece, "base:termalign-curated"],
                ["ឌីជីថល", "digital", "base:termalign-curated"],
            ],
        },
    )
    for gloss, piece in (("digital transformation", "transformation"), ("digital change", "change"))
]


def add_evidence(path, concept_id, rows) -> None:
    from termalign.store import open_store

    conn = open_store(path, create=False)
    with conn:
        conn.executemany(
            "INSERT INTO evidence (concept_id, signal, score, lang_a, lang_b, detail) VALUES (?,?,?,?,?,?)",
            [(concept_id, s, score, a, b, json.dumps(d, ensure_ascii=False)) for s, score, a, b, d in rows],
        )
    conn.close()


def plain(app, name: str) -> str:
    return str(app.screen.query_one(f"#detail-{name}", Static).render())


async def goto(pilot, concept_id: int) -> None:
    table = pilot.app.screen.query_one(ProposalTable)
    for _ in range(table.row_count):
        if table.current.id == concept_id:
            return
        await pilot.press("j")
    raise AssertionError(f"concept {concept_id} not in the table")


async def test_evidence_reads_as_one_line_per_finding_grouped_by_signal(termbase):
    add_evidence(termbase, 1, COMPOSED)
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        text = plain(app, "evidence")
        lines = text.splitlines()[1:]
        assert not any(mark in text for mark in ("[[", "{", "'", "pieces=", "gloss="))  # no Python dump
        assert lines[0].split()[0] == "glossary" and "chuyển đổi số = digital transformation" in lines[0]
        assert sum("cognate" in line for line in lines) == 1 and "ឌីជីថល ~ ดิจิทัล" in text
        composed = [line for line in lines if "ការផ្លាស់ប្តូរឌីជីថល =" in line]
        assert len(composed) == 1  # two stored rows, one finding
        assert "digital transformation / digital change" in composed[0]
        assert "(termalign-curated: ការ+ផ្លាស់ប្តូរ+ឌីជីថល)" in composed[0]
        assert len(lines) == 4  # glossary, cognate, composed, machine translation


async def test_terms_show_corpus_frequency_and_documents(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        terms = plain(app, "terms").splitlines()
        assert "ការផ្លាស់ប្តូរឌីជីថល] 10×/2 docs" in terms[0]  # 4 + 6 occurrences in two articles
        assert "បរិវត្តកម្មឌីជីថល 0×" in terms[0]
        assert "การเปลี่ยนแปลงทางดิจิทัล 2×/1 doc" in terms[1]


async def test_suggestions_are_shown_apart_from_evidence(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        suggestions = plain(app, "suggestions")
        assert (
            suggestions.startswith("Suggestions")
            and "km→en  digital transformation  0.83  (tiny-marian)" in suggestions
        )
        assert "tiny-marian" not in plain(app, "evidence")


async def test_help_explains_every_signal(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=(90, 60)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for sig in SIGNALS.values():
            assert f"{sig.code} {sig.label}: {sig.meaning}" in " ".join(text.split())
        assert "21×/2 docs" in text


def hit_columns(text) -> list[int]:
    """Cell column of the highlighted term in each concordance line of a rendered Text."""
    out = []
    plain_text = text.plain
    for span in text.spans:
        if "reverse" in str(span.style):
            line_start = plain_text.rfind("\n", 0, span.start) + 1
            out.append(cell_len(plain_text[line_start : span.start]))
    return out


async def test_concordance_pages_groups_by_document_and_aligns_on_the_term(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        view = app.screen.view
        assert (view.concordance_total, view.concordance_offset, len(view.concordance)) == (10, 0, 8)
        pane = app.screen.query_one(DetailPane)
        rendered = pane._concordance(view, pane.scrollable_content_region.width)
        text = rendered.plain
        assert "1–8 of 10 in 2 documents" in text
        assert text.count("កម្ពុជាជំរុញការផ្លាស់ប្តូរឌីជីថល") == 1  # each document named once
        assert text.count("សេវាសាធារណៈឌីជីថល\n") == 1
        columns = hit_columns(rendered)
        assert len(columns) == 8 + 1 and len(set(columns)) == 1  # 8 hits and the Thai line, one column
        th = next(line for other, line in view.parallel if other.lang == "th")
        assert th is not None and th.sentence[th.start : th.end] == "การเปลี่ยนแปลงทางดิจิทัล"
        assert "vi  chuyển đổi số: not in the corpus" in text
        await pilot.press("right_square_bracket")
        assert (view.concordance_offset, len(view.concordance)) == (8, 2)
        await pilot.press("right_square_bracket")  # past the end: stays
        assert view.concordance_offset == 8
        await pilot.press("left_square_bracket")
        assert view.concordance_offset == 0


async def test_an_added_term_is_found_in_the_corpus_by_its_key(termbase):
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 11)
        await pilot.press("i")
        field = app.screen.query_one(Input)
        field.value = "km: សេវាសាធារណៈ"  # as a Khmer input method would type it
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.view
        assert view.term.text == "សេវាសាធារណៈ"
        assert (view.concordance_total, view.concordance_count.documents) == (2, 2)  # never a candidate
        line = view.concordance[0]
        assert line.sentence[line.start : line.end] == "សេវាសាធារណៈ"
        assert "សេវាសាធារណៈ] 2×/2 docs" in plain(app, "terms")


async def test_a_pairing_rejected_before_says_by_whom_and_how_many_rejections_keep_it_out(termbase):
    """With the team setting rejections-needed at 2, a pairing one reviewer rejected comes back:
    the detail says who rejected which of its terms together, and how many rejections it takes."""
    from termalign import review
    from termalign.store import as_store, open_store
    from termalign.store.concepts import Concept, Term

    store = as_store(open_store(termbase, create=False))
    with store.transaction():
        old = store.insert_concept(Concept(
            terms=[Term("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"), Term("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"),
                   Term("vi", "thay đổi số", "preferred")],
            origin="align",
        ))
    review.reject(store, old, version=1, reviewer="bob")
    store.set_team_setting("rejections-needed", "2", "admin")
    store.conn.close()  # type: ignore[attr-defined]
    app = ReviewApp(termbase, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, 1)
        widget = app.screen.query_one("#detail-rejections", Static)
        lines = plain(app, "rejections").splitlines()
        assert widget.display
        assert lines[0] == "Rejected before by 1 reviewer (the team keeps a pairing out after 2)"
        assert lines[1] == f"  #{old} by bob: km ការផ្លាស់ប្តូរឌីជីថល + th การเปลี่ยนแปลงทางดิจิทัล"
        await pilot.press("j")
        assert app.screen.query_one(ProposalTable).current.id != 1
        assert not widget.display and plain(app, "rejections") == ""


def test_cognate_and_context_lines_name_the_linked_articles():
    from termalign.store.concepts import Evidence
    from termalign.tui.evidence import readable

    stories = ["/data/articles/story_km.txt", "/data/articles/story_th.txt"]
    lines = [
        line.text
        for group in readable([
            Evidence("cognate", 0.8, "km", "th", {"km": "សេដ្ឋកិច្ច", "th": "เศรษฐกิจ", "similarity": 1.0,
                                                   "documents": stories}),
            Evidence("distributional", 0.4, "km", "th", {"km": "ក្រដាស", "th": "สมุด", "cosine": 0.8,
                                                          "documents": stories}),
        ])
        for line in group
    ]
    assert "សេដ្ឋកិច្ច ~ เศรษฐกิจ  similarity 1.00  in story_km.txt ~ story_th.txt" in lines
    assert "ក្រដាស ~ สมุด  cosine 0.80  in story_km.txt ~ story_th.txt" in lines


def test_a_refit_score_is_explained_with_the_rule_s_score_and_the_decisions():
    from termalign.store.concepts import Evidence
    from termalign.tui.evidence import readable

    groups = readable([
        Evidence("anchor", 0.9, "km", None, {"token": "NSSF"}),
        Evidence("calibration", 0.62, None, None, {"raw": 0.8, "score": 0.62, "decisions": 57, "approved": 31}),
    ])
    lines = {(line.signal.label, line.text) for group in groups for line in group}
    assert ("calibrated", "score 0.62 (the rule's 0.80), refit on 57 decisions, 31 approved") in lines
