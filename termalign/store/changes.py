"""Live updates: what other connections changed in the termbase, found cheaply.

A :class:`~termalign.store.interface.ChangeWatch` is polled by a live view (the review TUI,
twice a second). Each poll first asks the backend whether anyone else committed — SQLite's
``PRAGMA data_version`` on the view's own connection (it changes only for other connections'
commits, in this process or another), PostgreSQL's ``LISTEN`` channel (read from the socket,
no query) — and only then reads the review log for who changed what.

The review log says who did what: :class:`LogFollower` keeps the newest log id it has read and
returns the entries after it by other reviewers. A log id is handed out when a transaction
writes its entry, not when it commits; on SQLite writers take turns (``BEGIN IMMEDIATE``), so
ids commit in order, but two PostgreSQL transactions may commit out of order, so there the
follower looks back over the last :data:`PG_LOG_LOOKBACK` ids and skips those it reported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from termalign.store.review_sql import LogEntry, log_entries_by_id


@dataclass(frozen=True)
class StoreChanges:
    """What other connections changed since a watch last looked."""

    #: review-log entries by other reviewers, oldest first
    entries: tuple[LogEntry, ...] = ()
    #: every concept to read again: those the entries touched, and those the backend was told
    #: of otherwise (PostgreSQL's notifications name concepts changed outside the log too)
    concept_ids: frozenset[int] = field(default_factory=frozenset)
    #: concepts were changed outside the review log (a rebuild, an import) and the backend cannot
    #: say which: read everything again
    unknown: bool = False


def touched_concepts(entry: LogEntry) -> set[int]:
    """Every concept a log entry changed: its own, and those in its before and after states
    (both sides of a merge or split, every concept of a bulk action)."""
    ids = {entry.concept_id} if entry.concept_id is not None else set()
    for side in (entry.before, entry.after):
        if side is not None:
            ids |= side.states().keys()
    return ids


# -- the statements ------------------------------------------------------------------------
def last_log_id(conn: sqlite3.Connection) -> int:
    """The newest review-log id (0 for an empty log)."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM review_log").fetchone()[0])


def log_ids_after(conn: sqlite3.Connection, after_id: int, reviewer: str) -> list[tuple[int, bool]]:
    """(id, whether someone other than ``reviewer`` wrote it) of the log entries after
    ``after_id``, oldest first: ids only, so that a poll reads no snapshot it will not show."""
    rows = conn.execute(
        "SELECT id, CASE WHEN reviewer = ? THEN 0 ELSE 1 END FROM review_log WHERE id > ? ORDER BY id",
        (reviewer, after_id),
    )
    return [(int(r[0]), bool(r[1])) for r in rows]


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's counter of other connections' commits, as this connection sees it."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def concept_id_high(conn: sqlite3.Connection) -> int:
    """The highest concept number ever handed out (moves when any concept is inserted)."""
    row = conn.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'concept_id_high'").fetchone()
    return int(row[0]) if row else 0


# -- following the log -----------------------------------------------------------------------
#: Log ids a PostgreSQL follower reads again on every poll: transactions holding an id that
#: commit after a newer one. A review action commits within milliseconds of taking its id,
#: while at most a few other reviewers take ids; a hundred covers that many times over.
PG_LOG_LOOKBACK = 100


class LogFollower:
    """The review-log entries by other reviewers since the last call (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, reviewer: str, *, lookback: int = 0) -> None:
        self.conn = conn
        self.reviewer = reviewer
        self.lookback = lookback
        self.seen = last_log_id(conn)
        self._reported: set[int] = set()  # ids read within the look-back window

    def new_entries(self) -> list[LogEntry]:
        rows = log_ids_after(self.conn, self.seen - self.lookback, self.reviewer)
        fresh = [(log_id, other) for log_id, other in rows if log_id > self.seen or log_id not in self._reported]
        if rows:
            self.seen = max(self.seen, rows[-1][0])
        floor = self.seen - self.lookback
        self._reported = {i for i in self._reported if i > floor} | {i for i, _ in fresh if i > floor}
        return log_entries_by_id(self.conn, [log_id for log_id, other in fresh if other])

    def changes(self, concept_ids: Iterable[int] = (), *, unknown: bool = False) -> StoreChanges:
        entries = self.new_entries()
        touched = set(concept_ids)
        for entry in entries:
            touched |= touched_concepts(entry)
        return StoreChanges(tuple(entries), frozenset(touched), unknown)


class SQLiteChangeWatch:
    """Live updates on SQLite: ``PRAGMA data_version`` on the view's connection, then the log.

    Concepts changed outside the review log (a rebuild or an import by another process) are
    seen by the highest concept number moving; which ones is unknown, so everything is read again.
    """

    def __init__(self, conn: sqlite3.Connection, reviewer: str) -> None:
        self.conn = conn
        self._version = data_version(conn)
        self._id_high = concept_id_high(conn)
        self._log = LogFollower(conn, reviewer)

    def poll(self) -> StoreChanges | None:
        version = data_version(self.conn)
        if version == self._version:
            return None
        self._version = version
        id_high = concept_id_high(self.conn)
        rebuilt, self._id_high = id_high != self._id_high, id_high
        changes = self._log.changes(unknown=rebuilt)
        return changes if changes.entries or changes.unknown else None

    def close(self) -> None:
        """Nothing to release: the watch reads on the view's own connection."""
