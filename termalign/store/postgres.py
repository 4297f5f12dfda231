"""The PostgreSQL store: :class:`TermStore` for a team (``--db postgresql://user@host/dbname``).

The store modules (:mod:`~termalign.store.corpus`, :mod:`~termalign.store.candidates`,
:mod:`~termalign.store.concepts`, :mod:`~termalign.store.review_sql`, :mod:`~termalign.store.stats`)
write their statements once, in the SQL both engines share. :class:`PgConnection` runs them on
PostgreSQL through psycopg 3 and its pool, translating the few SQLite spellings
(:func:`to_postgres`: ``?`` parameters, ``INSERT OR IGNORE``, ``group_concat``, scalar
``max(a, b)``, ``WHERE 1``, ``lastrowid``) and sending plain multi-row inserts as ``COPY``.
:class:`PostgresStore` is :class:`~termalign.store.sqlite.SQLiteStore`'s methods over that
connection, with what differs: transactions, the schema (:mod:`termalign.store.postgres_schema`),
who is recorded in the review log, and live updates (:class:`PgChangeWatch`: ``LISTEN/NOTIFY``).

Guarantees, as on SQLite: one transaction per document, per import, per review action or
alignment run; optimistic versions (``UPDATE … WHERE version = ?`` re-checked by PostgreSQL
under concurrent writers); concept numbers never reused (``meta.concept_id_high``, kept by a
trigger); an append-only review log (a trigger refuses ``UPDATE``, ``DELETE`` and
``TRUNCATE``). Roles made by :func:`grant_reviewer` may read and review but not alter the log,
the schema or other roles, and the log records their role (``current_user``), whatever name
the client gives.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from typing import Any, cast

from termalign.errors import StoreError
from termalign.store.changes import PG_LOG_LOOKBACK, LogFollower, StoreChanges
from termalign.store.db import safe_location
from termalign.store.postgres_schema import MIGRATIONS
from termalign.store.review_sql import LogEntry
from termalign.store.schema import SCHEMA_VERSION
from termalign.store.settings import TeamSetting
from termalign.store.sqlite import SQLiteStore

URL_PREFIXES = ("postgresql://", "postgres://")
#: Connections one process keeps open to the server (a review app needs one; a web worker a few).
POOL_MAX = 4
#: Tables without an ``id`` column: their inserts return no ``lastrowid``.
NO_ID_TABLES = frozenset({"meta", "reviewer_state", "team_settings", "termalign_schema"})
#: The group role of reviewers (see :func:`grant_reviewer`).
REVIEWER_GROUP = "termalign_reviewer"
#: Tables a reviewer writes when reviewing (the review log only by INSERT).
REVIEW_TABLES = ("concepts", "terms", "term_contexts", "evidence", "notes", "mt_suggestions", "reviewer_state", "meta")


def is_postgres_url(db: object) -> bool:
    return isinstance(db, str) and db.startswith(URL_PREFIXES)


def _scalar_minmax(sql: str) -> str:
    """SQLite's two-argument ``max(a, b)``/``min(a, b)`` as PostgreSQL's ``greatest``/``least``."""
    out, i = [], 0
    for m in re.finditer(r"\b(max|min)\(", sql, flags=re.IGNORECASE):
        if m.start() < i:
            continue
        depth, j, comma = 1, m.end(), False
        while j < len(sql) and depth:
            c = sql[j]
            depth += c == "("
            depth -= c == ")"
            comma = comma or (c == "," and depth == 1)
            j += 1
        if comma:
            out.append(sql[i : m.start()])
            out.append("greatest(" if m.group(1).lower() == "max" else "least(")
            i = m.end()
    out.append(sql[i:])
    return "".join(out)


_NOT_AN_ALIAS = {"", "WHERE", "ORDER", "GROUP", "LIMIT", "JOIN", "LEFT", "INNER", "UNION", "HAVING", "ON", ")", ","}


def _alias_subqueries(sql: str) -> str:
    """PostgreSQL 15 wants a name for every subquery in FROM; SQLite does not."""
    out, i, n = [], 0, 0
    for m in re.finditer(r"\bFROM\s*\(", sql, flags=re.IGNORECASE):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(sql) and depth:
            depth += (sql[j] == "(") - (sql[j] == ")")
            j += 1
        following = re.match(r"\s*(\w+|\)|,)?", sql[j:])
        word = (following.group(1) or "") if following else ""
        out.append(sql[i:j])
        if word.upper() in _NOT_AN_ALIAS:
            n += 1
            out.append(f" AS _sub{n}")
        i = j
    out.append(sql[i:])
    return "".join(out)


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> tuple[str, bool]:
    """The statement in PostgreSQL's spelling, and whether it returns the new row's id."""
    text = sql.strip()
    if text.upper() == "BEGIN IMMEDIATE":
        return "BEGIN", False
    if text.upper() == "PRAGMA USER_VERSION":  # the schema version, kept in a table here
        return "SELECT version FROM termalign_schema", False
    text = text.replace("%", "%%").replace("?", "%s")
    text = re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", text)  # named parameters
    text = re.sub(r"\bgroup_concat\(", "string_agg(", text, flags=re.IGNORECASE)
    text = re.sub(r"\binstr\(", "strpos(", text, flags=re.IGNORECASE)
    text = _scalar_minmax(text)
    text = _alias_subqueries(text)
    # SQLite's true is 1 (an empty filter is the condition "1").
    text = re.sub(r"\b(WHERE|AND|OR)\s+1\b(?!\s*[=<>!+*/-])", r"\1 TRUE", text, flags=re.IGNORECASE)
    ignore = re.match(r"INSERT\s+OR\s+IGNORE\s+INTO", text, flags=re.IGNORECASE)
    if ignore:
        text = "INSERT INTO" + text[ignore.end() :] + " ON CONFLICT DO NOTHING"
    insert = re.match(r"INSERT\s+INTO\s+(\w+)", text, flags=re.IGNORECASE)
    returning = insert is not None and insert.group(1).lower() not in NO_ID_TABLES and "RETURNING" not in text.upper()
    if returning:
        text += " RETURNING id"
    return text, returning


_COPYABLE = re.compile(r"^INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)$", re.IGNORECASE)


class Row(tuple):
    """A result row read by position or by column name, as :class:`sqlite3.Row` is."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())
    cls = type("Row", (Row,), {"names": names, "__slots__": ()})
    return lambda values: cls(values)


