"""What the detail pane shows beside a concept: its MT suggestions, its term suggestions
(composed or machine-translated readings no text attests), the rejections of its pairing
before (where the team setting ``rejections-needed`` lets a rejected pairing come back), and a term in the corpus
(frequency, documents, concordance), found by its matching key
(:mod:`termalign.store.concordance`)."""

from __future__ import annotations

from dataclasses import dataclass

from termalign.store import StoreLike, as_store
from termalign.store.concepts import EarlierRejection
from termalign.store.concordance import Occurrence, TermCount
from termalign.store.review_sql import MTSuggestion
from termalign.store.suggestions import TermSuggestion


def mt_suggestions(conn: StoreLike, concept_id: int) -> list[MTSuggestion]:
    return as_store(conn).mt_suggestions(concept_id)


def term_suggestions(conn: StoreLike, concept_id: int) -> list[TermSuggestion]:
    """A concept's suggestions still waiting (an accepted one is a term of it), in language order."""
    return [s for s in as_store(conn).suggestions_for(concept_id) if not s.accepted]


@dataclass(frozen=True)
class Rejections:
    """The rejections before of what a concept pairs, and how many the team needs to keep a
    pairing out (``rejections-needed``)."""

    earlier: list[EarlierRejection]
    needed: int

    @property
    def reviewers(self) -> set[str]:
        return {r.reviewer for r in self.earlier}


def earlier_rejections(conn: StoreLike, concept_id: int) -> Rejections:
    from termalign.store.settings import REJECTIONS_NEEDED

    store = as_store(conn)
    needed = store.team_setting(REJECTIONS_NEEDED)
    assert isinstance(needed, int)
    return Rejections(store.earlier_rejections(concept_id), needed)


def term_count(conn: StoreLike, lang: str, text: str) -> TermCount:
    """How often a term occurs in the corpus and in how many documents."""
    return as_store(conn).term_count(lang, text)


def concordance(
    conn: StoreLike, lang: str, text: str, offset: int = 0, limit: int = 8
) -> tuple[TermCount, list[Occurrence]]:
    """Occurrences of a term found by its key, in document order: the count and one page."""
    return as_store(conn).concordance(lang, text, offset, limit)


__all__ = ["MTSuggestion", "Occurrence", "TermCount", "concordance", "mt_suggestions", "term_count", "term_suggestions"]
