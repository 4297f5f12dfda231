"""Live updates at the store: a watch reports what other connections change, never its own writes."""

from __future__ import annotations

import time

import pytest

from termalign.review import actions
from termalign.store.concepts import Concept, Term

from .conftest import close

#: How long a test waits for PostgreSQL to deliver a notification (it arrives in milliseconds):
#: a bound on waiting, not a measured time.
DELIVERY_WAIT = 10.0


def poll_until_changed(watch):
    """The first poll that reports changes (PostgreSQL delivers notifications asynchronously)."""
    deadline = time.monotonic() + DELIVERY_WAIT
    while time.monotonic() < deadline:
        found = watch.poll()
        if found is not None:
            return found
        time.sleep(0.02)
    raise AssertionError("no change reported")


def settle(watch) -> None:
    """Let anything in flight arrive, then read it (so the next poll starts clean)."""
    time.sleep(0.2)
    watch.poll()


def concepts(store, n: int = 3) -> list[int]:
    with store.transaction():
        return [
            store.insert_concept(Concept([Term("en", f"term {i}", "preferred")], score=0.5 + i / 10))
            for i in range(n)
        ]


@pytest.fixture
def two(backend, termbase):
    """Two store objects on one termbase: alice's (watching) and bob's."""
    alice, bob = backend.open(termbase), backend.open(termbase)
    yield alice, bob
    close(alice)
    close(bob)


def test_a_watch_reports_another_reviewers_action_and_not_its_own(two):
    alice, bob = two
    ids = concepts(alice)
    watch = alice.watch_changes("alice")
    try:
        assert watch.poll() is None
        actions.approve(alice, ids[0], version=1, reviewer="alice")
        time.sleep(0.2)  # time for a notification of her own write to arrive, were one sent
        assert watch.poll() is None
        actions.reject(bob, ids[1], version=1, reviewer="bob")
        found = poll_until_changed(watch)
        assert [(e.reviewer, e.action, e.concept_id) for e in found.entries] == [("bob", "reject", ids[1])]
        assert ids[1] in found.concept_ids and ids[0] not in found.concept_ids
        assert not found.unknown
        settle(watch)
        assert watch.poll() is None  # reported once
    finally:
        watch.close()


def test_a_merge_by_another_reviewer_names_both_concepts(two):
    alice, bob = two
    ids = concepts(alice)
    watch = alice.watch_changes("alice")
    try:
        actions.merge(bob, ids[0], ids[1], target_version=1, source_version=1, reviewer="bob")
        found = poll_until_changed(watch)
        assert [e.action for e in found.entries] == ["merge"]
        assert {ids[0], ids[1]} <= found.concept_ids
    finally:
        watch.close()


def test_concepts_written_outside_the_review_log_are_reported(two):
    alice, bob = two
    concepts(alice)
    watch = alice.watch_changes("alice")
    try:
        (new,) = concepts(bob, 1)  # as a rebuild or an import writes: no review-log entry
        found = poll_until_changed(watch)
        assert not found.entries
        # PostgreSQL is told which concepts; SQLite only that some were written
        assert new in found.concept_ids or found.unknown
    finally:
        watch.close()


def test_an_older_log_entry_committed_late_is_still_reported(backend, two):
    if backend.name == "sqlite":
        pytest.skip("SQLite writers take turns: log ids commit in the order they are handed out")
    alice, bob = two
    ids = concepts(alice)
    carol = backend.open(alice.conn.url)
    watch = alice.watch_changes("alice")
    try:
        with bob.transaction():  # bob's entry takes the older id and commits last
            bob.bump_version(ids[0], 1, "bob")
            bob.set_status(ids[0], "approved")
            bob.log_action(ids[0], "bob", "approve", None, None)
            actions.reject(carol, ids[1], version=1, reviewer="carol")
            assert [e.reviewer for e in poll_until_changed(watch).entries] == ["carol"]
        assert [e.reviewer for e in poll_until_changed(watch).entries] == ["bob"]
    finally:
        watch.close()
        close(carol)
