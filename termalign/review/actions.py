"""Review actions: approve, reject, reset, edit, add a term, accept a suggestion as a term,
set the preferred term, note, merge, split, bulk approve and reject, and the actions on one
term (deprecate, delete, part of speech) and on a concept's subject field.

Every action is one transaction: the optimistic version check (:func:`bump_version`), the
change, and one append-only :func:`log_action` entry with the state before and after
(:class:`LogState`). Scripts can call these functions exactly as the TUI does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from termalign import lang as languages
from termalign.errors import ConflictError, TermalignError
from termalign.normalize import script_fraction
from termalign.store import StoreLike, TermStore, as_store
from termalign.store.concepts import (
    CONCEPT_STATUSES,
    Concept,
    Term,
)
from termalign.store.review_sql import ConceptSnapshot, LogState

STATUS_ACTIONS = {"approved": "approve", "rejected": "reject", "unreviewed": "reset"}


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
    skipped: tuple[int, ...] = field(default=())  # already decided: a bulk action left them alone

    @property
    def touched(self) -> tuple[int, ...]:
        return self.changed + self.created + self.deleted


def log(conn: StoreLike, concept_id: int | None, reviewer: str, action: str,
        before: LogState | None, after: LogState | None) -> None:
    """Append one review-log entry with typed before/after states."""
    store = as_store(conn)
    store.log_action(concept_id, reviewer, action,
               before.to_json() if before else None, after.to_json() if after else None)


def require(conn: StoreLike, concept_id: int) -> Concept:
    store = as_store(conn)
    concept = store.load_concept(concept_id)
    if concept is None:
        raise ConflictError(f"concept {concept_id} no longer exists (merged or deleted by someone else)")
    return concept


def _term(concept: Concept, term_id: int) -> Term:
    term = next((t for t in concept.terms if t.id == term_id), None)
    if term is None:
        raise ConflictError(f"term {term_id} is no longer in concept {concept.id}")
    return term


def _single(
    conn: StoreLike, concept_id: int, version: int, reviewer: str, action: str,
    change: Callable[[Concept], None],
) -> Outcome:
    """Run one action on one concept: check, change, log — all in one transaction."""
    store = as_store(conn)
    with store.transaction():
        concept = require(conn, concept_id)
        before = store.snapshot(concept)
        store.bump_version(concept_id, version, reviewer)
        change(concept)
        after = store.snapshot(require(conn, concept_id))
        log(conn, concept_id, reviewer, action, LogState.of(before), LogState.of(after))
    return Outcome(action, concept_id, changed=(concept_id,))


def set_status(conn: StoreLike, concept_id: int, status: str, *, version: int, reviewer: str) -> Outcome:
    """Approve, reject, or reset a concept to unreviewed."""
    store = as_store(conn)
    if status not in CONCEPT_STATUSES:
        raise TermalignError(f"unknown concept status {status!r}")

    def change(_: Concept) -> None:
        store.set_status(concept_id, status)

    return _single(conn, concept_id, version, reviewer, STATUS_ACTIONS[status], change)


def approve(conn: StoreLike, concept_id: int, *, version: int, reviewer: str) -> Outcome:
    return set_status(conn, concept_id, "approved", version=version, reviewer=reviewer)


def reject(conn: StoreLike, concept_id: int, *, version: int, reviewer: str) -> Outcome:
    return set_status(conn, concept_id, "rejected", version=version, reviewer=reviewer)


def reset(conn: StoreLike, concept_id: int, *, version: int, reviewer: str) -> Outcome:
    return set_status(conn, concept_id, "unreviewed", version=version, reviewer=reviewer)


#: Share of a term's letters that must be in its language's script. Below it the term was
#: typed in another language (a Khmer word saved as Thai would export as Thai); half lets a
#: Khmer or Thai term hold a Latin acronym (ការងារ COVID-19).
MIN_OWN_SCRIPT_SHARE = 0.5
_LATIN_NAME_RE = re.compile(r"\S*[A-Z0-9]\S*")


def _check_text(lang: str, text: str) -> str:
    """A term normalized for its language; refused when empty or written in another script.
    Latin names and acronyms (every word with a capital or a digit: VNeID, COVID-19) stand
    in every language."""
    language = languages.get(lang)
    text = language.normalize(text).strip()
    if not text:
        raise TermalignError("a term cannot be empty")
    seen = languages.identify(text)  # None: no letters at all (a number)
    if seen is not None and script_fraction(text, language.script) < MIN_OWN_SCRIPT_SHARE:
        name = script_fraction(text, "latin") == 1 and all(_LATIN_NAME_RE.fullmatch(w) for w in text.split())
        if not name:
            like = f" (it reads as {languages.get(seen).name})" if seen and seen != lang else ""
            raise TermalignError(f"{text!r} is not written in {language.name} script{like}: not saved")
    return text


def edit_term(
    conn: StoreLike, concept_id: int, term_id: int, text: str, *, version: int, reviewer: str
) -> Outcome:
    """Change a term's text (its matching key follows)."""
    store = as_store(conn)

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        new = _check_text(term.lang, text)
        if new == term.text:
            raise TermalignError("the term is unchanged (after normalization)")
        key = languages.get(term.lang).key(new)
        if any(t.id != term_id and t.lang == term.lang and t.key == key for t in concept.terms):
            raise TermalignError(f"concept {concept_id} already has the {term.lang} term {new!r}")
        store.set_term_text(term_id, new, key)

    return _single(conn, concept_id, version, reviewer, "edit_term", change)


