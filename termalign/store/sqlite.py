"""The SQLite store: :class:`TermStore` over one connection (see :mod:`termalign.store.interface`).

Each method is one of the store modules' functions on this connection: :mod:`~termalign.store.corpus`,
:mod:`~termalign.store.candidates`, :mod:`~termalign.store.concepts`, :mod:`~termalign.store.review_sql`,
:mod:`~termalign.store.stats`, and :mod:`~termalign.store.changes` for live updates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import polars as pl

from termalign.corpus import Document
from termalign.store import candidates, changes, concepts, concordance, corpus, db, review_sql, settings, stats
from termalign.store import suggestions as term_suggestions
from termalign.store.concepts import CONCEPT_STATUSES, Concept, Context, Note, Suggestion, Term
from termalign.store.concordance import Occurrence, TermCount
from termalign.store.corpus import StoreResult
from termalign.store.interface import ChangeWatch, TermStore
from termalign.store.review_sql import (
    ConceptFilter,
    ConceptSnapshot,
    LogEntry,
    MTSuggestion,
    ProposalRow,
)
from termalign.store.suggestions import Accepted, TermSuggestion


class SQLiteStore:
    """The termbase in one SQLite file, through an open connection (:func:`termalign.store.open_store`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def transaction(self) -> AbstractContextManager[Any]:
        return db.transaction(self.conn)

    def read_snapshot(self) -> AbstractContextManager[Any]:
        return db.read_snapshot(self.conn)

    def store_document(self, doc: Document) -> StoreResult:
        return corpus.store_document(self.conn, doc)

    def prune_file(self, file_path: str, keep: set[str]) -> int:
        return corpus.prune_file(self.conn, file_path, keep)

    def corpus_summary(self) -> dict:
        return corpus.corpus_summary(self.conn)

    def corpus_languages(self) -> list[str]:
        return candidates.corpus_languages(self.conn)

    def token_rows(self, lang: str) -> Iterator[tuple]:
        return candidates.token_rows(self.conn, lang)

    def clear_candidates(self, lang: str) -> None:
        candidates.clear_candidates(self.conn, lang)

    def replace_candidates(self, lang: str, kept: pl.DataFrame, variants: pl.DataFrame, occ: pl.DataFrame) -> None:
        candidates.replace_candidates(self.conn, lang, kept, variants, occ)

    def top_candidates(self, lang: str, n: int = 30) -> list[Any]:
        return candidates.top_candidates(self.conn, lang, n)

    def candidate_languages(self) -> list[str]:
        return candidates.candidate_languages(self.conn)

    def candidate_keys(self) -> set[tuple[str, str]]:
        return candidates.candidate_keys(self.conn)

    def ranked_variants(self, lang: str) -> list[tuple[int, str, str | None]]:
        return candidates.ranked_variants(self.conn, lang)

    def alignable_candidates(self, max_rank: int) -> list[tuple]:
        return candidates.alignable_candidates(self.conn, max_rank)

    def first_contexts(self, lang: str, key: str, limit: int) -> list[tuple[str, str]]:
        return candidates.first_contexts(self.conn, lang, key, limit)

    def context_word_keys(self, lang: str, key: str, min_freq: int) -> list[str]:
        return candidates.context_word_keys(self.conn, lang, key, min_freq)

    def anchor_tokens(self) -> list[tuple[int, str, str, str]]:
        return candidates.anchor_tokens(self.conn)

    def candidate_documents(self, max_rank: int) -> list[tuple[str, str, int]]:
        return candidates.candidate_documents(self.conn, max_rank)

    def document_paths(self) -> dict[int, str]:
        return candidates.document_paths(self.conn)

    def located_sentences(self) -> list[tuple[str, str, int, str]]:
        return candidates.located_sentences(self.conn)

    def insert_concept(self, concept: Concept) -> int:
        return concepts.insert_concept(self.conn, concept)

    def write_terms(self, concept_id: int, terms: Iterable[Term]) -> None:
        concepts.write_terms(self.conn, concept_id, terms)

    def load_concept(self, concept_id: int) -> Concept | None:
        return concepts.load_concept(self.conn, concept_id)

    def iter_concepts(self, statuses: Iterable[str] = CONCEPT_STATUSES) -> Iterator[Concept]:
        return concepts.iter_concepts(self.conn, statuses)

    def next_concept_id(self) -> int:
        return concepts.next_concept_id(self.conn)

    def bump_version(self, concept_id: int, expected_version: int, reviewer: str | None) -> int:
        return concepts.bump_version(self.conn, concept_id, expected_version, reviewer)

    def log_action(
        self, concept_id: int | None, reviewer: str, action: str, before: dict | None, after: dict | None
    ) -> None:
        concepts.log_action(self.conn, concept_id, reviewer, action, before, after)

    def decided_scores(self, origin: str, signal: str) -> list[tuple[float, bool, dict | None]]:
        return concepts.decided_scores(self.conn, origin, signal)

    def decided_term_keys(self, rejections_needed: int = 1) -> set[tuple[str, str]]:
        return concepts.decided_term_keys(self.conn, rejections_needed)

    def rejected_groups(self, rejections_needed: int = 1) -> list[frozenset[tuple[str, str]]]:
        return concepts.rejected_groups(self.conn, rejections_needed)

    def earlier_rejections(self, concept_id: int) -> list[concepts.EarlierRejection]:
        return concepts.earlier_rejections(self.conn, concept_id)

    def team_settings(self) -> dict[str, settings.TeamSetting]:
        return settings.team_settings(self.conn)

    def team_setting(self, name: str) -> object:
        return settings.team_setting(self.conn, name)

    def set_team_setting(self, name: str, value: str, set_by: str) -> settings.TeamSetting:
        with self.transaction():
            return settings.set_team_setting(self.conn, name, value, set_by)

    def replace_proposals(
        self, proposals: Iterable[tuple[Concept, list[Suggestion], list[TermSuggestion]]]
    ) -> None:
        term_suggestions.replace_proposals(self.conn, proposals)

    def insert_suggestions(self, concept_id: int, suggestions: Iterable[TermSuggestion]) -> None:
        term_suggestions.insert_suggestions(self.conn, concept_id, suggestions)

    def suggestions_for(self, concept_id: int) -> list[TermSuggestion]:
        return term_suggestions.suggestions_for(self.conn, concept_id)

    def get_suggestion(self, suggestion_id: int) -> TermSuggestion | None:
        return term_suggestions.get_suggestion(self.conn, suggestion_id)

    def suggestion_counts(self) -> dict:
        return term_suggestions.suggestion_counts(self.conn)

    def scored_suggestions(self) -> list[tuple[int, float, str, str]]:
        return term_suggestions.scored_suggestions(self.conn)

    def attested_term_count(self) -> int:
        return term_suggestions.attested_term_count(self.conn)

    def attested_terms(self, concept_id: int) -> list[Term]:
        return term_suggestions.attested_terms(self.conn, concept_id)

    def language_sentences(self) -> dict[str, list[str]]:
        return term_suggestions.language_sentences(self.conn)

    def accept_suggestion(self, suggestion_id: int, *, version: int, reviewer: str) -> Accepted:
        return term_suggestions.accept_suggestion(self.conn, suggestion_id, version=version, reviewer=reviewer)

    def best_unreviewed_ids(self, n: int) -> list[int]:
        return concepts.best_unreviewed_ids(self.conn, n)

    def scored_terms(self) -> list[tuple[int, float, str, str]]:
        return concepts.scored_terms(self.conn)

    def import_concept(self, concept: Concept, wanted_id: int | None) -> int:
        return concepts.import_concept(self.conn, concept, wanted_id)

    def concepts_with_term(self, lang: str, key: str) -> list[int]:
        return concepts.concepts_with_term(self.conn, lang, key)

    def set_concept_fields(self, concept_id: int, **fields: str | None) -> None:
        concepts.set_concept_fields(self.conn, concept_id, **fields)

    def set_term_fields(self, term_id: int, **fields: str | None) -> None:
        concepts.set_term_fields(self.conn, term_id, **fields)

    def add_contexts(self, term_id: int, contexts: Iterable[Context]) -> None:
        concepts.add_contexts(self.conn, term_id, contexts)

    def add_notes(self, concept_id: int, notes: Iterable[Note]) -> None:
        concepts.add_notes(self.conn, concept_id, notes)

    def proposal_scores(self, filters: ConceptFilter) -> list[tuple[int, float]]:
        return review_sql.proposal_scores(self.conn, filters)

    def proposal_count(self, filters: ConceptFilter) -> int:
        return review_sql.proposal_count(self.conn, filters)

    def proposal_page(
        self, filters: ConceptFilter, limit: int, *, offset: int = 0,
        after: tuple[float, int] | None = None, step: int = 1,
    ) -> list[tuple[int, float]]:
        return review_sql.proposal_page(self.conn, filters, limit, offset=offset, after=after, step=step)

    def proposal_position(self, filters: ConceptFilter, score: float, concept_id: int) -> int:
        return review_sql.proposal_position(self.conn, filters, score, concept_id)

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, ProposalRow]:
        return review_sql.fetch_rows(self.conn, ids)

    def matches(self, concept_id: int, filters: ConceptFilter) -> bool:
        return review_sql.matches(self.conn, concept_id, filters)

    def concept_score(self, concept_id: int) -> float | None:
        return review_sql.concept_score(self.conn, concept_id)

    def next_unreviewed(self, filters: ConceptFilter, score: float, concept_id: int, step: int) -> int | None:
        return review_sql.next_unreviewed(self.conn, filters, score, concept_id, step)

    def save_position(self, reviewer: str, concept_id: int | None, filters_json: str) -> None:
        review_sql.save_position(self.conn, reviewer, concept_id, filters_json)

    def load_position(self, reviewer: str) -> tuple[int | None, str | None] | None:
        return review_sql.load_position(self.conn, reviewer)

    def mt_suggestions(self, concept_id: int) -> list[MTSuggestion]:
        return review_sql.mt_suggestions(self.conn, concept_id)

    def term_count(self, lang: str, text: str) -> TermCount:
        return concordance.term_count(self.conn, lang, text)

    def concordance(self, lang: str, text: str, offset: int = 0, limit: int = 8) -> tuple[TermCount, list[Occurrence]]:
        return concordance.concordance(self.conn, lang, text, offset, limit)

    def snapshot(self, concept: Concept) -> ConceptSnapshot:
        return review_sql.snapshot(self.conn, concept)

    def restore(self, snap: ConceptSnapshot, version: int, reviewer: str) -> None:
        review_sql.restore(self.conn, snap, version, reviewer)

    def log_entries(self, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
        return review_sql.log_entries(self.conn, concept_id, reviewer)

    def log_entry(self, log_id: int) -> LogEntry:
        return review_sql.log_entry(self.conn, log_id)

    def log_entries_touching(self, concept_id: int, since_id: int = 0) -> list[LogEntry]:
        return review_sql.log_entries_touching(self.conn, concept_id, since_id)

    def reviewer_actions(self, reviewer: str) -> list[tuple[int, str]]:
        return review_sql.reviewer_actions(self.conn, reviewer)

    def set_status(self, concept_id: int, status: str) -> None:
        review_sql.set_status(self.conn, concept_id, status)

    def set_term_text(self, term_id: int, text: str, key: str) -> None:
        review_sql.set_term_text(self.conn, term_id, text, key)

    def set_preferred(self, concept_id: int, lang: str, term_id: int) -> None:
        review_sql.set_preferred(self.conn, concept_id, lang, term_id)

    def set_term_status(self, term_id: int, status: str) -> None:
        review_sql.set_term_status(self.conn, term_id, status)

    def add_note(self, concept_id: int, author: str, text: str) -> None:
        review_sql.add_note(self.conn, concept_id, author, text)

    def move_terms(self, concept_id: int, moves: Sequence[tuple[int, str]]) -> None:
        review_sql.move_terms(self.conn, concept_id, moves)

    def merge_into(self, target_id: int, source_id: int, source_score: float) -> None:
        review_sql.merge_into(self.conn, target_id, source_id, source_score)

    def split_off(self, concept: Concept, term_id: int, reviewer: str) -> int:
        return review_sql.split_off(self.conn, concept, term_id, reviewer)

    def delete_term(self, term_id: int) -> None:
        review_sql.delete_term(self.conn, term_id)

    def delete_concept(self, concept_id: int) -> None:
        review_sql.delete_concept(self.conn, concept_id)

    def clear_concept(self, concept_id: int) -> None:
        review_sql.clear_concept(self.conn, concept_id)

    def watch_changes(self, reviewer: str) -> ChangeWatch:
        return changes.SQLiteChangeWatch(self.conn, reviewer)

    def stats(self) -> dict:
        return stats.store_stats(self.conn)

    def concepts_with_terms(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
        return concepts.concepts_with_terms(self.conn, keys)

    def load_concepts(self, ids: Iterable[int]) -> dict[int, Concept]:
        return concepts.load_concepts(self.conn, ids)

    def import_concepts(self, items: Sequence[tuple[Concept, int | None]]) -> None:
        concepts.import_concepts(self.conn, items)

    def log_actions(self, entries: Iterable[tuple[int | None, str, str, dict | None, dict | None]]) -> None:
        concepts.log_actions(self.conn, entries)


#: What callers hand the pipeline: a store, or an open SQLite connection (wrapped on use).
StoreLike = TermStore | sqlite3.Connection


def as_store(store: StoreLike) -> TermStore:
    """A store from either a store or an open SQLite connection (callers written before the
    interface pass connections)."""
    return SQLiteStore(store) if isinstance(store, sqlite3.Connection) else store