def _params(values: Iterable[Any]) -> tuple[Any, ...]:
    """Parameters as SQLite stores them: a Python bool is the integer 0 or 1 (no boolean columns)."""
    return tuple(int(v) if isinstance(v, bool) else v for v in values)


class PgCursor:
    """What the store modules read from a statement: rows, ``rowcount``, ``lastrowid``."""

    def __init__(
        self, rows: list[Row], rowcount: int, lastrowid: int | None, names: Sequence[str] | None = None
    ) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        # DB-API's description (polars.read_database reads the column names from it).
        self.description = [(n, None, None, None, None, None, None) for n in names] if names is not None else None

    def fetchmany(self, size: int = 1) -> list[Row]:
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def fetchone(self) -> Row | None:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[Row]:
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


class PgConnection:
    """The part of :class:`sqlite3.Connection` the store modules use, on a psycopg pool.

    A statement outside a transaction borrows a pooled connection and commits at once; between
    ``BEGIN`` and ``COMMIT``/``ROLLBACK`` the thread keeps one connection, so the transaction
    is one server transaction. Database errors become :class:`StoreError` (one line) except
    integrity errors, which stay :class:`sqlite3.IntegrityError` as the store modules expect.
    """

    #: Concurrent transactions read the same row unless it is locked (``SELECT … FOR UPDATE``).
    locks_rows = True

    def __init__(self, url: str, *, max_size: int = POOL_MAX) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StoreError("psycopg is not installed (pip install -e '.[postgres]')", path=safe_url(url)) from None

        self.url = url
        self._psycopg = psycopg
        self._local = threading.local()
        #: Server processes of this pool's connections: notifications they send are this store's own writes.
        self.backend_pids: set[int] = set()

        def configure(conn: Any) -> None:
            conn.autocommit = True
            self.backend_pids.add(conn.info.backend_pid)
            conn.row_factory = _row_factory
            # count(*) is bigint, sum/avg of numbers numeric: read numeric as float, as SQLite does.
            from psycopg.types.numeric import FloatLoader

            conn.adapters.register_loader("numeric", FloatLoader)

        try:  # one plain connection first: a wrong password or host fails now, with the server's words
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL ({_first_line(exc)})", path=safe_url(url)) from None
        try:
            self.pool = ConnectionPool(
                url, min_size=1, max_size=max_size, configure=configure, open=True, timeout=10, name="termalign"
            )
            self.pool.wait(timeout=10)
        except Exception as exc:  # psycopg_pool.PoolTimeout and connection errors
            raise StoreError(f"cannot connect to PostgreSQL ({_first_line(exc)})", path=safe_url(url)) from None

    # -- connection of the current transaction ------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return getattr(self._local, "conn", None) is not None

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        held = getattr(self._local, "conn", None)
        if held is not None:
            yield held
        else:
            with self.pool.connection() as conn:
                yield conn

    def _begin(self, sql: str) -> PgCursor:
        if self.in_transaction:
            raise sqlite3.OperationalError("cannot start a transaction within a transaction")
        conn = self.pool.getconn()
        try:
            conn.execute(sql)
        except BaseException:
            self.pool.putconn(conn)
            raise
        self._local.conn = conn
        return PgCursor([], -1, None)

    def _end(self, sql: str) -> PgCursor:
        conn = self._local.conn
        self._local.conn = None
        try:
            conn.execute(sql)
        finally:
            self.pool.putconn(conn)
        return PgCursor([], -1, None)

    # -- statements -------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> PgCursor:
        text, returning = to_postgres(sql)
        word = text.split(None, 1)[0].upper() if text else ""
        if word == "BEGIN" or text.upper().startswith("START TRANSACTION"):
            return self._begin(text)
        if word in ("COMMIT", "ROLLBACK", "END"):
            return self._end(text)
        with self._errors(), self._connection() as conn:
            cur = conn.execute(text, _params(params) if not isinstance(params, dict) else params)
            rows = cur.fetchall() if cur.description is not None else []
            lastrowid = rows[0][0] if returning and rows else None
            names = [d.name for d in cur.description] if cur.description is not None and not returning else None
            return PgCursor([] if returning else rows, cur.rowcount, lastrowid, names)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        copy = _COPYABLE.match(sql.strip())
        with self._errors(), self._connection() as conn:
            if copy:
                columns = ", ".join(c.strip() for c in copy.group(2).split(","))
                count = 0
                with conn.cursor().copy(f"COPY {copy.group(1)} ({columns}) FROM STDIN") as writer:
                    for row in rows:
                        writer.write_row(_params(row))
                        count += 1
                return PgCursor([], count, None)
            text, returning = to_postgres(sql)
            if returning:
                text = text[: -len(" RETURNING id")]
            cur = conn.cursor()
            cur.executemany(text, [_params(r) for r in rows])
            return PgCursor([], cur.rowcount, None)

    def cursor(self) -> _Statements:
        """A cursor as :meth:`sqlite3.Connection.cursor` gives (rows are tuples either way)."""
        return _Statements(self)

    def executescript(self, sql: str) -> None:
        with self._errors(), self._connection() as conn:
            conn.execute(sql)  # no parameters: psycopg sends the text as it is

    @contextmanager
    def _errors(self) -> Iterator[None]:
        psycopg = self._psycopg
        try:
            yield
        except psycopg.errors.IntegrityError as exc:
            raise sqlite3.IntegrityError(_first_line(exc)) from exc
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(f"refused by PostgreSQL: {_first_line(exc)}", path=safe_url(self.url)) from None
        except psycopg.errors.RaiseException as exc:
            raise StoreError(f"refused by PostgreSQL: {_first_line(exc)}", path=safe_url(self.url)) from None

    def close(self) -> None:
        self.pool.close()


