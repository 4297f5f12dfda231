"""The glossary a translation must follow, and the check that it did.

A :class:`Glossary` holds approved concepts. For one direction it becomes a
:class:`TermIndex`: every source-language term of a concept (preferred, admitted and
deprecated variants alike) is found in a sentence by its normalized key, and the concept's
preferred target term is *required* in the translation; the admitted target terms are
accepted too. :func:`check_terms` is the post-check, run on every translated segment.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from termalign import lang as languages
from termalign.errors import InputError
from termalign.lang import Language, Span
from termalign.store.concepts import Concept


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept, seen in one direction."""

    concept_id: int | None
    sources: tuple[str, ...]
    target: str
    accepted: tuple[str, ...]


@dataclass(frozen=True)
class TermMatch:
    """A glossary source term found in a sentence, with its span in that sentence."""

    entry: GlossaryEntry
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TermCheck:
    """Did a required target term appear in the translation?"""

    source: str
    target: str
    found: bool
    form: str | None = None
    concept_id: int | None = None

    def to_dict(self) -> dict:
        return {
            "concept": self.concept_id,
            "source": self.source,
            "target": self.target,
            "found": self.found,
            "form": self.form,
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
            entries.append(GlossaryEntry(concept.id, sources, target.text, accepted))
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


def load_glossary(path: str | Path | None = None, conn=None) -> Glossary | None:
    """The glossary from a TSV/CSV/TBX file (``termalign.export.read_termbase``) or the
    approved concepts of a store connection; ``None`` when neither is given."""
    if path is not None:
        try:
            from termalign.export import read_termbase
        except ImportError:
            raise InputError("reading glossary files needs termalign.export.read_termbase, which is missing") from None
        return Glossary((c for c in read_termbase(Path(path)) if c.status == "approved"), origin=str(path))
    if conn is not None:
        from termalign.store.concepts import iter_concepts

        return Glossary(iter_concepts(conn, ["approved"]), origin="store")
    return None


class TermIndex:
    """The entries of one direction, ready to find source terms and check target terms."""

    def __init__(self, entries: Sequence[GlossaryEntry], source: Language, target: Language) -> None:
        self.entries = list(entries)
        self.source = source
        self.target = target
        self._by_key: dict[str, GlossaryEntry] = {}
        for entry in self.entries:
            for text in entry.sources:
                key = source.key(text)
                if key:
                    self._by_key.setdefault(key, entry)

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def version(self) -> str:
        """A hash of the entries: two runs with the same version used the same glossary."""
        return entries_version(self.entries)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self._by_key:
            return None
        alternatives = "|".join(re.escape(k) for k in sorted(self._by_key, key=len, reverse=True))
        if self.source.spaced:
            return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        return re.compile(alternatives)

    def find(self, text: str) -> list[TermMatch]:
        """Glossary terms in ``text`` (longest first, no overlaps), located in ``text``."""
        if self._pattern is None:
            return []
        matches: list[TermMatch] = []
        cursor = 0
        key = self.source.key(text)
        for m in self._pattern.finditer(key):
            if m.end() < len(key) and is_mark(key[m.end()]):
                continue  # the term ends inside a letter cluster of a longer word
            span = locate(text, m.group(), self.source, cursor)
            if span is None:
                continue
            cursor = span[1]
            matches.append(TermMatch(self._by_key[m.group()], span[0], span[1], text[span[0] : span[1]]))
        return matches

    def check(self, translation: str, matches: Sequence[TermMatch]) -> list[TermCheck]:
        """The post-check: for each concept matched in the source, is one of its accepted
        target terms in ``translation`` (compared by normalized key)?"""
        return check_terms(translation, [(m.text, m.entry) for m in matches], self.target)


def check_terms(
    translation: str, required: Sequence[tuple[str, GlossaryEntry]], target: Language
) -> list[TermCheck]:
    """One :class:`TermCheck` per distinct concept in ``required`` (source text, entry)."""
    key = target.key(translation)
    checks: list[TermCheck] = []
    seen: set[int] = set()
    for source_text, entry in required:
        if id(entry) in seen:
            continue
        seen.add(id(entry))
        form = next((f for f in entry.accepted if contains(key, target.key(f), target)), None)
        checks.append(TermCheck(source_text, entry.target, form is not None, form, entry.concept_id))
    return checks


def contains(text_key: str, term_key: str, language: Language) -> bool:
    """``term_key`` occurs in ``text_key``; as whole words in a spaced language."""
    if not term_key:
        return False
    if not language.spaced:
        return term_key in text_key
    return re.search(rf"(?<!\w){re.escape(term_key)}(?!\w)", text_key) is not None


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
