"""What the detail pane shows beside a concept: its MT suggestions and a term's concordance."""

from __future__ import annotations

import sqlite3

from termalign import lang as languages
from termalign.store import review_sql as sql
from termalign.store.review_sql import ConcordanceLine, MTSuggestion


def mt_suggestions(conn: sqlite3.Connection, concept_id: int) -> list[MTSuggestion]:
    return sql.mt_suggestions(conn, concept_id)


def concordance(
    conn: sqlite3.Connection, lang: str, text: str, offset: int = 0, limit: int = 5
) -> tuple[int, list[ConcordanceLine]]:
    """Occurrences of a term (found by its normalized key): the total and one page of lines."""
    return sql.concordance(conn, lang, languages.get(lang).key(text), offset, limit)
