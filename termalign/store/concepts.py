"""Concepts, their terms, evidence and notes: reading and writing whole concepts.

A *concept* is one notion with its terms in up to four languages. Writers here never open
a transaction themselves: the caller wraps one user action (or one import) in
:func:`termalign.store.transaction`, so an action is stored whole or not at all.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from termalign import lang as languages
from termalign.errors import ConflictError
from termalign.store.db import now, transaction

CONCEPT_STATUSES = ("unreviewed", "approved", "rejected")
TERM_STATUSES = ("preferred", "admitted", "deprecated")


@dataclass
class Context:
    text: str
    source: str | None = None


@dataclass
class Term:
    lang: str
    text: str
    status: str = "admitted"
    pos: str | None = None
    source: str | None = None
    contexts: list[Context] = field(default_factory=list)
    id: int | None = None

    @property
    def key(self) -> str:
        """The matching key of the text in its language: computed once per text (keys are
        costly for Thai), or the key the store holds when the term was read from it."""
        known = self.__dict__.get("_key")
        if known is not None and known[0] == self.lang and known[1] == self.text:
            return known[2]
        key = languages.get(self.lang).key(self.text)
        self.__dict__["_key"] = (self.lang, self.text, key)
        return key

    def with_key(self, key: str) -> Term:
        """This term, knowing ``key`` as its text's matching key (read with it from the store)."""
        self.__dict__["_key"] = (self.lang, self.text, key)
        return self


@dataclass
class Evidence:
    signal: str
    score: float
    lang_a: str | None = None
    lang_b: str | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class Note:
    text: str
    author: str | None = None
    created_at: str | None = None


@dataclass
class Concept:
    terms: list[Term] = field(default_factory=list)
    status: str = "unreviewed"
    score: float = 0.0
    origin: str = "align"
    subject_field: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    id: int | None = None
    version: int = 1
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None

    def terms_in(self, lang: str) -> list[Term]:
        return [t for t in self.terms if t.lang == lang]

    def preferred(self, lang: str) -> Term | None:
        terms = self.terms_in(lang)
        return next((t for t in terms if t.status == "preferred"), terms[0] if terms else None)

    def languages(self) -> list[str]:
        return [code for code in languages.CODES if self.terms_in(code)]

    def snapshot(self) -> dict:
        """A JSON-ready picture of the concept for the review log (before/after): what
        ``dataclasses.asdict`` gives less ``created_at``, written out (asdict's deep copies
        were 29 % of an import's time)."""
        return {
            "terms": [
                {
                    "lang": t.lang, "text": t.text, "status": t.status, "pos": t.pos, "source": t.source,
                    "contexts": [{"text": c.text, "source": c.source} for c in t.contexts], "id": t.id,
                }
                for t in self.terms
            ],
            "status": self.status, "score": self.score, "origin": self.origin, "subject_field": self.subject_field,
            "evidence": [
                {"signal": e.signal, "score": e.score, "lang_a": e.lang_a, "lang_b": e.lang_b,
                 "detail": copy.deepcopy(e.detail)}
                for e in self.evidence
            ],
            "notes": [{"text": n.text, "author": n.author, "created_at": n.created_at} for n in self.notes],
            "id": self.id, "version": self.version, "updated_at": self.updated_at, "updated_by": self.updated_by,
        }


def next_concept_id(conn: sqlite3.Connection) -> int:
    """A concept number never used before (deleted proposals do not give theirs back)."""
    # SQLite's write transaction (BEGIN IMMEDIATE) already serializes writers; PostgreSQL's
    # concurrent transactions would read the same number, so there the row is locked until commit.
    lock = " FOR UPDATE" if getattr(conn, "locks_rows", False) else ""
    row = conn.execute(f"SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'concept_id_high'{lock}").fetchone()
    return (row[0] if row else 0) + 1


