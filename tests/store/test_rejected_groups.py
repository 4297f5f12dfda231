"""A rejected concept keeps its pairing out of later alignment runs, not its terms (both backends)."""

from __future__ import annotations

from termalign import lang
from termalign.store.concepts import Concept, Term


def test_the_store_keeps_a_rejected_pairing_and_frees_its_terms(store):
    with store.transaction():
        store.insert_concept(Concept(
            terms=[Term("km", "គុណភាពទឹក", "preferred"), Term("th", "คุณภาพน้ำ", "preferred")],
            status="rejected", origin="align"))
        store.insert_concept(Concept(terms=[Term("en", "citizens", "preferred")], status="rejected", origin="align"))
        store.insert_concept(Concept(terms=[Term("vi", "chất lượng nước", "preferred")], status="approved"))
        store.insert_concept(Concept(terms=[Term("en", "water quality", "preferred")], origin="align"))
    decided = store.decided_term_keys()
    km_key, th_key = lang.get("km").key("គុណភាពទឹក"), lang.get("th").key("คุณภาพน้ำ")
    assert ("km", km_key) not in decided and ("th", th_key) not in decided
    assert ("en", "citizens") in decided  # a rejected single term stays rejected
    assert ("vi", lang.get("vi").key("chất lượng nước")) in decided  # approved
    assert ("en", "water quality") not in decided  # an untouched proposal is replaced
    assert store.rejected_groups() == [frozenset({("km", km_key), ("th", th_key)})]


def test_the_store_lists_the_decided_proposals_with_their_scores(store):
    from termalign.store.concepts import Evidence

    calibrated = [Evidence("anchor", 0.9, "km", None, {}), Evidence("calibration", 0.41, None, None, {"raw": 0.8})]
    with store.transaction():
        store.insert_concept(Concept(terms=[Term("en", "approved one")], status="approved", origin="align", score=0.7))
        store.insert_concept(Concept(terms=[Term("en", "rejected one")], status="rejected", origin="align", score=0.41,
                                     evidence=calibrated))
        store.insert_concept(Concept(terms=[Term("en", "waiting")], origin="align", score=0.9))
        store.insert_concept(Concept(terms=[Term("en", "by hand")], status="approved", origin="review", score=0.2))
    assert store.decided_scores("align", "calibration") == [(0.7, True, None), (0.41, False, {"raw": 0.8})]
