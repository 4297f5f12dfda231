"""The store: migrations from every earlier version, foreign/newer/locked files, WAL, foreign
keys, transactions, the append-only review log, optimistic versioning.

Tests taking the ``store``/``termbase``/``backend`` fixtures run on SQLite and PostgreSQL
(tests/store/conftest.py); the ones marked ``sqlite_only`` are about the SQLite file itself
(PRAGMAs, WAL, file locks, application id) — their PostgreSQL counterparts, where one exists,
are in tests/team/test_postgres.py."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from termalign.errors import ConflictError, StoreError
from termalign.store import (
    SCHEMA_VERSION,
    SQLiteStore,
    integrity_ok,
    migrate_to,
    open_store,
    schema_version,
)
from termalign.store import db as store_db
from termalign.store.concepts import Concept, Term
from termalign.store.schema import APPLICATION_ID, MIGRATIONS


def close(store) -> None:
    """Close a store of either backend (SQLite's through its connection)."""
    store.conn.close()


def sql(store, statement: str, params: tuple = ()):
    """A raw statement on the store's connection (counts and deliberate damage, tests only)."""
    return store.conn.execute(statement, params)


# Rows written at the version that introduced their table, with that version's columns only.
ROWS_AT = {
    1: [
        "INSERT INTO documents (id, path, sha256, text, ingested_at, lang) VALUES (1, 'a.txt', 'h', 'Digital text.', 't', 'en')",
        "INSERT INTO sentences (id, document_id, idx, start, \"end\", lang) VALUES (1, 1, 0, 0, 13, 'en')",
        "INSERT INTO tokens (sentence_id, idx, start, \"end\", text, key, kind) VALUES (1, 0, 0, 7, 'Digital', 'digital', 'word')",
    ],
    2: [
        (
            "INSERT INTO candidates (id, lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity,"
            " unithood, termhood, rank) VALUES (1, 'en', 'digital', 'Digital', 'word', 1, 1, 1, 1, 1, 1, 1, 1)"
        ),
        "INSERT INTO occurrences (candidate_id, sentence_id, start, \"end\", text) VALUES (1, 1, 0, 7, 'Digital')",
    ],
    3: [
        "INSERT INTO concepts (id, status, origin, created_at, updated_at) VALUES (1, 'approved', 'align', 't', 't')",
        "INSERT INTO terms (concept_id, lang, text, key, status) VALUES (1, 'en', 'digital', 'digital', 'preferred')",
        "INSERT INTO review_log (concept_id, reviewer, at, action) VALUES (1, 'ana', 't', 'approve')",
    ],
}


def table_shapes(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [tuple(c)[1:] for c in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in table_shapes(conn)}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_migrates_from_every_earlier_version(start, tmp_path):
    path = tmp_path / f"v{start}.db"
    conn = open_store(path, migrate=False)
    migrate_to(conn, start)
    assert schema_version(conn) == start
    written: dict[str, int] = {}
    for version in range(1, start + 1):
        for sql in ROWS_AT.get(version, []):
            conn.execute(sql)
            table = sql.split()[2]
            written[table] = written.get(table, 0) + 1
    conn.close()

    migrated = open_store(path)
    assert schema_version(migrated) == SCHEMA_VERSION
    assert migrated.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert integrity_ok(migrated)
    fresh = open_store(tmp_path / "fresh.db")
    assert table_shapes(migrated) == table_shapes(fresh)
    counts = row_counts(migrated)
    assert {t: counts[t] for t in written} == written
    migrated.close()
    fresh.close()


@pytest.mark.sqlite_only
def test_each_migration_step_is_atomic(tmp_path, monkeypatch):
    broken = (SCHEMA_VERSION + 1, "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);")
    monkeypatch.setattr(store_db, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    conn = open_store(tmp_path / "s.db", migrate=False)
    migrate_to(conn, SCHEMA_VERSION)
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrate_to(conn, SCHEMA_VERSION + 1)
    if conn.in_transaction:  # executescript leaves the failed step's transaction open
        conn.execute("ROLLBACK")
    assert schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0


@pytest.mark.sqlite_only
def test_newer_store_is_refused(tmp_path):
    path = tmp_path / "new.db"
    open_store(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match=f"newer than this termalign \\({SCHEMA_VERSION}\\); upgrade"):
        open_store(path)


@pytest.mark.sqlite_only
def test_foreign_files_are_refused(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("this is not a database, just text " * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="not a termalign store"):
        open_store(text)

    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE photos (id INTEGER)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="SQLite file of another program"):
        open_store(other)

    foreign = tmp_path / "foreign.db"
    raw = sqlite3.connect(foreign)
    raw.execute("PRAGMA application_id = 1234")
    raw.close()
    with pytest.raises(StoreError, match="foreign application id"):
        open_store(foreign)

    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="no termbase here"):
        open_store(tmp_path / "missing.db", create=False)


@pytest.mark.sqlite_only
def test_foreign_file_is_left_untouched(tmp_path):
    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE photos (id INTEGER)")
    raw.commit()
    raw.close()
    before = other.read_bytes()
    with pytest.raises(StoreError):
        open_store(other)
    assert other.read_bytes() == before


@pytest.mark.sqlite_only
def test_locked_store_needing_migration_times_out(tmp_path):
    path = tmp_path / "old.db"
    conn = open_store(path, migrate=False)
    migrate_to(conn, SCHEMA_VERSION - 1)
    conn.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    start = time.monotonic()
    with pytest.raises(StoreError, match=r"locked by another process \(waited 0.3 s\)"):
        open_store(path, timeout=0.3)
    assert time.monotonic() - start >= 0.25
    holder.execute("ROLLBACK")
    holder.close()
    assert schema_version(open_store(path)) == SCHEMA_VERSION


@pytest.mark.sqlite_only
def test_write_transaction_on_locked_store_is_a_store_error(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).close()
    holder = open_store(path)
    holder.execute("BEGIN IMMEDIATE")
    other = open_store(path, timeout=0.2)
    with pytest.raises(StoreError, match="locked"), SQLiteStore(other).transaction():
        pass
    holder.execute("ROLLBACK")


def test_readers_are_not_blocked_by_a_writer(backend, termbase):
    writer = backend.open(termbase)
    writer.insert_concept(Concept(terms=[Term("en", "one")]))
    with writer.transaction():
        writer.insert_concept(Concept(terms=[Term("en", "two")]))
        reader = backend.open(termbase)
        assert len(list(reader.iter_concepts())) == 1  # an old snapshot, not a wait
    assert len(list(reader.iter_concepts())) == 2
    close(reader)
    close(writer)


@pytest.mark.sqlite_only
def test_wal_is_on(tmp_path):
    conn = open_store(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_foreign_keys_refuse_a_dangling_term_and_cascade(store):
    with store.transaction():
        cid = store.insert_concept(Concept(terms=[Term("en", "portal")]))
    with pytest.raises(sqlite3.IntegrityError):
        sql(store, "INSERT INTO terms (concept_id, lang, text, key) VALUES (999, 'en', 'x', 'x')")
    sql(store, "DELETE FROM concepts WHERE id = ?", (cid,))
    assert sql(store, "SELECT count(*) FROM terms").fetchone()[0] == 0  # cascaded


def test_transaction_is_all_or_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_concept(Concept(terms=[Term("en", "half")]))
        raise RuntimeError("crash in the middle of an action")
    assert sql(store, "SELECT count(*) FROM concepts").fetchone()[0] == 0
    assert sql(store, "SELECT count(*) FROM terms").fetchone()[0] == 0
    assert not store.conn.in_transaction


def test_review_log_is_append_only(store):
    with store.transaction():
        store.log_action(1, "ana", "approve", {"status": "unreviewed"}, {"status": "approved"})
    with pytest.raises((sqlite3.DatabaseError, StoreError), match="append-only"):
        sql(store, "UPDATE review_log SET reviewer = 'mallory'")
    with pytest.raises((sqlite3.DatabaseError, StoreError), match="append-only"):
        sql(store, "DELETE FROM review_log")
    assert [tuple(r) for r in sql(store, "SELECT reviewer FROM review_log")] == [("ana",)]


def test_optimistic_versioning_between_two_reviewers(backend, termbase):
    ana, bo = backend.open(termbase), backend.open(termbase)
    with ana.transaction():
        cid = ana.insert_concept(Concept(terms=[Term("en", "e-ID")]))
    seen_by_ana = ana.load_concept(cid).version
    seen_by_bo = bo.load_concept(cid).version
    with bo.transaction():
        assert bo.bump_version(cid, seen_by_bo, "bo") == seen_by_ana + 1
    stale = f"concept {cid} was changed by bo \\(version 2, you saw 1\\)"
    with pytest.raises(ConflictError, match=stale), ana.transaction():
        ana.bump_version(cid, seen_by_ana, "ana")
    assert ana.load_concept(cid).updated_by == "bo"
    with ana.transaction():
        ana.delete_concept(cid)
    with pytest.raises(ConflictError, match="no longer exists"):
        bo.bump_version(cid, 2, "bo")
    close(ana)
    close(bo)


@pytest.mark.sqlite_only
def test_integrity_check_sees_a_dangling_term(tmp_path):
    store = open_store(tmp_path / "s.db")
    assert integrity_ok(store)
    store.execute("PRAGMA foreign_keys = OFF")
    store.execute("INSERT INTO terms (concept_id, lang, text, key) VALUES (42, 'en', 'orphan', 'orphan')")
    assert not integrity_ok(store)


def test_concurrent_writers_serialize_without_losing_writes(backend, termbase):
    errors: list[BaseException] = []

    def write(name: str) -> None:
        store = backend.open(termbase)
        try:
            for i in range(25):
                with store.transaction():
                    store.insert_concept(Concept(terms=[Term("en", f"{name} {i}")]))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close(store)

    threads = [threading.Thread(target=write, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = backend.open(termbase)
    assert sql(store, "SELECT count(*) FROM concepts").fetchone()[0] == 75
    assert len({c.id for c in store.iter_concepts()}) == 75
    close(store)


def test_messages_never_show_a_database_password():
    from termalign.store.db import safe_location

    assert safe_location("postgresql://ana:s3cret@db.example/termbase") == "postgresql://ana:***@db.example/termbase"
    assert safe_location("postgresql://ana@db.example/termbase") == "postgresql://ana@db.example/termbase"
    assert safe_location("out/termalign.db") == "out/termalign.db"
