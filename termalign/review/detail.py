"""What the detail pane shows beside a concept: its MT suggestions, and a term in the corpus
(frequency, documents, concordance), found by its matching key
(:mod:`termalign.store.concordance`)."""

from __future__ import annotations

import sqlite3

from termalign.store import review_sql as sql
from termalign.store.concordance import Occurrence, TermCount, concordance, term_count
from termalign.store.review_sql import MTSuggestion


def mt_suggestions(conn: sqlite3.Connection, concept_id: int) -> list[MTSuggestion]:
    return sql.mt_suggestions(conn, concept_id)


__all__ = ["MTSuggestion", "Occurrence", "TermCount", "concordance", "mt_suggestions", "term_count"]
