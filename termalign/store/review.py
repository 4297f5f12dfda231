"""Review actions and the queries behind the review TUI, as plain store functions.

Every action is one transaction: the optimistic version check (:func:`bump_version`), the
change, and one append-only :func:`log_action` entry with the state before and after. Scripts
can call these functions exactly as the TUI does.

Log payloads: an action on one concept logs that concept's snapshot
(:meth:`Concept.snapshot` plus its MT suggestions); an action on several concepts logs
``{"concepts": [snapshot, ...], "absent": [id, ...]}`` where ``absent`` lists concepts that do
not exist on that side (the source of a merge after it, the new concept of a split before it).
Undo and redo restore those payloads, so they work across restarts: the reviewer's undo and
redo stacks are replayed from the log itself.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields

from termalign import lang as languages
from termalign.errors import ConflictError, TermalignError
from termalign.store.concepts import (
    CONCEPT_STATUSES,
    Concept,
    Context,
    Term,
    bump_version,
    load_concept,
    log_action,
    write_terms,
)
from termalign.store.db import now, transaction

UNDOABLE = frozenset(
    {"approve", "reject", "reset", "edit_term", "add_term", "set_preferred", "merge", "split", "note", "bulk_approve"}
)
STATUS_ACTIONS = {"approved": "approve", "rejected": "reject", "unreviewed": "reset"}


# -- filters and the proposal listing ------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the proposals table shows. ``None`` means "any"."""

    status: str | None = None
    missing: str | None = None  # a language code the concept has no term in
    score_min: float | None = None
    score_max: float | None = None
    origin: str | None = None
    search: str = ""

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, "")}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Filters:
        try:
            data = json.loads(text or "{}")
        except json.JSONDecodeError:
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def parse(cls, expression: str, search: str = "") -> Filters:
        """Parse a filter expression: ``status:unreviewed missing:km score:0.5-0.9 origin:align``.

        Words are ``key:value``; ``score:0.5`` means at least 0.5, ``score:-0.4`` at most 0.4.
        Raises :class:`TermalignError` on an unknown key or a bad value.
        """
        out: dict[str, object] = {"search": search}
        for word in expression.split():
            key, sep, value = word.partition(":")
            if not sep or not value:
                raise TermalignError(f"filter words look like key:value, not {word!r}")
            if key == "status":
                if value not in (*CONCEPT_STATUSES, "any"):
                    raise TermalignError(f"status is one of {', '.join(CONCEPT_STATUSES)}, any")
                out["status"] = None if value == "any" else value
            elif key == "missing":
                out["missing"] = languages.get(value).code
            elif key == "origin":
                out["origin"] = value
            elif key == "score":
                low, dash, high = value.partition("-")
                try:
                    out["score_min"] = float(low) if low else None
                    out["score_max"] = float(high) if high else None
                except ValueError:
                    raise TermalignError(f"score range looks like 0.5-0.9, not {value!r}") from None
            else:
                raise TermalignError(f"unknown filter {key!r} (status, missing, score, origin)")
        return cls(**out)  # type: ignore[arg-type]

    def expression(self) -> str:
        """The filter expression that :meth:`parse` turns back into these filters."""
        words = []
        if self.status:
            words.append(f"status:{self.status}")
        if self.missing:
            words.append(f"missing:{self.missing}")
        if self.score_min is not None or self.score_max is not None:
            low = "" if self.score_min is None else f"{self.score_min:g}"
            high = "" if self.score_max is None else f"{self.score_max:g}"
            words.append(f"score:{low}-{high}" if high else f"score:{low}")
        if self.origin:
            words.append(f"origin:{self.origin}")
        return " ".join(words)

    def where(self) -> tuple[str, list]:
        """SQL condition on ``concepts c`` and its parameters."""
        clauses, params = ["1"], []
        if self.status:
            clauses.append("c.status = ?")
            params.append(self.status)
        if self.missing:
            clauses.append("NOT EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id AND t.lang = ?)")
            params.append(self.missing)
        if self.score_min is not None:
            clauses.append("c.score >= ?")
            params.append(self.score_min)
        if self.score_max is not None:
            clauses.append("c.score <= ?")
            params.append(self.score_max)
        if self.origin:
            clauses.append("c.origin = ?")
            params.append(self.origin)
        if self.search.strip():
            needle = f"%{_escape_like(self.search.strip())}%"
            folded = f"%{_escape_like(self.search.strip().casefold())}%"
            clauses.append(
                "c.id IN (SELECT t.concept_id FROM terms t WHERE t.text LIKE ? ESCAPE '\\' OR t.key LIKE ? ESCAPE '\\')"
            )
            params += [needle, folded]
        return " AND ".join(clauses), params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for r in conn.execute(_ROWS_SQL.format(ids=",".join("?" * len(chunk))), chunk):
            out[r["id"]] = ProposalRow(
                id=r["id"], score=r["score"], status=r["status"], version=r["version"], origin=r["origin"],
                terms={code: r[code] for code in languages.CODES if r[code] is not None},
                signals=tuple((r["signals"] or "").split()),
            )
    return out


