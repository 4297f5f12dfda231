"""Importing a termbase file into the store: merge by normalized key, never lose a decision.

An entry of the file is matched to stored concepts that share a term with it (same language,
same matching key ``lang.get(code).key(text)``); concepts added by the same import are not
match targets, so a file's own homonyms stay separate concepts. Then:

* no match → **added** (keeping the file's concept number when the store has never used it);
* one best match → **merged**: new terms, contexts, notes, a missing subject field, part of
  speech or source are added; a *decided* entry (approved or rejected) decides a stored
  proposal; or **unchanged** when the file adds nothing;
* **conflicting** → nothing is applied and the reason is reported: the entry matches several
  stored concepts equally well, the subject fields differ, or a decided entry disagrees with
  a decided concept (status, a term's status, the preferred term), or an undecided entry
  would add terms to a decided concept.

The whole import is one transaction: a file that fails half-way (malformed, hostile, a bad
row) leaves the store exactly as it was. Each added or merged concept gets a review-log entry.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from termalign.export.base import Entry, TermbaseReader, text_of
from termalign.store.concepts import (
    Concept,
    Term,
    bump_version,
    load_concept,
    log_action,
    next_concept_id,
    write_terms,
)
from termalign.store.db import now, transaction


@dataclass
class Conflict:
    """An entry of the file that was not applied, and why."""

    where: str
    concepts: list[int]
    reason: str
    terms: str

    def to_dict(self) -> dict:
        return {"where": self.where, "concepts": self.concepts, "reason": self.reason, "terms": self.terms}


@dataclass
class ImportReport:
    path: str
    added: int = 0
    merged: list[int] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: int = 0
    ignored_languages: dict[str, int] = field(default_factory=dict)
    ignored_categories: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "dry_run": self.dry_run,
            "added": self.added,
            "merged": len(self.merged),
            "unchanged": self.unchanged,
            "conflicting": len(self.conflicts),
            "skipped": self.skipped,
            "merged_ids": self.merged,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "ignored_languages": self.ignored_languages,
            "ignored_categories": self.ignored_categories,
        }


class _DryRun(Exception):
    """Raised inside the import transaction to roll a dry run back."""


def _decided(concept: Concept) -> bool:
    return concept.status != "unreviewed"


def keyed(concept: Concept) -> dict[tuple[str, str], Term]:
    """A concept's terms by (language, matching key), the first of each kept (keys are
    costly for Thai: compute them once)."""
    out: dict[tuple[str, str], Term] = {}
    for term in concept.terms:
        out.setdefault((term.lang, term.key), term)
    return out


def _term_list(terms: Iterable[Term]) -> str:
    return "; ".join(f"{t.lang}: {t.text}" for t in terms)


def conflict_reason(stored: Concept, incoming: Concept) -> str | None:
    """Why ``incoming`` cannot be merged into ``stored`` without overriding a decision;
    ``None`` when it can."""
    if stored.subject_field and incoming.subject_field and text_of(stored.subject_field) != text_of(incoming.subject_field):
        return f"subject field differs (store {stored.subject_field!r}, file {incoming.subject_field!r})"
    stored_terms, incoming_terms = keyed(stored), keyed(incoming)
    new_terms = [t for k, t in incoming_terms.items() if k not in stored_terms]
    if _decided(stored) and not _decided(incoming) and new_terms:
        return f"an unreviewed entry adds terms ({_term_list(new_terms)}) to a concept already {stored.status}"
    if _decided(stored) and _decided(incoming):
        if stored.status != incoming.status:
            return f"status differs (store {stored.status}, file {incoming.status})"
        for k, term in incoming_terms.items():
            old = stored_terms.get(k)
            if old is not None and old.status != term.status:
                return f"{term.lang} {term.text!r} is {old.status} in the store, {term.status} in the file"
        for term in new_terms:
            if term.status == "preferred" and any(t.status == "preferred" for t in stored.terms_in(term.lang)):
                return f"preferred {term.lang} term differs (store {stored.preferred(term.lang).text!r}, file {term.text!r})"
    return None


def _apply(conn: sqlite3.Connection, stored: Concept, incoming: Concept) -> bool:
    """Merge ``incoming`` into ``stored`` (no conflict checked here); True when anything changed."""
    file_decides = _decided(incoming) and not _decided(stored)
    changed = False
    if file_decides and stored.status != incoming.status:
        conn.execute("UPDATE concepts SET status = ? WHERE id = ?", (incoming.status, stored.id))
        changed = True
    if not stored.subject_field and incoming.subject_field:
        conn.execute("UPDATE concepts SET subject_field = ? WHERE id = ?", (incoming.subject_field, stored.id))
        changed = True
    stored_terms, incoming_terms = keyed(stored), keyed(incoming)
    preferred_langs = {t.lang for t in stored.terms if t.status == "preferred"}
    for k, term in incoming_terms.items():
        old = stored_terms.get(k)
        if old is None:
            status = term.status
            if status == "preferred" and term.lang in preferred_langs and not file_decides:
                status = "admitted"
            if status == "preferred":
                preferred_langs.add(term.lang)
            write_terms(conn, stored.id, [Term(term.lang, term.text, status, term.pos, term.source, term.contexts)])
            changed = True
            continue
        if file_decides and old.status != term.status:
            conn.execute("UPDATE terms SET status = ? WHERE id = ?", (term.status, old.id))
            changed = True
        for column, value in (("pos", term.pos), ("source", term.source)):
            if value and not getattr(old, column):
                conn.execute(f"UPDATE terms SET {column} = ? WHERE id = ?", (value, old.id))
                changed = True
        known = {c.text for c in old.contexts}
        fresh = [c for c in term.contexts if c.text not in known]
        if fresh:
            conn.executemany(
                "INSERT INTO term_contexts (term_id, text, source) VALUES (?,?,?)", [(old.id, c.text, c.source) for c in fresh]
            )
            changed = True
    if file_decides:
        # The file's preferred term replaces the stored one in that language.
        incoming_preferred = {k for k, t in incoming_terms.items() if t.status == "preferred"}
        preferred_langs_in_file = {lang for lang, _ in incoming_preferred}
        for k, term in stored_terms.items():
            if term.status == "preferred" and term.lang in preferred_langs_in_file and k not in incoming_preferred:
                conn.execute("UPDATE terms SET status = 'admitted' WHERE id = ?", (term.id,))
                changed = True
    known_notes = {n.text for n in stored.notes}
    fresh_notes = [n for n in incoming.notes if n.text not in known_notes]
    if fresh_notes:
        stamp = now()
        conn.executemany(
            "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
            [(stored.id, n.author, n.created_at or stamp, n.text) for n in fresh_notes],
        )
        changed = True
    return changed


def _id_is_free(conn: sqlite3.Connection, concept_id: int) -> bool:
    # A number the store ever handed out is not reused: its history belongs to another concept.
    return concept_id >= next_concept_id(conn)


def _add(conn: sqlite3.Connection, concept: Concept, wanted_id: int | None) -> int:
    stamp = now()
    concept.created_at = concept.created_at or stamp
    concept.updated_at = concept.updated_at or stamp
    explicit = wanted_id if wanted_id is not None and _id_is_free(conn, wanted_id) else next_concept_id(conn)
    concept.id = conn.execute(
        "INSERT INTO concepts (id, status, score, subject_field, origin, version, created_at, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (
            explicit, concept.status, concept.score, concept.subject_field, concept.origin, concept.version,
            concept.created_at, concept.updated_at, concept.updated_by,
        ),
    ).lastrowid
    write_terms(conn, concept.id, concept.terms)
    conn.executemany(
        "INSERT INTO notes (concept_id, author, created_at, text) VALUES (?,?,?,?)",
        [(concept.id, n.author, n.created_at or stamp, n.text) for n in concept.notes],
    )
    return concept.id


def _matches(conn: sqlite3.Connection, keys: Iterable[tuple[str, str]], added: set[int]) -> Counter:
    """Stored concepts sharing a (language, key) with an entry, with how many they share."""
    shared: Counter = Counter()
    for key in keys:
        for (cid,) in conn.execute("SELECT DISTINCT concept_id FROM terms WHERE lang = ? AND key = ?", key):
            if cid not in added:
                shared[cid] += 1
    return shared


def merge_entries(
    conn: sqlite3.Connection, entries: Iterable[Entry], report: ImportReport, *, reviewer: str,
    on_entry: Callable[[Entry], None] | None = None,
) -> None:
    """Merge entries into the store, inside the caller's transaction, filling ``report``."""
    added: set[int] = set()
    for entry in entries:
        concept = entry.concept
        shared = _matches(conn, keyed(concept), added).most_common()
        if not shared:
            added.add(_add(conn, concept, entry.file_id))
            log_action(conn, concept.id, reviewer, "import-add", None, concept.snapshot())
            report.added += 1
        elif len(shared) > 1 and shared[0][1] == shared[1][1]:
            tied = sorted(cid for cid, n in shared if n == shared[0][1])
            report.conflicts.append(
                Conflict(entry.where, tied, f"matches {len(tied)} stored concepts equally", _term_list(concept.terms))
            )
        else:
            stored = load_concept(conn, shared[0][0])
            reason = conflict_reason(stored, concept)
            if reason is not None:
                report.conflicts.append(Conflict(entry.where, [stored.id], reason, _term_list(concept.terms)))
            elif _apply(conn, stored, concept):
                bump_version(conn, stored.id, stored.version, reviewer)
                log_action(conn, stored.id, reviewer, "import-merge", stored.snapshot(), load_concept(conn, stored.id).snapshot())
                report.merged.append(stored.id)
            else:
                report.unchanged += 1
        if on_entry is not None:
            on_entry(entry)


def import_reader(
    conn: sqlite3.Connection, reader: TermbaseReader, *, reviewer: str, dry_run: bool = False,
    on_entry: Callable[[Entry], None] | None = None,
) -> ImportReport:
    """Read a whole file into the store in one transaction (rolled back for a dry run or on
    any error, which is raised)."""
    report = ImportReport(path=str(reader.path), dry_run=dry_run)
    try:
        with transaction(conn):
            merge_entries(conn, reader, report, reviewer=reviewer, on_entry=on_entry)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.skipped = reader.stats.skipped_entries
    report.ignored_languages = dict(sorted(reader.stats.ignored_languages.items()))
    report.ignored_categories = dict(sorted(reader.stats.ignored_categories.items()))
    return report
