"""Importing termbase files: official samples, merging by normalized key, review log."""

from __future__ import annotations

import json

import pytest

from termalign.cli import main
from termalign.export import export_termbase, format_of, import_termbase, read_termbase, write_termbase
from termalign.export.merge import conflict_reason
from termalign.store import open_store
from termalign.store.concepts import Concept, Context, Note, Term, load_concept

from .conftest import add_concepts, dump_store
from .tbx_validation import relaxng_errors, tbx_basic_errors


def log(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT concept_id, reviewer, action FROM review_log ORDER BY id")]


@pytest.mark.parametrize("sample", ["Example_Astronomy_DCA_VALID.tbx", "Example_Astronomy_DCT_VALID.tbx", "basic_good.tbx"])
def test_official_samples_import_and_reexport_valid(sample, tbx_data, empty_store, tmp_path):
    report = import_termbase(empty_store, tbx_data / sample, reviewer="ana", default_status="approved")
    # 45 entries: 39 have English terms; 6 only Spanish or Zulu, which the termbase does not hold.
    assert (report.added, report.skipped, report.conflicts) == (39, 6, [])
    assert report.ignored_languages == {"es": 52, "zu": 6}
    out = tmp_path / "re.tbx"
    assert export_termbase(empty_store, out) == 39
    assert tbx_basic_errors(out) == []
    assert relaxng_errors(out, "basic-integrated") == []


def test_dca_and_dct_samples_read_the_same(tbx_data):
    dca = read_termbase(tbx_data / "Example_Astronomy_DCA_VALID.tbx")
    dct = read_termbase(tbx_data / "Example_Astronomy_DCT_VALID.tbx")
    # Same terms, statuses, contexts; (the two upstream files place one note differently).
    shape = lambda concepts: [(c.terms, c.subject_field, c.status, c.updated_by) for c in concepts]
    assert len(dca) == 39 and shape(dca) == shape(dct)
    first = dca[0]
    assert first.subject_field == "General"
    assert [(t.text, t.status, t.pos) for t in first.terms] == [
        ("open cluster", "preferred", "noun"), ("galactic cluster", "deprecated", "noun"),
    ]
    assert first.terms[0].contexts[0].source == "http://seds.org/MESSIER/open.html"
    assert first.terms[0].contexts[0].text.startswith("Over 1100 open clusters are known in our Milky Way Galaxy,")
    assert (first.created_at, first.updated_at, first.updated_by) == ("2010-04-17", "2010-05-01", "Tommy")


def test_samples_without_admin_status_use_usage_status(tbx_data):
    (first, *_) = read_termbase(tbx_data / "min_good.tbx")
    assert [(t.text, t.status) for t in first.terms] == [("open cluster", "preferred"), ("galactic cluster", "deprecated")]


def test_import_keeps_ids_provenance_and_logs_each_concept(seed_store, empty_store, tmp_path):
    export_termbase(seed_store, tmp_path / "seed.tbx", include_unreviewed=True)
    report = import_termbase(empty_store, tmp_path / "seed.tbx", reviewer="ana")
    assert report.added == 6
    ids = [r[0] for r in empty_store.execute("SELECT id FROM concepts ORDER BY id")]
    assert ids == [1, 2, 3, 4, 5, 6]
    c6 = load_concept(empty_store, 6)
    assert (c6.status, c6.origin, c6.updated_by) == ("unreviewed", "import", None)
    c1 = load_concept(empty_store, 1)
    assert (c1.status, c1.updated_by, c1.created_at) == ("approved", "sokha", "2024-03-01")
    assert log(empty_store) == [(i, "ana", "import-add") for i in range(1, 7)]
    after = json.loads(empty_store.execute("SELECT after FROM review_log WHERE concept_id = 1").fetchone()[0])
    assert after["terms"][0]["text"] == "ការផ្លាស់ប្តូរឌីជីថល"


def test_reimport_into_same_store_changes_nothing(seed_store, tmp_path):
    export_termbase(seed_store, tmp_path / "seed.tbx", include_unreviewed=True)
    before = dump_store(seed_store)
    report = import_termbase(seed_store, tmp_path / "seed.tbx", reviewer="ana")
    assert (report.added, report.merged, report.unchanged, report.conflicts) == (0, [], 6, [])
    assert dump_store(seed_store) == before


def test_file_id_is_not_reused_when_taken(empty_store, tmp_path):
    add_concepts(empty_store, [Concept(terms=[Term("en", "unrelated")], status="approved")])
    path = tmp_path / "one.csv"
    path.write_text("id,en\n1,digital economy\n", encoding="utf-8")
    import_termbase(empty_store, path, reviewer="ana")
    assert [r[0] for r in empty_store.execute("SELECT id FROM concepts ORDER BY id")] == [1, 2]


def test_merge_by_normalized_key_adds_variants_contexts_notes(empty_store, tmp_path):
    # Stored: coeng TA spelling; file: coeng DA spelling of the same word (one key).
    (cid,) = add_concepts(empty_store, [Concept(
        terms=[Term("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"), Term("en", "digital transformation", "preferred")],
        status="approved", updated_by="sokha",
    )])
    path = tmp_path / "partner.tbx"
    write_file(path, [Concept(id=99, status="approved", terms=[
        Term("km", "ការផ្លាស់ប្ដូរឌីជីថល", "preferred", "noun", contexts=[Context("ប្រយោគ ការផ្លាស់ប្ដូរឌីជីថល", "seeds/000")]),
        Term("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"),
        Term("en", "digital transformation", "preferred"),
        Term("en", "digitalisation", "admitted"),
    ], notes=[Note("from the partner")])])
    report = import_termbase(empty_store, path, reviewer="ana")
    assert (report.added, report.merged, report.conflicts) == (0, [cid], [])
    merged = load_concept(empty_store, cid)
    assert [(t.lang, t.text, t.status) for t in merged.terms] == [
        ("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"),  # display form kept
        ("en", "digital transformation", "preferred"),
        ("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"),
        ("en", "digitalisation", "admitted"),
    ]
    assert merged.terms[0].pos == "noun" and merged.terms[0].contexts[0].source == "seeds/000"
    assert [n.text for n in merged.notes] == ["from the partner"]
    assert merged.version == 2 and merged.updated_by == "ana"
    entry = empty_store.execute("SELECT action, before, after FROM review_log").fetchone()
    assert entry["action"] == "import-merge"
    assert len(json.loads(entry["before"])["terms"]) == 2 and len(json.loads(entry["after"])["terms"]) == 4


def write_file(path, concepts):
    with open(path, "wb") as out:
        write_termbase(concepts, out, format_of(path))


def test_decided_file_decides_a_proposal(empty_store, tmp_path):
    (cid,) = add_concepts(empty_store, [Concept(
        terms=[Term("en", "e-government", "preferred"), Term("en", "electronic government", "admitted")],
        status="unreviewed",
    )])
    path = tmp_path / "f.csv"
    path.write_text("status,en\napproved,electronic government | e-government\n", encoding="utf-8")
    report = import_termbase(empty_store, path, reviewer="ana")
    assert report.merged == [cid]
    concept = load_concept(empty_store, cid)
    assert concept.status == "approved"
    assert [(t.text, t.status) for t in concept.terms] == [("e-government", "admitted"), ("electronic government", "preferred")]


CONFLICTS = [
    (Concept(status="approved", terms=[Term("en", "x", "preferred")]),
     Concept(status="rejected", terms=[Term("en", "x", "preferred")]), "status differs"),
    (Concept(status="approved", terms=[Term("en", "x", "preferred"), Term("en", "y")]),
     Concept(status="approved", terms=[Term("en", "y", "preferred")]), "'y' is admitted in the store, preferred in the file"),
    (Concept(status="approved", terms=[Term("en", "x", "preferred")]),
     Concept(status="approved", terms=[Term("en", "x", "preferred"), Term("km", "ក", "preferred")], subject_field="law"),
     None),
    (Concept(status="approved", subject_field="health", terms=[Term("en", "x", "preferred")]),
     Concept(status="approved", subject_field="law", terms=[Term("en", "x", "preferred")]), "subject field differs"),
    (Concept(status="approved", terms=[Term("en", "x", "preferred"), Term("km", "ក", "preferred")]),
     Concept(status="approved", terms=[Term("en", "x", "preferred"), Term("km", "ខ", "preferred")]), "preferred km term differs"),
    (Concept(status="rejected", terms=[Term("en", "x", "preferred")]),
     Concept(status="unreviewed", terms=[Term("en", "x", "preferred"), Term("en", "z")]), "an unreviewed entry adds terms"),
    (Concept(status="rejected", terms=[Term("en", "x", "preferred")]),
     Concept(status="unreviewed", terms=[Term("en", "x", "admitted")]), None),
]


@pytest.mark.parametrize("stored,incoming,reason", CONFLICTS)
def test_conflict_reasons(stored, incoming, reason):
    found = conflict_reason(stored, incoming)
    if reason is None:
        assert found is None
    else:
        assert reason in found


def test_conflicts_are_reported_and_not_applied(empty_store, tmp_path):
    add_concepts(empty_store, [
        Concept(terms=[Term("en", "bank", "preferred"), Term("km", "ធនាគារ", "preferred")], status="approved"),
        Concept(terms=[Term("en", "bank", "preferred"), Term("km", "ច្រាំងទន្លេ", "preferred")], status="approved"),
        Concept(terms=[Term("en", "server", "preferred")], status="rejected"),
    ])
    before = dump_store(empty_store)
    path = tmp_path / "f.csv"
    path.write_text("status,en,km\napproved,bank,\napproved,server,\n", encoding="utf-8")
    report = import_termbase(empty_store, path, reviewer="ana")
    assert [(c.where, c.concepts) for c in report.conflicts] == [("line 2", [1, 2]), ("line 3", [3])]
    assert "equally" in report.conflicts[0].reason
    assert "status differs (store rejected, file approved)" in report.conflicts[1].reason
    assert dump_store(empty_store) == before  # nothing applied, nothing logged


def test_best_match_wins_over_homonyms(empty_store, tmp_path):
    add_concepts(empty_store, [
        Concept(terms=[Term("en", "bank", "preferred"), Term("km", "ធនាគារ", "preferred")], status="approved"),
        Concept(terms=[Term("en", "bank", "preferred"), Term("km", "ច្រាំងទន្លេ", "preferred")], status="approved"),
    ])
    path = tmp_path / "f.csv"
    path.write_text("status,en,km,th\napproved,bank,ធនាគារ,ธนาคาร\n", encoding="utf-8")
    report = import_termbase(empty_store, path, reviewer="ana")
    assert report.merged == [1]
    assert [t.text for t in load_concept(empty_store, 1).terms_in("th")] == ["ธนาคาร"]


def test_a_files_own_homonyms_stay_separate(empty_store, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("en,km\nbank,ធនាគារ\nbank,ច្រាំងទន្លេ\n", encoding="utf-8")
    report = import_termbase(empty_store, path, reviewer="ana")
    assert report.added == 2


def test_dry_run_reports_but_changes_nothing(seed_store, empty_store, tmp_path):
    export_termbase(seed_store, tmp_path / "seed.tbx")
    before = dump_store(empty_store)
    report = import_termbase(empty_store, tmp_path / "seed.tbx", reviewer="ana", dry_run=True)
    assert report.added == 5 and report.dry_run
    assert dump_store(empty_store) == before


def test_files_status_marker_and_default_status(empty_store, tmp_path):
    path = tmp_path / "foreign.csv"
    path.write_text("en\nsmart city\n", encoding="utf-8")
    assert read_termbase(path)[0].status == "approved"
    assert read_termbase(path, default_status="unreviewed")[0].status == "unreviewed"


def test_file_ids_the_store_cannot_use_are_ignored(empty_store, tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("id,en\nc99999999999999999999,a\nw001,b\n0,c\n٣,d\nc5,e\n", encoding="utf-8")
    report = import_termbase(empty_store, path, reviewer="ana")
    assert report.added == 5
    ids = [r[0] for r in empty_store.execute("SELECT id FROM concepts ORDER BY id")]
    assert 5 in ids and max(ids) < 2**63 and len(ids) == 5


FOREIGN_TBX = (
    '<?xml version="1.0"?>\n<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body>'
    '<termEntry id="p1"><langSet xml:lang="en"><tig><term>smart city</term></tig></langSet>'
    '<langSet xml:lang="km"><tig><term>ទីក្រុងឆ្លាតវៃ</term></tig></langSet></termEntry></body></text></martif>\n'
)


@pytest.mark.parametrize(("name", "content"), [("foreign.tbx", FOREIGN_TBX), ("foreign.csv", "en,km\nsmart city,ទីក្រុងឆ្លាតវៃ\n")])
def test_third_party_files_import_unreviewed_unless_told(name, content, tmp_path, capsys):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["import", str(path), "--db", str(db)]) == 0
    conn = open_store(db)
    assert [r[0] for r in conn.execute("SELECT status FROM concepts")] == ["unreviewed"]
    conn.close()
    report = import_termbase(open_store(tmp_path / "api.db"), path, reviewer="ana")
    assert report.added == 1
    assert open_store(tmp_path / "api.db").execute("SELECT status FROM concepts").fetchone()[0] == "unreviewed"
    db2 = tmp_path / "t2.db"
    assert main(["import", str(path), "--db", str(db2), "--status", "approved"]) == 0
    conn = open_store(db2)
    assert [r[0] for r in conn.execute("SELECT status FROM concepts")] == ["approved"]
    conn.close()


def test_termalign_files_keep_their_review_status(seed_store, tmp_path, capsys):
    for suffix in ("tbx", "csv"):
        path = tmp_path / f"own.{suffix}"
        export_termbase(seed_store, path, include_unreviewed=True)
        db = tmp_path / f"own-{suffix}.db"
        assert main(["import", str(path), "--db", str(db)]) == 0
        conn = open_store(db)
        assert dict(conn.execute("SELECT status, count(*) FROM concepts GROUP BY status").fetchall()) == {
            "approved": 5, "unreviewed": 1,
        }
        conn.close()
