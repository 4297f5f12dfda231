"""Comparing consonant skeletons: the similarity behind cognate (loanword) evidence.

Each language computes its own skeleton (:meth:`termalign.lang.Language.skeleton`); here
two skeletons are compared.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from termalign.lang.base import collapse

_TOANDAKHIAT = "\u17cd"  # Khmer: marks a silent letter


def similarity(a: str, b: str) -> float:
    """1 − normalized Levenshtein distance of two skeletons (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return Levenshtein.normalized_similarity(a, b)


# Khmer and Thai letters by their common Brahmi letter (one symbol each; the three
# sibilants ś ṣ s as one, as both scripts write them interchangeably in loans).
_BRAHMI_KM = dict(zip("កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវឝឞសហឡ", "kKgGNcCjJYtTdDnqQwWvpPbBmyrlVsssHL", strict=True))
_BRAHMI_TH = {
    **dict(zip("กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬฮ", "kKKggGNcCjsJYdtTdDnqqQwWvbpPfbfBmyrlVsssHLH", strict=True)),
}
#: The r of a Sanskrit cluster (เศรษฐ, ราษฎร) is where Thai and Khmer spellings of one
#: word differ most: it is left out of the letters compared.
_CLUSTER_R = "r"


@lru_cache(maxsize=65536)
def letters_km(text: str) -> str:
    """Khmer consonants (subscripts too) by Brahmi letter, a doubled letter once, r left
    out: the letters a Khmer–Thai cognate shares (គណៈកម្មាធិការ → gnkmWk)."""
    out = [_BRAHMI_KM[ch] for i, ch in enumerate(text) if ch in _BRAHMI_KM and text[i + 1 : i + 2] != _TOANDAKHIAT]
    return collapse([c for c in out if c != _CLUSTER_R])


@lru_cache(maxsize=65536)
def letters_th(text: str) -> str:
    """Thai consonants by Brahmi letter, a doubled letter once, r left out."""
    return collapse([c for c in (_BRAHMI_TH[ch] for ch in text if ch in _BRAHMI_TH) if c != _CLUSTER_R])


def cognate_similarity(km: str, th: str) -> float:
    """Letter-correspondence similarity of a Khmer and a Thai word (0–1): the Indel
    similarity of their consonants by common Brahmi letter, so that Pali and Sanskrit
    spellings of one word (សេដ្ឋកិច្ច / เศรษฐกิจ) still meet on the letters they share."""
    from rapidfuzz.distance import Indel

    a, b = letters_km(km), letters_th(th)
    return Indel.normalized_similarity(a, b) if a and b else 0.0
