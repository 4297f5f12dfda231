"""The SQL behind review: listing queries, MT suggestions, review actions, the log and undo.

:mod:`termalign.review` holds the review logic (the filter language, the paging list, the
actions' checks, undo/redo); every statement it needs is a function here, so a second store
backend implements review by implementing this module's operations. None of these functions
opens a transaction: the review action that calls them does, so an action is stored whole.

The review log stores each side of an action as JSON: one concept's snapshot
(:meth:`ConceptSnapshot.to_json`) for an action on one concept, or ``{"concepts": [snapshot,
...], "absent": [id, ...]}`` for an action on several (:class:`LogState`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from termalign import lang as languages
from termalign.store.concepts import Concept, Context, Evidence, Note, Term
from termalign.store.db import now

#: Rows fetched per query when reading many ids (below SQLite's bound-parameter limit).
ID_CHUNK = 500


# -- typed snapshots for the review log -----------------------------------------------------


@dataclass(frozen=True)
class SuggestionState:
    """One stored MT suggestion of a concept, as a snapshot keeps it (ids included)."""

    id: int
    src_lang: str
    tgt_lang: str
    source_text: str
    text: str
    score: float | None
    model: str


@dataclass(frozen=True)
class ConceptSnapshot:
    """A whole concept at one moment (terms with their ids, contexts, evidence, notes, MT
    suggestions): what undo writes back."""

    concept: Concept
    mt_suggestions: tuple[SuggestionState, ...] = ()

    @property
    def id(self) -> int:
        assert self.concept.id is not None
        return self.concept.id

    @property
    def version(self) -> int:
        return self.concept.version

    def to_json(self) -> dict[str, Any]:
        data = self.concept.snapshot()
        data["mt_suggestions"] = [asdict(m) for m in self.mt_suggestions]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConceptSnapshot:
        concept = Concept(
            terms=[
                Term(t["lang"], t["text"], t["status"], t["pos"], t["source"], [Context(**c) for c in t["contexts"]],
                     id=t["id"])
                for t in data["terms"]
            ],
            status=data["status"], score=data["score"], origin=data["origin"], subject_field=data["subject_field"],
            evidence=[Evidence(**e) for e in data["evidence"]],
            notes=[Note(**n) for n in data["notes"]],
            id=data["id"], version=data["version"],
            updated_at=data.get("updated_at"), updated_by=data.get("updated_by"),
        )
        return cls(concept, tuple(SuggestionState(**m) for m in data.get("mt_suggestions", [])))


@dataclass(frozen=True)
class LogState:
    """One side (before or after) of a review-log entry: the concepts as they were, and the
    ids of concepts that did not exist then (a merge's source after it, a split's new concept
    before it). ``single`` states are logged as the bare snapshot of their one concept."""

    concepts: tuple[ConceptSnapshot, ...] = ()
    absent: tuple[int, ...] = ()
    single: bool = False

    @classmethod
    def of(cls, snapshot: ConceptSnapshot) -> LogState:
        return cls((snapshot,), single=True)

    def states(self) -> dict[int, ConceptSnapshot | None]:
        """{concept id: snapshot, or ``None`` where the concept does not exist}."""
        out: dict[int, ConceptSnapshot | None] = {s.id: s for s in self.concepts}
        out.update({cid: None for cid in self.absent})
        return out

    def to_json(self) -> dict[str, Any]:
        if self.single:
            return self.concepts[0].to_json()
        return {"concepts": [s.to_json() for s in self.concepts], "absent": list(self.absent)}

    @classmethod
    def from_json(cls, payload: dict[str, Any] | None) -> LogState | None:
        if payload is None:
            return None
        if "concepts" in payload:
            return cls(
                tuple(ConceptSnapshot.from_json(c) for c in payload["concepts"]), tuple(payload.get("absent", []))
            )
        return cls.of(ConceptSnapshot.from_json(payload))


def snapshot(conn: sqlite3.Connection, concept: Concept) -> ConceptSnapshot:
    """``concept`` with its stored MT suggestions."""
    rows = conn.execute(
        "SELECT id, src_lang, tgt_lang, source_text, text, score, model FROM mt_suggestions"
        " WHERE concept_id = ? ORDER BY id",
        (concept.id,),
    )
    return ConceptSnapshot(concept, tuple(SuggestionState(*r) for r in rows))


# -- the proposals listing ------------------------------------------------------------------


class ConceptFilter(Protocol):
    """The fields of :class:`termalign.review.Filters` a listing query reads."""

    @property
    def status(self) -> str | None: ...
    @property
    def missing(self) -> str | None: ...
    @property
    def score_min(self) -> float | None: ...
    @property
    def score_max(self) -> float | None: ...
    @property
    def origin(self) -> str | None: ...
    @property
    def search(self) -> str: ...
    def search_keys(self) -> tuple[tuple[str, str, bool], ...]: ...


def _loose_key(lang: str, key: str) -> str:
    return languages.get(lang).loose_key(key) or key


def _loose_term_ids(conn: sqlite3.Connection, lang: str, needle: str) -> list[int]:
    """Ids of the terms of ``lang`` whose loose key holds ``needle``, folded in Python (the same
    folding on SQLite and PostgreSQL: no SQL function to register)."""
    rows = conn.execute("SELECT id, key FROM terms WHERE lang = ?", (lang,)).fetchall()
    return [int(r[0]) for r in rows if needle.lower() in _loose_key(lang, r[1] or "").lower()]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_condition(filters: ConceptFilter, conn: sqlite3.Connection | None = None) -> tuple[str, list[object]]:
    """SQL condition on ``concepts c`` and its parameters (``conn`` folds loose search keys)."""
    clauses: list[str] = ["1"]
    params: list[object] = []
    if filters.status:
        clauses.append("c.status = ?")
        params.append(filters.status)
    if filters.missing:
        clauses.append("NOT EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id AND t.lang = ?)")
        params.append(filters.missing)
    if filters.score_min is not None:
        clauses.append("c.score >= ?")
        params.append(filters.score_min)
    if filters.score_max is not None:
        clauses.append("c.score <= ?")
        params.append(filters.score_max)
    if filters.origin:
        clauses.append("c.origin = ?")
        params.append(filters.origin)
    if filters.search.strip():
        # the text as typed, and per language its matching key (or, typed without the marks
        # a language folds, its loose key)
        matches = ["t.text LIKE ? ESCAPE '\\'"]
        params.append(f"%{_escape_like(filters.search.strip())}%")
        for lang, needle, loose in filters.search_keys():
            if loose and conn is not None:
                ids = _loose_term_ids(conn, lang, needle)
                matches.append(f"t.id IN ({','.join(str(i) for i in ids)})" if ids else "0 = 1")
                continue
            matches.append("(t.lang = ? AND t.key LIKE ? ESCAPE '\\')")
            params += [lang, f"%{_escape_like(needle)}%"]
        clauses.append(f"c.id IN (SELECT t.concept_id FROM terms t WHERE {' OR '.join(matches)})")
    return " AND ".join(clauses), params


@dataclass(frozen=True)
class ProposalRow:
    """One line of the proposals table: a concept's preferred term per language."""

    id: int
    score: float
    status: str
    version: int
    origin: str
    terms: dict[str, str]  # lang -> preferred term text
    signals: tuple[str, ...]


