"""Team settings are stored in the termbase, checked before they are stored, and the
``rejections-needed`` setting decides how many reviewers' rejections keep a pairing out
(both backends)."""

from __future__ import annotations

import pytest

from termalign import lang, review
from termalign.errors import InputError
from termalign.store.concepts import Concept, Term
from termalign.store.settings import REJECTIONS_NEEDED


def test_a_setting_reads_its_default_until_set_and_a_bad_value_stores_nothing(store):
    before = store.team_settings()[REJECTIONS_NEEDED]
    assert (before.value, before.set_by, before.set_at) == ("1", None, None)
    assert store.team_setting(REJECTIONS_NEEDED) == 1
    stored = store.set_team_setting(REJECTIONS_NEEDED, "2", "ana")
    assert store.team_setting(REJECTIONS_NEEDED) == 2
    assert store.team_settings()[REJECTIONS_NEEDED].set_at == stored.set_at
    for bad in ("0", "-1", "two", "1.5", ""):
        with pytest.raises(InputError, match="whole number"):
            store.set_team_setting(REJECTIONS_NEEDED, bad, "ana")
    with pytest.raises(InputError, match="no team setting"):
        store.set_team_setting("rejection-scope", "all", "ana")
    assert store.team_setting(REJECTIONS_NEEDED) == 2


def _keys(*terms: tuple[str, str]) -> set[tuple[str, str]]:
    return {(code, lang.get(code).key(text)) for code, text in terms}


def test_rejections_count_different_reviewers(store):
    km, th, en = ("km", "គុណភាពទឹក"), ("th", "คุณภาพน้ำ"), ("en", "water quality")
    single = ("en", "citizens")
    with store.transaction():
        ids = [
            store.insert_concept(Concept(terms=[Term(*t, "preferred") for t in terms], origin="align"))
            for terms in ([km, th], [km, th, en], [single], [single], [km, th])
        ]
    for cid, reviewer in zip(ids[:4], ["alice", "alice", "alice", "alice"], strict=True):
        review.reject(store, cid, version=1, reviewer=reviewer)
    pair = frozenset(_keys(km, th))
    # one reviewer's rejection applies to all (the default): each rejected concept refuses its pairing
    assert store.rejected_groups() == [pair, frozenset(_keys(km, th, en))]
    assert _keys(single) <= store.decided_term_keys()
    # two needed: alice twice counts once, so nothing is kept out yet
    assert store.rejected_groups(2) == []
    assert not _keys(single, km, th) & store.decided_term_keys(2)
    # bob rejects the pairing again: now two reviewers did; km–en was refused by alice only
    review.reject(store, ids[4], version=1, reviewer="bob")
    assert store.rejected_groups(2) == [pair]
    assert store.rejected_groups(3) == []
    assert not _keys(single) & store.decided_term_keys(2)


def test_an_imported_rejection_counts_its_last_editor(store):
    """A concept imported as rejected has no reject in the log: its last editor rejected it."""
    with store.transaction():
        for who in ("alice", "bob"):
            store.insert_concept(Concept(terms=[Term("en", "citizens", "preferred")], status="rejected",
                                         origin="align", updated_by=who))
    assert ("en", "citizens") in store.decided_term_keys(2)
    assert ("en", "citizens") not in store.decided_term_keys(3)


def test_earlier_rejections_name_the_rejected_concepts_that_held_two_of_its_terms(store):
    km, th, en, vi = ("km", "គុណភាពទឹក"), ("th", "คุณภาพน้ำ"), ("en", "water quality"), ("vi", "chất lượng nước")
    with store.transaction():
        pair, one_shared, single, now = (
            store.insert_concept(Concept(terms=[Term(*t, "preferred") for t in terms], origin="align"))
            for terms in ([km, th], [km, vi], [en], [km, th, en])
        )
    for cid, reviewer in ((pair, "alice"), (one_shared, "bob"), (single, "chea")):
        review.reject(store, cid, version=1, reviewer=reviewer)
    found = store.earlier_rejections(now)
    # km–vi shares one term only; the single rejected term is held alone
    assert [(r.concept_id, r.reviewer, r.shared) for r in found] == [
        (pair, "alice", tuple(sorted(_keys(km, th)))),
        (single, "chea", tuple(sorted(_keys(en)))),
    ]
    assert store.earlier_rejections(pair) == []  # nothing else rejected holds two of km, th
