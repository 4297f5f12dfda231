"""The proposals listing: ids in order, rows fetched a page at a time, the reviewer's place."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from termalign.review.filters import Filters
from termalign.store import StoreLike, as_store
from termalign.store.review_sql import ProposalRow


def proposal_ids(conn: StoreLike, filters: Filters) -> list[int]:
    """Ids of the concepts that pass ``filters``, best score first (ties by id)."""
    store = as_store(conn)
    return [cid for cid, _ in store.proposal_scores(filters)]


def matches(conn: StoreLike, concept_id: int, filters: Filters) -> bool:
    store = as_store(conn)
    return store.matches(concept_id, filters)


def _order(scored: tuple[int, float]) -> tuple[float, int]:
    """The sort key of an (id, score) pair in listing order: best score first, ties by id."""
    return -scored[1], scored[0]


class ProposalList:
    """The filtered, sorted proposals, for a table that draws only the rows it shows.

    Holds the ordered ids (one query per filter change) and a cache of rows fetched a page
    at a time. After an action only the rows it touched are re-read.
    """

    PAGE = 100

    def __init__(self, conn: StoreLike, filters: Filters | None = None) -> None:
        self.conn = conn
        self.store = as_store(conn)
        self.filters = filters or Filters()
        self.ids: list[int] = []
        self._scored: list[tuple[int, float]] = []  # (id, score) in listing order: for inserting
        self._rows: dict[int, ProposalRow] = {}
        self.reload()

    def reload(self, filters: Filters | None = None) -> None:
        if filters is not None:
            self.filters = filters
        rows = self.store.proposal_scores(self.filters)
        self.ids = [r[0] for r in rows]
        self._scored = rows
        self._rows.clear()

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, concept_id: int) -> int | None:
        """Where a concept is listed: found by its score (a binary search), so that no map of
        100 000 ids is rebuilt each time a row leaves or joins the listing."""
        row = self._rows.get(concept_id)
        score = row.score if row is not None else self.store.concept_score(concept_id)
        if score is not None:
            at = bisect_left(self._scored, (-score, concept_id), key=_order)
            if at < len(self.ids) and self.ids[at] == concept_id:
                return at
        try:  # listed under a score it has since changed (a merge keeps the better one)
            return self.ids.index(concept_id)
        except ValueError:
            return None

    def place_of(self, concept_id: int) -> int:
        """Index of a concept, or where it would sort if the filters leave it out (0 if gone)."""
        index = self.index_of(concept_id)
        if index is not None:
            return index
        score = self.store.concept_score(concept_id)
        if score is None:
            return 0
        return min(bisect_left(self._scored, (-score, concept_id), key=_order), max(len(self.ids) - 1, 0))

    def row(self, index: int) -> ProposalRow | None:
        """The row at ``index``, fetching its page on a cache miss."""
        if not 0 <= index < len(self.ids):
            return None
        cid = self.ids[index]
        if cid not in self._rows:
            start = index - index % self.PAGE
            page = [i for i in self.ids[start : start + self.PAGE] if i not in self._rows]
            self._rows.update(self.store.fetch_rows(page))
        return self._rows.get(cid)

    def refresh(self, concept_ids: Iterable[int]) -> None:
        """Re-read changed concepts: update their rows, drop those gone or no longer matching,
        insert new ones that match, all without re-reading the rest."""
        for cid in concept_ids:
            index = self.index_of(cid)
            keep = self.store.matches(cid, self.filters)
            if index is not None and not keep:
                del self.ids[index], self._scored[index]
                self._rows.pop(cid, None)
            elif keep:
                row = self.store.fetch_rows([cid])[cid]
                if index is None:
                    at = bisect_left(self._scored, (-row.score, cid), key=_order)
                    self.ids.insert(at, cid)
                    self._scored.insert(at, (cid, row.score))
                self._rows[cid] = row

    def next_undecided(self, index: int, step: int = 1) -> int | None:
        """Index of the next (``step=1``) or previous (``-1``) unreviewed row after ``index``,
        asked of the store, so decisions made by another reviewer count."""
        if not self.ids:
            return None
        index = min(max(index, 0), len(self.ids) - 1)
        found = self.store.next_unreviewed(self.filters, self._scored[index][1], self.ids[index], step)
        return None if found is None else self.index_of(found)


def save_position(conn: StoreLike, reviewer: str, concept_id: int | None, filters: Filters) -> None:
    """Remember where a reviewer is (the concept and the filters), in its own small write."""
    store = as_store(conn)
    with store.transaction():
        store.save_position(reviewer, concept_id, filters.to_json())


def load_position(conn: StoreLike, reviewer: str) -> tuple[int | None, Filters]:
    store = as_store(conn)
    found = store.load_position(reviewer)
    if found is None:
        return None, Filters()
    return found[0], Filters.from_json(found[1])