def add_term(
    conn: StoreLike, concept_id: int, lang: str, text: str, *, version: int, reviewer: str
) -> Outcome:
    """Add a term in a language; the first term of a language becomes its preferred term."""
    store = as_store(conn)

    def change(concept: Concept) -> None:
        new = _check_text(lang, text)
        term = Term(lang, new, "admitted" if concept.terms_in(lang) else "preferred", source=f"review:{reviewer}")
        if any(t.lang == lang and t.key == term.key for t in concept.terms):
            raise TermalignError(f"concept {concept_id} already has the {lang} term {new!r}")
        store.write_terms(concept_id, [term])

    return _single(conn, concept_id, version, reviewer, "add_term", change)


def accept_suggestion(conn: StoreLike, suggestion_id: int, *, version: int, reviewer: str) -> Outcome:
    """Accept a term suggestion into its concept (version ``version``): it becomes a term whose
    source names the suggestion's origin; logged as ``accept_suggestion`` and undone like any action."""
    accepted = as_store(conn).accept_suggestion(suggestion_id, version=version, reviewer=reviewer)
    return Outcome(accepted.action, accepted.concept_id, changed=accepted.changed)


def set_preferred(conn: StoreLike, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Make one variant the preferred term of its language; the former preferred is admitted."""
    store = as_store(conn)

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        store.set_preferred(concept_id, term.lang, term_id)

    return _single(conn, concept_id, version, reviewer, "set_preferred", change)


#: Parts of speech a term may be given (TBX partOfSpeech picklist values).
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "properNoun", "other")


def _promote_next(store: TermStore, concept: Concept, term: Term) -> None:
    """When ``term`` stops being its language's preferred term, its first usable variant
    (admitted, else any) takes its place."""
    if term.status != "preferred":
        return
    rest = [t for t in concept.terms_in(term.lang) if t.id != term.id and t.id is not None]
    rest.sort(key=lambda t: (t.status == "deprecated", t.id))
    if rest and rest[0].status != "deprecated":
        store.set_preferred(concept.id or 0, term.lang, rest[0].id or 0)


def deprecate(conn: StoreLike, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Mark a term deprecated (a form not to use); a deprecated preferred term hands that
    place to its first admitted variant."""
    store = as_store(conn)

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        if term.status == "deprecated":
            raise TermalignError(f"the {term.lang} term {term.text!r} is deprecated already")
        _promote_next(store, concept, term)
        store.set_term_status(term_id, "deprecated")

    return _single(conn, concept_id, version, reviewer, "deprecate", change)


def undeprecate(conn: StoreLike, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Make a deprecated term usable again: admitted, or preferred where its language has none."""
    store = as_store(conn)

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        if term.status != "deprecated":
            raise TermalignError(f"the {term.lang} term {term.text!r} is not deprecated")
        has_preferred = any(t.status == "preferred" for t in concept.terms_in(term.lang))
        store.set_term_status(term_id, "admitted" if has_preferred else "preferred")

    return _single(conn, concept_id, version, reviewer, "undeprecate", change)


def delete_term(conn: StoreLike, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Delete one variant (undo brings it back); a concept keeps at least one term."""
    store = as_store(conn)

    def change(concept: Concept) -> None:
        term = _term(concept, term_id)
        if len(concept.terms) < 2:
            raise TermalignError("cannot delete the only term of a concept (reject the concept instead)")
        _promote_next(store, concept, term)
        store.delete_term(term_id)

    return _single(conn, concept_id, version, reviewer, "delete_term", change)


def set_pos(
    conn: StoreLike, concept_id: int, term_id: int, pos: str, *, version: int, reviewer: str
) -> Outcome:
    """Set a term's part of speech (one of :data:`PARTS_OF_SPEECH`; empty clears it)."""
    store = as_store(conn)
    value = pos.strip()
    match = next((p for p in PARTS_OF_SPEECH if p.casefold() == value.casefold()), None)
    if value and match is None:
        raise TermalignError(f"part of speech is one of {', '.join(PARTS_OF_SPEECH)} (empty clears), not {value!r}")

    def change(concept: Concept) -> None:
        _term(concept, term_id)
        store.set_term_fields(term_id, pos=match)

    return _single(conn, concept_id, version, reviewer, "set_pos", change)


def set_subject_field(
    conn: StoreLike, concept_id: int, subject_field: str, *, version: int, reviewer: str
) -> Outcome:
    """Set a concept's subject field (``e-government``, ``taxation``…; empty clears it)."""
    store = as_store(conn)

    def change(_: Concept) -> None:
        store.set_concept_fields(concept_id, subject_field=" ".join(subject_field.split()) or None)

    return _single(conn, concept_id, version, reviewer, "set_subject_field", change)


def add_note(conn: StoreLike, concept_id: int, text: str, *, version: int, reviewer: str) -> Outcome:
    store = as_store(conn)
    if not text.strip():
        raise TermalignError("a note cannot be empty")

    def change(_: Concept) -> None:
        store.add_note(concept_id, reviewer, text.strip())

    return _single(conn, concept_id, version, reviewer, "note", change)


def merge(
    conn: StoreLike, target_id: int, source_id: int, *, target_version: int, source_version: int, reviewer: str
) -> Outcome:
    """Merge ``source`` into ``target``: its terms (as variants), evidence, notes and MT
    suggestions move over and the source concept is gone. A term whose key the target
    already has in that language is dropped."""
    store = as_store(conn)
    if target_id == source_id:
        raise TermalignError("cannot merge a concept with itself")
    with store.transaction():
        target, source = require(conn, target_id), require(conn, source_id)
        before = LogState((store.snapshot(target), store.snapshot(source)))
        store.bump_version(target_id, target_version, reviewer)
        store.bump_version(source_id, source_version, reviewer)
        have = {(t.lang, t.key) for t in target.terms}
        moves: list[tuple[int, str]] = []
        for term in source.terms:
            if (term.lang, term.key) in have:
                continue
            status = "admitted" if target.terms_in(term.lang) or term.status != "preferred" else "preferred"
            assert term.id is not None
            moves.append((term.id, status))
            have.add((term.lang, term.key))
        store.move_terms(target_id, moves)
        store.merge_into(target_id, source_id, source.score)
        after = LogState((store.snapshot(require(conn, target_id)),), absent=(source_id,))
        log(conn, target_id, reviewer, "merge", before, after)
    return Outcome("merge", target_id, changed=(target_id,), deleted=(source_id,))


def split(conn: StoreLike, concept_id: int, term_id: int, *, version: int, reviewer: str) -> Outcome:
    """Move one variant off into a new, unreviewed concept of its own."""
    store = as_store(conn)
    with store.transaction():
        concept = require(conn, concept_id)
        term = _term(concept, term_id)
        if len(concept.terms) < 2:
            raise TermalignError("cannot split off the only term of a concept")
        before_snap = store.snapshot(concept)
        store.bump_version(concept_id, version, reviewer)
        new_id = store.split_off(concept, term_id, reviewer)
        rest = [t for t in concept.terms_in(term.lang) if t.id != term_id]
        if term.status == "preferred" and rest:
            assert rest[0].id is not None
            store.set_term_status(rest[0].id, "preferred")
        after = LogState((store.snapshot(require(conn, concept_id)), store.snapshot(require(conn, new_id))))
        log(conn, concept_id, reviewer, "split", LogState((before_snap,), absent=(new_id,)), after)
    return Outcome("split", concept_id, changed=(concept_id,), created=(new_id,))


BULK_ACTIONS = {"approved": "bulk_approve", "rejected": "bulk_reject"}


def bulk_set_status(
    conn: StoreLike, versions: dict[int, int], status: str, *, reviewer: str, overturn: bool = False
) -> Outcome:
    """Approve or reject many concepts in one transaction and one log entry.

    Only unreviewed concepts change unless ``overturn`` is given: a concept already decided
    the other way is left as it is and listed in ``skipped``. A concept changed since it was
    shown (or gone) is left as it is and reported in ``conflicts``."""
    store = as_store(conn)
    if status not in BULK_ACTIONS:
        raise TermalignError(f"bulk actions approve or reject, not {status!r}")
    conflicts: list[str] = []
    refused: list[int] = []
    skipped: list[int] = []
    before: list[ConceptSnapshot] = []
    after: list[ConceptSnapshot] = []
    done: list[int] = []
    with store.transaction():
        for cid, version in versions.items():
            concept = store.load_concept(cid)
            if concept is None or concept.version != version:
                who = concept.updated_by or "someone else" if concept else ""
                why = "no longer exists" if concept is None else f"was changed by {who}"
                conflicts.append(f"concept {cid} {why}")
                refused.append(cid)
                continue
            if concept.status == status:
                continue
            if concept.status != "unreviewed" and not overturn:
                skipped.append(cid)
                continue
            before.append(store.snapshot(concept))
            store.bump_version(cid, version, reviewer)
            store.set_status(cid, status)
            after.append(store.snapshot(require(conn, cid)))
            done.append(cid)
        if done:
            log(conn, None, reviewer, BULK_ACTIONS[status], LogState(tuple(before)), LogState(tuple(after)))
    return Outcome(
        BULK_ACTIONS[status], None, changed=tuple(done), conflicts=tuple(conflicts), refused=tuple(refused),
        skipped=tuple(skipped),
    )


def bulk_approve(
    conn: StoreLike, versions: dict[int, int], *, reviewer: str, overturn: bool = False
) -> Outcome:
    """Approve the unreviewed among many concepts (and, with ``overturn``, the rejected)."""
    return bulk_set_status(conn, versions, "approved", reviewer=reviewer, overturn=overturn)


def bulk_reject(
    conn: StoreLike, versions: dict[int, int], *, reviewer: str, overturn: bool = False
) -> Outcome:
    """Reject the unreviewed among many concepts (and, with ``overturn``, the approved)."""
    return bulk_set_status(conn, versions, "rejected", reviewer=reviewer, overturn=overturn)