def proposal_ids(conn: sqlite3.Connection, filters: Filters) -> list[int]:
    """Ids of the concepts that pass ``filters``, best score first (ties by id)."""
    where, params = filters.where()
    return [r[0] for r in conn.execute(f"SELECT c.id FROM concepts c WHERE {where} ORDER BY c.score DESC, c.id", params)]


def matches(conn: sqlite3.Connection, concept_id: int, filters: Filters) -> bool:
    where, params = filters.where()
    return conn.execute(f"SELECT 1 FROM concepts c WHERE c.id = ? AND {where}", [concept_id, *params]).fetchone() is not None


class ProposalList:
    """The filtered, sorted proposals, for a table that draws only the rows it shows.

    Holds the ordered ids (one query per filter change) and a cache of rows fetched a page
    at a time. After an action only the rows it touched are re-read.
    """

    PAGE = 100

    def __init__(self, conn: sqlite3.Connection, filters: Filters | None = None) -> None:
        self.conn = conn
        self.filters = filters or Filters()
        self.ids: list[int] = []
        self._keys: list[tuple[float, int]] = []  # (-score, id), sorted: for inserting
        self._index: dict[int, int] | None = None
        self._rows: dict[int, ProposalRow] = {}
        self.reload()

    def reload(self, filters: Filters | None = None) -> None:
        if filters is not None:
            self.filters = filters
        where, params = self.filters.where()
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: 100 000 of them
        rows = cursor.execute(f"SELECT c.id, c.score FROM concepts c WHERE {where} ORDER BY c.score DESC, c.id", params).fetchall()
        self.ids = [r[0] for r in rows]
        self._keys = [(-r[1], r[0]) for r in rows]
        self._index = None
        self._rows.clear()

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, concept_id: int) -> int | None:
        if self._index is None:
            self._index = {cid: i for i, cid in enumerate(self.ids)}
        return self._index.get(concept_id)

    def place_of(self, concept_id: int) -> int:
        """Index of a concept, or where it would sort if the filters leave it out (0 if gone)."""
        index = self.index_of(concept_id)
        if index is not None:
            return index
        row = self.conn.execute("SELECT score FROM concepts WHERE id = ?", (concept_id,)).fetchone()
        return 0 if row is None else min(bisect_left(self._keys, (-row[0], concept_id)), max(len(self.ids) - 1, 0))

    def row(self, index: int) -> ProposalRow | None:
        """The row at ``index``, fetching its page on a cache miss."""
        if not 0 <= index < len(self.ids):
            return None
        cid = self.ids[index]
        if cid not in self._rows:
            start = index - index % self.PAGE
            page = [i for i in self.ids[start : start + self.PAGE] if i not in self._rows]
            self._rows.update(fetch_rows(self.conn, page))
        return self._rows.get(cid)

    def refresh(self, concept_ids: Iterable[int]) -> None:
        """Re-read changed concepts: update their rows, drop those gone or no longer matching,
        insert new ones that match, all without re-reading the rest."""
        for cid in concept_ids:
            index = self.index_of(cid)
            keep = matches(self.conn, cid, self.filters)
            if index is not None and not keep:
                del self.ids[index], self._keys[index]
                self._rows.pop(cid, None)
                self._index = None
            elif keep:
                row = fetch_rows(self.conn, [cid])[cid]
                if index is None:
                    at = bisect_left(self._keys, (-row.score, cid))
                    self.ids.insert(at, cid)
                    self._keys.insert(at, (-row.score, cid))
                    self._index = None
                self._rows[cid] = row

    def next_undecided(self, index: int, step: int = 1) -> int | None:
        """Index of the next (``step=1``) or previous (``-1``) unreviewed row after ``index``,
        asked of the store, so decisions made by another reviewer count."""
        if not self.ids:
            return None
        index = min(max(index, 0), len(self.ids) - 1)
        cid = self.ids[index]
        score = -self._keys[index][0]
        where, params = self.filters.where()
        # A plain range on score (no OR) lets SQLite walk the (status, score) index and sort
        # only the ties: microseconds instead of sorting every unreviewed concept.
        if step > 0:
            order, after = "c.score DESC, c.id", "c.score <= ? AND NOT (c.score = ? AND c.id <= ?)"
        else:
            order, after = "c.score ASC, c.id DESC", "c.score >= ? AND NOT (c.score = ? AND c.id >= ?)"
        row = self.conn.execute(
            f"SELECT c.id FROM concepts c WHERE {where} AND c.status = 'unreviewed' AND {after} ORDER BY {order} LIMIT 1",
            [*params, score, score, cid],
        ).fetchone()
        return None if row is None else self.index_of(row[0])


