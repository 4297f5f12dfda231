"""Live updates: other reviewers' changes, as an open review screen shows them.

:class:`LiveUpdates` polls the store's change watch (:meth:`TermStore.watch_changes`: a poll
costs no query while nobody else commits) and turns what others changed into
:class:`LiveChanges`: the concepts to read again, and per concept the latest change by another
reviewer in a few words ("approved by bob") for a row marker, a notice and the detail pane.
The reviewer's own writes never show up here.
"""

from __future__ import annotations

from dataclasses import dataclass

from termalign.review.history import describe
from termalign.store import StoreLike, as_store
from termalign.store.changes import touched_concepts
from termalign.store.review_sql import LogEntry

#: What a logged action did to a concept, as a notice says it ("concept 11 approved by bob").
DONE = {
    "approve": "approved", "reject": "rejected", "reset": "reopened",
    "bulk_approve": "approved", "bulk_reject": "rejected",
    "edit_term": "term edited", "add_term": "term added", "accept_suggestion": "suggestion accepted",
    "set_preferred": "preferred term changed", "deprecate": "term deprecated", "undeprecate": "term restored",
    "delete_term": "term deleted", "set_pos": "part of speech set", "set_subject_field": "subject field set",
    "note": "note added", "merge": "merged", "split": "split", "undo": "changed back (undo)",
    "redo": "changed again (redo)",
}
#: Concepts a notice names one by one; more are counted ("and 4 more").
NOTICE_NAMES = 3


@dataclass(frozen=True)
class ConceptChange:
    """The latest change another reviewer made to one concept."""

    concept_id: int
    reviewer: str
    action: str
    #: what the entry did to this concept (:func:`~termalign.review.history.describe`)
    detail: str
    #: the concept no longer exists (merged into another, or undone out of existence)
    gone: bool = False
    #: the concept it went into, for a merge's source
    into: int | None = None

    @property
    def summary(self) -> str:
        """``approved by bob``: the row marker's and the notice's words."""
        if self.gone and self.into is not None:
            return f"merged into concept {self.into} by {self.reviewer}"
        return f"{'removed' if self.gone else DONE.get(self.action, self.action)} by {self.reviewer}"


@dataclass(frozen=True)
class LiveChanges:
    """What other reviewers changed since the last poll."""

    #: per concept, the latest change by another reviewer
    changes: dict[int, ConceptChange]
    #: every concept to read again (changed by others, in the log or outside it)
    concept_ids: frozenset[int]
    #: concepts changed outside the review log, which ones unknown: read the whole listing again
    everything: bool = False

    def notice(self) -> str:
        """One line naming the changes: ``concept 11 approved by bob``."""
        if not self.changes:
            return "The termbase was changed outside the review (a rebuild or an import): the list was read again"
        named = [f"concept {c.concept_id} {c.summary}" for c in list(self.changes.values())[:NOTICE_NAMES]]
        more = len(self.changes) - len(named)
        return "; ".join(named) + (f"; and {more} more" if more else "")


def concept_change(entry: LogEntry, concept_id: int) -> ConceptChange:
    after = entry.after.states() if entry.after else {}
    gone = concept_id in after and after[concept_id] is None
    into = entry.concept_id if gone and entry.action == "merge" and entry.concept_id != concept_id else None
    return ConceptChange(concept_id, entry.reviewer, entry.action, describe(entry, concept_id), gone, into)


class LiveUpdates:
    """Follows what other reviewers change while one reviewer's screen is open."""

    def __init__(self, conn: StoreLike, reviewer: str) -> None:
        self.watch = as_store(conn).watch_changes(reviewer)

    def poll(self) -> LiveChanges | None:
        """``None`` while nobody else changed anything (no query is made), else what changed."""
        found = self.watch.poll()
        if found is None:
            return None
        changes: dict[int, ConceptChange] = {}
        for entry in found.entries:  # oldest first: the latest change of a concept wins
            for cid in sorted(touched_concepts(entry)):
                changes.pop(cid, None)  # re-inserted: the notice names concepts in the order they changed
                changes[cid] = concept_change(entry, cid)
        return LiveChanges(changes, found.concept_ids, found.unknown)

    def close(self) -> None:
        self.watch.close()
