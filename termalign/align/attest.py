"""Attestation stage: which terms of a proposal some text attests, and which are suggestions.

A term enters a concept only if it occurs in its language's corpus, in an approved entry,
or in a shipped lexical source that names it (the base glossary, a lexicon file). Anything
else the aligner produced (a composed reading, a machine translation) is a
:class:`~termalign.store.suggestions.TermSuggestion`: shown to the reviewer, never a term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from termalign import lang as languages
from termalign.store import StoreLike, as_store
from termalign.store.concepts import Concept
from termalign.store.suggestions import TermSuggestion


@dataclass
class Proposal(Concept):
    """A concept proposal with the suggestions that wait beside its terms."""

    suggestions: list[TermSuggestion] = field(default_factory=list)


class Attestation:
    """Looks terms up in the corpus of their language (a candidate, or a run of whole words
    of a sentence in a spaced language; a substring of a sentence in Khmer and Thai)."""

    def __init__(
        self,
        texts: dict[str, str] | None = None,
        candidates: set[tuple[str, str]] | None = None,
        raw: dict[str, list[str]] | None = None,
    ) -> None:
        self.texts = texts or {}
        self.candidates = candidates or set()
        #: Per language its sentences as written (the gloss stage reads them).
        self.raw = raw or {}

    @classmethod
    def of_store(cls, store: StoreLike) -> Attestation:
        termstore = as_store(store)
        raw = termstore.language_sentences()
        texts = {c: "\n".join(languages.get(c).key(t) for t in ts) for c, ts in raw.items()}
        return cls(texts, termstore.candidate_keys(), raw)

    def attested(self, code: str, text: str) -> bool:
        language = languages.get(code)
        key = language.key(text)
        if not key:
            return False
        if (code, key) in self.candidates:
            return True
        corpus = self.texts.get(code)
        if not corpus:
            return False
        if language.spaced:
            return re.search(rf"(?<!\w){re.escape(key)}(?!\w)", corpus) is not None
        return key in corpus


__all__ = ["Attestation", "Proposal"]