# -- detail: MT suggestions, concordance, history ---------------------------------------


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


@dataclass(frozen=True)
class ConcordanceLine:
    """One occurrence: its sentence, where the term sits in it, and the document's title."""

    title: str
    sentence: str
    start: int  # offsets of the term inside ``sentence``
    end: int


def concordance(
    conn: sqlite3.Connection, lang: str, text: str, offset: int = 0, limit: int = 5
) -> tuple[int, list[ConcordanceLine]]:
    """Occurrences of a term (found by its normalized key): the total and one page of lines."""
    key = languages.get(lang).key(text)
    row = conn.execute("SELECT id FROM candidates WHERE lang = ? AND key = ?", (lang, key)).fetchone()
    if row is None:
        return 0, []
    total = conn.execute("SELECT count(*) FROM occurrences WHERE candidate_id = ?", (row[0],)).fetchone()[0]
    lines = []
    for r in conn.execute(
        'SELECT o.start AS o_start, o."end" AS o_end, s.start AS s_start, s."end" AS s_end, d.text AS doc, '
        " coalesce(d.title, d.path) AS title FROM occurrences o JOIN sentences s ON s.id = o.sentence_id"
        " JOIN documents d ON d.id = s.document_id WHERE o.candidate_id = ? ORDER BY d.id, s.idx, o.start"
        " LIMIT ? OFFSET ?",
        (row[0], limit, offset),
    ):
        sentence = r["doc"][r["s_start"] : r["s_end"]]
        lines.append(ConcordanceLine(r["title"], sentence, r["o_start"] - r["s_start"], r["o_end"] - r["s_start"]))
    return total, lines


# -- reviewer position --------------------------------------------------------------------


def save_position(conn: sqlite3.Connection, reviewer: str, concept_id: int | None, filters: Filters) -> None:
    """Remember where a reviewer is (the concept and the filters), in its own small write."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO reviewer_state (reviewer, concept_id, filters, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT (reviewer) DO UPDATE SET concept_id = excluded.concept_id,"
            " filters = excluded.filters, updated_at = excluded.updated_at",
            (reviewer, concept_id, filters.to_json(), now()),
        )


def load_position(conn: sqlite3.Connection, reviewer: str) -> tuple[int | None, Filters]:
    row = conn.execute("SELECT concept_id, filters FROM reviewer_state WHERE reviewer = ?", (reviewer,)).fetchone()
    if row is None:
        return None, Filters()
    return row["concept_id"], Filters.from_json(row["filters"])


# -- actions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an action changed: the TUI re-reads exactly these concepts."""

    action: str
    concept_id: int | None
    changed: tuple[int, ...] = ()
    created: tuple[int, ...] = ()
    deleted: tuple[int, ...] = ()
    conflicts: tuple[str, ...] = field(default=())  # why each refused concept was refused
    refused: tuple[int, ...] = field(default=())

    @property
    def touched(self) -> tuple[int, ...]:
        return self.changed + self.created + self.deleted


