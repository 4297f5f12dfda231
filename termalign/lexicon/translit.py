"""Comparing consonant skeletons: the similarity behind cognate (loanword) evidence.

Each language computes its own skeleton (:meth:`termalign.lang.Language.skeleton`); here
two skeletons are compared.
"""

from __future__ import annotations

from rapidfuzz.distance import Indel, Levenshtein


def similarity(a: str, b: str) -> float:
    """1 − normalized Levenshtein distance of two skeletons (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return Levenshtein.normalized_similarity(a, b)


#: The scorer behind :func:`cognate_similarity` (on non-empty letters), for rapidfuzz's
#: batch functions (``rapidfuzz.process``), which score a row of pairs in one call.
COGNATE_SCORER = Indel.normalized_similarity


def cognate_similarity(letters_a: str, letters_b: str) -> float:
    """Letter-correspondence similarity of two words of languages sharing a
    ``cognate_script`` (0–1), given their :meth:`~termalign.lang.Language.cognate_letters`:
    the Indel similarity of those letters, so that Pali and Sanskrit spellings of one word
    (សេដ្ឋកិច្ច / เศรษฐกิจ) still meet on the letters they share."""
    return COGNATE_SCORER(letters_a, letters_b) if letters_a and letters_b else 0.0
