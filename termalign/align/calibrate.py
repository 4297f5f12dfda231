"""Calibration stage: the proposal score refit on reviewers' decisions.

The aligner's raw score combines its signals by rule (noisy-or of the strongest evidence of
each signal, scaled by the best member's rank). Once reviewers have decided on enough of its
proposals (:data:`MIN_DECISIONS`), a new proposal's score is what the decisions say of its raw
score: the share of decided proposals around it that reviewers approved, fitted as a
non-decreasing (isotonic) function of the raw score, with the raw score itself as the prior.
A calibrated proposal keeps its raw score in a ``calibration`` evidence row, so that the next
refit reads the score the rule gave, not one an earlier fit made of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from termalign.store import StoreLike, as_store
from termalign.store.concepts import Concept, Evidence

#: Decided proposals needed before the score is refit: below, a fit would follow a handful
#: of decisions, and the rule's score stands.
MIN_DECISIONS = 50
#: Weight of the prior, in decisions: the raw score counts as that many decisions spread
#: over the decided raw scores, so that a region of the score few decisions fall in stays
#: near the rule's score instead of jumping to 0 or 1 on one approval.
PRIOR_WEIGHT = 10.0
#: The evidence signal that records a calibration (raw score, decisions it was fitted on).
CALIBRATION_SIGNAL = "calibration"
#: Origin of the aligner's proposals (a concept imported or written by hand is no decision
#: on a proposal).
ALIGNER_ORIGIN = "align"


@dataclass(frozen=True)
class Calibration:
    """A fitted map from raw score to the share of proposals reviewers approve."""

    xs: tuple[float, ...]  # raw scores where the fitted step function changes (increasing)
    ys: tuple[float, ...]  # the fitted share at each
    decisions: int
    approved: int

    def __call__(self, raw: float) -> float:
        """The calibrated score of ``raw``: linear between the fitted points (as scikit-learn
        predicts), flat beyond them."""
        import numpy as np

        return float(np.interp(raw, self.xs, self.ys))


def decisions(conn: StoreLike) -> list[tuple[float, bool]]:
    """(raw score, approved) of every aligner proposal a reviewer approved or rejected (read
    in one query: a termbase may hold a hundred thousand decided concepts)."""
    return [
        (float(detail["raw"]) if isinstance(detail, dict) and "raw" in detail else score, approved)
        for score, approved, detail in as_store(conn).decided_scores(ALIGNER_ORIGIN, CALIBRATION_SIGNAL)
    ]


def fit(decided: Sequence[tuple[float, bool]], min_decisions: int = MIN_DECISIONS) -> Calibration | None:
    """The isotonic fit of approval on raw score, with the prior of :data:`PRIOR_WEIGHT`
    decisions; ``None`` below ``min_decisions`` decisions."""
    if len(decided) < min_decisions:
        return None
    from sklearn.isotonic import IsotonicRegression

    n = len(decided)
    xs = [s for s, _ in decided] * 2
    ys = [float(ok) for _, ok in decided] + [s for s, _ in decided]
    weights = [1.0] * n + [PRIOR_WEIGHT / n] * n
    model = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    model.fit(xs, ys, sample_weight=weights)
    return Calibration(
        tuple(float(x) for x in model.X_thresholds_), tuple(float(y) for y in model.y_thresholds_),
        n, sum(ok for _, ok in decided),
    )


def calibrate(concepts: Iterable[Concept], calibration: Calibration) -> None:
    """Give each proposal its calibrated score, its raw one kept in a calibration evidence row."""
    for concept in concepts:
        raw = concept.score
        concept.score = round(calibration(raw), 4)
        detail = {
            "raw": raw, "score": concept.score, "decisions": calibration.decisions, "approved": calibration.approved,
        }
        concept.evidence.append(Evidence(CALIBRATION_SIGNAL, concept.score, None, None, detail))


__all__ = ["CALIBRATION_SIGNAL", "Calibration", "calibrate", "decisions", "fit"]
