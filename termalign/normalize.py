"""Script-independent text normalization.

Two levels, never mixed up:

* :func:`clean` is display-safe: NFC, zero-width characters removed, odd spaces made plain.
  Latin text that is already NFC passes through unchanged.
* A *matching key* (``Language.key``) additionally folds case and spelling variants so that
  forms of one term compare equal. Keys are for matching only; display keeps the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Invisible characters that web text scatters inside words (U+200B is used between Khmer
#: words in FLORES and TICO; U+FEFF is a stray BOM; U+00AD a soft hyphen).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
#: Space characters other than U+0020 that behave like a plain space.
_ODD_SPACE_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_RUN_OF_SPACES_RE = re.compile(" {2,}")


def clean(text: str) -> str:
    """NFC, no zero-width characters, odd spaces as U+0020."""
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _ODD_SPACE_RE.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def latin_key(text: str) -> str:
    """Matching key for Latin-script text: cleaned, case-folded, single-spaced, stripped."""
    return _RUN_OF_SPACES_RE.sub(" ", clean(text).casefold()).strip()


_SCRIPT_RES = {
    "khmer": re.compile("[\u1780-\u17ff\u19e0-\u19ff]+"),
    "thai": re.compile("[\u0e00-\u0e7f]+"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+"),
}


@lru_cache(maxsize=4096)
def _script_counts(text: str) -> dict[str, int]:
    # Regular expressions count in C: language identification calls this for every
    # sentence and every language, so it must not loop over characters in Python. Runs of
    # letters, not letters, are matched: a long line of Khmer is a few strings, not one
    # string object per letter (a 2 MB line had cost 50 MB that way).
    return {script: sum(map(len, pattern.findall(text))) for script, pattern in _SCRIPT_RES.items()}


def script_fraction(text: str, script: str) -> float:
    """Share (0..1) of the Khmer, Thai and Latin letters of ``text`` written in ``script``."""
    counts = _script_counts(text)
    total = sum(counts.values())
    return counts[script] / total if total else 0.0