class _Statements:
    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn
        self.row_factory: Any = None

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> PgCursor:
        return self.conn.execute(sql, params)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return safe_location(url)


# -- schema -----------------------------------------------------------------------------------
def schema_version(conn: PgConnection) -> int:
    exists = conn.execute("SELECT to_regclass('termalign_schema') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT version FROM termalign_schema").fetchone()
    return int(row[0]) if row else 0


def migrate_to(conn: PgConnection, target: int = SCHEMA_VERSION) -> None:
    """Run the PostgreSQL steps after the store's version up to ``target``, each in one transaction."""
    current = schema_version(conn)
    for version, sql in MIGRATIONS:
        if current < version <= target:
            conn.execute("BEGIN")
            try:
                conn.executescript(sql + f"\nUPDATE termalign_schema SET version = {version};")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


def open_postgres(url: str, *, create: bool = True, migrate: bool = True) -> PostgresStore:
    """Open (and create or migrate) the termbase in a PostgreSQL database."""
    conn = PgConnection(url)
    try:
        version = schema_version(conn)
        if version == 0:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()
            if tables and tables[0]:
                raise StoreError("not a termalign store (a database of another program)", path=safe_url(url))
            if not create:
                raise StoreError("no termbase here (run `termalign ingest` or `termalign build` first)",
                                 path=safe_url(url))
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store schema version {version} is newer than this termalign ({SCHEMA_VERSION}); upgrade termalign",
                path=safe_url(url),
            )
        if migrate and version < SCHEMA_VERSION:
            migrate_to(conn)
    except BaseException:
        conn.close()
        raise
    return PostgresStore(conn)


