"""Review: the filter language, the proposals listing, the detail pane's queries, the review
actions and undo/redo — the logic behind the review TUI, over the store.

- :mod:`~termalign.review.filters`: :class:`Filters` and its ``key:value`` language;
- :mod:`~termalign.review.listing`: :class:`ProposalList` (ids in order, rows a page at a
  time) and the reviewer's saved position;
- :mod:`~termalign.review.detail`: MT suggestions, and a term's corpus counts and concordance;
- :mod:`~termalign.review.actions`: the review actions, each one transaction and one log entry;
- :mod:`~termalign.review.history`: the review log and undo/redo replayed from it;
- :mod:`~termalign.review.live`: other reviewers' changes while a screen is open.

Every statement they run lives in the store (:mod:`termalign.store.review_sql`, and
:mod:`termalign.store.changes` for live updates). Scripts can call these functions exactly as
the TUI does.
"""

from termalign.review.actions import (
    PARTS_OF_SPEECH,
    STATUS_ACTIONS,
    Outcome,
    accept_suggestion,
    add_note,
    add_term,
    approve,
    bulk_approve,
    bulk_reject,
    bulk_set_status,
    delete_term,
    deprecate,
    edit_term,
    merge,
    reject,
    reset,
    set_pos,
    set_preferred,
    set_status,
    set_subject_field,
    split,
    undeprecate,
)
from termalign.review.detail import (
    Occurrence,
    Rejections,
    TermCount,
    concordance,
    earlier_rejections,
    mt_suggestions,
    term_count,
    term_suggestions,
)
from termalign.review.filters import Filters
from termalign.review.history import UNDOABLE, can_redo, can_undo, concept_history, describe, history, redo, undo
from termalign.review.listing import ProposalList, load_position, matches, proposal_ids, save_position
from termalign.review.live import ConceptChange, LiveChanges, LiveUpdates
from termalign.store.review_sql import (
    ConceptSnapshot,
    LogEntry,
    LogState,
    MTSuggestion,
    ProposalRow,
    fetch_rows,
)

__all__ = [
    "PARTS_OF_SPEECH", "STATUS_ACTIONS", "UNDOABLE",
    "ConceptChange", "ConceptSnapshot", "Filters", "LiveChanges", "LiveUpdates",
    "Occurrence", "Rejections", "TermCount", "earlier_rejections", "term_count", "LogEntry", "LogState", "MTSuggestion",
    "Outcome",
    "ProposalList", "ProposalRow",
    "accept_suggestion",
    "add_note", "add_term", "approve", "concept_history", "delete_term", "deprecate", "describe", "set_pos",
    "set_subject_field", "undeprecate", "bulk_approve", "bulk_reject", "bulk_set_status", "can_redo", "can_undo",
    "concordance", "edit_term",
    "fetch_rows", "history", "load_position", "matches", "merge", "mt_suggestions", "proposal_ids", "redo",
    "reject", "reset", "save_position", "set_preferred", "set_status", "split", "term_suggestions", "undo",
]
