"""Comparing consonant skeletons: the similarity behind cognate (loanword) evidence.

Each language computes its own skeleton (:meth:`termalign.lang.Language.skeleton`); here
two skeletons are compared.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def similarity(a: str, b: str) -> float:
    """1 − normalized Levenshtein distance of two skeletons (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return Levenshtein.normalized_similarity(a, b)