_PREFERRED_SQL = ",".join(
    f"(SELECT t.text FROM terms t WHERE t.concept_id = c.id AND t.lang = '{code}'"
    f" ORDER BY t.status != 'preferred', t.id LIMIT 1) AS {code}"
    for code in languages.CODES
)
_ROWS_SQL = (
    "SELECT c.id, c.score, c.status, c.version, c.origin, " + _PREFERRED_SQL + ","
    " (SELECT group_concat(signal, ' ') FROM (SELECT DISTINCT e.signal FROM evidence e"
    "  WHERE e.concept_id = c.id ORDER BY e.signal)) AS signals"
    " FROM concepts c WHERE c.id IN ({ids})"
)


def fetch_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, ProposalRow]:
    """Table rows for the given concept ids (missing ids are simply absent)."""
    out: dict[int, ProposalRow] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = list(ids[start : start + ID_CHUNK])
        for r in conn.execute(_ROWS_SQL.format(ids=",".join("?" * len(chunk))), chunk):
            out[r["id"]] = ProposalRow(
                id=r["id"], score=r["score"], status=r["status"], version=r["version"], origin=r["origin"],
                terms={code: r[code] for code in languages.CODES if r[code] is not None},
                signals=tuple((r["signals"] or "").split()),
            )
    return out


def proposal_scores(conn: sqlite3.Connection, filters: ConceptFilter) -> list[tuple[int, float]]:
    """(id, score) of the concepts that pass ``filters``, best score first (ties by id)."""
    where, params = filter_condition(filters, conn)
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: 100 000 of them
    sql = f"SELECT c.id, c.score FROM concepts c WHERE {where} ORDER BY c.score DESC, c.id"
    return cursor.execute(sql, params).fetchall()  # the tuples as they come: no copy of 100 000


