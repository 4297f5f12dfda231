"""Opening, checking and migrating the SQLite termbase store."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from termalign.errors import StoreError
from termalign.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "termalign.db"
DEFAULT_TIMEOUT = 10.0
#: SQLite's page cache per connection, in KiB. The default (2 MiB) holds too few index pages
#: for a large import: inserting 100 000 concepts' terms into the (lang, key) index then
#: reads pages back from disk for most rows (64 MiB: the terms inserts of that import take a
#: third less CPU). Pages are cached only as they are read, so small stores use less.
CACHE_KIB = 65536


def safe_location(db: str | os.PathLike[str]) -> str:
    """Where the termbase is, for messages: a file path as given, a database URL without its
    password (``postgresql://ana:***@host/db``), so that no secret reaches a terminal or a log."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", str(db))


def now() -> str:
    """UTC timestamp in ISO 8601 with seconds, as every table stores it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_store(
    path: str | os.PathLike[str] = DEFAULT_DB,
    *,
    create: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    migrate: bool = True,
) -> sqlite3.Connection:
    """Open (and create or migrate) a termbase store.

    Raises :class:`StoreError` when the file is not a termalign store, was written by a newer
    termalign, or stays locked longer than ``timeout`` seconds.
    """
    if isinstance(path, str) and path.startswith(("postgresql://", "postgres://")):
        from termalign.store.postgres import open_postgres  # psycopg is an optional extra

        return open_postgres(path, create=create, migrate=migrate)  # type: ignore[return-value]
    path = Path(path)
    if not path.exists() and not create:
        raise StoreError("no termbase here (run `termalign ingest` or `termalign build` first)", path=str(path))
    if path.is_dir():
        raise StoreError("is a directory, not a termbase file", path=str(path))
    if not create and path.stat().st_size == 0:
        # SQLite would take an empty file as a new database: a command that reads a store must not.
        raise StoreError("not a termalign store (an empty file)", path=str(path))
    if create and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot open the termbase ({exc})", path=str(path)) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"not a termalign store ({exc})", path=str(path)) from None
    if app_id == 0 and version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            conn.close()
            raise StoreError("not a termalign store (an SQLite file of another program)", path=str(path))
    elif app_id != APPLICATION_ID:
        conn.close()
        raise StoreError("not a termalign store (foreign application id)", path=str(path))
    if version > SCHEMA_VERSION:
        conn.close()
        raise StoreError(
            f"store schema version {version} is newer than this termalign ({SCHEMA_VERSION}); upgrade termalign",
            path=str(path),
        )
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if migrate and version < SCHEMA_VERSION:
            _migrate(conn, version)
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(f"store is locked by another process (waited {timeout:g} s)", path=str(path)) from None
        raise StoreError(str(exc), path=str(path)) from None
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _migrate(conn: sqlite3.Connection, current: int, target: int = SCHEMA_VERSION) -> None:
    for version, sql in MIGRATIONS:
        if current < version <= target:
            # executescript commits first; the step itself runs inside one explicit transaction.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA application_id = {APPLICATION_ID};\n"
                f"PRAGMA user_version = {version};\nCOMMIT;"
            )


def migrate_to(conn: sqlite3.Connection, target: int) -> None:
    """Migrate an open store up to ``target`` (tests build every earlier version this way)."""
    _migrate(conn, schema_version(conn), target)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside commits together or not at all."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            path = conn.execute("PRAGMA database_list").fetchone()[2]
            raise StoreError("store is locked by another process; try again when it is done", path=path) from None
        raise
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def integrity_ok(conn: sqlite3.Connection) -> bool:
    """SQLite's integrity check and foreign-key check both pass."""
    ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return ok and not conn.execute("PRAGMA foreign_key_check").fetchall()


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A consistent view for a long read (an export) while others write; inside a caller's
    transaction it simply reads that transaction's state."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if own:
            conn.execute("ROLLBACK")
