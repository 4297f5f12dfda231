"""The glossary a translation must follow, and the check that it did.

A :class:`Glossary` holds approved concepts. For one direction it becomes a
:class:`TermIndex`: every source-language term of a concept (preferred, admitted and
deprecated variants alike) is found in a sentence by its normalized key, and the concept's
preferred target term is *required* in the translation; the admitted target terms are
accepted too. :func:`check_terms` is the post-check, run on every translated segment.

A term *occurs* in text only as whole words: in spaced languages (en, vi) between word
boundaries, its words joined by spaces or hyphens and each allowed the language's light
inflection (``digital economies``, ``digital-economy``); in unspaced ones (km, th) starting
and ending at a boundary of the language's word segmenter, so ``រដ្ឋ`` does not occur in
``ពលរដ្ឋ`` nor ``รัฐ`` in ``รัฐบาล`` (and never inside a letter cluster: ``ស`` in ``ស្រុក``).
The same test serves the post-check and the reranking of candidates.

Rules for glossary collisions, each reported:

* *overlap* — where source terms overlap in a sentence, the leftmost, then the longest, is
  enforced; the other is reported as an issue of the segment (``TermIndex.find`` → ``overlaps``);
* *duplicate* — one source term of two concepts: the concept that has it as its preferred
  term wins, then the lower concept id; :attr:`TermIndex.conflicts` lists each case, and the
  segment that meets the term says which concept was enforced.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from termalign import lang as languages
from termalign.lang import Language, Span
from termalign.lang.base import spans_in_order
from termalign.store.concepts import Concept

#: What joins the words of a term in spaced text: *digital-economy* is *digital economy*.
WORD_JOINERS = r"(?:[\s\-\u2010\u2011\u2013]+)"


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept, seen in one direction."""

    concept_id: int | None
    sources: tuple[str, ...]
    target: str
    accepted: tuple[str, ...]
    #: Source terms of this entry that are the concept's preferred term.
    preferred_sources: tuple[str, ...] = ()
    #: Forbidden target terms (the concept's deprecated ones): kept out of the translation.
    forbidden: tuple[str, ...] = ()

    @property
    def keep(self) -> bool:
        """A do-not-translate term: the concept writes its target term exactly as one of its
        source terms (a name such as ``VNeID``), so the translation must copy it as written."""
        return self.target in self.sources


@dataclass(frozen=True)
class Conflict:
    """One source term shared by several concepts, and the concept that is enforced."""

    source: str
    winner: int | None
    losers: tuple[int | None, ...]

    def describe(self) -> str:
        others = ", ".join(str(c) for c in self.losers)
        return f"source term {self.source!r} names concepts {self.winner} and {others}: concept {self.winner} enforced"


@dataclass(frozen=True)
class TermMatch:
    """A glossary source term found in a sentence, with its span in that sentence."""

    entry: GlossaryEntry
    start: int
    end: int
    text: str
    #: Other concepts with the same source term (not enforced: see :class:`Conflict`).
    shadowed: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class Found:
    """The glossary terms of a sentence: those enforced, and what the collision rules set aside."""

    matches: list[TermMatch]
    #: (overlapped source term, the enforced term it overlaps)
    overlaps: list[tuple[str, str]] = field(default_factory=list)

    def issues(self) -> list[str]:
        out = [f"glossary term {a!r} overlaps {b!r}: {b!r} enforced (leftmost, then longest)" for a, b in self.overlaps]
        for m in self.matches:
            if m.shadowed:
                names = ", ".join(str(c) for c in m.shadowed)
                out.append(
                    f"source term {m.text!r} also names concept(s) {names}: concept {m.entry.concept_id} enforced"
                )
        return out


@dataclass(frozen=True)
class TermCheck:
    """Did a required target term appear in the translation?"""

    source: str
    target: str
    found: bool
    form: str | None = None
    concept_id: int | None = None
    #: How often the found form occurs (a term forced twice is a defect too).
    count: int = 0
    #: A do-not-translate term: the source form must be copied as written.
    keep: bool = False

    def to_dict(self) -> dict:
        return {
            "concept": self.concept_id,
            "source": self.source,
            "target": self.target,
            "found": self.found,
            "form": self.form,
            "count": self.count,
            "do_not_translate": self.keep,
        }


