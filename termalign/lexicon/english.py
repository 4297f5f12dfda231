"""English as the pivot: terms compared as order-free bags of stems."""

from __future__ import annotations

import re
from functools import lru_cache

_SUFFIXES = ("ations", "ation", "atives", "ative", "ives", "ive", "ities", "ity", "ials", "ial", "ies", "al", "ing", "ed", "es", "s", "e", "y")
_EN_STOP = frozenset(["a", "an", "the", "of", "and", "for", "in", "on", "to", "with", "by"])


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = word.lower().replace("’", "'").removesuffix("'s").strip("'")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


CONTENT_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def is_stop(word: str) -> bool:
    return word in _EN_STOP


def english_bag(text: str) -> str:
    """The order-free identity of an English term: sorted stems of its content words.

    "and" stays in the bag: a coordination ("digital and payment") is not the compound
    of its words ("digital payment")."""
    words = CONTENT_WORD_RE.findall(text.lower().replace("-", " "))
    return " ".join(sorted(stem(w) for w in words if w == "and" or not is_stop(w)))
