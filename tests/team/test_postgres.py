"""The PostgreSQL store beside SQLite: the same schema, guarantees, build and exports; roles."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from termalign.cli import main
from termalign.errors import ConflictError, StoreError
from termalign.review import actions
from termalign.store import SCHEMA_VERSION, as_store, open_store
from termalign.store.concepts import Concept, Term
from termalign.store.postgres import PgConnection, PostgresStore, migrate_to, schema_version
from termalign.store.postgres_schema import MIGRATIONS as PG_MIGRATIONS
from termalign.store.schema import MIGRATIONS


def with_user(url: str, user: str, password: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    p = conninfo_to_dict(url)
    return f"postgresql://{user}:{password}@{p['host']}:{p['port']}/{p['dbname']}"


@pytest.fixture(params=["sqlite", "postgres"])
def termbase(request, tmp_path):
    """The URL or path of a new termbase on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return request.getfixturevalue("postgres_db")


def two_concepts(db: str) -> list[int]:
    store = as_store(open_store(db))
    with store.transaction():
        ids = [
            store.insert_concept(Concept([Term("en", en, "preferred"), Term("vi", vi, "preferred")], score=s))
            for en, vi, s in (("digital economy", "kinh tế số", 0.9), ("e-government", "chính phủ điện tử", 0.8))
        ]
    store.conn.close() if isinstance(store.conn, sqlite3.Connection) else store.close()  # type: ignore[union-attr]
    return ids


def close(store) -> None:
    (store.conn if hasattr(store, "conn") and isinstance(store.conn, sqlite3.Connection) else store).close()


def test_every_sqlite_schema_step_has_its_postgresql_twin():
    assert [v for v, _ in PG_MIGRATIONS] == [v for v, _ in MIGRATIONS]


def test_migrates_from_every_earlier_version_to_the_sqlite_columns(postgres_db, tmp_path):
    sqlite_conn = open_store(tmp_path / "ref.db")
    reference = {
        t: [r[1] for r in sqlite_conn.execute(f"PRAGMA table_info({t})")]
        for (t,) in sqlite_conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    sqlite_conn.close()
    for start in range(SCHEMA_VERSION):
        with psycopg.connect(postgres_db, autocommit=True) as admin:
            admin.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn = PgConnection(postgres_db)
        migrate_to(conn, start)
        assert schema_version(conn) == start
        conn.close()
        store = open_store(postgres_db)
        assert store.execute("SELECT version FROM termalign_schema").fetchone()[0] == SCHEMA_VERSION
        columns = {}
        for table, column in store.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " ORDER BY table_name, ordinal_position"
        ):
            columns.setdefault(table, []).append(column)
        close(store)
        columns.pop("termalign_schema")
        assert columns == reference, f"from version {start}"


def test_a_newer_store_is_refused(postgres_db):
    close(open_store(postgres_db))
    with psycopg.connect(postgres_db, autocommit=True) as admin:
        admin.execute("UPDATE termalign_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer than this termalign"):
        open_store(postgres_db)


def test_a_foreign_database_is_refused(postgres_db):
    with psycopg.connect(postgres_db, autocommit=True) as admin:
        admin.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="another program"):
        open_store(postgres_db)


def test_a_transaction_is_all_or_nothing(termbase):
    store = as_store(open_store(termbase))
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_concept(Concept([Term("en", "open data", "preferred")]))
        raise RuntimeError("crash in the middle")
    assert list(store.iter_concepts()) == []
    close(store)


def test_the_review_log_is_append_only(termbase):
    cid = two_concepts(termbase)[0]
    store = as_store(open_store(termbase))
    concept = store.load_concept(cid)
    actions.approve(store, cid, version=concept.version, reviewer="sokha")
    for statement in ("UPDATE review_log SET reviewer = 'mallory'", "DELETE FROM review_log"):
        with pytest.raises((StoreError, sqlite3.IntegrityError), match="append-only"):
            store.execute(statement) if hasattr(store, "execute") else store.conn.execute(statement)
    assert [(e.reviewer, e.action) for e in store.log_entries()] == [("sokha", "approve")]
    close(store)


