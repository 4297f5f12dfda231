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
Entries are merged in batches (:data:`BATCH_ENTRIES`), in the file's order, with the outcome
of merging them one at a time: a batch's keys are looked up together and its new concepts
written in a few statements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from termalign.export.base import Entry, TermbaseReader, text_of
from termalign.store import StoreLike, TermStore, as_store
from termalign.store.concepts import Concept, Term


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
    subjects = (text_of(stored.subject_field), text_of(incoming.subject_field))
    if all(subjects) and subjects[0] != subjects[1]:
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
                old_preferred = stored.preferred(term.lang)
                old_text = old_preferred.text if old_preferred else ""
                return f"preferred {term.lang} term differs (store {old_text!r}, file {term.text!r})"
    return None


def _apply(store: TermStore, stored: Concept, incoming: Concept) -> bool:
    """Merge ``incoming`` into ``stored`` (no conflict checked here); True when anything changed."""
    assert stored.id is not None
    file_decides = _decided(incoming) and not _decided(stored)
    changed = False
    if file_decides and stored.status != incoming.status:
        store.set_concept_fields(stored.id, status=incoming.status)
        changed = True
    if not stored.subject_field and incoming.subject_field:
        store.set_concept_fields(stored.id, subject_field=incoming.subject_field)
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
            store.write_terms(stored.id, [Term(term.lang, term.text, status, term.pos, term.source, term.contexts)])
            changed = True
            continue
        assert old.id is not None
        if file_decides and old.status != term.status:
            store.set_term_fields(old.id, status=term.status)
            changed = True
        for column, value in (("pos", term.pos), ("source", term.source)):
            if value and not getattr(old, column):
                store.set_term_fields(old.id, **{column: value})
                changed = True
        known = {c.text for c in old.contexts}
        fresh = [c for c in term.contexts if c.text not in known]
        if fresh:
            store.add_contexts(old.id, fresh)
            changed = True
    if file_decides:
        # The file's preferred term replaces the stored one in that language.
        incoming_preferred = {k for k, t in incoming_terms.items() if t.status == "preferred"}
        preferred_langs_in_file = {lang for lang, _ in incoming_preferred}
        for k, term in stored_terms.items():
            if term.status == "preferred" and term.lang in preferred_langs_in_file and k not in incoming_preferred:
                assert term.id is not None
                store.set_term_fields(term.id, status="admitted")
                changed = True
    known_notes = {n.text for n in stored.notes}
    fresh_notes = [n for n in incoming.notes if n.text not in known_notes]
    if fresh_notes:
        store.add_notes(stored.id, fresh_notes)
        changed = True
    return changed


#: Entries merged together: their keys are looked up in one query per language, the stored
#: concepts they match read at once and the new concepts among them written in a few
#: statements (a round trip per term and per key made imports take a millisecond an entry).
#: Small enough that a batch's concepts take a few megabytes.
BATCH_ENTRIES = 500


def _shares(keys: Iterable[tuple[str, str]], holders: dict[tuple[str, str], list[int]], added: set[int]) -> Counter:
    """Stored concepts sharing a (language, key) with an entry, with how many they share."""
    shared: Counter = Counter()
    for k in keys:
        for cid in holders.get(k, ()):
            if cid not in added:
                shared[cid] += 1
    return shared


def _best(shared: list[tuple[int, int]]) -> int | None:
    """The one stored concept sharing the most keys, ``None`` when several share as many."""
    if len(shared) > 1 and shared[0][1] == shared[1][1]:
        return None
    return shared[0][0]


def _merge_batch(
    store: TermStore, batch: list[Entry], report: ImportReport, reviewer: str, added: set[int], matchable: bool
) -> None:
    entry_keys = [keyed(entry.concept) for entry in batch]
    holders = store.concepts_with_terms({k for keys in entry_keys for k in keys}) if matchable else {}
    expected = (_best(shared) for keys in entry_keys if (shared := _shares(keys, holders, added).most_common()))
    loaded = store.load_concepts(cid for cid in expected if cid is not None)
    new: list[Entry] = []

    def write_new() -> None:
        if not new:
            return
        store.import_concepts([(entry.concept, entry.file_id) for entry in new])
        store.log_actions((e.concept.id, reviewer, "import-add", None, e.concept.snapshot()) for e in new)
        added.update(entry.concept.id for entry in new if entry.concept.id is not None)
        report.added += len(new)
        new.clear()

    for entry, keys in zip(batch, entry_keys, strict=True):
        concept = entry.concept
        shared = _shares(keys, holders, added).most_common()
        if not shared:
            new.append(entry)
            continue
        best = _best(shared)
        if best is None:
            tied = sorted(cid for cid, n in shared if n == shared[0][1])
            report.conflicts.append(
                Conflict(entry.where, tied, f"matches {len(tied)} stored concepts equally", _term_list(concept.terms))
            )
            continue
        stored = loaded.get(best) or store.load_concept(best)
        assert stored is not None and stored.id is not None
        reason = conflict_reason(stored, concept)
        if reason is not None:
            report.conflicts.append(Conflict(entry.where, [stored.id], reason, _term_list(concept.terms)))
            continue
        write_new()  # first, so that ids and the log follow the file's order
        if _apply(store, stored, concept):
            store.bump_version(stored.id, stored.version, reviewer)
            merged = store.load_concept(stored.id)
            assert merged is not None
            store.log_action(stored.id, reviewer, "import-merge", stored.snapshot(), merged.snapshot())
            report.merged.append(stored.id)
            loaded[stored.id] = merged
            for k in keys:  # the concept now holds every key of the entry
                if stored.id not in holders.setdefault(k, []):
                    holders[k].append(stored.id)
        else:
            report.unchanged += 1
    write_new()


def merge_entries(
    conn: StoreLike, entries: Iterable[Entry], report: ImportReport, *, reviewer: str,
    on_entry: Callable[[Entry], None] | None = None,
) -> None:
    """Merge entries into the store, inside the caller's transaction, filling ``report``;
    ``on_entry`` is called for each entry once its batch is merged."""
    store = as_store(conn)
    added: set[int] = set()
    # A store that never held a concept has nothing to match (the import's own concepts are
    # never match targets): its look-ups are skipped.
    matchable = store.next_concept_id() > 1
    entries = iter(entries)
    while batch := list(islice(entries, BATCH_ENTRIES)):
        _merge_batch(store, batch, report, reviewer, added, matchable)
        if on_entry is not None:
            for entry in batch:
                on_entry(entry)


def import_reader(
    conn: StoreLike, reader: TermbaseReader, *, reviewer: str, dry_run: bool = False,
    on_entry: Callable[[Entry], None] | None = None,
) -> ImportReport:
    """Read a whole file into the store in one transaction (rolled back for a dry run or on
    any error, which is raised)."""
    report = ImportReport(path=str(reader.path), dry_run=dry_run)
    try:
        store = as_store(conn)
        with store.transaction():
            merge_entries(store, reader, report, reviewer=reviewer, on_entry=on_entry)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.skipped = reader.stats.skipped_entries
    report.ignored_languages = dict(sorted(reader.stats.ignored_languages.items()))
    report.ignored_categories = dict(sorted(reader.stats.ignored_categories.items()))
    return report
