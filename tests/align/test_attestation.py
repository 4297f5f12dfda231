"""Every term of a proposal is attested; composed readings wait as suggestions.

The words are written for these tests (a toy lexicon file), not taken from the seeds."""

import pytest

from termalign import lang, review
from termalign.align import Node, align, propose
from termalign.align.attest import Attestation
from termalign.cli import main
from termalign.errors import ConflictError, TermalignError
from termalign.lexicon import Lexicon
from termalign.store import SCHEMA_VERSION, open_store, schema_version
from termalign.store.suggestions import accept_suggestion, attested_term_count, suggestion_counts, suggestions_for

KM_TEXT = (
    "ក្រសួងបានពិនិត្យគុណភាពទឹកនៅខេត្ត។ គុណភាពទឹកនៅភូមិល្អ។ របាយការណ៍គុណភាពទឹកចេញហើយ។\n"
    "មន្ត្រីនិយាយថាគុណភាពទឹកត្រូវតែល្អ។ ការត្រួតពិនិត្យគុណភាពទឹកធ្វើរៀងរាល់ខែ។\n"
)
TH_TEXT = (
    "กระทรวงตรวจคุณภาพน้ำในจังหวัด คุณภาพน้ำในหมู่บ้านดี รายงานคุณภาพน้ำออกแล้ว\nเจ้าหน้าที่กล่าวว่าคุณภาพน้ำต้องดี การตรวจคุณภาพน้ำทำทุกเดือน\n"
)
LEXICON = "km\tគុណភាព\tquality\t1\nkm\tទឹក\twater\t1\nth\tคุณภาพ\tquality\t1\nth\tน้ำ\twater\t1\n"


def node(code, text, rank=1, kind="term"):
    return Node(code, lang.get(code).key(text), text, kind, 1.0, rank)


def toy_lexicon() -> Lexicon:
    lx = Lexicon()
    lx.add_concept({"en": ["water"], "km": ["ទឹក"], "th": ["น้ำ"], "vi": ["nước"]}, "test")
    lx.add_concept({"en": ["quality"], "km": ["គុណភាព"], "th": ["คุณภาพ"], "vi": ["chất lượng"]}, "test")
    return lx


def test_a_composed_reading_is_a_term_only_where_a_text_attests_it():
    km, th = node("km", "គុណភាពទឹក"), node("th", "คุณภาพน้ำ")
    (unattested,) = propose([km, th], toy_lexicon(), attestation=Attestation({}))
    assert unattested.languages() == ["km", "th"]
    assert {(s.lang, s.text) for s in unattested.suggestions} == {("en", "water quality"), ("vi", "chất lượng nước")}
    # the same reading in an English text: now a term, attested by the corpus
    english = Attestation({"en": "the ministry tested water quality in the province"})
    (attested,) = propose([km, th], toy_lexicon(), attestation=english)
    assert attested.preferred("en").text == "water quality" and attested.preferred("en").source == "corpus"
    assert {s.lang for s in attested.suggestions} == {"vi"}
    # a word of the reading, not the reading, is in the text: still a suggestion
    partial = Attestation({"en": "the water of the province has a good quality"})
    (still,) = propose([km, th], toy_lexicon(), attestation=partial)
    assert "en" not in still.languages()


def test_composition_links_attested_terms_across_word_order_and_function_words():
    lx = toy_lexicon()
    # km "quality of water" with នៃ, th with the nominalizer การ-less form: one bag, one concept
    km, th = node("km", "គុណភាពនៃទឹក"), node("th", "คุณภาพของน้ำ")
    (concept,) = propose([km, th], lx, attestation=Attestation({}))
    assert {(t.lang, t.text) for t in concept.terms} == {("km", "គុណភាពនៃទឹក"), ("th", "คุณภาพของน้ำ")}
    assert {e.signal for e in concept.evidence} == {"compositional"}


def _build(tmp_path, capsys, *extra):
    (tmp_path / "km.txt").write_text(KM_TEXT, encoding="utf-8")
    (tmp_path / "th.txt").write_text(TH_TEXT, encoding="utf-8")
    (tmp_path / "toy.tsv").write_text(LEXICON, encoding="utf-8")
    db = tmp_path / "t.db"
    code = main(
        [
            "build",
            str(tmp_path / "km.txt"),
            str(tmp_path / "th.txt"),
            *extra,
            "--db",
            str(db),
            "-o",
            str(tmp_path / "out"),
            "--lexicon",
            str(tmp_path / "toy.tsv"),
            "--json",
        ]
    )
    assert code == 0
    import json

    return db, json.loads(capsys.readouterr().out)


