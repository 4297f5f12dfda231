"""The review history: the log of one concept or reviewer, and undo/redo replayed from it.

Undo and redo restore the typed states (:class:`LogState`) the log holds, so they work
across restarts: a reviewer's undo and redo stacks are replayed from the log itself.
"""

from __future__ import annotations

from termalign.errors import ConflictError
from termalign.review.actions import Outcome, log
from termalign.store import StoreLike, as_store
from termalign.store.review_sql import LogEntry, LogState

UNDOABLE = frozenset(
    {"approve", "reject", "reset", "edit_term", "add_term", "set_preferred", "merge", "split", "note", "bulk_approve"}
)


def history(conn: StoreLike, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
    """Review log entries, oldest first, for one concept and/or one reviewer."""
    store = as_store(conn)
    return store.log_entries(concept_id, reviewer)


def _stacks(conn: StoreLike, reviewer: str) -> tuple[list[int], list[int]]:
    """Replay the reviewer's log: ids of entries undo would revert, and redo would re-apply."""
    store = as_store(conn)
    undo: list[int] = []
    redo: list[int] = []
    for log_id, action in store.reviewer_actions(reviewer):
        if action in UNDOABLE:
            undo.append(log_id)
            redo.clear()
        elif action == "undo" and undo:
            undo.pop()
            redo.append(log_id)
        elif action == "redo" and redo:
            redo.pop()
            undo.append(log_id)
    return undo, redo


def can_undo(conn: StoreLike, reviewer: str) -> bool:
    return bool(_stacks(conn, reviewer)[0])


def can_redo(conn: StoreLike, reviewer: str) -> bool:
    return bool(_stacks(conn, reviewer)[1])


def undo(conn: StoreLike, *, reviewer: str) -> Outcome | None:
    """Revert the reviewer's last action (``None`` when there is nothing to undo)."""
    return _revert(conn, reviewer, "undo")


def redo(conn: StoreLike, *, reviewer: str) -> Outcome | None:
    """Re-apply the action the reviewer last undid (``None`` when there is nothing to redo)."""
    return _revert(conn, reviewer, "redo")


def _revert(conn: StoreLike, reviewer: str, action: str) -> Outcome | None:
    store = as_store(conn)
    # The entry to revert is the one that put the concepts in their present state: an action
    # (undo), or the undo entry that reverted it (redo). Either way: check that nobody changed
    # them since (``after`` versions), then write its ``before`` state back.
    with store.transaction():
        undo_stack, redo_stack = _stacks(conn, reviewer)
        stack = undo_stack if action == "undo" else redo_stack
        if not stack:
            return None
        entry = store.log_entry(stack[-1])
        target = entry.before.states() if entry.before else {}
        present = entry.after.states() if entry.after else {}
        ids = sorted(set(target) | set(present))
        current = {cid: store.load_concept(cid) for cid in ids}
        for cid in ids:
            expected, now_ = present.get(cid), current[cid]
            if (expected is None) != (now_ is None) or (expected and now_ and expected.version != now_.version):
                who = now_.updated_by if now_ else "someone else"
                raise ConflictError(f"cannot {action}: concept {cid} was changed since by {who or 'someone else'}")
        before = LogState(
            tuple(store.snapshot(c) for c in current.values() if c), tuple(i for i, c in current.items() if not c)
        )
        top = max([s.version for s in (*target.values(), *present.values()) if s] + [0])
        for cid in ids:
            if current[cid] is not None and target.get(cid) is None:
                store.delete_concept(cid)
            elif current[cid] is not None:
                store.clear_concept(cid)
        for cid in ids:
            snap = target.get(cid)
            if snap is not None:
                now_concept = current[cid]
                store.restore(snap, (now_concept.version if now_concept else top) + 1, reviewer)
        restored = {cid: store.load_concept(cid) for cid in ids}
        after = LogState(
            tuple(store.snapshot(c) for c in restored.values() if c), tuple(i for i, c in restored.items() if not c)
        )
        log(conn, entry.concept_id, reviewer, action, before, after)
    return Outcome(
        action,
        entry.concept_id,
        changed=tuple(i for i in ids if current[i] and restored[i]),
        created=tuple(i for i in ids if not current[i] and restored[i]),
        deleted=tuple(i for i in ids if current[i] and not restored[i]),
    )
