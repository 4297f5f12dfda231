"""Distributional evidence: terms used in translated-alike contexts.

Each candidate's context (the words of the sentences it occurs in) is projected into
English through the lexicon and weighted by tf–idf; Khmer and Thai candidates whose
projected contexts are mutually most similar are linked. On comparable corpora this only
speaks for candidates seen often enough, so rare ones are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Protocol, TypeVar

from termalign.align.mutual import MutualBest
from termalign.lexicon import Lexicon
from termalign.lexicon.english import stem
from termalign.store import StoreLike, as_store

MIN_FREQ = 3
THRESHOLD = 0.5


class _Node(Protocol):
    # Read-only members, so that frozen dataclasses (align.Node) satisfy it.
    @property
    def lang(self) -> str: ...
    @property
    def key(self) -> str: ...


#: The caller's node type, returned in the pairs.
N = TypeVar("N", bound=_Node)


def context_vectors(conn: StoreLike, lexicon: Lexicon, nodes) -> dict:
    """English-projected, tf–idf weighted context vectors of the given candidate nodes."""
    store = as_store(conn)
    wanted = {(n.lang, n.key): n for n in nodes}
    raw: dict = {}
    for node in wanted.values():
        counts: Counter[str] = Counter()
        for key in store.context_word_keys(node.lang, node.key, MIN_FREQ):
            for gloss in lexicon.lookup(node.lang, key)[:2]:
                for word in gloss.en.split():
                    counts[stem(word)] += 1
        if counts:
            raw[node] = counts
    df: Counter[str] = Counter(w for c in raw.values() for w in c)
    n = max(len(raw), 1)
    vectors = {}
    for node, counts in raw.items():
        vec = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[node] = {w: v / norm for w, v in vec.items() if v > 0}
    return vectors


def mutual_best_pairs(
    vectors: dict[N, dict[str, float]], lang_a: str, lang_b: str, allowed: Callable[[N, N], bool] | None = None
) -> list[tuple[float, N, N]]:
    """Mutual best (cosine, ``lang_a`` node, ``lang_b`` node) pairs at or above the
    threshold, among the pairs ``allowed`` permits."""
    a_nodes = [n for n in vectors if n.lang == lang_a]
    b_nodes = [n for n in vectors if n.lang == lang_b]
    best: MutualBest[N, N] = MutualBest()
    for a in a_nodes:
        va = vectors[a]
        for b in b_nodes:
            vb = vectors[b]
            sim = sum(v * vb.get(w, 0.0) for w, v in va.items())
            if sim >= THRESHOLD and (allowed is None or allowed(a, b)):
                best.offer(sim, a, b)
    return sorted(best.pairs(), key=lambda t: (-t[0], t[1].key, t[2].key))