def _snapshot(conn: sqlite3.Connection, concept: Concept) -> dict:
    snap = concept.snapshot()
    snap["mt_suggestions"] = [
        dict(r)
        for r in conn.execute(
            "SELECT id, src_lang, tgt_lang, source_text, text, score, model FROM mt_suggestions WHERE concept_id = ? ORDER BY id",
            (concept.id,),
        )
    ]
    return snap


def _require(conn: sqlite3.Connection, concept_id: int) -> Concept:
    concept = load_concept(conn, concept_id)
    if concept is None:
        raise ConflictError(f"concept {concept_id} no longer exists (merged or deleted by someone else)")
    return concept


def _term(concept: Concept, term_id: int) -> Term:
    term = next((t for t in concept.terms if t.id == term_id), None)
    if term is None:
        raise ConflictError(f"term {term_id} is no longer in concept {concept.id}")
    return term


def _single(
    conn: sqlite3.Connection, concept_id: int, version: int, reviewer: str, action: str, change
) -> Outcome:
    """Run one action on one concept: check, change, log — all in one transaction."""
    with transaction(conn):
        concept = _require(conn, concept_id)
        before = _snapshot(conn, concept)
        bump_version(conn, concept_id, version, reviewer)
        change(concept)
        log_action(conn, concept_id, reviewer, action, before, _snapshot(conn, _require(conn, concept_id)))
    return Outcome(action, concept_id, changed=(concept_id,))


def set_status(conn: sqlite3.Connection, concept_id: int, status: str, *, version: int, reviewer: str) -> Outcome:
    """Approve, reject, or reset a concept to unreviewed."""
    if status not in CONCEPT_STATUSES:
        raise TermalignError(f"unknown concept status {status!r}")

    def change(_: Concept) -> None:
        conn.execute("UPDATE concepts SET status = ? WHERE id = ?", (status, concept_id))

    return _single(conn, concept_id, version, reviewer, STATUS_ACTIONS[status], change)


def approve(conn: sqlite3.Connection, concept_id: int, *, version: int, reviewer: str) -> Outcome:
    return set_status(conn, concept_id, "approved", version=version, reviewer=reviewer)


def reject(conn: sqlite3.Connection, concept_id: int, *, version: int, reviewer: str) -> Outcome:
    return set_status(conn, concept_id, "rejected", version=version, reviewer=reviewer)


def reset(conn: sqlite3.Connection, concept_id: int, *, version: int, reviewer: str) -> Outcome:
    return set_status(conn, concept_id, "unreviewed", version=version, reviewer=reviewer)


def _check_text(lang: str, text: str) -> str:
    text = languages.get(lang).normalize(text).strip()
    if not text:
        raise TermalignError("a term cannot be empty")
    return text


def edit_term(
    conn: sqlite3.Connection, concept_id: int, term_id: int, text: str, *, version: int, reviewer: str
) -> Outcome:
    """Change a term's text (its matching key follows)."""

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        new = _check_text(term.lang, text)
        if new == term.text:
            raise TermalignError("the term is unchanged (after normalization)")
        key = languages.get(term.lang).key(new)
        if any(t.id != term_id and t.lang == term.lang and t.key == key for t in concept.terms):
            raise TermalignError(f"concept {concept_id} already has the {term.lang} term {new!r}")
        conn.execute("UPDATE terms SET text = ?, key = ? WHERE id = ?", (new, key, term_id))

    return _single(conn, concept_id, version, reviewer, "edit_term", change)


def add_term(
    conn: sqlite3.Connection, concept_id: int, lang: str, text: str, *, version: int, reviewer: str
) -> Outcome:
    """Add a term in a language; the first term of a language becomes its preferred term."""

    def change(concept: Concept) -> None:
        new = _check_text(lang, text)
        term = Term(lang, new, "admitted" if concept.terms_in(lang) else "preferred", source=f"review:{reviewer}")
        if any(t.lang == lang and t.key == term.key for t in concept.terms):
            raise TermalignError(f"concept {concept_id} already has the {lang} term {new!r}")
        write_terms(conn, concept_id, [term])

    return _single(conn, concept_id, version, reviewer, "add_term", change)