def insert_concept(conn: sqlite3.Connection, concept: Concept) -> int:
    """Insert a concept with its terms, contexts, evidence and notes; returns its id
    (``concept.id`` when set, else a number never used before)."""
    stamp = now()
    concept.created_at = concept.created_at or stamp
    concept.updated_at = concept.updated_at or stamp
    new_id = conn.execute(
        "INSERT INTO concepts (id, status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (
            concept.id if concept.id is not None else next_concept_id(conn),
            concept.status, concept.score, concept.subject_field, concept.origin, concept.version,
            concept.created_at, concept.updated_at, concept.updated_by,
        ),
    ).lastrowid
    assert new_id is not None
    concept.id = new_id
    write_terms(conn, new_id, concept.terms)
    conn.executemany(
        "INSERT INTO evidence (concept_id, signal, score, lang_a, lang_b, detail) VALUES (?,?,?,?,?,?)",
        [
            (new_id, e.signal, e.score, e.lang_a, e.lang_b, json.dumps(e.detail, ensure_ascii=False, sort_keys=True))
            for e in concept.evidence
        ],
    )
    conn.executemany(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
        [(new_id, n.author, n.created_at or stamp, n.text) for n in concept.notes],
    )
    return new_id


def write_terms(conn: sqlite3.Connection, concept_id: int, terms: Iterable[Term]) -> None:
    """Add terms to a concept; a term whose key the concept already has in that language is skipped."""
    for term in terms:
        cur = conn.execute(
            "INSERT OR IGNORE INTO terms (concept_id, lang, text, key, status, pos, source) VALUES (?,?,?,?,?,?,?)",
            (concept_id, term.lang, term.text, term.key, term.status, term.pos, term.source),
        )
        if cur.rowcount:
            term.id = cur.lastrowid
            conn.executemany(
                "INSERT INTO term_contexts (term_id, text, source) VALUES (?,?,?)",
                [(term.id, c.text, c.source) for c in term.contexts],
            )


def _rows_by_concept(conn: sqlite3.Connection, sql: str, ids: list[int]) -> dict[int, list[sqlite3.Row]]:
    out: dict[int, list[sqlite3.Row]] = {}
    marks = ",".join("?" * len(ids))
    for row in conn.execute(sql.format(ids=marks), ids):
        out.setdefault(row[0], []).append(row)
    return out


