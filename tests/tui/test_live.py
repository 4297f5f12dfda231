"""Live updates: another reviewer's change shows on an open review screen without a key press.

Bob reviews in the app; Alice writes through a store object of her own on the same termbase
(as her own app would, in another process), on SQLite and on PostgreSQL. Row order of the
fixture: #2, #1, #3, #4 … (see test_app.py).
"""

from __future__ import annotations

import pytest
from termalign.tui.app import ReviewApp
from termalign.tui.widgets import ProposalTable
from textual.widgets import Input

from termalign import review
from termalign.store import open_store
from termalign.store.concepts import load_concept
from termalign.store.copy import copy_store

SIZE = (100, 40)
#: How long a test waits for the screen to show a change (it takes one poll, half a second):
#: a bound on waiting, not a measured time.
WAIT_SECONDS = 10.0
STEP_SECONDS = 0.05


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, termbase) -> str:
    """The review fixture on each backend: the SQLite file, or a PostgreSQL copy of it."""
    if request.param == "sqlite":
        return str(termbase)
    url = request.getfixturevalue("postgres_db")
    source, target = open_store(termbase, create=False), open_store(url)
    copy_store(source, target)
    source.close()
    target.close()
    return url


@pytest.fixture
def alice(db):
    """Alice's store object: another reviewer writing to the same termbase."""
    store = open_store(db, create=False)
    yield store
    store.close()


def bobs_app(db: str) -> ReviewApp:
    return ReviewApp(db, "bob", conn=open_store(db, create=False))


async def until(pilot, condition, what: str) -> None:
    """Let the app run (no key pressed) until ``condition()`` holds."""
    for _ in range(int(WAIT_SECONDS / STEP_SECONDS)):
        if condition():
            return
        await pilot.pause(STEP_SECONDS)
    raise AssertionError(f"the screen never showed {what}")


def table(app) -> ProposalTable:
    return app.screen.query_one(ProposalTable)


def line(app, index: int) -> str:
    """The table line drawn for row ``index`` (line 0 is the header)."""
    t = table(app)
    return "".join(s.text for s in t.render_line(index - round(t.scroll_y) + 1))


def notices(app) -> list[str]:
    """The notifications the app shows. ``notify`` posts a message the app handles in its own
    turn, so a notice may arrive a moment after the change it reports is drawn: wait for it."""
    return [str(n.message) for n in app._notifications]


def others_notices(app) -> list[str]:
    """The notices about other reviewers' changes ("… by alice")."""
    return [n for n in notices(app) if "by " in n]


async def test_another_reviewers_approval_shows_on_the_open_concept(db, alice):
    app = bobs_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert table(app).current.id == 1
        review.approve(alice, 1, version=1, reviewer="alice")
        await until(pilot, lambda: app.screen.view.concept.status == "approved", "#1 approved")
        screen = app.screen
        assert table(app).cursor == 1 and table(app).current.id == 1  # the cursor stayed
        assert table(app).current.status == "approved"
        assert screen.view.concept.version == 2
        assert screen.view.notice.startswith("Changed by alice: approve")
        assert line(app, 1).startswith(">!")  # the row is marked
        await until(pilot, lambda: bool(others_notices(app)), "the notice of alice's approval")
        assert any("concept 1 approved by alice" in n for n in notices(app))
        await pilot.press("a")  # bob decides on what he now sees: accepted, no conflict
    reader = open_store(db, create=False)
    assert [(e.reviewer, e.action) for e in review.history(reader, 1)] == [("alice", "approve"), ("bob", "approve")]
    reader.close()


async def test_a_row_elsewhere_is_marked_and_own_writes_are_not_notified(db, alice):
    app = bobs_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "a")  # bob's own approval of #1: the cursor moves on to #3
        assert table(app).current.id == 3
        review.reject(alice, 4, version=1, reviewer="alice")
        await until(pilot, lambda: 4 in table(app).changed, "#4 marked")
        assert table(app).current.id == 3 and app.screen.view.concept.id == 3
        assert line(app, 3).startswith(" !") and "rej" in line(app, 3)
        await until(pilot, lambda: bool(others_notices(app)), "the notice of alice's rejection")
        assert others_notices(app) == ["concept 4 rejected by alice"]  # bob's own approval is no news to him
        await pilot.press("j", "j")  # onto #4 (its change shown in the detail), then away from it
        assert table(app).current.id == 5
        assert 4 not in table(app).changed and line(app, 3).startswith("  ")


async def test_a_half_typed_note_survives_an_update_and_is_saved(db, alice):
    app = bobs_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "c", "h", "a", "l", "f")
        field = app.screen.query_one(Input)
        review.approve(alice, 1, version=1, reviewer="alice")
        await until(pilot, lambda: app.screen.view.concept.version == 2, "#1 at version 2")
        assert field.has_focus and field.value == "half"
        await pilot.press("enter")
        assert table(app).current.id == 1
    reader = open_store(db, create=False)
    concept = load_concept(reader, 1)
    assert concept.status == "approved" and [(n.author, n.text) for n in concept.notes][-1] == ("bob", "half")
    reader.close()


async def test_a_prompt_keeps_its_concept_when_that_leaves_the_listing(termbase):
    other = open_store(termbase, create=False)
    app = ReviewApp(termbase, "bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "ctrl+u")
        for key in "status:unreviewed":
            await pilot.press({":": "colon"}.get(key, key))
        await pilot.press("enter", "j")
        assert table(app).current.id == 1
        await pilot.press("h", "e", "ctrl+u")  # edit #1's English term
        for key in "digital shift":
            await pilot.press({" ": "space"}.get(key, key))
        listed = len(table(app).proposals)
        review.approve(other, 1, version=1, reviewer="alice")  # #1 leaves bob's listing
        await until(pilot, lambda: len(table(app).proposals) == listed - 1, "#1 gone from the listing")
        assert app.screen.view.concept.id == 1  # the prompt is about #1: the detail keeps it
        assert 1 in table(app).changed
        assert app.screen.view.notice.startswith("Changed by alice")
        await pilot.press("enter")
        assert app.screen.view.concept.id == table(app).current.id == 3  # then the detail follows the table
    assert [t.text for t in load_concept(other, 1).terms_in("en")] == ["digital shift"]
    assert load_concept(other, 3).terms_in("en")[0].text == "e-government"
    other.close()
