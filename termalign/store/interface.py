"""The store interface: every read and write the pipeline, the review package, import/export
and the CLI make of the termbase, as one typed protocol.

:class:`TermStore` is what a backend implements. :class:`termalign.store.sqlite.SQLiteStore`
is the SQLite one (a single file, WAL); a second backend — PostgreSQL for a team — is a class
with the same methods over the same tables (``termalign/store/schema.py`` is the reference
schema: documents, residue, sentences, tokens, candidates, variants, occurrences, concepts,
terms, term_contexts, evidence, notes, mt_suggestions, suggestions, review_log, reviewer_state, meta) and
passes the same tests (``tests/store``, ``tests/review`` and the pipeline tests, run against it).

What every backend must keep:

* **Transactions.** :meth:`TermStore.transaction` is one write transaction (all or nothing);
  writers other than the ``replace_*``/``clear_*`` bulk operations and
  :meth:`TermStore.save_position` never open one themselves, so that one user action or one
  import is stored whole. :meth:`TermStore.read_snapshot` is a consistent read while others
  write.
* **Optimistic versions.** Every review action calls :meth:`TermStore.bump_version` first; it
  raises :class:`termalign.errors.ConflictError` when someone else changed the concept.
* **Concept numbers are never reused** (:meth:`TermStore.next_concept_id`): the review log of a
  deleted proposal must not attach to a new one.
* **Bulk stays bulk.** ``replace_candidates`` and ``replace_proposals`` write whole languages
  or runs in a few statements (``executemany``, ``COPY``), never a round trip per row.
* **Order.** Listings sort as documented (score descending then id; candidates by rank);
  exports and the undo log depend on it.
* **Live updates.** :meth:`TermStore.watch_changes` gives a :class:`ChangeWatch` that a live
  view polls (the review TUI, twice a second): a poll costs next to nothing while no other
  connection commits (no query: SQLite's ``PRAGMA data_version``, a PostgreSQL ``LISTEN``
  socket) and then says which concepts others changed and the review-log entries of other
  reviewers (:class:`~termalign.store.changes.StoreChanges`). The view's own writes never
  count. A new backend needs a cheap "someone else committed" signal and the log follower of
  :mod:`termalign.store.changes`; PostgreSQL's triggers notify the concept ids of every
  statement that changes concepts, terms, evidence, notes, MT suggestions or suggestions.

Values crossing the interface are the dataclasses of :mod:`termalign.store.concepts`
(:class:`Concept`, :class:`Term`, …), :mod:`termalign.corpus` (:class:`Document`),
:mod:`termalign.store.review_sql` (:class:`ProposalRow`, :class:`ConceptSnapshot`,
:class:`LogState`, …) and :mod:`termalign.store.changes` (:class:`StoreChanges`); candidate
tables go in and out as polars frames or plain tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import polars as pl

from termalign.corpus import Document
from termalign.store.changes import StoreChanges
from termalign.store.concepts import Concept, Context, EarlierRejection, Note, Suggestion, Term
from termalign.store.concordance import Occurrence, TermCount
from termalign.store.corpus import StoreResult
from termalign.store.review_sql import (
    ConceptFilter,
    ConceptSnapshot,
    LogEntry,
    MTSuggestion,
    ProposalRow,
)
from termalign.store.settings import TeamSetting
from termalign.store.suggestions import Accepted, TermSuggestion


class ChangeWatch(Protocol):
    """What other connections commit to the termbase, for a live view (:meth:`TermStore.watch_changes`)."""

    def poll(self) -> StoreChanges | None:
        """Without blocking: ``None`` when nobody else changed a concept since the last poll,
        else what they changed since. While no other connection commits anything, a poll
        runs no query."""
        ...

    def close(self) -> None:
        """Stop watching (PostgreSQL closes its listening connection)."""
        ...


class TermStore(Protocol):
    """A termbase store. See the module docstring for what every backend must keep."""

    # -- transactions -------------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[Any]:
        """One write transaction: everything inside commits together or not at all."""
        ...

    def read_snapshot(self) -> AbstractContextManager[Any]:
        """A consistent read view (a long export while others write)."""
        ...

    # -- corpus -------------------------------------------------------------------------
    def store_document(self, doc: Document) -> StoreResult:
        """Write one ingested article in its own transaction; a changed file replaces its old version."""
        ...

    def prune_file(self, file_path: str, keep: set[str]) -> int:
        """Remove the articles of a multi-article file (``file#line``) not in ``keep``; how many went."""
        ...

    def corpus_summary(self) -> dict:
        """Documents, sentences and tokens per language, residue removed."""
        ...

    def corpus_languages(self) -> list[str]:
        """Languages that have sentences, sorted."""
        ...

    def token_rows(self, lang: str) -> Iterator[tuple]:
        """(sentence id, document id, start, end, text, key, kind, pos) of one language's
        tokens, by sentence and position: extraction's input."""
        ...

    # -- candidates ---------------------------------------------------------------------
    def clear_candidates(self, lang: str) -> None:
        """Remove one language's candidates (with variants and occurrences), in one transaction."""
        ...

    def replace_candidates(self, lang: str, kept: pl.DataFrame, variants: pl.DataFrame, occ: pl.DataFrame) -> None:
        """Replace one language's candidates in bulk and in one transaction (columns: see
        :func:`termalign.store.candidates.replace_candidates`)."""
        ...

    def top_candidates(self, lang: str, n: int = 30) -> list[Any]:
        """The best ``n`` candidates of a language as mappings (every candidate column and ``variants``)."""
        ...

    def candidate_languages(self) -> list[str]:
        ...

    def candidate_keys(self) -> set[tuple[str, str]]:
        ...

    def ranked_variants(self, lang: str) -> list[tuple[int, str, str | None]]:
        """(rank, key, variant text or ``None``) by rank."""
        ...

    def alignable_candidates(self, max_rank: int) -> list[tuple]:
        """(lang, key, text, kind, termhood, rank, n_words) ranked ``max_rank`` or better, by language and rank."""
        ...

    def first_contexts(self, lang: str, key: str, limit: int) -> list[tuple[str, str]]:
        """(sentence text, document path) of a candidate's first occurrences."""
        ...

    def context_word_keys(self, lang: str, key: str, min_freq: int) -> list[str]:
        """Keys of the words around a candidate's occurrences (candidates seen ``min_freq`` times or more)."""
        ...

    def anchor_tokens(self) -> list[tuple[int, str, str, str]]:
        """(document id, sentence language, text, kind) of numbers, Latin words in non-Latin
        text and capitalized words, by document."""
        ...

    def candidate_documents(self, max_rank: int) -> list[tuple[str, str, int]]:
        """(lang, key, document id) of each document a candidate ranked ``max_rank`` or better occurs in."""
        ...

    def document_paths(self) -> dict[int, str]:
        """Every document's path, by id."""
        ...

    def located_sentences(self) -> list[tuple[str, str, int, str]]:
        """(document path, language, offset in the document, text) of every sentence, in order."""
        ...

    # -- concepts -----------------------------------------------------------------------
    def insert_concept(self, concept: Concept) -> int:
        """Insert a concept with terms, contexts, evidence and notes; returns (and sets) its id."""
        ...

    def write_terms(self, concept_id: int, terms: Iterable[Term]) -> None:
        """Add terms (with contexts) to a concept, skipping keys it already has in that language."""
        ...

    def load_concept(self, concept_id: int) -> Concept | None:
        ...

    def iter_concepts(self, statuses: Iterable[str] = ...) -> Iterator[Concept]:
        """Concepts in id order, in bounded batches."""
        ...

    def next_concept_id(self) -> int:
        """A concept number never handed out before."""
        ...

    def bump_version(self, concept_id: int, expected_version: int, reviewer: str | None) -> int:
        """Optimistic versioning; raises :class:`ConflictError` when the stored version differs."""
        ...

    def log_action(self, concept_id: int | None, reviewer: str, action: str,
                   before: dict | None, after: dict | None) -> None:
        """Append one review-log entry (JSON payloads)."""
        ...

    def decided_scores(self, origin: str, signal: str) -> list[tuple[float, bool, dict | None]]:
        """(score, approved, detail of the concept's ``signal`` evidence or ``None``) of every
        approved or rejected concept of ``origin``."""
        ...

    def decided_term_keys(self, rejections_needed: int = 1) -> set[tuple[str, str]]:
        """(lang, key) of terms an alignment run may not propose again: those of concepts it
        may not replace, except rejected ones; a rejected single term once
        ``rejections_needed`` different reviewers rejected it (the terms of a rejected concept
        of several terms may be proposed again, just not together: :meth:`rejected_groups`)."""
        ...

    def rejected_groups(self, rejections_needed: int = 1) -> list[frozenset[tuple[str, str]]]:
        """(lang, key) sets of pairings reviewers refused, no two terms of one never proposed
        together again: each rejected concept of several terms, or with ``rejections_needed``
        above 1 each pair of terms that many different reviewers rejected together."""
        ...

    def earlier_rejections(self, concept_id: int) -> list[EarlierRejection]:
        """Rejected concepts that held two of this concept's terms (or one term alone that it
        holds): what reviewers refused before, shown beside a pairing proposed again."""
        ...

    # -- team settings (termalign/store/settings.py) --------------------------------------
    def team_settings(self) -> dict[str, TeamSetting]:
        """Every team setting, stored or default, by name."""
        ...

    def team_setting(self, name: str) -> object:
        """A team setting's value, parsed (its default if nobody set it)."""
        ...

    def set_team_setting(self, name: str, value: str, set_by: str) -> TeamSetting:
        """Store a team setting (checked first); on PostgreSQL the admin role only."""
        ...

    def replace_proposals(
        self, proposals: Iterable[tuple[Concept, list[Suggestion], list[TermSuggestion]]]
    ) -> None:
        """Replace the replaceable proposals (unreviewed, untouched) with new concepts, their MT
        suggestions and their term suggestions, in one transaction."""
        ...

    # -- term suggestions (composed or MT readings no text attests) -----------------------
    def insert_suggestions(self, concept_id: int, suggestions: Iterable[TermSuggestion]) -> None:
        """Store a concept's suggestions (one per language and key; a repeat is skipped)."""
        ...

    def suggestions_for(self, concept_id: int) -> list[TermSuggestion]:
        """A concept's suggestions, waiting and accepted, in language order."""
        ...

    def get_suggestion(self, suggestion_id: int) -> TermSuggestion | None: ...

    def suggestion_counts(self) -> dict:
        """``waiting``/``accepted`` suggestions and waiting ones by origin and language (concepts not rejected)."""
        ...

    def scored_suggestions(self) -> list[tuple[int, float, str, str]]:
        """(concept id, score, language, text) of every waiting suggestion (beside ``scored_terms``)."""
        ...

    def attested_term_count(self) -> int:
        """Terms of concepts not rejected that some text attests."""
        ...

    def attested_terms(self, concept_id: int) -> list[Term]: ...

    def language_sentences(self) -> dict[str, list[str]]:
        """Per language, its sentences as the corpus holds them (what attests a term)."""
        ...

    def accept_suggestion(self, suggestion_id: int, *, version: int, reviewer: str) -> Accepted:
        """Accept a suggestion into its concept as a term: one transaction, version-checked, logged."""
        ...

    def best_unreviewed_ids(self, n: int) -> list[int]:
        ...

    def scored_terms(self) -> list[tuple[int, float, str, str]]:
        """(concept id, score, lang, text) of every term of a concept not rejected."""
        ...

    # -- imports ------------------------------------------------------------------------
    def import_concept(self, concept: Concept, wanted_id: int | None) -> int:
        """Insert an imported concept, keeping ``wanted_id`` when it was never handed out."""
        ...

    def concepts_with_term(self, lang: str, key: str) -> list[int]:
        ...

    def set_concept_fields(self, concept_id: int, **fields: str | None) -> None:
        """Set ``status`` and/or ``subject_field``."""
        ...

    def set_term_fields(self, term_id: int, **fields: str | None) -> None:
        """Set ``status``, ``pos`` and/or ``source``."""
        ...

    def add_contexts(self, term_id: int, contexts: Iterable[Context]) -> None:
        ...

    def add_notes(self, concept_id: int, notes: Iterable[Note]) -> None:
        ...

    # -- review: listing, detail, actions, log ------------------------------------------
    def proposal_scores(self, filters: ConceptFilter) -> list[tuple[int, float]]:
        """(id, score) passing ``filters``, score descending then id."""
        ...

    def proposal_count(self, filters: ConceptFilter) -> int:
        """How many concepts pass ``filters``."""
        ...

    def proposal_page(
        self, filters: ConceptFilter, limit: int, *, offset: int = 0,
        after: tuple[float, int] | None = None, step: int = 1,
    ) -> list[tuple[int, float]]:
        """(id, score) of up to ``limit`` concepts passing ``filters`` in listing order
        (``step=1``) or backwards (``-1``), skipping ``offset``, after the concept at
        (score, id) ``after`` or from the start of that order: a page of the listing."""
        ...

    def proposal_position(self, filters: ConceptFilter, score: float, concept_id: int) -> int:
        """How many concepts passing ``filters`` sort before (``score``, ``concept_id``)."""
        ...

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, ProposalRow]:
        ...

    def matches(self, concept_id: int, filters: ConceptFilter) -> bool:
        ...

    def concept_score(self, concept_id: int) -> float | None:
        ...

    def next_unreviewed(self, filters: ConceptFilter, score: float, concept_id: int, step: int) -> int | None:
        ...

    def save_position(self, reviewer: str, concept_id: int | None, filters_json: str) -> None:
        ...

    def load_position(self, reviewer: str) -> tuple[int | None, str | None] | None:
        ...

    def mt_suggestions(self, concept_id: int) -> list[MTSuggestion]:
        ...

    def term_count(self, lang: str, text: str) -> TermCount:
        """How often a term (found by its matching key) occurs in the corpus, in how many documents."""
        ...

    def concordance(self, lang: str, text: str, offset: int = 0, limit: int = 8) -> tuple[TermCount, list[Occurrence]]:
        ...

    def snapshot(self, concept: Concept) -> ConceptSnapshot:
        """``concept`` with its MT suggestions, as undo restores it."""
        ...

    def restore(self, snap: ConceptSnapshot, version: int, reviewer: str) -> None:
        """Write a concept back as ``snap`` shows it (ids kept)."""
        ...

    def log_entries(self, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
        ...

    def log_entry(self, log_id: int) -> LogEntry:
        ...

    def log_entries_touching(self, concept_id: int, since_id: int = 0) -> list[LogEntry]:
        """Entries from ``since_id`` on whose before or after state holds the concept (or
        names it absent): its own actions, merges, splits, bulk actions, undos."""
        ...

    def reviewer_actions(self, reviewer: str) -> list[tuple[int, str]]:
        """(log id, action) of a reviewer's entries, oldest first: undo/redo replay these."""
        ...

    def set_status(self, concept_id: int, status: str) -> None:
        ...

    def set_term_text(self, term_id: int, text: str, key: str) -> None:
        ...

    def set_preferred(self, concept_id: int, lang: str, term_id: int) -> None:
        """``term_id`` becomes its language's preferred term; the former one is admitted."""
        ...

    def set_term_status(self, term_id: int, status: str) -> None:
        ...

    def add_note(self, concept_id: int, author: str, text: str) -> None:
        ...

    def move_terms(self, concept_id: int, moves: Sequence[tuple[int, str]]) -> None:
        """Move terms (id, new status) to ``concept_id``."""
        ...

    def merge_into(self, target_id: int, source_id: int, source_score: float) -> None:
        """Move evidence, notes, MT suggestions to the target, keep the better score, delete the source."""
        ...

    def split_off(self, concept: Concept, term_id: int, reviewer: str) -> int:
        """A new unreviewed concept holding one term of ``concept``; returns its id."""
        ...

    def delete_term(self, term_id: int) -> None:
        ...

    def delete_concept(self, concept_id: int) -> None:
        ...

    def clear_concept(self, concept_id: int) -> None:
        """Remove a concept's terms, evidence, notes and MT suggestions (the concept stays)."""
        ...

    # -- live updates -------------------------------------------------------------------
    def watch_changes(self, reviewer: str) -> ChangeWatch:
        """Start following other connections' changes from now on. Log entries by ``reviewer``
        (compared as the log records the name: on PostgreSQL a reviewer role's own) are the
        viewer's own and never reported; neither is anything this store object writes."""
        ...

    # -- stats --------------------------------------------------------------------------
    def stats(self) -> dict:
        """Counts of concepts, terms per language, corpus, candidates, evidence, review log."""
        ...

    # -- imports in batches -------------------------------------------------------------
    def concepts_with_terms(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
        """For each (language, key), the ids of the concepts holding such a term (keys no
        concept holds left out), in a few queries."""
        ...

    def load_concepts(self, ids: Iterable[int]) -> dict[int, Concept]:
        """The concepts with these ids that exist, by id, in a few queries."""
        ...

    def import_concepts(self, items: Sequence[tuple[Concept, int | None]]) -> None:
        """Insert imported concepts (``import_concept`` on each in turn, in a few statements)."""
        ...

    def log_actions(self, entries: Iterable[tuple[int | None, str, str, dict | None, dict | None]]) -> None:
        """Append review-log entries (concept id, reviewer, action, before, after) in one statement."""
        ...
