"""Suggestions: terms the aligner made up (composition, MT), kept apart from attested terms.

A *term* of a concept is attested: it occurs in its language's corpus, in an approved
entry, or in a shipped lexical source that names it. A composed or machine-translated
reading that no text attests is a *suggestion*: stored here with its origin, shown to the
reviewer, never a term (nor exported as one) until a reviewer accepts it. A suggestion is
*accepted* when its concept holds a term with the same matching key in its language, so an
undone acceptance makes it wait again.

Like the other store modules, these functions take the backend's connection and are written
once in the SQL both engines share (:class:`~termalign.store.postgres.PgConnection` is the
PostgreSQL shim); everything outside the store reaches them through the suggestion methods of
:class:`~termalign.store.interface.TermStore`, never through a connection.

Writers here never open a transaction except :func:`accept_suggestion` and
:func:`replace_proposals`, each one action; the aligner writes suggestions inside its own transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from termalign import lang as languages
from termalign.errors import ConflictError, TermalignError
from termalign.store import review_sql
from termalign.store.candidates import located_sentences
from termalign.store.concepts import (
    REPLACEABLE,
    Concept,
    Term,
    bump_version,
    insert_concept,
    load_concept,
    log_action,
    write_terms,
)
from termalign.store.concepts import Suggestion as MTSuggestion
from termalign.store.db import now, transaction
from termalign.store.review_sql import LogState

#: Term sources that are not attestations: a term stored with one of these (by a store
#: written before suggestions existed) is a suggestion in a term's place.
UNATTESTED_SOURCES = ("compositional", "mt")
#: The source of a term a reviewer accepted from a suggestion of origin ``origin``.
ACCEPTED_PREFIX = "suggestion:"
#: The review-log action of an accepted suggestion.
ACCEPT_ACTION = "accept_suggestion"


@dataclass
class TermSuggestion:
    lang: str
    text: str
    origin: str  # "compositional" or "mt:<model>"
    detail: dict = field(default_factory=dict)
    id: int | None = None
    concept_id: int | None = None
    accepted: bool = False

    @property
    def key(self) -> str:
        return languages.get(self.lang).key(self.text)


def replace_proposals(
    conn: sqlite3.Connection, proposals: Iterable[tuple[Concept, list[MTSuggestion], list[TermSuggestion]]]
) -> None:
    """Replace the replaceable proposals with new concepts, their MT suggestions and their
    term suggestions, in one transaction (:func:`termalign.store.concepts.replace_proposals`
    with the suggestions of this module)."""
    with transaction(conn):
        conn.execute(f"DELETE FROM concepts WHERE {REPLACEABLE}")
        for concept, mt, suggestions in proposals:
            concept_id = insert_concept(conn, concept)
            conn.executemany(
                "INSERT INTO mt_suggestions (concept_id, src_lang, tgt_lang, source_text, text, score, model) "
                "VALUES (?,?,?,?,?,?,?)",
                [(concept_id, s.src_lang, s.tgt_lang, s.source_text, s.text, s.score, s.model) for s in mt],
            )
            insert_suggestions(conn, concept_id, suggestions)


def insert_suggestions(conn: sqlite3.Connection, concept_id: int, suggestions: Iterable[TermSuggestion]) -> None:
    """Store a concept's suggestions (one per language and key; a repeat is skipped)."""
    stamp = now()
    for s in suggestions:
        cur = conn.execute(
            "INSERT OR IGNORE INTO suggestions (concept_id, lang, text, key, origin, detail, created_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                concept_id,
                s.lang,
                s.text,
                s.key,
                s.origin,
                json.dumps(s.detail, ensure_ascii=False, sort_keys=True),
                stamp,
            ),
        )
        if cur.rowcount:
            s.id, s.concept_id = cur.lastrowid, concept_id


_SELECT = (
    "SELECT s.id, s.concept_id, s.lang, s.text, s.origin, s.detail, "
    "EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = s.concept_id AND t.lang = s.lang AND t.key = s.key) "
    "FROM suggestions s"
)


def _row(r: tuple) -> TermSuggestion:
    return TermSuggestion(r[2], r[3], r[4], json.loads(r[5]), r[0], r[1], bool(r[6]))


def suggestions_for(conn: sqlite3.Connection, concept_id: int) -> list[TermSuggestion]:
    """A concept's suggestions, waiting and accepted, in language order."""
    rows = conn.execute(f"{_SELECT} WHERE s.concept_id = ? ORDER BY s.id", (concept_id,)).fetchall()
    found = [_row(r) for r in rows]
    return sorted(found, key=lambda s: (languages.CODES.index(s.lang) if s.lang in languages.CODES else 99, s.id or 0))


def get_suggestion(conn: sqlite3.Connection, suggestion_id: int) -> TermSuggestion | None:
    row = conn.execute(f"{_SELECT} WHERE s.id = ?", (suggestion_id,)).fetchone()
    return _row(row) if row else None


def suggestion_counts(conn: sqlite3.Connection) -> dict:
    """``waiting`` and ``accepted`` suggestions, and waiting ones by origin and language,
    over concepts not rejected."""
    rows = conn.execute(f"{_SELECT} JOIN concepts c ON c.id = s.concept_id WHERE c.status != 'rejected'").fetchall()
    waiting = [_row(r) for r in rows]
    by_origin: dict[str, int] = {}
    by_lang: dict[str, int] = {}
    for s in waiting:
        if not s.accepted:
            origin = s.origin.split(":")[0]
            by_origin[origin] = by_origin.get(origin, 0) + 1
            by_lang[s.lang] = by_lang.get(s.lang, 0) + 1
    accepted = sum(s.accepted for s in waiting)
    return {
        "waiting": len(waiting) - accepted,
        "accepted": accepted,
        "by_origin": dict(sorted(by_origin.items())),
        "by_language": dict(sorted(by_lang.items())),
    }