def test_a_stale_write_is_refused_between_two_reviewers(termbase):
    cid = two_concepts(termbase)[0]
    a, b = as_store(open_store(termbase)), as_store(open_store(termbase))
    seen_a, seen_b = a.load_concept(cid), b.load_concept(cid)
    actions.approve(a, cid, version=seen_a.version, reviewer="sokha")
    with pytest.raises(ConflictError, match="changed by sokha"):
        actions.reject(b, cid, version=seen_b.version, reviewer="dara")
    assert b.load_concept(cid).status == "approved"
    close(a)
    close(b)


def test_concept_numbers_are_never_reused(termbase):
    ids = two_concepts(termbase)
    store = as_store(open_store(termbase))
    with store.transaction():
        store.delete_concept(ids[-1])
    with store.transaction():
        new = store.insert_concept(Concept([Term("en", "open data", "preferred")]))
    assert new > max(ids)
    close(store)


def test_build_on_postgresql_gives_the_concepts_and_exports_of_sqlite(seeds_dir, postgres_db, tmp_path):
    outputs = {}
    for name, db in (("sqlite", str(tmp_path / "seeds.db")), ("postgres", postgres_db)):
        assert main(["build", str(seeds_dir), "--db", db, "-o", str(tmp_path / name)]) == 0
        store = as_store(open_store(db, create=False))
        outputs[name] = [
            (
                c.id,
                c.status,
                round(c.score, 9),
                c.origin,
                sorted((t.lang, t.text, t.status) for t in c.terms),
                sorted((e.signal, round(e.score, 9)) for e in c.evidence),
            )
            for c in store.iter_concepts()
        ]
        close(store)
    assert len(outputs["sqlite"]) > 100
    assert outputs["postgres"] == outputs["sqlite"]
    for export in ("termbase.tsv", "termbase.tbx"):
        assert (tmp_path / "postgres" / export).read_bytes() == (tmp_path / "sqlite" / export).read_bytes()


def test_store_copy_round_trips_sqlite_postgresql_sqlite(seeds_dir, postgres_db, tmp_path):
    first, back = tmp_path / "first.db", tmp_path / "back.db"
    assert main(["build", str(seeds_dir), "--db", str(first), "-o", str(tmp_path / "out1")]) == 0
    store = as_store(open_store(first))
    top = store.best_unreviewed_ids(2)
    actions.approve(store, top[0], version=store.load_concept(top[0]).version, reviewer="sokha")
    actions.add_note(
        store, top[1], "check with the ministry", version=store.load_concept(top[1]).version, reviewer="dara"
    )
    store.set_team_setting("rejections-needed", "2", "sokha")  # team settings travel too
    close(store)
    assert main(["store", "copy", str(first), postgres_db]) == 0
    assert main(["store", "copy", postgres_db, str(back)]) == 0
    a, b = sqlite3.connect(first), sqlite3.connect(back)
    for (table,) in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        assert (
            a.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            == b.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        ), table
    a.close()
    b.close()
    for db, out in ((first, "e1.tsv"), (postgres_db, "e2.tsv"), (back, "e3.tsv")):
        assert main(["export", "--db", str(db), "--include-unreviewed", "-o", str(tmp_path / out)]) == 0
    assert (
        (tmp_path / "e1.tsv").read_bytes() == (tmp_path / "e2.tsv").read_bytes() == (tmp_path / "e3.tsv").read_bytes()
    )
    # Ids keep counting after the copy: a new concept takes a number never used.
    pg = open_store(postgres_db)
    with pg.transaction():
        assert pg.insert_concept(Concept([Term("en", "open data", "preferred")])) > max(top)
    close(pg)


def test_reviewer_roles_are_logged_by_the_database_and_cannot_rewrite_it(postgres_db):
    ids = two_concepts(postgres_db)
    for role in ("sokha", "dara"):
        assert main(["store", "grant", role, "--db", postgres_db, "--password", f"pw-{role}"]) == 0
    for role, cid in (("sokha", ids[0]), ("dara", ids[1])):
        store = open_store(with_user(postgres_db, role, f"pw-{role}"))
        assert isinstance(store, PostgresStore) and store.current_role() == role
        # The client claims another name; the database records the role that decided.
        actions.approve(store, cid, version=store.load_concept(cid).version, reviewer="somebody else")
        store.close()
    admin = open_store(postgres_db)
    assert [(e.concept_id, e.reviewer) for e in admin.log_entries()] == [(ids[0], "sokha"), (ids[1], "dara")]
    assert admin.load_concept(ids[0]).updated_by == "sokha"
    admin.close()
    reviewer = psycopg.connect(with_user(postgres_db, "sokha", "pw-sokha"), autocommit=True)
    for statement in (
        "UPDATE review_log SET reviewer = 'dara'",
        "DELETE FROM review_log",
        "DROP TABLE concepts",
        "ALTER TABLE concepts ADD COLUMN x integer",
        "CREATE TABLE mine (id integer)",
        "DROP ROLE dara",
        "ALTER ROLE dara PASSWORD 'x'",
    ):
        with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException)):
            reviewer.execute(statement)
    reviewer.close()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(with_user(postgres_db, "sokha", "wrong-password")).close()


