"""Imports merge entries in batches: the same outcome as one entry at a time, in a few
statements per batch."""

from __future__ import annotations

from termalign.export import import_termbase
from termalign.export.merge import BATCH_ENTRIES
from termalign.store import SQLiteStore
from termalign.store.concepts import Concept, Term, load_concept

from .conftest import add_concepts
from .test_import import log, write_file


class CountingConnection:
    """An SQLite connection that counts the statements sent to it (one per ``executemany``)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.statements = 0

    def __getattr__(self, name):
        return getattr(self.conn, name)

    def execute(self, *args):
        self.statements += 1
        return self.conn.execute(*args)

    def executemany(self, *args):
        self.statements += 1
        return self.conn.executemany(*args)


def test_an_entry_matches_a_concept_through_a_term_merged_just_before(empty_store, tmp_path):
    (cid,) = add_concepts(empty_store, [Concept(terms=[Term("en", "alpha", "preferred")], status="approved")])
    path = tmp_path / "partner.csv"
    write_file(path, [
        Concept(status="approved", terms=[Term("en", "alpha", "preferred"), Term("vi", "anpha", "preferred")]),
        # Shares only "anpha" with the stored concept, which the entry above brings to it.
        Concept(status="approved", terms=[Term("vi", "anpha", "preferred"), Term("th", "อัลฟา", "preferred")]),
    ])
    report = import_termbase(empty_store, path, reviewer="ana")
    assert (report.added, report.merged, report.conflicts) == (0, [cid, cid], [])
    assert [t.text for t in load_concept(empty_store, cid).terms] == ["alpha", "anpha", "อัลฟา"]


def test_ids_and_log_follow_the_file_order(empty_store, tmp_path):
    (cid,) = add_concepts(empty_store, [Concept(terms=[Term("en", "beta", "preferred")], status="approved")])
    path = tmp_path / "partner.tbx"
    write_file(path, [
        Concept(id=40, status="approved", terms=[Term("en", "gamma", "preferred")]),
        Concept(id=7, status="approved", terms=[Term("en", "beta", "preferred"), Term("vi", "bêta", "preferred")]),
        Concept(id=1, status="approved", terms=[Term("en", "delta", "preferred")]),  # 1 is taken
        Concept(id=60, status="approved", terms=[Term("en", "epsilon", "preferred")]),
    ])
    report = import_termbase(empty_store, path, reviewer="ana")
    assert (report.added, report.merged) == (3, [cid])
    assert log(empty_store) == [(40, "ana", "import-add"), (cid, "ana", "import-merge"),
                                (41, "ana", "import-add"), (60, "ana", "import-add")]


def test_an_import_sends_a_few_statements_per_batch(empty_store, tmp_path):
    entries = 3 * BATCH_ENTRIES
    path = tmp_path / "many.csv"
    write_file(path, [
        Concept(status="approved", terms=[Term("en", f"term {i}", "preferred"), Term("km", f"ពាក្យ {i}", "preferred")])
        for i in range(entries)
    ])
    counting = CountingConnection(empty_store)
    report = import_termbase(SQLiteStore(counting), path, reviewer="ana")
    assert report.added == entries
    # One entry at a time took about 14 statements an entry (look-ups, inserts, the log).
    assert counting.statements <= 12 * 3 + 2
