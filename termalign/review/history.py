"""The review history: the log of one concept or reviewer, and undo/redo replayed from it.

Undo and redo restore the typed states (:class:`LogState`) the log holds, so they work
across restarts: a reviewer's undo and redo stacks are replayed from the log itself.
"""

from __future__ import annotations

from termalign.errors import ConflictError
from termalign.review.actions import Outcome, log
from termalign.store import StoreLike, TermStore, as_store
from termalign.store.concepts import Concept
from termalign.store.review_sql import ConceptSnapshot, LogEntry, LogState

UNDOABLE = frozenset(
    {
        "approve", "reject", "reset", "edit_term", "add_term", "set_preferred", "merge", "split", "note",
        "bulk_approve", "bulk_reject", "deprecate", "undeprecate", "delete_term", "set_pos", "set_subject_field",
        "accept_suggestion",
    }
)


def history(conn: StoreLike, concept_id: int | None = None, reviewer: str | None = None) -> list[LogEntry]:
    """Review log entries, oldest first, for one concept and/or one reviewer."""
    store = as_store(conn)
    return store.log_entries(concept_id, reviewer)


def concept_history(conn: StoreLike, concept_id: int) -> list[LogEntry]:
    """Every log entry that changed a concept, oldest first: its own actions, and the bulk
    actions, merges, splits and undos it took part in."""
    return as_store(conn).log_entries_touching(concept_id)


def describe(entry: LogEntry, concept_id: int) -> str:
    """What one log entry did to a concept, in a few words: ``approve: unreviewed → approved``."""
    before = entry.before.states().get(concept_id) if entry.before else None
    after = entry.after.states().get(concept_id) if entry.after else None
    if before is None and after is not None:
        return f"{entry.action}: created"
    if after is None:
        return f"{entry.action}: merged away" if before is not None else entry.action
    assert before is not None
    changes = []
    if before.concept.status != after.concept.status:
        changes.append(f"{before.concept.status} → {after.concept.status}")
    was = {(t.lang, t.text): (t.status, t.pos) for t in before.concept.terms}
    now_ = {(t.lang, t.text): (t.status, t.pos) for t in after.concept.terms}
    for lang, text in sorted(was.keys() - now_.keys()):
        changes.append(f"-{lang}:{text}")
    for lang, text in sorted(now_.keys() - was.keys()):
        changes.append(f"+{lang}:{text}")
    for (lang, text), (status, pos) in sorted(now_.items()):
        old = was.get((lang, text))
        if old is not None and old != (status, pos):
            parts = [f"{old[0]} → {status}"] if old[0] != status else []
            parts += [f"{old[1] or '—'} → {pos or '—'}"] if old[1] != pos else []
            changes.append(f"{lang}:{text} {' '.join(parts)}")
    if before.concept.subject_field != after.concept.subject_field:
        changes.append(f"field {after.concept.subject_field or '—'}")
    notes = len(after.concept.notes) - len(before.concept.notes)
    if notes:
        changes.append(f"{notes:+d} note" + ("s" if abs(notes) != 1 else ""))
    return f"{entry.action}: {', '.join(changes) or 'no change'}"


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


#: Snapshot fields that change with every write, not with what a concept says.
_BOOKKEEPING = ("version", "updated_at", "updated_by")


def _content(snap: ConceptSnapshot | None) -> dict | None:
    if snap is None:
        return None
    data = snap.to_json()
    for name in _BOOKKEEPING:
        data.pop(name, None)
    return data


def _check_unchanged_by_others(
    store: TermStore, entry: LogEntry, concept_id: int, now_concept: Concept | None, reviewer: str, action: str
) -> None:
    """Refuse to revert ``entry`` on a concept that is no longer as the reviewer's own
    history left it: changed since by another reviewer (or outside the log, by a rebuild).
    The reviewer's own later entries do not count — the stacks walk back in order, so each
    has been undone already; and versions cannot tell, as every undo bumps the version."""
    mine = entry
    others = []
    for later in store.log_entries_touching(concept_id, since_id=entry.id + 1):
        if later.reviewer == reviewer:
            mine = later
        else:
            others.append(later.reviewer)
    expected = mine.after.states().get(concept_id) if mine.after else None
    present = store.snapshot(now_concept) if now_concept is not None else None
    if _content(expected) != _content(present):
        who = others[-1] if others else (now_concept.updated_by if now_concept else None) or "someone else"
        raise ConflictError(f"cannot {action}: concept {concept_id} was changed since by {who}")


def _revert(conn: StoreLike, reviewer: str, action: str) -> Outcome | None:
    store = as_store(conn)
    # The entry to revert is the one that put the concepts in their present state: an action
    # (undo), or the undo entry that reverted it (redo). Either way: check that no one else
    # changed them since, then write its ``before`` state back.
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
            _check_unchanged_by_others(store, entry, cid, current[cid], reviewer, action)
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
