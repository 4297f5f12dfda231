"""Cognate stage: Khmer–Thai Indic words (รัฐ/រដ្ឋ, คณะกรรมการ/គណៈកម្មាធិការ) linked by their letters.

Both scripts spell Pali/Sanskrit words letter by letter alike, so the strongest km–th
signal needs no lexicon: a letter-correspondence similarity (rapidfuzz Indel over consonant
letters by sound class, :func:`termalign.lexicon.translit.cognate_similarity`) between
terms no known word reads, kept only for mutual best matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from termalign.lexicon.translit import cognate_similarity, letters_km, letters_th
from termalign.store.concepts import Evidence

#: Letter similarity from which a Khmer and a Thai term are cognates: Pali and Sanskrit
#: spellings of one word (សេដ្ឋកិច្ច/เศรษฐกิจ) share more than four letters in five;
#: unrelated words of the same length far fewer, by Brahmi letter.
COGNATE_THRESHOLD = 0.8
#: Fewest consonant letters a cognate may have: shorter words meet by chance.
MIN_LETTERS = 3
#: Most a pair's letter counts may differ (Sanskrit spellings carry a few more letters).
MAX_LENGTH_GAP = 3
#: Evidence score of a cognate link at similarity 1 (scaled by the similarity): strong,
#: below a glossary pair (0.9), as the mutual best match of two unread terms.
COGNATE_SCORE = 0.8


class _Node(Protocol):
    lang: str
    key: str
    text: str
    kind: str


def cognate_links(unread: Sequence[_Node]) -> list[tuple[float, _Node, _Node]]:
    """Mutual best (similarity, km node, th node) pairs at or above the threshold."""
    km = [(n, letters_km(n.key)) for n in unread if n.lang == "km" and n.kind != "anchor"]
    th = [(n, letters_th(n.key)) for n in unread if n.lang == "th" and n.kind != "anchor"]
    km = [(n, s) for n, s in km if len(s) >= MIN_LETTERS]
    th = [(n, s) for n, s in th if len(s) >= MIN_LETTERS]
    best_km: dict = {}
    best_th: dict = {}
    for a, sa in km:
        for b, sb in th:
            if abs(len(sa) - len(sb)) > MAX_LENGTH_GAP:
                continue
            sim = cognate_similarity(a.key, b.key)
            if sim >= COGNATE_THRESHOLD:
                if sim > best_km.get(a, (0.0, None))[0]:
                    best_km[a] = (sim, b)
                if sim > best_th.get(b, (0.0, None))[0]:
                    best_th[b] = (sim, a)
    return [
        (sim, a, b)
        for a, (sim, b) in sorted(best_km.items(), key=lambda kv: (kv[0].key, kv[1][1].key))
        if best_th.get(b, (0, None))[1] == a
    ]


def cognate_evidence(sim: float, a: _Node, b: _Node) -> Evidence:
    detail = {
        "km": a.text,
        "th": b.text,
        "letters": [letters_km(a.key), letters_th(b.key)],
        "similarity": round(sim, 3),
    }
    return Evidence("cognate", round(COGNATE_SCORE * sim, 4), "km", "th", detail)


def link_cognates(unread: Sequence[_Node], union: Callable[[_Node, _Node], None], evidence: dict) -> None:
    for sim, a, b in cognate_links(unread):
        evidence[a].append(cognate_evidence(sim, a, b))
        union(a, b)


__all__ = ["COGNATE_THRESHOLD", "cognate_links", "link_cognates"]
