"""Imports in batches, on every backend: ``import_concepts`` writes the rows, ids and numbers
``import_concept`` writes one concept at a time; look-ups and the log in a few statements."""

from __future__ import annotations

import json
from dataclasses import asdict

from termalign.store.concepts import Concept, Context, Evidence, Note, Term


def concepts() -> list[tuple[Concept, int | None]]:
    """(concept, wanted id): a free number, one already passed, none, a repeated key."""
    note = Note("from the partner", "ana", "2024-05-01T00:00:00Z")
    return [
        (Concept(terms=[Term("en", "e-government", "preferred", "noun", "seeds", [Context("An e-government site.")]),
                        Term("km", "រដ្ឋាភិបាលអេឡិចត្រូនិក", "preferred")],
                 status="approved", origin="import", notes=[note], created_at="2024-01-01T00:00:00Z",
                 updated_at="2024-01-02T00:00:00Z", updated_by="sokha"), 50),
        (Concept(terms=[Term("en", "VNeID", "preferred", contexts=[Context("first", "a.txt")]),
                        Term("en", "vneid", "admitted", contexts=[Context("second", "b.txt")]),
                        Term("th", "วีเอ็นอีไอดี", "preferred")],
                 origin="import", created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z"), 3),
        (Concept(terms=[Term("vi", "chính phủ số", "preferred")], origin="import",
                 created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z"), None),
        (Concept(terms=[Term("en", "digital citizen", "preferred")], origin="import",
                 created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z"), 51),
    ]


def rows(store) -> tuple[dict[str, list[tuple]], dict[int, tuple]]:
    """The imported rows, with terms named by (concept, language, key) rather than by id (a
    term skipped by PostgreSQL's ``ON CONFLICT DO NOTHING`` still takes a number of the
    sequence), and those names by term id."""
    name = {r[0]: (r[1], r[2], r[3]) for r in store.conn.execute("SELECT id, concept_id, lang, key FROM terms")}
    tables = {
        "concepts": "id, status, subject_field, origin, version, created_at, updated_at, updated_by",
        "terms": "concept_id, lang, text, key, status, pos, source",
        "term_contexts": "id, term_id, text, source",
        "notes": "id, concept_id, author, created_at, text",
    }
    found = {t: [tuple(r) for r in store.conn.execute(f"SELECT {c} FROM {t} ORDER BY id")] for t, c in tables.items()}
    found["term_contexts"] = [(i, name[term_id], *rest) for i, term_id, *rest in found["term_contexts"]]
    found["meta"] = [tuple(r) for r in store.conn.execute("SELECT key, value FROM meta ORDER BY key")]
    return found, name


def test_import_concepts_writes_what_import_concept_writes_one_by_one(backend):
    one, bulk = backend.open(backend.new_location()), backend.open(backend.new_location())
    for store in (one, bulk):
        with store.transaction():
            store.insert_concept(Concept(terms=[Term("en", "taken")], created_at="2024-01-01T00:00:00Z"))
    singles, batch = concepts(), concepts()
    with one.transaction():
        for concept, wanted in singles:
            one.import_concept(concept, wanted)
    with bulk.transaction():
        bulk.import_concepts(batch)
    (bulk_rows, bulk_names), (one_rows, _) = rows(bulk), rows(one)
    assert bulk_rows == one_rows
    assert [c.id for c, _ in batch] == [c.id for c, _ in singles] == [50, 51, 52, 53]
    for concept, _ in batch:  # each term knows its row but "vneid", which repeats the key of "VNeID"
        assert [bulk_names.get(t.id) for t in concept.terms] == [
            None if t.text == "vneid" else (concept.id, t.lang, t.key) for t in concept.terms
        ]
    assert batch[1][0].terms[1].id is None and singles[1][0].terms[1].id is None
    assert bulk.next_concept_id() == 54


def test_concepts_with_terms_finds_every_holder_in_id_order(store):
    with store.transaction():
        ids = [store.insert_concept(Concept(terms=[Term("en", text), Term("th", "ภาษี")])) for text in ("Tax", "duty")]
    found = store.concepts_with_terms([("en", "tax"), ("en", "duty"), ("th", "ภาษี"), ("km", "none")])
    assert found == {("en", "tax"): [ids[0]], ("en", "duty"): [ids[1]], ("th", "ภาษี"): ids}
    assert store.concepts_with_terms([]) == {}


def test_load_concepts_reads_many_as_load_concept_reads_one(store):
    with store.transaction():
        ids = [store.insert_concept(Concept(terms=[Term("en", f"t{i}", contexts=[Context("c")])])) for i in range(3)]
    assert store.load_concepts([*ids, 999]) == {i: store.load_concept(i) for i in ids}


def test_log_actions_appends_as_log_action(store):
    snapshot = {"terms": [{"text": "ថ្មី"}], "id": 7}
    with store.transaction():
        store.log_action(7, "ana", "import-add", None, snapshot)
        store.log_actions([(7, "ana", "import-add", None, snapshot), (8, "ana", "import-merge", snapshot, snapshot)])
    sql = "SELECT concept_id, action, before, after FROM review_log ORDER BY id"
    logged = [tuple(r) for r in store.conn.execute(sql)]
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
    assert logged == [(7, "import-add", None, text), (7, "import-add", None, text), (8, "import-merge", text, text)]


def test_snapshot_is_asdict_without_created_at():
    concept = Concept(
        terms=[Term("en", "a", "preferred", "noun", "seeds", [Context("x", "y")], id=3)], status="approved",
        score=0.5, origin="align", subject_field="law",
        evidence=[Evidence("cooc", 0.9, "en", "km", {"n": [1, {"k": 2}]})],
        notes=[Note("n", "ana", "2024-01-01")], id=9, version=4, created_at="c", updated_at="u", updated_by="ana",
    )
    expected = asdict(concept)
    del expected["created_at"]
    snapshot = concept.snapshot()
    assert snapshot == expected
    snapshot["evidence"][0]["detail"]["n"][1]["k"] = 5  # a copy, as asdict's
    assert concept.evidence[0].detail == {"n": [1, {"k": 2}]}


def test_a_term_read_from_the_store_has_its_stored_key(store, monkeypatch):
    with store.transaction():
        cid = store.insert_concept(Concept(terms=[Term("th", "ภาษี อากร")]))
    store.conn.execute("UPDATE terms SET key = 'stored' WHERE concept_id = ?", (cid,))
    term = store.load_concept(cid).terms[0]
    assert term.key == "stored"  # not computed again (Thai keys are costly)
    term.text = "ภาษี"
    assert term.key == "ภาษี"  # a new text has its own key