def scored_suggestions(conn: sqlite3.Connection) -> list[tuple[int, float, str, str]]:
    """(concept id, concept score, language, text) of every waiting suggestion of a concept
    not rejected (the companion of the store's ``scored_terms``)."""
    rows = conn.execute(
        "SELECT c.id, c.score, s.lang, s.text FROM suggestions s JOIN concepts c ON c.id = s.concept_id"
        " WHERE c.status != 'rejected' AND NOT EXISTS (SELECT 1 FROM terms t"
        " WHERE t.concept_id = s.concept_id AND t.lang = s.lang AND t.key = s.key)"
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _attested_where(alias: str = "t") -> str:
    marks = ", ".join(f"'{s}'" for s in UNATTESTED_SOURCES)
    return f"({alias}.source IS NULL OR {alias}.source NOT IN ({marks}))"


def attested_term_count(conn: sqlite3.Connection) -> int:
    """Terms (of concepts not rejected) that are attested: every term but a legacy
    composed or machine-translated one."""
    return conn.execute(
        "SELECT count(*) FROM terms t JOIN concepts c ON c.id = t.concept_id"
        f" WHERE c.status != 'rejected' AND {_attested_where()}"
    ).fetchone()[0]


def attested_terms(conn: sqlite3.Connection, concept_id: int) -> list[Term]:
    """A concept's attested terms (the ones an export writes as terms), in store order."""
    rows = conn.execute(
        "SELECT t.id, t.lang, t.text, t.status, t.pos, t.source FROM terms t"
        f" WHERE t.concept_id = ? AND {_attested_where()} ORDER BY t.id",
        (concept_id,),
    ).fetchall()
    return [Term(r[1], r[2], r[3], r[4], r[5], id=r[0]) for r in rows]


def language_texts(conn: sqlite3.Connection) -> dict[str, str]:
    """Per language, the matching keys of all its sentences joined by newlines: the text a
    term must occur in to be attested by the corpus."""
    parts: dict[str, list[str]] = {}
    rows = conn.execute(
        'SELECT s.lang, substr(d.text, s.start + 1, s."end" - s.start)'
        " FROM sentences s JOIN documents d ON d.id = s.document_id"
    )
    for code, text in rows:
        if code in languages.LANGUAGES:
            parts.setdefault(code, []).append(languages.get(code).key(text))
    return {code: "\n".join(texts) for code, texts in parts.items()}


def language_sentences(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Per language, its sentences as the corpus holds them."""
    parts: dict[str, list[str]] = {}
    for _, code, _, text in located_sentences(conn):
        if code in languages.LANGUAGES:
            parts.setdefault(code, []).append(text)
    return parts


def candidate_keys(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    yield from conn.execute("SELECT lang, key FROM candidates")


@dataclass(frozen=True)
class Accepted:
    """What :func:`accept_suggestion` changed (the fields the review TUI refreshes by)."""

    action: str
    concept_id: int
    term_id: int
    changed: tuple[int, ...] = ()
    created: tuple[int, ...] = ()
    deleted: tuple[int, ...] = ()

    @property
    def touched(self) -> tuple[int, ...]:
        return self.changed + self.created + self.deleted


def _state(conn: sqlite3.Connection, concept_id: int) -> LogState:
    # The same picture every review action logs, so that undo and redo of the review log
    # restore an accepted suggestion like an added term.
    concept = load_concept(conn, concept_id)
    if concept is None:
        raise ConflictError(f"concept {concept_id} no longer exists (merged or deleted by someone else)")
    return LogState.of(review_sql.snapshot(conn, concept))


def accept_suggestion(conn: sqlite3.Connection, suggestion_id: int, *, version: int, reviewer: str) -> Accepted:
    """Accept a suggestion into its concept: it becomes a term (preferred when the concept
    has no term in that language yet) whose source records the suggestion's origin.

    One transaction with the optimistic version check and one review-log entry
    (``accept_suggestion``, with the states before and after like every review action, so undo
    takes the term out again and the suggestion waits once more).
    """
    with transaction(conn):
        s = get_suggestion(conn, suggestion_id)
        if s is None or s.concept_id is None:
            raise ConflictError(f"suggestion {suggestion_id} no longer exists (its concept was re-aligned or deleted)")
        if s.accepted:
            raise TermalignError(f"suggestion {suggestion_id} is already a term of concept {s.concept_id}")
        concept_id = s.concept_id
        before = _state(conn, concept_id)
        bump_version(conn, concept_id, version, reviewer)
        has_lang = conn.execute(
            "SELECT 1 FROM terms WHERE concept_id = ? AND lang = ?", (concept_id, s.lang)
        ).fetchone()
        term = Term(
            s.lang, s.text, "admitted" if has_lang else "preferred", source=f"{ACCEPTED_PREFIX}{s.origin}:{reviewer}"
        )
        write_terms(conn, concept_id, [term])
        if term.id is None:
            raise TermalignError(f"concept {concept_id} already has the {s.lang} term {s.text!r}")
        log_action(conn, concept_id, reviewer, ACCEPT_ACTION, before.to_json(), _state(conn, concept_id).to_json())
    return Accepted(ACCEPT_ACTION, concept_id, term.id, changed=(concept_id,))


__all__ = [
    "ACCEPTED_PREFIX",
    "ACCEPT_ACTION",
    "Accepted",
    "TermSuggestion",
    "UNATTESTED_SOURCES",
    "accept_suggestion",
    "attested_term_count",
    "attested_terms",
    "candidate_keys",
    "get_suggestion",
    "insert_suggestions",
    "language_texts",
    "suggestion_counts",
    "suggestions_for",
    "replace_proposals",
]