def _hydrate(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[Concept]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    terms = _rows_by_concept(
        conn,
        "SELECT concept_id, id, lang, text, status, pos, source, key FROM terms"
        " WHERE concept_id IN ({ids}) ORDER BY id",
        ids,
    )
    term_ids = [t[1] for ts in terms.values() for t in ts]
    contexts: dict[int, list[Context]] = {}
    for start in range(0, len(term_ids), 900):
        chunk = term_ids[start : start + 900]
        for row in conn.execute(
            f"SELECT term_id, text, source FROM term_contexts WHERE term_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY id",
            chunk,
        ):
            contexts.setdefault(row[0], []).append(Context(row[1], row[2]))
    evidence = _rows_by_concept(
        conn,
        "SELECT concept_id, signal, score, lang_a, lang_b, detail FROM evidence"
        " WHERE concept_id IN ({ids}) ORDER BY id",
        ids,
    )
    notes = _rows_by_concept(
        conn, "SELECT concept_id, text, author, created_at FROM notes WHERE concept_id IN ({ids}) ORDER BY id", ids
    )
    out = []
    for r in rows:
        cid = r["id"]
        out.append(
            Concept(
                id=cid, status=r["status"], score=r["score"], origin=r["origin"], subject_field=r["subject_field"],
                version=r["version"], created_at=r["created_at"], updated_at=r["updated_at"],
                updated_by=r["updated_by"],
                # Rows by position: a name look-up per column was a tenth of an export.
                terms=[
                    Term(t[2], t[3], t[4], t[5], t[6], contexts.get(t[1], []), id=t[1]).with_key(t[7])
                    for t in terms.get(cid, ())
                ],
                evidence=[Evidence(e[1], e[2], e[3], e[4], json.loads(e[5])) for e in evidence.get(cid, ())],
                notes=[Note(n[1], n[2], n[3]) for n in notes.get(cid, ())],
            )
        )
    return out


def load_concept(conn: sqlite3.Connection, concept_id: int) -> Concept | None:
    rows = conn.execute("SELECT * FROM concepts WHERE id = ?", (concept_id,)).fetchall()
    found = _hydrate(conn, rows)
    return found[0] if found else None


def iter_concepts(
    conn: sqlite3.Connection, statuses: Iterable[str] = CONCEPT_STATUSES, batch: int = 500
) -> Iterator[Concept]:
    """Concepts in id order, fetched in batches so that memory stays bounded."""
    statuses = list(statuses)
    marks = ",".join("?" * len(statuses))
    last = 0
    while True:
        rows = conn.execute(
            f"SELECT * FROM concepts WHERE status IN ({marks}) AND id > ? ORDER BY id LIMIT ?", (*statuses, last, batch)
        ).fetchall()
        if not rows:
            return
        yield from _hydrate(conn, rows)
        last = rows[-1]["id"]


def bump_version(conn: sqlite3.Connection, concept_id: int, expected_version: int, reviewer: str | None) -> int:
    """Optimistic versioning: move a concept to the next version if nobody else did first.

    Raises :class:`ConflictError` when the stored version is not ``expected_version``.
    """
    cur = conn.execute(
        "UPDATE concepts SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        (now(), reviewer, concept_id, expected_version),
    )
    if cur.rowcount != 1:
        row = conn.execute("SELECT version, updated_by FROM concepts WHERE id = ?", (concept_id,)).fetchone()
        if row is None:
            raise ConflictError(f"concept {concept_id} no longer exists (merged or deleted by someone else)")
        raise ConflictError(
            f"concept {concept_id} was changed by {row['updated_by'] or 'someone else'} "
            f"(version {row['version']}, you saw {expected_version})"
        )
    return expected_version + 1


def log_action(
    conn: sqlite3.Connection, concept_id: int | None, reviewer: str, action: str,
    before: dict | None, after: dict | None,
) -> None:
    """Append one entry to the review log (who, when, what, before/after)."""
    conn.execute(
        "INSERT INTO review_log (concept_id, reviewer, at, action, before, after) VALUES (?,?,?,?,?,?)",
        (
            concept_id, reviewer, now(), action,
            json.dumps(before, ensure_ascii=False, sort_keys=True) if before is not None else None,
            json.dumps(after, ensure_ascii=False, sort_keys=True) if after is not None else None,
        ),
    )


# -- alignment proposals --------------------------------------------------------------------

#: Proposals a new alignment run replaces: the aligner's own, which no reviewer has touched
#: (every review action — a decision, an edit, a note — raises the version). The terms of
#: every other concept are taken and not proposed again.
REPLACEABLE = "origin = 'align' AND status = 'unreviewed' AND version = 1"


@dataclass(frozen=True)
class Suggestion:
    """A machine translation of one of a concept's terms, offered to the reviewer."""

    src_lang: str
    tgt_lang: str
    source_text: str
    text: str
    score: float | None
    model: str


#: Who rejected concept ``c``: the reviewer of its last ``reject`` in the review log, else its
#: last editor (a status that came in with an import has no ``reject`` entry).
_REJECTER = (
    "coalesce((SELECT l.reviewer FROM review_log l WHERE l.concept_id = c.id"
    " AND l.action = 'reject' ORDER BY l.id DESC LIMIT 1), c.updated_by, '')"
)


def _rejections(conn: sqlite3.Connection, where: str = "", params: Sequence = ()) -> dict[int, tuple[set, str]]:
    """Rejected concepts (those ``where`` also selects) by id: the (language, key) set of
    their terms and who rejected them."""
    out: dict[int, tuple[set, str]] = {}
    for cid, lang, key, reviewer in conn.execute(
        f"SELECT c.id, t.lang, t.key, {_REJECTER} FROM terms t JOIN concepts c ON c.id = t.concept_id"
        f" WHERE c.status = 'rejected'{where} ORDER BY c.id",
        params,
    ):
        out.setdefault(cid, (set(), reviewer))[0].add((lang, key))
    return out


@dataclass(frozen=True)
class EarlierRejection:
    """A rejected concept that held terms a concept holds now: a pairing or a term someone
    rejected, proposed again (the team setting ``rejections-needed`` lets it come back)."""

    concept_id: int
    reviewer: str
    shared: tuple[tuple[str, str], ...]  # the (language, key) pairs both hold


def earlier_rejections(conn: sqlite3.Connection, concept_id: int) -> list[EarlierRejection]:
    """The rejected concepts other than ``concept_id`` holding two of its terms, or holding
    one term alone that it holds, oldest first."""
    keys = {(r[0], r[1]) for r in conn.execute("SELECT lang, key FROM terms WHERE concept_id = ?", (concept_id,))}
    holders = {cid for ids in concepts_with_terms(conn, keys).values() for cid in ids if cid != concept_id}
    out = []
    for ids in _chunks(sorted(holders)):
        marks = ",".join("?" * len(ids))
        for cid, (group, reviewer) in _rejections(conn, f" AND c.id IN ({marks})", ids).items():
            shared = group & keys
            if len(shared) >= min(2, len(group)):
                out.append(EarlierRejection(cid, reviewer, tuple(sorted(shared))))
    return sorted(out, key=lambda r: r.concept_id)


def decided_term_keys(conn: sqlite3.Connection, rejections_needed: int = 1) -> set[tuple[str, str]]:
    """(language, key) of the terms an alignment run may not propose again: those of every
    concept it may not replace, except rejected ones, and the term of a rejected concept of
    one term key once ``rejections_needed`` different reviewers have rejected it. The terms
    of a rejected concept of several terms stay free: a rejection says the terms do not
    belong together (see :func:`rejected_groups`), not that none of them is a term."""
    decided = {
        (r[0], r[1])
        for r in conn.execute(
            "SELECT lang, key FROM terms WHERE concept_id IN"
            f" (SELECT id FROM concepts WHERE status <> 'rejected' AND NOT ({REPLACEABLE}))"
        )
    }
    reviewers: dict[tuple[str, str], set[str]] = {}
    for group, reviewer in _rejections(conn).values():
        if len(group) == 1:
            reviewers.setdefault(next(iter(group)), set()).add(reviewer)
    return decided | {key for key, names in reviewers.items() if len(names) >= rejections_needed}


def decided_scores(conn: sqlite3.Connection, origin: str, signal: str) -> list[tuple[float, bool, dict | None]]:
    """(score, approved, detail of its ``signal`` evidence or ``None``) of every approved or
    rejected concept of ``origin``: what reviewers decided of the proposals they were shown."""
    rows = conn.execute(
        "SELECT c.score, c.status, (SELECT e.detail FROM evidence e WHERE e.concept_id = c.id AND e.signal = ?"
        " ORDER BY e.id LIMIT 1) FROM concepts c WHERE c.status IN ('approved', 'rejected') AND c.origin = ?"
        " ORDER BY c.id",
        (signal, origin),
    )
    return [
        (float(score), status == "approved", json.loads(detail) if detail else None) for score, status, detail in rows
    ]


def rejected_groups(conn: sqlite3.Connection, rejections_needed: int = 1) -> list[frozenset[tuple[str, str]]]:
    """(language, key) sets no two terms of which may be proposed together again: with one
    rejection needed, each rejected concept of several terms; with more, each pair of terms
    that many different reviewers rejected in a concept together."""
    groups = [(g, reviewer) for g, reviewer in _rejections(conn).values() if len(g) > 1]
    if rejections_needed <= 1:
        return [frozenset(g) for g, _ in groups]
    reviewers: dict[frozenset[tuple[str, str]], set[str]] = {}
    for group, reviewer in groups:
        for a, b in combinations(sorted(group), 2):
            reviewers.setdefault(frozenset((a, b)), set()).add(reviewer)
    return [pair for pair, names in reviewers.items() if len(names) >= rejections_needed]


def replace_proposals(conn: sqlite3.Connection, proposals: Iterable[tuple[Concept, list[Suggestion]]]) -> None:
    """Replace the replaceable proposals with new concepts and their MT suggestions, in one transaction."""
    with transaction(conn):
        conn.execute(f"DELETE FROM concepts WHERE {REPLACEABLE}")
        for concept, suggestions in proposals:
            insert_concept(conn, concept)
            conn.executemany(
                "INSERT INTO mt_suggestions (concept_id, src_lang, tgt_lang, source_text, text, score, model) "
                "VALUES (?,?,?,?,?,?,?)",
                [(concept.id, s.src_lang, s.tgt_lang, s.source_text, s.text, s.score, s.model) for s in suggestions],
            )


def best_unreviewed_ids(conn: sqlite3.Connection, n: int) -> list[int]:
    """Ids of the ``n`` best-scored unreviewed concepts."""
    sql = "SELECT id FROM concepts WHERE status = 'unreviewed' ORDER BY score DESC, id LIMIT ?"
    return [r[0] for r in conn.execute(sql, (n,))]


def scored_terms(conn: sqlite3.Connection) -> list[tuple[int, float, str, str]]:
    """(concept id, concept score, language, text) of every term of a concept not rejected."""
    return [
        (r[0], r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT c.id, c.score, t.lang, t.text FROM concepts c JOIN terms t ON t.concept_id = c.id"
            " WHERE c.status != 'rejected'"
        )
    ]


# -- imports --------------------------------------------------------------------------------


def import_concept(conn: sqlite3.Connection, concept: Concept, wanted_id: int | None) -> int:
    """Insert an imported concept with its terms, contexts and notes; it keeps ``wanted_id``
    when the store has never handed that number out (its history would belong to another
    concept), else gets a new one."""
    stamp = now()
    concept.created_at = concept.created_at or stamp
    concept.updated_at = concept.updated_at or stamp
    free = wanted_id is not None and wanted_id >= next_concept_id(conn)
    explicit = wanted_id if free else next_concept_id(conn)
    new_id = conn.execute(
        "INSERT INTO concepts (id, status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (
            explicit, concept.status, concept.score, concept.subject_field, concept.origin, concept.version,
            concept.created_at, concept.updated_at, concept.updated_by,
        ),
    ).lastrowid
    assert new_id is not None
    concept.id = new_id
    write_terms(conn, new_id, concept.terms)
    add_notes(conn, new_id, concept.notes)
    return new_id