def _listing_order(step: int) -> tuple[str, str]:
    """ORDER BY for the listing read forwards (``step > 0``: best score first, ties by id) or
    backwards, and the keyset condition "after (score, id)" in that direction. A plain range on
    score (no OR) lets SQLite walk the (score, id) index and sort only the ties."""
    if step > 0:
        return "c.score DESC, c.id", "c.score <= ? AND NOT (c.score = ? AND c.id <= ?)"
    return "c.score ASC, c.id DESC", "c.score >= ? AND NOT (c.score = ? AND c.id >= ?)"


def proposal_count(conn: sqlite3.Connection, filters: ConceptFilter) -> int:
    """How many concepts pass ``filters``."""
    where, params = filter_condition(filters, conn)
    return int(conn.execute(f"SELECT count(*) FROM concepts c WHERE {where}", params).fetchone()[0])


def proposal_page(
    conn: sqlite3.Connection, filters: ConceptFilter, limit: int, *, offset: int = 0,
    after: tuple[float, int] | None = None, step: int = 1,
) -> list[tuple[int, float]]:
    """(id, score) of up to ``limit`` concepts passing ``filters``, in listing order
    (``step > 0``) or backwards, skipping ``offset``, from the start of that order or after
    the concept at (score, id) ``after``: a page of the listing, read from a known row."""
    where, params = filter_condition(filters, conn)
    order, keyset = _listing_order(step)
    if after is not None:
        where += f" AND {keyset}"
        params = [*params, after[0], after[0], after[1]]
    cursor = conn.cursor()
    cursor.row_factory = None
    sql = f"SELECT c.id, c.score FROM concepts c WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
    return [(int(r[0]), float(r[1])) for r in cursor.execute(sql, [*params, limit, offset]).fetchall()]


def proposal_position(conn: sqlite3.Connection, filters: ConceptFilter, score: float, concept_id: int) -> int:
    """How many concepts passing ``filters`` sort before the one at (``score``, ``concept_id``):
    its index in the listing (or where it would stand)."""
    where, params = filter_condition(filters, conn)
    _, before = _listing_order(-1)
    sql = f"SELECT count(*) FROM concepts c WHERE {where} AND {before}"
    return int(conn.execute(sql, [*params, score, score, concept_id]).fetchone()[0])


def matches(conn: sqlite3.Connection, concept_id: int, filters: ConceptFilter) -> bool:
    """Whether a concept passes ``filters``."""
    where, params = filter_condition(filters, conn)
    sql = f"SELECT 1 FROM concepts c WHERE c.id = ? AND {where}"
    return conn.execute(sql, [concept_id, *params]).fetchone() is not None


def concept_score(conn: sqlite3.Connection, concept_id: int) -> float | None:
    row = conn.execute("SELECT score FROM concepts WHERE id = ?", (concept_id,)).fetchone()
    return None if row is None else row[0]


def next_unreviewed(
    conn: sqlite3.Connection, filters: ConceptFilter, score: float, concept_id: int, step: int
) -> int | None:
    """The id of the next (``step > 0``) or previous unreviewed concept passing ``filters``
    after the one at (``score``, ``concept_id``) in listing order."""
    where, params = filter_condition(filters, conn)
    # the keyset range walks the (status, score) index: microseconds, not a sort of every
    # unreviewed concept
    order, after = _listing_order(step)
    row = conn.execute(
        f"SELECT c.id FROM concepts c WHERE {where} AND c.status = 'unreviewed' AND {after} ORDER BY {order} LIMIT 1",
        [*params, score, score, concept_id],
    ).fetchone()
    return None if row is None else row[0]


def save_position(conn: sqlite3.Connection, reviewer: str, concept_id: int | None, filters_json: str) -> None:
    conn.execute(
        "INSERT INTO reviewer_state (reviewer, concept_id, filters, updated_at) VALUES (?,?,?,?)"
        " ON CONFLICT (reviewer) DO UPDATE SET concept_id = excluded.concept_id,"
        " filters = excluded.filters, updated_at = excluded.updated_at",
        (reviewer, concept_id, filters_json, now()),
    )


def load_position(conn: sqlite3.Connection, reviewer: str) -> tuple[int | None, str | None] | None:
    """(concept id, filters as JSON) where the reviewer was, or ``None`` for a new reviewer."""
    row = conn.execute("SELECT concept_id, filters FROM reviewer_state WHERE reviewer = ?", (reviewer,)).fetchone()
    return None if row is None else (row["concept_id"], row["filters"])