class Glossary:
    """Approved concepts to enforce; directions are derived on demand."""

    def __init__(self, concepts: Iterable[Concept], origin: str = "concepts") -> None:
        self.concepts = [c for c in concepts if c.status != "rejected"]
        self.origin = origin

    def __len__(self) -> int:
        return len(self.concepts)

    def direction(self, src: str, tgt: str) -> TermIndex:
        entries = []
        for concept in self.concepts:
            sources = tuple(t.text for t in concept.terms_in(src))
            target = concept.preferred(tgt)
            if not sources or target is None or target.status == "deprecated":
                continue
            accepted = tuple(
                dict.fromkeys([target.text, *(t.text for t in concept.terms_in(tgt) if t.status != "deprecated")])
            )
            preferred = tuple(t.text for t in concept.terms_in(src) if t.status == "preferred")
            forbidden = tuple(t.text for t in concept.terms_in(tgt) if t.status == "deprecated")
            entries.append(GlossaryEntry(concept.id, sources, target.text, accepted, preferred, forbidden))
        return TermIndex(entries, languages.get(src), languages.get(tgt))

    def targets(self, tgt: str) -> list[GlossaryEntry]:
        """Entries of every concept with an accepted term in ``tgt``, sources left empty
        (for reference-based term accuracy, where no source text is at hand)."""
        entries = []
        for concept in self.concepts:
            target = concept.preferred(tgt)
            if target is None or target.status == "deprecated":
                continue
            accepted = tuple(
                dict.fromkeys([target.text, *(t.text for t in concept.terms_in(tgt) if t.status != "deprecated")])
            )
            entries.append(GlossaryEntry(concept.id, (), target.text, accepted))
        return entries

    def version(self, src: str | None, tgt: str) -> str:
        """The glossary's version for a direction (or for target terms only)."""
        entries = self.direction(src, tgt).entries if src else self.targets(tgt)
        return entries_version(entries)


def entries_version(entries: Sequence[GlossaryEntry]) -> str:
    """A hash of glossary entries: two runs with the same version used the same glossary."""
    canonical = sorted([list(e.sources), e.target, list(e.accepted)] for e in entries)
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()[:12]


def load_glossary(conn) -> Glossary:
    """The glossary of a store connection's approved concepts. A glossary file (TBX/CSV/TSV)
    is read by the caller (``termalign.cli.common.glossary_file``): the readers live in
    ``termalign.export``, a later layer than translation."""
    from termalign.store.concepts import iter_concepts

    return Glossary(iter_concepts(conn, ["approved"]), origin="store")


class TermIndex:
    """The entries of one direction, ready to find source terms and check target terms."""

    def __init__(self, entries: Sequence[GlossaryEntry], source: Language, target: Language) -> None:
        self.entries = list(entries)
        self.source = source
        self.target = target
        claims: dict[str, list[tuple[bool, int, GlossaryEntry, str]]] = {}
        for order, entry in enumerate(self.entries):
            for text in entry.sources:
                key = source.key(text)
                if key:
                    claims.setdefault(key, []).append((text not in entry.preferred_sources, order, entry, text))
        self._by_key: dict[str, GlossaryEntry] = {}
        self._shadowed: dict[str, tuple[int | None, ...]] = {}
        #: Source terms that name several concepts, and which one is enforced.
        self.conflicts: list[Conflict] = []
        for key, claimants in claims.items():
            # Rule: the concept whose preferred term it is, then the lower concept id (then
            # the glossary's order, for concepts without ids).
            claimants.sort(key=lambda c: (c[0], c[2].concept_id is None, c[2].concept_id or 0, c[1]))
            winner = claimants[0][2]
            self._by_key[key] = winner
            losers = tuple(dict.fromkeys(c[2].concept_id for c in claimants[1:] if c[2] is not winner))
            if losers:
                self._shadowed[key] = losers
                self.conflicts.append(Conflict(claimants[0][3], winner.concept_id, losers))
        self._longest = max((len(k) for k in self._by_key), default=0)

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def version(self) -> str:
        """A hash of the entries: two runs with the same version used the same glossary."""
        return entries_version(self.entries)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """Spaced source languages: one alternation, a named group per key, longest first."""
        if not self._by_key:
            return None
        self._group_keys = sorted(self._by_key, key=len, reverse=True)
        alternatives = "|".join(f"(?P<k{i}>{_words_pattern(k, self.source)})" for i, k in enumerate(self._group_keys))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def _spans(self, key: str) -> list[tuple[int, int, str]]:
        """Every (start, end, glossary key) occurrence in ``key`` text, overlapping ones too."""
        if not self._by_key:
            return []
        found: list[tuple[int, int, str]] = []
        if self.source.spaced:
            pattern = self._pattern
            assert pattern is not None
            starts = [m.start() for m in re.finditer(r"(?<!\w)\w", key)]
            for start in starts:
                end_limit = len(key)
                while True:
                    m = pattern.match(key, start, end_limit)
                    if m is None:
                        break
                    found.append((m.start(), m.end(), self._group_keys[int(m.lastgroup[1:])]))  # type: ignore[index]
                    end_limit = m.end() - 1  # then the shorter terms at the same start
            return found
        bounds = sorted(word_bounds(key, self.source))
        for i, start in enumerate(bounds):
            for end in bounds[i + 1 :]:
                if end - start > self._longest:
                    break
                if key[start:end].strip() in self._by_key and not key[start].isspace():
                    found.append((start, end, key[start:end].strip()))
        return found

    def find(self, text: str) -> list[TermMatch]:
        """Glossary terms in ``text`` (leftmost, then longest; no overlaps), located in ``text``."""
        return self.find_all(text).matches

    def find_all(self, text: str) -> Found:
        """The enforced terms of ``text`` and the overlapping ones the rule set aside."""
        key = self.source.key(text)
        spans = sorted(self._spans(key), key=lambda s: (s[0], -(s[1] - s[0])))
        chosen: list[tuple[int, int, str]] = []
        overlaps: list[tuple[str, str]] = []
        for span in spans:
            if chosen and span[0] < chosen[-1][1]:
                overlaps.append((span[2], chosen[-1][2]))
                continue
            chosen.append(span)
        matches: list[TermMatch] = []
        cursor = 0
        for start, end, term_key in chosen:
            located = locate(text, key[start:end], self.source, cursor)
            if located is None:
                continue
            cursor = located[1]
            entry = self._by_key[term_key]
            matches.append(
                TermMatch(
                    entry, located[0], located[1], text[located[0] : located[1]], self._shadowed.get(term_key, ())
                )
            )
        return Found(matches, list(dict.fromkeys(overlaps)))

    def check(self, translation: str, matches: Sequence[TermMatch]) -> list[TermCheck]:
        """The post-check: for each concept matched in the source, is one of its accepted
        target terms in ``translation`` (compared by normalized key, as whole words)?"""
        return check_terms(translation, [(m.text, m.entry) for m in matches], self.target)