def concepts_with_term(conn: sqlite3.Connection, lang: str, key: str) -> list[int]:
    """Ids of the concepts holding a term with this language and matching key."""
    return [r[0] for r in conn.execute("SELECT DISTINCT concept_id FROM terms WHERE lang = ? AND key = ?", (lang, key))]


def set_concept_fields(conn: sqlite3.Connection, concept_id: int, **fields: str | None) -> None:
    """Set ``status`` and/or ``subject_field`` of a concept."""
    for column, value in fields.items():
        if column not in ("status", "subject_field"):
            raise ValueError(f"not a concept field: {column}")
        conn.execute(f"UPDATE concepts SET {column} = ? WHERE id = ?", (value, concept_id))


def set_term_fields(conn: sqlite3.Connection, term_id: int, **fields: str | None) -> None:
    """Set ``status``, ``pos`` and/or ``source`` of a term."""
    for column, value in fields.items():
        if column not in ("status", "pos", "source"):
            raise ValueError(f"not a term field: {column}")
        conn.execute(f"UPDATE terms SET {column} = ? WHERE id = ?", (value, term_id))


def add_contexts(conn: sqlite3.Connection, term_id: int, contexts: Iterable[Context]) -> None:
    conn.executemany(
        "INSERT INTO term_contexts (term_id, text, source) VALUES (?,?,?)",
        [(term_id, c.text, c.source) for c in contexts],
    )