class PostgresStore(SQLiteStore):
    """The termbase in a PostgreSQL database (see the module docstring)."""

    conn: PgConnection  # type: ignore[assignment]

    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn
        self.path = safe_url(conn.url)

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[PgConnection]:
        self.conn.execute(begin)
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def transaction(self) -> AbstractContextManager[Any]:
        return self._transaction("BEGIN")

    def read_snapshot(self) -> AbstractContextManager[Any]:
        if self.conn.in_transaction:
            return _same(self.conn)
        return self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    # Callers written before the interface hand the store to the store modules' functions,
    # which take a connection: the store answers for its connection.
    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> PgCursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        return self.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def after_bulk_copy(self, tables: Iterable[str]) -> None:
        """Move each id sequence past the ids a copy wrote (the next insert must not collide)."""
        for table in tables:
            if table not in NO_ID_TABLES:
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                self.execute(f"SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM {table}")

    def recorded_reviewer(self, reviewer: str) -> str:
        """The name the log records for ``reviewer`` on this connection: a reviewer role's own
        name whatever the client claims (the schema's ``reviewer_role``), else ``reviewer``."""
        row = self.conn.execute("SELECT reviewer_role(?)", (reviewer,)).fetchone()
        return str(row[0]) if row and row[0] is not None else reviewer

    # Undo, redo and a reviewer's history look the log up by the identity it records.
    def reviewer_actions(self, reviewer: str) -> list[tuple[int, str]]:
        return super().reviewer_actions(self.recorded_reviewer(reviewer))

    def log_entries(self, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
        return super().log_entries(concept_id, None if reviewer is None else self.recorded_reviewer(reviewer))

    def set_team_setting(self, name: str, value: str, set_by: str) -> TeamSetting:
        """Team settings are the admin's: a reviewer role is refused (and could not write them)."""
        if self.recorded_reviewer("") == self.current_role():  # a reviewer role signed in
            raise StoreError("only the store's owner (its admin role) changes team settings, not a reviewer role",
                             path=self.path)
        return super().set_team_setting(name, value, self.current_role())

    def current_role(self) -> str:
        row = self.conn.execute("SELECT current_user").fetchone()
        return str(row[0]) if row else ""

    def watch_changes(self, reviewer: str) -> PgChangeWatch:
        return PgChangeWatch(self, reviewer)

    def close(self) -> None:
        self.conn.close()


@contextmanager
def _same(conn: PgConnection) -> Iterator[PgConnection]:
    yield conn


# -- live updates -----------------------------------------------------------------------------
#: The channel the schema's triggers notify with the ids of the concepts a statement changed
#: (comma-separated; see step 9 of :mod:`termalign.store.postgres_schema`).
CHANGES_CHANNEL = "termalign_changes"


class PgChangeWatch:
    """Live updates on PostgreSQL: a connection of its own ``LISTEN``s on :data:`CHANGES_CHANNEL`.

    A poll reads the notifications the socket already holds (no query, no wait), drops those
    sent by the store's own pooled connections (its own writes), and only when others changed
    concepts reads the review log for who did what. If the listening connection breaks (a
    server restart), notifications were lost: the next poll that connects again reports
    everything as changed.
    """

    def __init__(self, store: PostgresStore, reviewer: str) -> None:
        self.conn = store.conn
        self._listener: Any = self._listen()  # before the log is read: no change falls between
        # the store modules' statements run on PgConnection as they do on sqlite3's connection
        log_conn = cast(sqlite3.Connection, store.conn)
        self._log = LogFollower(log_conn, store.recorded_reviewer(reviewer), lookback=PG_LOG_LOOKBACK)

    def _listen(self) -> Any:
        psycopg = self.conn._psycopg
        try:
            listener = psycopg.connect(self.conn.url, autocommit=True, connect_timeout=10)
            listener.execute(f"LISTEN {CHANGES_CHANNEL}")
        except psycopg.Error as exc:
            raise StoreError(f"cannot listen for changes ({_first_line(exc)})", path=safe_url(self.conn.url)) from None
        return listener

    def poll(self) -> StoreChanges | None:
        if self._listener is None:
            try:
                self._listener = self._listen()
            except StoreError:
                return None  # the server is still away: try again at the next poll
            return self._log.changes(unknown=True)
        notes: list[Any] = []
        try:
            while batch := list(self._listener.notifies(timeout=0)):  # a read holds what one packet did
                notes += batch
        except self.conn._psycopg.Error:
            self._listener.close()
            self._listener = None
            return None
        own = self.conn.backend_pids
        ids = {int(i) for note in notes if note.pid not in own for i in note.payload.split(",") if i}
        if not ids:
            return None
        return self._log.changes(ids)

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None


# -- roles ------------------------------------------------------------------------------------
def grant_reviewer(store: PostgresStore, role: str, password: str | None) -> None:
    """Create (or update) a login role that may read and review, not alter the log, the schema
    or other roles. Run by the store's owner: the role that created and migrated it is its
    admin (migrations, imports, grants); a reviewer role is refused here and by the server."""
    from psycopg import sql

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,62}", role):
        raise StoreError(f"{role!r} is not a plain role name (letters, digits, _ . -)", path="termalign store grant")
    ident, group = sql.Identifier(role), sql.Identifier(REVIEWER_GROUP)
    statements = [
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {g})"
            " THEN CREATE ROLE {gi} NOLOGIN; END IF; END $$"
        ).format(g=sql.Literal(REVIEWER_GROUP), gi=group),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(group),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(group),
        sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in REVIEW_TABLES), group
        ),
        sql.SQL("GRANT INSERT ON review_log TO {}").format(group),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(group),
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {r})"
            " THEN CREATE ROLE {ri} LOGIN; END IF; END $$"
        ).format(r=sql.Literal(role), ri=ident),
        sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD {}").format(
            ident, sql.Literal(password) if password is not None else sql.NULL
        ),
        sql.SQL("GRANT {} TO {}").format(group, ident),
    ]
    if store.recorded_reviewer("") == store.current_role():  # a reviewer role signed in
        raise StoreError("only the store's owner (its admin role) grants roles, not a reviewer role",
                         path=store.path)
    with store.conn._errors(), store.conn.pool.connection() as conn, conn.transaction():
        for statement in statements:
            conn.execute(statement)