def check_terms(translation: str, required: Sequence[tuple[str, GlossaryEntry]], target: Language) -> list[TermCheck]:
    """One :class:`TermCheck` per distinct concept in ``required`` (source text, entry). A
    do-not-translate term (:attr:`GlossaryEntry.keep`) is found only as written — the same
    letters and case, as whole words — not through its normalized key alone."""
    key = target.key(translation)
    checks: list[TermCheck] = []
    seen: set[int] = set()
    for source_text, entry in required:
        if id(entry) in seen:
            continue
        seen.add(id(entry))
        form, count = None, 0
        for accepted in (entry.target,) if entry.keep else entry.accepted:
            count = len(occurrences(key, target.key(accepted), target))
            if entry.keep:
                count = min(count, _written(translation, accepted))
            if count:
                form = accepted
                break
        checks.append(
            TermCheck(source_text, entry.target, form is not None, form, entry.concept_id, count, keep=entry.keep)
        )
    return checks


def _written(text: str, term: str) -> int:
    """How often ``term`` occurs in ``text`` exactly as written (NFC on both sides), not
    inside a longer Latin word."""
    pattern = rf"(?<![A-Za-z0-9]){re.escape(unicodedata.normalize('NFC', term))}(?![A-Za-z0-9])"
    return len(re.findall(pattern, unicodedata.normalize("NFC", text)))


def contains(text_key: str, term_key: str, language: Language) -> bool:
    """``term_key`` occurs in ``text_key`` as whole words (see the module docstring)."""
    return bool(occurrences(text_key, term_key, language))


def occurrences(text_key: str, term_key: str, language: Language) -> list[Span]:
    """Spans of ``text_key`` where ``term_key`` occurs as whole words: between word
    boundaries with light inflection in a spaced language, at segmenter boundaries in an
    unspaced one."""
    if not term_key:
        return []
    if language.spaced:
        pattern = re.compile(rf"(?<!\w){_words_pattern(term_key, language)}(?!\w)")
        return [m.span() for m in pattern.finditer(text_key)]
    bounds = word_bounds(text_key, language)
    spans = []
    start = text_key.find(term_key)
    while start >= 0:
        if start in bounds and start + len(term_key) in bounds:
            spans.append((start, start + len(term_key)))
        start = text_key.find(term_key, start + 1)
    return spans


@lru_cache(maxsize=256)
def _words_pattern(term_key: str, language: Language) -> str:
    """A regular expression for the words of a term with their light inflection, joined by
    spaces or hyphens."""
    words = [w for w in re.split(WORD_JOINERS, term_key) if w]
    parts = []
    for word in words:
        forms = {word, *(word[: len(word) - len(end)] + add for end, add in language.inflections if word.endswith(end))}
        parts.append("(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")")
    return WORD_JOINERS.join(parts)


@lru_cache(maxsize=4096)
def word_bounds(text_key: str, language: Language) -> frozenset[int]:
    """Offsets of ``text_key`` where a word of the language's segmenter starts or ends."""
    spans = spans_in_order(text_key, language.segment_words(text_key))
    return frozenset({0, len(text_key), *(b for span in spans for b in span)})


def locate(text: str, term_key: str, language: Language, start: int = 0) -> Span | None:
    """The span of ``text`` (from ``start``) whose key is ``term_key``, longest on ties.

    Keys fold encoding variants, case and spacing, so a key match is mapped back to the
    original by trying the spans that begin with the term's first key character.
    """
    first = term_key[:1]
    for i in range(start, len(text)):
        if text[i].isspace() or is_mark(text[i]) or not language.key(text[i : i + 4]).startswith(first):
            continue
        best = None
        for j in range(i + 1, min(len(text), i + 2 * len(term_key) + 8) + 1):
            k = language.key(text[i:j])
            if k == term_key and not text[j - 1].isspace() and not (j < len(text) and is_mark(text[j])):
                best = j
            elif len(k) > len(term_key) and not k.startswith(term_key):
                break
        if best is not None:
            return i, best
    return None


def is_mark(ch: str) -> bool:
    """A combining character (a vowel sign, a coeng…): it belongs to the letter before it."""
    return unicodedata.category(ch).startswith("M")