def test_build_shows_an_invented_filler_only_as_a_suggestion(tmp_path, capsys):
    db, result = _build(tmp_path, capsys)
    conn = open_store(db)
    cid = conn.execute(
        "SELECT concept_id FROM terms WHERE lang = 'km' AND key = ?", (lang.get("km").key("គុណភាពទឹក"),)
    ).fetchone()[0]
    terms = {(t[0], t[1]) for t in conn.execute("SELECT lang, text FROM terms WHERE concept_id = ?", (cid,))}
    assert ("th", "คุณภาพน้ำ") in terms
    assert not {t for t in terms if t[0] in ("en", "vi")}
    waiting = {(s.lang, s.text, s.origin) for s in suggestions_for(conn, cid)}
    assert ("en", "water quality", "compositional") in waiting
    # no exported term is unattested
    for fmt in ("tbx", "tsv"):
        assert "water quality" not in (tmp_path / "out" / f"termbase.{fmt}").read_text(encoding="utf-8")
    # build and stats report both
    assert result["attested_terms"] == attested_term_count(conn) > 0
    assert result["suggestions"]["waiting"] == suggestion_counts(conn)["waiting"] > 0
    assert main(["stats", "--db", str(db), "--json"]) == 0
    import json

    stats = json.loads(capsys.readouterr().out)
    assert stats["attested_terms"] == result["attested_terms"]
    assert stats["suggestions"]["waiting"] == result["suggestions"]["waiting"]
    assert stats["schema_version"] == SCHEMA_VERSION == schema_version(conn)


def test_accepting_a_suggestion_makes_it_a_term_once_and_undo_takes_it_back(tmp_path, capsys):
    db, _ = _build(tmp_path, capsys)
    conn = open_store(db)
    cid = conn.execute(
        "SELECT concept_id FROM terms WHERE lang = 'km' AND key = ?", (lang.get("km").key("គុណភាពទឹក"),)
    ).fetchone()[0]
    (en,) = [s for s in suggestions_for(conn, cid) if s.lang == "en"]
    version = conn.execute("SELECT version FROM concepts WHERE id = ?", (cid,)).fetchone()[0]
    # a stale version is refused, nothing changes
    with pytest.raises(ConflictError):
        accept_suggestion(conn, en.id, version=version + 5, reviewer="dara")
    assert not conn.execute("SELECT 1 FROM terms WHERE concept_id = ? AND lang = 'en'", (cid,)).fetchone()
    outcome = accept_suggestion(conn, en.id, version=version, reviewer="dara")
    assert outcome.touched == (cid,)
    row = conn.execute("SELECT text, status, source FROM terms WHERE id = ?", (outcome.term_id,)).fetchone()
    assert tuple(row) == ("water quality", "preferred", "suggestion:compositional:dara")
    assert [s.accepted for s in suggestions_for(conn, cid) if s.id == en.id] == [True]
    assert suggestion_counts(conn)["accepted"] == 1
    with pytest.raises(TermalignError):
        accept_suggestion(conn, en.id, version=version + 1, reviewer="dara")
    # one review-log entry, undoable like any added term; the suggestion waits again
    actions = conn.execute("SELECT action FROM review_log WHERE concept_id = ?", (cid,)).fetchall()
    assert actions[-1][0] == "accept_suggestion"
    review.undo(conn, reviewer="dara")
    assert not conn.execute("SELECT 1 FROM terms WHERE concept_id = ? AND lang = 'en'", (cid,)).fetchone()
    assert [s.accepted for s in suggestions_for(conn, cid) if s.id == en.id] == [False]


def test_a_touched_proposal_keeps_its_suggestions_across_a_rebuild(tmp_path, capsys):
    db, _ = _build(tmp_path, capsys)
    conn = open_store(db)
    cid = conn.execute(
        "SELECT concept_id FROM terms WHERE lang = 'km' AND key = ?", (lang.get("km").key("គុណភាពទឹក"),)
    ).fetchone()[0]
    review.add_note(conn, cid, "check", version=1, reviewer="dara")
    before = {(s.lang, s.text) for s in suggestions_for(conn, cid)}
    align(conn, lexicons=[tmp_path / "toy.tsv"])
    assert {(s.lang, s.text) for s in suggestions_for(conn, cid)} == before


def test_the_migration_turns_composed_terms_of_untouched_proposals_into_suggestions(tmp_path):
    from termalign.store import migrate_to, transaction
    from termalign.store.concepts import Concept, Term, insert_concept
    from termalign.store.suggestions import UNATTESTED_SOURCES

    conn = open_store(tmp_path / "old.db", migrate=False)
    step = next(
        v
        for v, sql in __import__("termalign.store.schema", fromlist=["MIGRATIONS"]).MIGRATIONS
        if "CREATE TABLE suggestions" in sql
    )
    migrate_to(conn, step - 1)
    with transaction(conn):
        ids = [
            insert_concept(
                conn,
                Concept(
                    terms=[
                        Term("km", "គុណភាពទឹក", "preferred", source="corpus"),
                        Term("en", "water quality", "preferred", source="compositional"),
                    ],
                    status=status,
                    version=version,
                ),
            )
            for status, version in (("unreviewed", 1), ("approved", 2))
        ]
    migrate_to(conn, SCHEMA_VERSION)
    untouched, approved = ids
    assert [(s.lang, s.text) for s in suggestions_for(conn, untouched)] == [("en", "water quality")]
    assert not conn.execute("SELECT 1 FROM terms WHERE concept_id = ? AND lang = 'en'", (untouched,)).fetchone()
    # a reviewer's concept keeps what the reviewer saw
    assert (
        conn.execute("SELECT source FROM terms WHERE concept_id = ? AND lang = 'en'", (approved,)).fetchone()[0]
        in UNATTESTED_SOURCES
    )