def add_notes(conn: sqlite3.Connection, concept_id: int, notes: Iterable[Note]) -> None:
    stamp = now()
    conn.executemany(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
        [(concept_id, n.author, n.created_at or stamp, n.text) for n in notes],
    )


# -- imports in batches ---------------------------------------------------------------------

#: Ids in one ``IN (…)`` list (SQLite's oldest limit on parameters is 999).
IDS_PER_QUERY = 900


def _chunks(values: list, size: int = IDS_PER_QUERY) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def concepts_with_terms(conn: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """For each (language, matching key), the ids of the concepts holding such a term, in
    id order; keys no concept holds are left out. A few queries for any number of keys."""
    by_lang: dict[str, set[str]] = {}
    for lang, key in keys:
        by_lang.setdefault(lang, set()).add(key)
    found: dict[tuple[str, str], list[int]] = {}
    for lang, lang_keys in sorted(by_lang.items()):
        for chunk in _chunks(sorted(lang_keys)):
            for key, concept_id in conn.execute(
                f"SELECT DISTINCT key, concept_id FROM terms WHERE lang = ? AND key IN ({','.join('?' * len(chunk))})"
                " ORDER BY concept_id",
                (lang, *chunk),
            ):
                found.setdefault((lang, key), []).append(concept_id)
    return found


def load_concepts(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Concept]:
    """The concepts with these ids that exist, by id."""
    found: dict[int, Concept] = {}
    for chunk in _chunks(sorted(set(ids))):
        rows = conn.execute(f"SELECT * FROM concepts WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        found.update((c.id, c) for c in _hydrate(conn, rows) if c.id is not None)
    return found


def import_concepts(conn: sqlite3.Connection, items: Sequence[tuple[Concept, int | None]]) -> None:
    """Insert imported concepts with their terms, contexts and notes, in a few statements:
    the same rows, ids and numbers as :func:`import_concept` on each in turn (a concept keeps
    its wanted id when the store has never handed it out; a term whose key its concept
    already has is skipped and gets no id)."""
    if not items:
        return
    stamp = now()
    high = next_concept_id(conn) - 1
    concept_rows = []
    for concept, wanted_id in items:
        concept.created_at = concept.created_at or stamp
        concept.updated_at = concept.updated_at or stamp
        high = wanted_id if wanted_id is not None and wanted_id > high else high + 1
        concept.id = high
        concept_rows.append((
            high, concept.status, concept.score, concept.subject_field, concept.origin, concept.version,
            concept.created_at, concept.updated_at, concept.updated_by,
        ))
    conn.executemany(
        "INSERT INTO concepts (id, status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        concept_rows,
    )
    written: list[Term] = []
    term_rows = []
    for concept, _ in items:
        seen: set[tuple[str, str]] = set()
        for term in concept.terms:
            key = term.key
            if (term.lang, key) not in seen:
                seen.add((term.lang, key))
                written.append(term)
                term_rows.append((concept.id, term.lang, term.text, key, term.status, term.pos, term.source))
    conn.executemany(
        "INSERT INTO terms (concept_id, lang, text, key, status, pos, source) VALUES (?,?,?,?,?,?,?)", term_rows
    )
    # The ids the database gave the terms, by (concept, language, key): unique in a concept.
    term_ids: dict[tuple[int | None, str, str], int] = {}
    for chunk in _chunks([c.id for c, _ in items]):
        for term_id, concept_id, lang, key in conn.execute(
            f"SELECT id, concept_id, lang, key FROM terms WHERE concept_id IN ({','.join('?' * len(chunk))})", chunk
        ):
            term_ids[(concept_id, lang, key)] = term_id
    context_rows: list[tuple[int, str, str | None]] = []
    for (concept_id, lang, _, key, *_), term in zip(term_rows, written, strict=True):
        term.id = term_ids[(concept_id, lang, key)]
        context_rows.extend((term.id, c.text, c.source) for c in term.contexts)
    conn.executemany("INSERT INTO term_contexts (term_id, text, source) VALUES (?,?,?)", context_rows)
    conn.executemany(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
        [(concept.id, n.author, n.created_at or stamp, n.text) for concept, _ in items for n in concept.notes],
    )


def log_actions(
    conn: sqlite3.Connection, entries: Iterable[tuple[int | None, str, str, dict | None, dict | None]]
) -> None:
    """Append entries (concept id, reviewer, action, before, after) to the review log in one
    statement, as :func:`log_action` appends one."""
    stamp = now()
    conn.executemany(
        "INSERT INTO review_log (concept_id, reviewer, at, action, before, after) VALUES (?,?,?,?,?,?)",
        [
            (
                concept_id, reviewer, stamp, action,
                json.dumps(before, ensure_ascii=False, sort_keys=True) if before is not None else None,
                json.dumps(after, ensure_ascii=False, sort_keys=True) if after is not None else None,
            )
            for concept_id, reviewer, action, before, after in entries
        ],
    )