def set_preferred(conn: sqlite3.Connection, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Make one variant the preferred term of its language; the former preferred is admitted."""

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        conn.execute(
            "UPDATE terms SET status = 'admitted' WHERE concept_id = ? AND lang = ? AND status = 'preferred'",
            (concept_id, term.lang),
        )
        conn.execute("UPDATE terms SET status = 'preferred' WHERE id = ?", (term_id,))

    return _single(conn, concept_id, version, reviewer, "set_preferred", change)


def add_note(conn: sqlite3.Connection, concept_id: int, text: str, *, version: int, reviewer: str) -> Outcome:
    if not text.strip():
        raise TermalignError("a note cannot be empty")

    def change(_: Concept) -> None:
        conn.execute(
            "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
            (concept_id, reviewer, now(), text.strip()),
        )

    return _single(conn, concept_id, version, reviewer, "note", change)


def merge(
    conn: sqlite3.Connection, target_id: int, source_id: int, *, target_version: int, source_version: int, reviewer: str
) -> Outcome:
    """Merge ``source`` into ``target``: its terms (as variants), evidence, notes and MT
    suggestions move over and the source concept is gone. A term whose key the target
    already has in that language is dropped."""
    if target_id == source_id:
        raise TermalignError("cannot merge a concept with itself")
    with transaction(conn):
        target, source = _require(conn, target_id), _require(conn, source_id)
        before = {"concepts": [_snapshot(conn, target), _snapshot(conn, source)], "absent": []}
        bump_version(conn, target_id, target_version, reviewer)
        bump_version(conn, source_id, source_version, reviewer)
        have = {(t.lang, t.key) for t in target.terms}
        for term in source.terms:
            if (term.lang, term.key) in have:
                continue
            status = "admitted" if target.terms_in(term.lang) or term.status != "preferred" else "preferred"
            conn.execute("UPDATE terms SET concept_id = ?, status = ? WHERE id = ?", (target_id, status, term.id))
            have.add((term.lang, term.key))
        for table in ("evidence", "notes", "mt_suggestions"):
            conn.execute(f"UPDATE {table} SET concept_id = ? WHERE concept_id = ?", (target_id, source_id))
        conn.execute(
            "UPDATE concepts SET score = max(score, ?) WHERE id = ?", (source.score, target_id)
        )
        conn.execute("DELETE FROM concepts WHERE id = ?", (source_id,))
        after = {"concepts": [_snapshot(conn, _require(conn, target_id))], "absent": [source_id]}
        log_action(conn, target_id, reviewer, "merge", before, after)
    return Outcome("merge", target_id, changed=(target_id,), deleted=(source_id,))


def split(conn: sqlite3.Connection, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Move one variant off into a new, unreviewed concept of its own."""
    with transaction(conn):
        concept = _require(conn, concept_id)
        term = _term(concept, term_id)
        if len(concept.terms) < 2:
            raise TermalignError("cannot split off the only term of a concept")
        before_snap = _snapshot(conn, concept)
        bump_version(conn, concept_id, version, reviewer)
        stamp = now()
        new_id = conn.execute(
            "INSERT INTO concepts (status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
            " VALUES ('unreviewed', ?, ?, 'split', 1, ?, ?, ?)",
            (concept.score, concept.subject_field, stamp, stamp, reviewer),
        ).lastrowid
        conn.execute("UPDATE terms SET concept_id = ?, status = 'preferred' WHERE id = ?", (new_id, term_id))
        rest = [t for t in concept.terms_in(term.lang) if t.id != term_id]
        if term.status == "preferred" and rest:
            conn.execute("UPDATE terms SET status = 'preferred' WHERE id = ?", (rest[0].id,))
        after = {
            "concepts": [_snapshot(conn, _require(conn, concept_id)), _snapshot(conn, _require(conn, new_id))],
            "absent": [],
        }
        log_action(conn, concept_id, reviewer, "split", {"concepts": [before_snap], "absent": [new_id]}, after)
    return Outcome("split", concept_id, changed=(concept_id,), created=(new_id,))


def bulk_approve(conn: sqlite3.Connection, versions: dict[int, int], *, reviewer: str) -> Outcome:
    """Approve many concepts in one transaction and one log entry. A concept changed since it
    was shown (or gone) is left as it is and reported in ``conflicts``."""
    conflicts, refused, before, after, done = [], [], [], [], []
    with transaction(conn):
        for cid, version in versions.items():
            concept = load_concept(conn, cid)
            if concept is None or concept.version != version:
                conflicts.append(
                    f"concept {cid} " + ("no longer exists" if concept is None else f"was changed by {concept.updated_by or 'someone else'}")
                )
                refused.append(cid)
                continue
            if concept.status == "approved":
                continue
            before.append(_snapshot(conn, concept))
            bump_version(conn, cid, version, reviewer)
            conn.execute("UPDATE concepts SET status = 'approved' WHERE id = ?", (cid,))
            after.append(_snapshot(conn, _require(conn, cid)))
            done.append(cid)
        if done:
            log_action(conn, None, reviewer, "bulk_approve", {"concepts": before, "absent": []}, {"concepts": after, "absent": []})
    return Outcome("bulk_approve", None, changed=tuple(done), conflicts=tuple(conflicts), refused=tuple(refused))


# -- undo / redo --------------------------------------------------------------------------


def _states(payload: dict | None) -> dict[int, dict | None]:
    """A log payload as {concept id: snapshot, or None where the concept does not exist}."""
    if payload is None:
        return {}
    if "concepts" in payload:
        states: dict[int, dict | None] = {c["id"]: c for c in payload["concepts"]}
        states.update({cid: None for cid in payload.get("absent", [])})
        return states
    return {payload["id"]: payload}


@dataclass(frozen=True)
class LogEntry:
    id: int
    concept_id: int | None
    reviewer: str
    at: str
    action: str
    before: dict | None
    after: dict | None


def _entry(row: sqlite3.Row) -> LogEntry:
    return LogEntry(
        row["id"], row["concept_id"], row["reviewer"], row["at"], row["action"],
        json.loads(row["before"]) if row["before"] else None,
        json.loads(row["after"]) if row["after"] else None,
    )


def history(conn: sqlite3.Connection, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
    """Review log entries, oldest first, for one concept and/or one reviewer."""
    clauses, params = ["1"], []
    if concept_id is not None:
        clauses.append("concept_id = ?")
        params.append(concept_id)
    if reviewer is not None:
        clauses.append("reviewer = ?")
        params.append(reviewer)
    return [_entry(r) for r in conn.execute(f"SELECT * FROM review_log WHERE {' AND '.join(clauses)} ORDER BY id", params)]


def _stacks(conn: sqlite3.Connection, reviewer: str) -> tuple[list[int], list[int]]:
    """Replay the reviewer's log: ids of entries undo would revert, and redo would re-apply."""
    undo: list[int] = []
    redo: list[int] = []
    for log_id, action in conn.execute("SELECT id, action FROM review_log WHERE reviewer = ? ORDER BY id", (reviewer,)):
        if action in UNDOABLE:
            undo.append(log_id)
            redo.clear()
        elif action == "undo" and undo:
            undo.pop()
            redo.append(log_id)
        elif action == "redo" and redo:
            redo.pop()
            undo.append(log_id)
    return undo, redo


def can_undo(conn: sqlite3.Connection, reviewer: str) -> bool:
    return bool(_stacks(conn, reviewer)[0])


def can_redo(conn: sqlite3.Connection, reviewer: str) -> bool:
    return bool(_stacks(conn, reviewer)[1])


def undo(conn: sqlite3.Connection, *, reviewer: str) -> Outcome | None:
    """Revert the reviewer's last action (``None`` when there is nothing to undo)."""
    return _revert(conn, reviewer, "undo")


def redo(conn: sqlite3.Connection, *, reviewer: str) -> Outcome | None:
    """Re-apply the action the reviewer last undid (``None`` when there is nothing to redo)."""
    return _revert(conn, reviewer, "redo")


def _revert(conn: sqlite3.Connection, reviewer: str, action: str) -> Outcome | None:
    # The entry to revert is the one that put the concepts in their present state: an action
    # (undo), or the undo entry that reverted it (redo). Either way: check that nobody changed
    # them since (``after`` versions), then write its ``before`` state back.
    with transaction(conn):
        undo_stack, redo_stack = _stacks(conn, reviewer)
        stack = undo_stack if action == "undo" else redo_stack
        if not stack:
            return None
        entry = _entry(conn.execute("SELECT * FROM review_log WHERE id = ?", (stack[-1],)).fetchone())
        target, present = _states(entry.before), _states(entry.after)
        ids = sorted(set(target) | set(present))
        current = {cid: load_concept(conn, cid) for cid in ids}
        for cid in ids:
            expected, now_ = present.get(cid), current[cid]
            if (expected is None) != (now_ is None) or (expected and now_ and expected["version"] != now_.version):
                who = now_.updated_by if now_ else "someone else"
                raise ConflictError(f"cannot {action}: concept {cid} was changed since by {who or 'someone else'}")
        before = {"concepts": [_snapshot(conn, c) for c in current.values() if c], "absent": [i for i, c in current.items() if not c]}
        top = max([s["version"] for s in (*target.values(), *present.values()) if s] + [0])
        for cid in ids:
            if current[cid] is not None and target.get(cid) is None:
                conn.execute("DELETE FROM concepts WHERE id = ?", (cid,))
            elif current[cid] is not None:
                _clear(conn, cid)
        for cid in ids:
            snap = target.get(cid)
            if snap is not None:
                _restore(conn, snap, (current[cid].version if current[cid] else top) + 1, reviewer)
        restored = {cid: load_concept(conn, cid) for cid in ids}
        after = {"concepts": [_snapshot(conn, c) for c in restored.values() if c], "absent": [i for i, c in restored.items() if not c]}
        log_action(conn, entry.concept_id, reviewer, action, before, after)
    return Outcome(
        action,
        entry.concept_id,
        changed=tuple(i for i in ids if current[i] and restored[i]),
        created=tuple(i for i in ids if not current[i] and restored[i]),
        deleted=tuple(i for i in ids if current[i] and not restored[i]),
    )


def _clear(conn: sqlite3.Connection, concept_id: int) -> None:
    for table in ("terms", "evidence", "notes", "mt_suggestions"):
        conn.execute(f"DELETE FROM {table} WHERE concept_id = ?", (concept_id,))


def _restore(conn: sqlite3.Connection, snap: dict, version: int, reviewer: str) -> None:
    """Write a concept back as a snapshot shows it (terms keep their ids)."""
    stamp = now()
    conn.execute(
        "INSERT INTO concepts (id, status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, score = excluded.score,"
        " subject_field = excluded.subject_field, origin = excluded.origin, version = excluded.version,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (snap["id"], snap["status"], snap["score"], snap["subject_field"], snap["origin"], version, stamp, stamp, reviewer),
    )
    for t in snap["terms"]:
        term = Term(t["lang"], t["text"], t["status"], t["pos"], t["source"], [Context(**c) for c in t["contexts"]])
        term_id = conn.execute(
            "INSERT INTO terms (id, concept_id, lang, text, key, status, pos, source) VALUES (?,?,?,?,?,?,?,?)",
            (t["id"], snap["id"], term.lang, term.text, term.key, term.status, term.pos, term.source),
        ).lastrowid
        conn.executemany(
            "INSERT INTO term_contexts (term_id, text, source) VALUES (?,?,?)",
            [(term_id, c.text, c.source) for c in term.contexts],
        )
    conn.executemany(
        "INSERT INTO evidence (concept_id, signal, score, lang_a, lang_b, detail) VALUES (?,?,?,?,?,?)",
        [
            (snap["id"], e["signal"], e["score"], e["lang_a"], e["lang_b"], json.dumps(e["detail"], ensure_ascii=False, sort_keys=True))
            for e in snap["evidence"]
        ],
    )
    conn.executemany(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
        [(snap["id"], n["author"], n["created_at"] or stamp, n["text"]) for n in snap["notes"]],
    )
    conn.executemany(
        "INSERT INTO mt_suggestions (id, concept_id, src_lang, tgt_lang, source_text, text, score, model) VALUES (?,?,?,?,?,?,?,?)",
        [
            (m["id"], snap["id"], m["src_lang"], m["tgt_lang"], m["source_text"], m["text"], m["score"], m["model"])
            for m in snap.get("mt_suggestions", [])
        ],
    )


__all__ = [
    "ConcordanceLine", "Filters", "LogEntry", "MTSuggestion", "Outcome", "ProposalList", "ProposalRow",
    "add_note", "add_term", "approve", "bulk_approve", "can_redo", "can_undo", "concordance", "edit_term",
    "fetch_rows", "history", "load_position", "matches", "merge", "mt_suggestions", "proposal_ids", "redo",
    "reject", "reset", "save_position", "set_preferred", "set_status", "split", "undo",
]
