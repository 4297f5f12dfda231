"""The proposals listing: a count, pages of ids and rows fetched as they are shown, the reviewer's place."""

from __future__ import annotations

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


class ProposalList:
    """The filtered, sorted proposals, for a table that draws only the rows it shows.

    Nothing is read for rows never shown: the listing is a count (one query per filter
    change or action) and pages of (id, score) fetched as the table reaches them, each read
    from the nearest row already known (a neighbouring page, a concept the cursor was put on,
    or an end of the listing) by keyset, so that a page deep in 100 000 costs what the first
    one does. Table rows are cached by concept; after an action only the rows it touched are
    re-read, and the positions are found again from the count and the keyset.
    """

    PAGE = 100

    def __init__(self, conn: StoreLike, filters: Filters | None = None) -> None:
        self.conn = conn
        self.store = as_store(conn)
        self.filters = filters or Filters()
        self._count = 0
        self._pages: dict[int, list[tuple[int, float]]] = {}  # page number -> (id, score) in order
        self._index: dict[int, int] = {}  # concept id -> its index, for concepts whose place is known
        self._anchors: dict[int, tuple[int, float]] = {}  # index -> (id, score) found outside any page
        self._rows: dict[int, ProposalRow] = {}
        self.reload()

    def reload(self, filters: Filters | None = None) -> None:
        """Read the listing again (with new filters): nothing of the old one is kept."""
        if filters is not None:
            self.filters = filters
        self._rows.clear()
        self._forget_places()

    def _forget_places(self) -> None:
        self._count = self.store.proposal_count(self.filters)
        self._pages.clear()
        self._index.clear()
        self._anchors.clear()

    def __len__(self) -> int:
        return self._count

    @property
    def ids(self) -> list[int]:
        """Every listed id in order: one query over the whole listing, for selecting all (the
        table itself never needs it)."""
        return [cid for cid, _ in self.store.proposal_scores(self.filters)]

    # -- pages --------------------------------------------------------------------------
    def _entry(self, index: int) -> tuple[int, float] | None:
        """(id, score) of the row at ``index``, fetching its page when not known."""
        if not 0 <= index < self._count:
            return None
        page = index // self.PAGE
        if page not in self._pages:
            self._load_page(page)
        entries = self._pages[page]
        at = index - page * self.PAGE
        return entries[at] if at < len(entries) else None

    def _known(self) -> list[tuple[int, tuple[int, float]]]:
        """(index, (id, score)) of the rows a page can be read from: the anchors and the
        first and last row of every cached page."""
        out = list(self._anchors.items())
        for page, entries in self._pages.items():
            if entries:
                out += [(page * self.PAGE, entries[0]), (page * self.PAGE + len(entries) - 1, entries[-1])]
        return out

    def _load_page(self, page: int) -> None:
        lo, hi = page * self.PAGE, min((page + 1) * self.PAGE, self._count)
        read = self.store.proposal_page
        f = self.filters
        inside = [(j, e) for j, e in self._anchors.items() if lo <= j < hi]
        if inside:  # a concept found on this page: read back and on from it
            j, (cid, score) = inside[0]
            before = read(f, j - lo, after=(score, cid), step=-1)[::-1] if j > lo else []
            entries = [*before, (cid, score), *read(f, hi - j - 1, after=(score, cid))]
        else:
            # the fewest rows to skip: from the start, from the end, or from a known row
            plans: list[tuple[int, int, tuple[float, int] | None, int]] = [(lo, 1, None, lo)]
            plans.append((self._count - hi, -1, None, self._count - hi))
            for j, (cid, score) in self._known():
                if j < lo:
                    plans.append((lo - j - 1, 1, (score, cid), lo - j - 1))
                elif j >= hi:
                    plans.append((j - hi, -1, (score, cid), j - hi))
            _, step, after, offset = min(plans, key=lambda plan: plan[0])
            entries = read(f, hi - lo, offset=offset, after=after, step=step)
            if step < 0:
                entries.reverse()
        self._pages[page] = entries
        self._index.update((cid, lo + n) for n, (cid, _) in enumerate(entries))

    # -- rows and places ----------------------------------------------------------------
    def index_of(self, concept_id: int) -> int | None:
        """Where a concept is listed (``None`` when the filters leave it out): known from a
        page already read, else counted by the store from the concept's score."""
        if concept_id in self._index:
            return self._index[concept_id]
        if not self.store.matches(concept_id, self.filters):
            return None
        score = self.store.concept_score(concept_id)
        if score is None:
            return None
        at = self.store.proposal_position(self.filters, score, concept_id)
        self._anchors[at] = (concept_id, score)  # a known row that pages can be read from
        self._index[concept_id] = at
        return at

    def place_of(self, concept_id: int) -> int:
        """Index of a concept, or where it would sort if the filters leave it out (0 if gone)."""
        index = self.index_of(concept_id)
        if index is not None:
            return index
        score = self.store.concept_score(concept_id)
        if score is None:
            return 0
        return min(self.store.proposal_position(self.filters, score, concept_id), max(self._count - 1, 0))

    def row(self, index: int) -> ProposalRow | None:
        """The row at ``index``, fetching the uncached rows of its page on a cache miss."""
        entry = self._entry(index)
        if entry is None:
            return None
        cid = entry[0]
        if cid not in self._rows:
            page = self._pages[index // self.PAGE]
            self._rows.update(self.store.fetch_rows([i for i, _ in page if i not in self._rows]))
        return self._rows.get(cid)

    def rows_of(self, concept_ids: Iterable[int]) -> dict[int, ProposalRow]:
        """The rows of the given concepts as the table has them (cached), the others read."""
        wanted = list(concept_ids)
        self._rows.update(self.store.fetch_rows([cid for cid in wanted if cid not in self._rows]))
        return {cid: self._rows[cid] for cid in wanted if cid in self._rows}

    def refresh(self, concept_ids: Iterable[int]) -> None:
        """Re-read changed concepts: their rows are dropped (read again when shown), the
        count is taken again and positions are found anew; other rows stay cached."""
        for cid in concept_ids:
            self._rows.pop(cid, None)
        self._forget_places()

    def next_undecided(self, index: int, step: int = 1) -> int | None:
        """Index of the next (``step=1``) or previous (``-1``) unreviewed row after ``index``,
        asked of the store, so decisions made by another reviewer count."""
        entry = self._entry(min(max(index, 0), self._count - 1))
        if entry is None:
            return None
        found = self.store.next_unreviewed(self.filters, entry[1], entry[0], step)
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
