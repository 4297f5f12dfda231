"""General-language word frequencies: the reference corpus of domain specificity.

One source per language, the broadest whose licence lets it ship (see
``termalign/data/reference/SOURCE.md``):

* English: ``wordfreq`` (its ``large`` list; data CC BY-SA 4.0, frozen in 2021), read
  from the installed package.
* Thai: the Thai National Corpus frequencies that pythainlp ships (``tnc_freq.txt``,
  CC0), keyed by ``tools/build_reference.py`` into ``termalign/data/reference/th.tsv``;
  Thai Wikipedia titles (CC BY-SA 4.0, also in pythainlp) are the evidence that a
  multi-word string is a unit (:func:`known_units`).
* Khmer and Vietnamese: ``termalign/data/reference/{lang}.tsv``, licensed text segmented
  by termalign's own segmenters (``tools/build_reference.py``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

from termalign import lang as languages

#: wordfreq gives a word's share of running text; counts per this many tokens keep the
#: smoothing of specificity (half a count) at the scale of a billion-word corpus.
WORDFREQ_SCALE = 1_000_000_000


def _tsv_counts(code: str) -> tuple[dict[str, int], int]:
    path = resources.files("termalign") / "data" / "reference" / f"{code}.tsv"
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        total = int(fh.readline().rsplit("tokens=", 1)[1])
        for line in fh:
            key, count = line.rstrip("\n").split("\t")
            counts[key] = counts.get(key, 0) + int(count)
    return counts, total


def _wordfreq_counts(code: str) -> tuple[dict[str, int], int]:
    from wordfreq import get_frequency_dict

    # wordfreq's words are already NFC and case-folded, as English keys are.
    shares = get_frequency_dict(code, wordlist="large")
    counts = {word: max(1, round(share * WORDFREQ_SCALE)) for word, share in shares.items()}
    return counts, WORDFREQ_SCALE


_SOURCES = {"wordfreq": _wordfreq_counts, "tsv": _tsv_counts}


@cache
def reference_counts(code: str) -> tuple[pl.DataFrame, int]:
    """``(frame[key, ref_count], total tokens)`` of the language's general reference."""
    counts, total = _SOURCES[languages.get(code).general_reference](code)
    frame = pl.DataFrame(
        {"key": list(counts), "ref_count": list(counts.values())}, schema={"key": pl.String, "ref_count": pl.Int64}
    )
    return frame, total


def known_units(code: str) -> frozenset[str]:
    """Keys of strings a general source records as one unit (Thai Wikipedia titles):
    evidence of unithood that a small corpus cannot give."""
    return languages.get(code).unit_titles()
