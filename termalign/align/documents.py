"""Documents first: which articles of two languages tell the same story.

On comparable news the strongest help to term alignment is knowing which articles report the
same thing: a term's translation is in its article's counterpart, not anywhere in the corpus.
Two articles of different languages are linked when they share the numbers, dates, acronyms
and names that a story carries across languages (a Khmer article and a Thai one on the same
programme cite the same years, figures and acronyms), weighed by how rare each is in the
corpus, and when each is clearly the other's best match. A pair of terms whose occurrences sit
in linked articles records the link in its evidence. Context similarity, the weakest signal
and one that articles of one theme share, links no terms whose articles are known apart (see
:meth:`DocumentLinks.apart`); other signals are not held to it, since a comparable article
need not use every term of its counterpart (on the team's dev half, holding induced readings
to it removed two right pairs and one wrong).

A *side* is one language's sentences of one document (a bilingual document has two).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from termalign import lang as languages
from termalign.store import StoreLike, as_store

#: Fewest digits a number needs to tell a story apart: one-digit numbers (counts, list
#: items) are in nearly every article.
MIN_NUMBER_DIGITS = 2
#: In a language whose texts date by the Buddhist Era (``buddhist_era``: 2567 BE = 2024 CE), a
#: four-digit number in this range also counts as the Common Era year 543 years earlier.
BUDDHIST_ERA_YEARS = range(2400, 2701)
BUDDHIST_ERA_OFFSET = 543
#: Fewest capital letters of an acronym or a name written alike in every language (EGDI,
#: CamDX, VNeID): a capitalized word at a sentence start has one.
MIN_CAPITALS = 2
#: Fewest features two articles must share to be linked: one shared year or figure is
#: chance between any two articles of one season.
MIN_SHARED = 2
#: How far the story's own counterpart stands out: its similarity is at least this many times
#: the next-best article's, on both sides. Articles that share a story stand far apart from
#: the rest (on the team's dev half: 3x and more); an article without a counterpart in the
#: other language matches its best candidate barely better than the next (under 2.1x there).
LINK_MARGIN = 2.5

Side = tuple[int, str]


class _Node(Protocol):
    @property
    def lang(self) -> str: ...
    @property
    def key(self) -> str: ...


def features(lang: str, tokens: Iterable[tuple[str, str]]) -> set[str]:
    """The story features of one side's tokens (text, kind): numbers as digits, Buddhist Era
    years also as Common Era ones, acronyms and names written in Latin letters."""
    found: set[str] = set()
    buddhist_era = languages.get(lang).buddhist_era
    for text, kind in tokens:
        if kind == "number":
            # Digits of any script as ASCII ones, so that ២០២៤, ๒๐๒๔ and 2024 are one number.
            digits = "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())
            if len(digits) < MIN_NUMBER_DIGITS:
                continue
            found.add(f"#{digits.lstrip('0') or '0'}")
            if buddhist_era and len(digits) == 4 and int(digits) in BUDDHIST_ERA_YEARS:
                found.add(f"#{int(digits) - BUDDHIST_ERA_OFFSET}")
        elif text.isascii() and sum(c.isupper() for c in text) >= MIN_CAPITALS:
            found.add(text.casefold())
    return found


def _cosines(
    weighted: dict[Side, dict[str, float]], norms: dict[Side, float], postings: dict[str, list[Side]], a: Side
) -> list[tuple[float, Side]]:
    """(cosine, side) of the sides of ``postings``' language sharing :data:`MIN_SHARED`
    features or more with ``a`` (found through the postings, not by comparing every side)."""
    va = weighted[a]
    shared = Counter(b for f in va for b in postings.get(f, ()))
    out = []
    for b, n in shared.items():
        if n >= MIN_SHARED and norms[a] and norms[b]:
            vb = weighted[b]
            out.append((sum(va[f] * vb[f] for f in va.keys() & vb.keys()) / (norms[a] * norms[b]), b))
    return out


@dataclass
class DocumentLinks:
    """Linked sides (pairs of one-language parts of documents) and where each term occurs."""

    #: (side, side) in sorted order → similarity.
    pairs: dict[tuple[Side, Side], float] = field(default_factory=dict)
    #: Each side's linked sides.
    partners: dict[Side, set[Side]] = field(default_factory=lambda: defaultdict(set))
    #: (lang, key) → the sides the term occurs in.
    occurs: dict[tuple[str, str], frozenset[Side]] = field(default_factory=dict)
    #: Document paths by id, for the evidence.
    paths: dict[int, str] = field(default_factory=dict)

    #: Each side's story features (see :func:`features`), before linking.
    features: dict[Side, set[str]] = field(default_factory=dict)

    def add_reading(self, node: _Node, bag: str) -> None:
        """A known term's English reading counts as a feature of the sides it occurs in: two
        articles that use the same known terms are likelier one story."""
        for side in self.occurs.get((node.lang, node.key), ()):
            self.features.setdefault(side, set()).add(f"={bag}")

    def link(self) -> None:
        """Link the sides whose features make them each other's clear best match (features
        weighed by their rarity across sides, compared by cosine)."""
        sides = self.features
        df = Counter(f for feats in sides.values() for f in feats)
        n = len(sides)
        # Smoothed inverse document frequency: a feature of every side still counts a little
        # (a corpus of two articles shares everything it shares with all).
        weighted = {s: {f: math.log(1 + n / df[f]) for f in feats} for s, feats in sides.items()}
        self.pairs.clear()
        self.partners.clear()
        norms = {s: math.sqrt(sum(v * v for v in vec.values())) for s, vec in weighted.items()}
        by_lang: dict[str, list[Side]] = defaultdict(list)
        postings: dict[str, dict[str, list[Side]]] = defaultdict(lambda: defaultdict(list))
        for side in sorted(sides):
            by_lang[side[1]].append(side)
            for f in sorted(weighted[side]):
                postings[side[1]][f].append(side)
        for lang_a in sorted(by_lang):
            for lang_b in sorted(by_lang):
                if lang_a >= lang_b:
                    continue
                best_a = {a: _clear_best(_cosines(weighted, norms, postings[lang_b], a)) for a in by_lang[lang_a]}
                best_b = {b: _clear_best(_cosines(weighted, norms, postings[lang_a], b)) for b in by_lang[lang_b]}
                for a, found in best_a.items():
                    if found is not None and (back := best_b.get(found[1])) is not None and back[1] == a:
                        self.pairs[(a, found[1]) if a < found[1] else (found[1], a)] = round(found[0], 4)
                        self.partners[a].add(found[1])
                        self.partners[found[1]].add(a)

    def linked_pair(self, a: _Node, b: _Node) -> tuple[Side, Side] | None:
        """The most similar linked pair of sides holding ``a`` and ``b``, if any."""
        found = [
            (self.pairs[pair], pair)
            for sa in self.occurs.get((a.lang, a.key), ())
            for sb in self.occurs.get((b.lang, b.key), ())
            if (pair := (sa, sb) if sa < sb else (sb, sa)) in self.pairs
        ]
        return max(found)[1] if found else None

    def apart(self, a: _Node, b: _Node) -> bool:
        """True when the articles say the two are not one: no linked pair holds both, while
        every article one of them occurs in has its counterpart in the other's language
        known (there its translation would be)."""
        if self.linked_pair(a, b) is not None:
            return False
        return self._all_have_partner(a, b.lang) or self._all_have_partner(b, a.lang)

    def _all_have_partner(self, node: _Node, lang: str) -> bool:
        sides = self.occurs.get((node.lang, node.key), frozenset())
        return bool(sides) and all(any(p[1] == lang for p in self.partners.get(s, ())) for s in sides)

    def detail(self, a: _Node, b: _Node) -> list[str] | None:
        """The document paths of the linked pair holding ``a`` and ``b`` (``a``'s first), for evidence."""
        pair = self.linked_pair(a, b)
        if pair is None:
            return None
        first, second = pair if pair[0][1] == a.lang else (pair[1], pair[0])
        return [self.paths.get(first[0], str(first[0])), self.paths.get(second[0], str(second[0]))]


def _clear_best(scored: list[tuple[float, Side]]) -> tuple[float, Side] | None:
    """The best-scored side when it stands out from the next by :data:`LINK_MARGIN`."""
    ranked = sorted(scored, key=lambda t: (-t[0], t[1]))
    if not ranked or ranked[0][0] <= 0:
        return None
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    return ranked[0] if ranked[0][0] >= LINK_MARGIN * runner_up else None


def document_links(conn: StoreLike, max_rank: int) -> DocumentLinks:
    """The store's articles with their story features, and the sides each candidate ranked
    ``max_rank`` or better occurs in; not linked yet (:meth:`DocumentLinks.link`, once the
    known terms' readings are added)."""
    store = as_store(conn)
    tokens: dict[Side, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, lang, text, kind in store.anchor_tokens():
        tokens[(doc_id, lang)].append((text, kind))
    links = DocumentLinks(features={side: features(side[1], toks) for side, toks in tokens.items()})
    occurs: dict[tuple[str, str], set[Side]] = defaultdict(set)
    for lang, key, doc_id in store.candidate_documents(max_rank):
        occurs[(lang, key)].add((doc_id, lang))
    links.occurs = {k: frozenset(v) for k, v in occurs.items()}
    links.paths = store.document_paths()
    return links


__all__ = ["DocumentLinks", "document_links", "features"]
