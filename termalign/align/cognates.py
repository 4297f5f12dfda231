"""Cognate stage: Khmer–Thai Indic words (รัฐ/រដ្ឋ, คณะกรรมการ/គណៈកម្មាធិការ) linked by their letters.

Both scripts spell Pali/Sanskrit words letter by letter alike, so the strongest km–th
signal needs no lexicon: a letter-correspondence similarity (rapidfuzz Indel over consonant
letters by sound class, :func:`termalign.lexicon.translit.cognate_similarity`) between
terms no known word reads, kept only for mutual best matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from rapidfuzz import process

from termalign import lang as languages
from termalign.align.mutual import MutualBest
from termalign.lexicon.translit import COGNATE_SCORER, cognate_similarity
from termalign.store.concepts import Evidence

#: Letter similarity from which a Khmer and a Thai term are cognates: Pali and Sanskrit
#: spellings of one word (សេដ្ឋកិច្ច/เศรษฐกิจ) share more than four letters in five;
#: unrelated words of the same length far fewer, by Brahmi letter.
COGNATE_THRESHOLD = 0.8
#: Fewest consonant letters a cognate may have: shorter words meet by chance.
MIN_LETTERS = 3
#: Most a pair's letter counts may differ (Sanskrit spellings carry a few more letters).
MAX_LENGTH_GAP = 3
#: The cut-off of the batch scoring that finds the pairs worth scoring one by one, a
#: little below the threshold: rapidfuzz compares its cut-off in floating point and drops
#: pairs exactly at the threshold (3 edits over 15 letters), which the exact score keeps;
#: those it finds between the two the exact score rejects.
_BATCH_CUTOFF = COGNATE_THRESHOLD - 0.01
#: Evidence score of a cognate link at similarity 1 (scaled by the similarity): strong,
#: below a glossary pair (0.9), as the mutual best match of two unread terms.
COGNATE_SCORE = 0.8


class _Node(Protocol):
    # Read-only members, so that frozen dataclasses (align.Node) satisfy it.
    @property
    def lang(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...


#: The caller's node type, kept through the links and the union callback.
N = TypeVar("N", bound=_Node)


def cognate_links(unread: Sequence[N], lang_a: str, lang_b: str) -> list[tuple[float, N, N]]:
    """Mutual best (similarity, ``lang_a`` node, ``lang_b`` node) pairs at or above the
    threshold, for two languages sharing a ``cognate_script``."""
    side_a = _lettered(unread, lang_a)
    side_b = _lettered(unread, lang_b)
    letters_b = [sb for _, sb in side_b]
    best: MutualBest[N, N] = MutualBest()
    for a, sa in side_a:
        # The row in one rapidfuzz call keeps the few pairs near the threshold; each is
        # then scored exactly, in ``side_b`` order, as a loop over every pair would.
        near = process.extract(sa, letters_b, scorer=COGNATE_SCORER, score_cutoff=_BATCH_CUTOFF, limit=None)
        for j in sorted(found[2] for found in near):
            b, sb = side_b[j]
            if abs(len(sa) - len(sb)) > MAX_LENGTH_GAP:
                continue
            sim = cognate_similarity(sa, sb)
            if sim >= COGNATE_THRESHOLD:
                best.offer(sim, a, b)
    return sorted(best.pairs(), key=lambda t: (t[1].key, t[2].key))


def _lettered(unread: Sequence[N], code: str) -> list[tuple[N, str]]:
    """The unread non-anchor terms of one language with their cognate letters, those with
    too few letters left out."""
    language = languages.get(code)
    lettered = [(n, language.cognate_letters(n.key)) for n in unread if n.lang == code and n.kind != "anchor"]
    return [(n, s) for n, s in lettered if len(s) >= MIN_LETTERS]


def cognate_evidence(sim: float, a: _Node, b: _Node) -> Evidence:
    detail = {
        a.lang: a.text,
        b.lang: b.text,
        "letters": [languages.get(a.lang).cognate_letters(a.key), languages.get(b.lang).cognate_letters(b.key)],
        "similarity": round(sim, 3),
    }
    return Evidence("cognate", round(COGNATE_SCORE * sim, 4), a.lang, b.lang, detail)


def link_cognates(
    unread: Sequence[N], union: Callable[[N, N], None], evidence: dict,
    documents: Callable[[N, N], list[str] | None] | None = None,
) -> None:
    """Link the mutual best cognates among ``unread``; the evidence names the linked
    articles ``documents`` finds for a pair."""
    for lang_a, lang_b in languages.COGNATE_PAIRS:
        for sim, a, b in cognate_links(unread, lang_a, lang_b):
            found = cognate_evidence(sim, a, b)
            if documents is not None and (paths := documents(a, b)):
                found.detail["documents"] = paths
            evidence[a].append(found)
            union(a, b)


__all__ = ["COGNATE_THRESHOLD", "cognate_links", "link_cognates"]
