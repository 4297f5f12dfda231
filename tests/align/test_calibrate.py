"""The proposal score refit on reviewers' decisions (decisions written for these tests)."""

import random

import pytest

from termalign import lang
from termalign.align import align
from termalign.align.calibrate import CALIBRATION_SIGNAL, MIN_DECISIONS, PRIOR_WEIGHT, decisions, fit
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Evidence, Term, insert_concept


def test_no_refit_below_the_decisions_needed():
    decided = [(0.9, False)] * (MIN_DECISIONS - 1)
    assert fit(decided) is None
    assert fit([*decided, (0.9, False)]) is not None


def test_the_refit_score_is_the_share_reviewers_approved_monotone_in_the_raw_score():
    rng = random.Random(7)
    # Reviewers approved what the rule scored 0.75 or more, rejected the rest.
    raws = [round(rng.uniform(0.5, 1.0), 3) for _ in range(80)]
    calibration = fit([(r, r >= 0.75) for r in raws])
    assert calibration is not None
    assert calibration(0.55) < 0.2 and calibration(0.95) > 0.85
    grid = [i / 100 for i in range(101)]
    scores = [calibration(x) for x in grid]
    assert all(a <= b for a, b in zip(scores, scores[1:]))
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_the_rule_s_score_is_the_prior_where_decisions_are_few():
    # 50 approvals, all at raw score 0.3: the fit does not jump to certainty.
    calibration = fit([(0.3, True)] * 50)
    assert calibration is not None
    assert calibration(0.3) == pytest.approx((50 + PRIOR_WEIGHT * 0.3) / (50 + PRIOR_WEIGHT), abs=1e-6)


def test_a_calibrated_proposal_keeps_the_rule_s_score_for_the_next_refit(tmp_path):
    conn = open_store(tmp_path / "d.db")
    evidence = [Evidence("anchor", 0.9, "km", None, {}),
                Evidence(CALIBRATION_SIGNAL, 0.4, None, None, {"raw": 0.77, "score": 0.4})]
    with transaction(conn):
        insert_concept(conn, Concept([Term("en", "refit")], status="rejected", score=0.4, evidence=evidence))
        insert_concept(conn, Concept([Term("en", "rule")], status="approved", score=0.6))
    assert decisions(conn) == [(0.77, False), (0.6, True)]


def _anchors(conn, texts):
    with transaction(conn):
        for rank, text in enumerate(texts, 1):
            for code in ("km", "th"):
                conn.execute(
                    "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity,"
                    " unithood, termhood, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (code, lang.get(code).key(text), text, "anchor", 1, 1, 1, 1.0, 1.0, 1.0, 1.0, rank),
                )


def test_align_refits_its_scores_once_reviewers_decided_enough(tmp_path):
    conn = open_store(tmp_path / "a.db")
    _anchors(conn, ["VNeID", "OCOP", "CamDigiKey"])
    report = align(conn)
    assert not report.calibrated and report.decisions == 0
    rule = {c.terms[0].text: c.score for c in _unreviewed(conn)}
    assert len(rule) == 3 and all(0 < s < 1 for s in rule.values())
    # Reviewers rejected every proposal the rule scored as high as these, approved low ones.
    high = max(rule.values())
    with transaction(conn):
        for i in range(60):
            raw = high if i % 2 else 0.2
            insert_concept(conn, Concept(
                terms=[Term("en", f"decided term {i}", "preferred")], status="approved" if raw < high else "rejected",
                score=raw, origin="align",
            ))
        # A concept a reviewer wrote by hand is no decision on a proposal.
        insert_concept(conn, Concept(terms=[Term("en", "by hand", "preferred")], status="approved", origin="review",
                                     score=high))
    report = align(conn)
    assert report.calibrated and (report.decisions, report.approved) == (60, 30)
    for concept in _unreviewed(conn):
        calibration = [e for e in concept.evidence if e.signal == CALIBRATION_SIGNAL]
        assert len(calibration) == 1
        detail = calibration[0].detail
        assert detail["raw"] == rule[concept.terms[0].text]
        assert detail["decisions"] == 60 and detail["approved"] == 30
        assert concept.score == detail["score"] < detail["raw"]


def _unreviewed(conn):
    from termalign.store import as_store

    return list(as_store(conn).iter_concepts(("unreviewed",)))
