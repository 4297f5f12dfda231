"""Closed lists of words that cannot start or cannot end a term (``data/edges/{lang}.txt``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from termalign import lang as languages


@cache
def edge_words(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Keys of the words that never start and that never end a term in language ``code``."""
    language = languages.get(code)
    path = resources.files("termalign") / "data" / "edges" / f"{code}.txt"
    no_start: set[str] = set()
    no_end: set[str] = set()
    if not path.is_file():
        return frozenset(), frozenset()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        side, _, word = line.partition(" ")
        if side not in ("start", "end", "both") or not word.strip():
            raise ValueError(f"{path}:{number}: expected 'start|end|both WORD', got {line!r}")
        key = language.key(word.strip())
        if side in ("start", "both"):
            no_start.add(key)
        if side in ("end", "both"):
            no_end.add(key)
    return frozenset(no_start), frozenset(no_end)