def test_a_reviewer_role_cannot_migrate_the_schema(postgres_db):
    conn = PgConnection(postgres_db)
    migrate_to(conn, SCHEMA_VERSION - 1)
    conn.close()
    from termalign.store.postgres import grant_reviewer

    admin = open_store(postgres_db, migrate=False)
    grant_reviewer(admin, "sokha", "pw")
    admin.close()
    with pytest.raises(StoreError, match="refused by PostgreSQL|permission denied|must be owner"):
        open_store(with_user(postgres_db, "sokha", "pw"))
    check = PgConnection(postgres_db)
    assert schema_version(check) == SCHEMA_VERSION - 1
    check.close()


def test_undo_on_postgresql_finds_the_decisions_of_the_signed_in_role(postgres_db):
    """The log records the role, not the claimed --reviewer name: undo must look up the same identity."""
    from termalign.review import undo

    ids = two_concepts(postgres_db)
    for role in ("sokha", "dara"):
        assert main(["store", "grant", role, "--db", postgres_db, "--password", f"pw-{role}"]) == 0
    stores = {role: open_store(with_user(postgres_db, role, f"pw-{role}")) for role in ("sokha", "dara")}
    for (role, store), cid in zip(stores.items(), ids, strict=True):
        actions.approve(store, cid, version=store.load_concept(cid).version, reviewer="same claimed name")
    # Both claimed one name; each role's undo takes back its own decision only.
    assert undo(stores["sokha"], reviewer="same claimed name") is not None
    assert [stores["dara"].load_concept(c).status for c in ids] == ["unreviewed", "approved"]
    assert [e.action for e in stores["dara"].log_entries(reviewer="anything")] == ["approve"]
    assert undo(stores["sokha"], reviewer="same claimed name") is None  # nothing of sokha's left to undo
    for store in stores.values():
        store.close()


def test_only_the_owner_grants_roles_a_reviewer_role_is_refused(postgres_db):
    """The store's owner is its admin (it migrates and grants); a reviewer role cannot grant."""
    two_concepts(postgres_db)
    assert main(["store", "grant", "sokha", "--db", postgres_db, "--password", "pw-sokha"]) == 0
    assert main(["store", "grant", "eve", "--db", with_user(postgres_db, "sokha", "pw-sokha"),
                 "--password", "pw-eve"]) != 0
    with psycopg.connect(postgres_db, autocommit=True) as admin:
        assert admin.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'eve'").fetchone()[0] == 0


def test_team_settings_are_the_admins_reviewer_roles_read_them(postgres_db, capsys):
    """A role granted before the settings table existed reads it after the migration; only the
    admin role changes a setting, and the setting records the role that set it."""
    conn = PgConnection(postgres_db)
    migrate_to(conn, SCHEMA_VERSION - 1)
    conn.close()
    assert main(["store", "grant", "sokha", "--db", postgres_db, "--password", "pw-sokha"]) == 0
    open_store(postgres_db).close()  # the admin migrates to the table of team settings
    sokha = with_user(postgres_db, "sokha", "pw-sokha")
    assert main(["store", "settings", "rejections-needed", "2", "--db", sokha]) == 3
    assert "only the store's owner" in capsys.readouterr().err
    assert main(["store", "settings", "rejections-needed", "2", "--db", postgres_db]) == 0
    capsys.readouterr()
    assert main(["store", "settings", "--db", sokha, "--json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)["rejections-needed"]
    assert shown["value"] == "2" and shown["set_by"] == conninfo_user(postgres_db)
    reviewer = psycopg.connect(sokha, autocommit=True)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        reviewer.execute("UPDATE team_settings SET value = '1'")
    reviewer.close()


def conninfo_user(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_user").fetchone()
    assert row is not None
    return str(row[0])