# -- detail: MT suggestions -------------------------------------------------


@dataclass(frozen=True)
class MTSuggestion:
    src_lang: str
    tgt_lang: str
    source_text: str
    text: str
    score: float | None
    model: str


def mt_suggestions(conn: sqlite3.Connection, concept_id: int) -> list[MTSuggestion]:
    return [
        MTSuggestion(r["src_lang"], r["tgt_lang"], r["source_text"], r["text"], r["score"], r["model"])
        for r in conn.execute(
            "SELECT src_lang, tgt_lang, source_text, text, score, model FROM mt_suggestions"
            " WHERE concept_id = ? ORDER BY tgt_lang, score DESC, id",
            (concept_id,),
        )
    ]


# -- review actions -------------------------------------------------------------------------


def set_status(conn: sqlite3.Connection, concept_id: int, status: str) -> None:
    conn.execute("UPDATE concepts SET status = ? WHERE id = ?", (status, concept_id))


def set_term_text(conn: sqlite3.Connection, term_id: int, text: str, key: str) -> None:
    conn.execute("UPDATE terms SET text = ?, key = ? WHERE id = ?", (text, key, term_id))


def set_preferred(conn: sqlite3.Connection, concept_id: int, lang: str, term_id: int) -> None:
    """Make ``term_id`` the preferred term of its language; the former preferred is admitted."""
    conn.execute(
        "UPDATE terms SET status = 'admitted' WHERE concept_id = ? AND lang = ? AND status = 'preferred'",
        (concept_id, lang),
    )
    conn.execute("UPDATE terms SET status = 'preferred' WHERE id = ?", (term_id,))


def add_note(conn: sqlite3.Connection, concept_id: int, author: str, text: str) -> None:
    conn.execute(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)", (concept_id, author, now(), text)
    )


def move_terms(conn: sqlite3.Connection, concept_id: int, moves: Sequence[tuple[int, str]]) -> None:
    """Move terms (id, new status) to ``concept_id``."""
    conn.executemany("UPDATE terms SET concept_id = ?, status = ? WHERE id = ?", [(concept_id, s, t) for t, s in moves])


def merge_into(conn: sqlite3.Connection, target_id: int, source_id: int, source_score: float) -> None:
    """Move the source's evidence, notes and MT suggestions to the target, keep the better
    score, and delete the source (its terms not moved go with it)."""
    for table in ("evidence", "notes", "mt_suggestions"):
        conn.execute(f"UPDATE {table} SET concept_id = ? WHERE concept_id = ?", (target_id, source_id))
    conn.execute("UPDATE concepts SET score = max(score, ?) WHERE id = ?", (source_score, target_id))
    conn.execute("DELETE FROM concepts WHERE id = ?", (source_id,))


def split_off(conn: sqlite3.Connection, concept: Concept, term_id: int, reviewer: str) -> int:
    """A new unreviewed concept (origin ``split``) holding one term of ``concept`` as its
    preferred term; returns the new id."""
    stamp = now()
    new_id = conn.execute(
        "INSERT INTO concepts (status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES ('unreviewed', ?, ?, 'split', 1, ?, ?, ?)",
        (concept.score, concept.subject_field, stamp, stamp, reviewer),
    ).lastrowid
    assert new_id is not None
    conn.execute("UPDATE terms SET concept_id = ?, status = 'preferred' WHERE id = ?", (new_id, term_id))
    return new_id


def set_term_status(conn: sqlite3.Connection, term_id: int, status: str) -> None:
    conn.execute("UPDATE terms SET status = ? WHERE id = ?", (status, term_id))


def delete_term(conn: sqlite3.Connection, term_id: int) -> None:
    conn.execute("DELETE FROM terms WHERE id = ?", (term_id,))


# -- the review log and undo ----------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    id: int
    concept_id: int | None
    reviewer: str
    at: str
    action: str
    before: LogState | None
    after: LogState | None


def _entry(row: sqlite3.Row) -> LogEntry:
    return LogEntry(
        row["id"], row["concept_id"], row["reviewer"], row["at"], row["action"],
        LogState.from_json(json.loads(row["before"]) if row["before"] else None),
        LogState.from_json(json.loads(row["after"]) if row["after"] else None),
    )


