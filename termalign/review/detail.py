"""What the detail pane shows beside a concept: its MT suggestions and a term's concordance."""

from __future__ import annotations

from termalign import lang as languages
from termalign.store import StoreLike, as_store
from termalign.store.review_sql import ConcordanceLine, MTSuggestion


def mt_suggestions(conn: StoreLike, concept_id: int) -> list[MTSuggestion]:
    store = as_store(conn)
    return store.mt_suggestions(concept_id)


def concordance(
    conn: StoreLike, lang: str, text: str, offset: int = 0, limit: int = 5
) -> tuple[int, list[ConcordanceLine]]:
    """Occurrences of a term (found by its normalized key): the total and one page of lines."""
    store = as_store(conn)
    return store.concordance(lang, languages.get(lang).key(text), offset, limit)