def log_entries(conn: sqlite3.Connection, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
    """Review log entries, oldest first, for one concept and/or one reviewer."""
    clauses: list[str] = ["1"]
    params: list[object] = []
    if concept_id is not None:
        clauses.append("concept_id = ?")
        params.append(concept_id)
    if reviewer is not None:
        clauses.append("reviewer = ?")
        params.append(reviewer)
    sql = f"SELECT * FROM review_log WHERE {' AND '.join(clauses)} ORDER BY id"
    return [_entry(r) for r in conn.execute(sql, params)]


def log_entries_touching(conn: sqlite3.Connection, concept_id: int, since_id: int = 0) -> list[LogEntry]:
    """Log entries from ``since_id`` on (oldest first) whose before or after state holds the
    concept, or names it absent: single-concept actions, merges, splits, bulk actions, undos."""
    # Read in Python from the parsed states (the same on SQLite and PostgreSQL: no JSON SQL).
    entries = [_entry(r) for r in conn.execute("SELECT * FROM review_log WHERE id >= ? ORDER BY id", (since_id,))]
    return [
        e for e in entries
        if e.concept_id == concept_id
        or any(side is not None and concept_id in side.states() for side in (e.before, e.after))
    ]


def log_entry(conn: sqlite3.Connection, log_id: int) -> LogEntry:
    return _entry(conn.execute("SELECT * FROM review_log WHERE id = ?", (log_id,)).fetchone())


def log_entries_by_id(conn: sqlite3.Connection, ids: Iterable[int]) -> list[LogEntry]:
    """The log entries with the given ids, oldest first."""
    wanted = sorted(set(ids))
    out: list[LogEntry] = []
    for start in range(0, len(wanted), ID_CHUNK):
        chunk = wanted[start : start + ID_CHUNK]
        marks = ",".join("?" * len(chunk))
        out += [_entry(r) for r in conn.execute(f"SELECT * FROM review_log WHERE id IN ({marks}) ORDER BY id", chunk)]
    return out


def reviewer_actions(conn: sqlite3.Connection, reviewer: str) -> list[tuple[int, str]]:
    """(log id, action) of every entry by ``reviewer``, oldest first."""
    return [(r[0], r[1]) for r in conn.execute("SELECT id, action FROM review_log WHERE reviewer = ? ORDER BY id",
                                                (reviewer,))]


def delete_concept(conn: sqlite3.Connection, concept_id: int) -> None:
    conn.execute("DELETE FROM concepts WHERE id = ?", (concept_id,))


def clear_concept(conn: sqlite3.Connection, concept_id: int) -> None:
    """Remove a concept's terms, evidence, notes and MT suggestions (the concept row stays)."""
    for table in ("terms", "evidence", "notes", "mt_suggestions"):
        conn.execute(f"DELETE FROM {table} WHERE concept_id = ?", (concept_id,))


def restore(conn: sqlite3.Connection, snap: ConceptSnapshot, version: int, reviewer: str) -> None:
    """Write a concept back as a snapshot shows it (terms and suggestions keep their ids)."""
    stamp = now()
    c = snap.concept
    conn.execute(
        "INSERT INTO concepts (id, status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, score = excluded.score,"
        " subject_field = excluded.subject_field, origin = excluded.origin, version = excluded.version,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (c.id, c.status, c.score, c.subject_field, c.origin, version, stamp, stamp, reviewer),
    )
    for term in c.terms:
        term_id = conn.execute(
            "INSERT INTO terms (id, concept_id, lang, text, key, status, pos, source) VALUES (?,?,?,?,?,?,?,?)",
            (term.id, c.id, term.lang, term.text, term.key, term.status, term.pos, term.source),
        ).lastrowid
        conn.executemany(
            "INSERT INTO term_contexts (term_id, text, source) VALUES (?,?,?)",
            [(term_id, x.text, x.source) for x in term.contexts],
        )
    conn.executemany(
        "INSERT INTO evidence (concept_id, signal, score, lang_a, lang_b, detail) VALUES (?,?,?,?,?,?)",
        [
            (c.id, e.signal, e.score, e.lang_a, e.lang_b, json.dumps(e.detail, ensure_ascii=False, sort_keys=True))
            for e in c.evidence
        ],
    )
    conn.executemany(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
        [(c.id, n.author, n.created_at or stamp, n.text) for n in c.notes],
    )
    conn.executemany(
        "INSERT INTO mt_suggestions (id, concept_id, src_lang, tgt_lang, source_text, text, score, model)"
        " VALUES (?,?,?,?,?,?,?,?)",
        [(m.id, c.id, m.src_lang, m.tgt_lang, m.source_text, m.text, m.score, m.model) for m in snap.mt_suggestions],
    )
