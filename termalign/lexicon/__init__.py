"""Known term pairs: the shipped base glossary, approved concepts, user lexicons.

Everything is keyed by the normalized matching key of the source language and maps to
English glosses (the pivot) and, where known, Vietnamese ones.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from termalign import lang as languages
from termalign.lexicon.english import english_bag
from termalign.store import StoreLike, as_store

#: Loans are spelled after English: their skeletons are the pivot language's.
_ENGLISH = languages.get(languages.PIVOT)

#: Source prefix of the word pairs induced from licensed parallel text that ship in
#: ``glossaries/induced/`` (``induced:ntrex-flores``): general words, read for linking
#: attested terms across languages and for context vectors, never as evidence of termhood.
INDUCED_PREFIX = "induced:"
INDUCED_SOURCE = INDUCED_PREFIX + "ntrex-flores"
#: The uncurated lists of ``glossaries/induced/`` that are not induced from parallel text,
#: by file: Thai WordNet's Thai words with Princeton WordNet's English ones (see SOURCE.md).
INDUCED_SOURCES = {"th-en-wordnet.tsv": INDUCED_PREFIX + "thai-wordnet"}
#: Lists of ``glossaries/induced/`` whose term column holds matching keys already (written so
#: by their tool, checked row by row by the test suite): 107 k Thai keys are not recomputed
#: on every run.
INDUCED_KEYED = frozenset({"th-en-wordnet.tsv"})

TICO_FILES = {"km": "f_en-km_KH.csv", "th": "f_en-th_TH.csv", "vi": "f_en-vi_VN.csv"}


@dataclass(frozen=True)
class Gloss:
    en: str
    source: str
    vi: str | None = None


@dataclass
class Lexicon:
    """``entries[lang][key]`` → glosses; ``loans`` maps English consonant skeletons to words."""

    entries: dict[str, dict[str, list[Gloss]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    #: Whole known concepts by the bag of their English term: language → [(term, source)].
    concepts: dict[str, dict[str, list[tuple[str, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    loans: dict[str, str] = field(default_factory=dict)
    #: Every English word a glossary or lexicon names: the only words a loan may read as.
    loan_words: set[str] = field(default_factory=set)
    _matcher: object = field(default=None, repr=False, compare=False)
    longest: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, code: str, text: str, gloss: Gloss, *, keyed: bool = False) -> None:
        """``keyed``: ``text`` is a matching key already (a list written in key form)."""
        key = text if keyed else languages.get(code).key(text)
        if key and gloss not in self.entries[code][key]:
            self.entries[code][key].append(gloss)
            self.longest[code] = max(self.longest[code], len(key))

    def lookup(self, code: str, key: str) -> list[Gloss]:
        return self.entries[code].get(key, [])

    def add_concept(self, terms: dict[str, list[str]], source: str) -> None:
        """A concept known in several languages: every term glosses to every English term."""
        english = terms.get(languages.PIVOT, [])
        vietnamese = terms.get(languages.GLOSS, [])
        for en in english:
            known = self.concepts[english_bag(en)]
            for code in languages.CODES:
                for text in terms.get(code, []):
                    if (text, source) not in known[code]:
                        known[code].append((text, source))
            for code in languages.NON_PIVOT:
                for text in terms.get(code, []):
                    self.add(code, text, Gloss(en, source, vietnamese[0] if vietnamese else None))
            self.add_loan_words(en)

    def add_loan_words(self, english: str) -> None:
        """Let loans read as the words of an English term a glossary or lexicon names (those
        long enough to be told from chance: five letters, three consonant classes)."""
        for word in english.split():
            skel = _ENGLISH.skeleton(word) or ""
            if len(skel) >= 3 and len(word) >= 5:
                self.loans.setdefault(skel, word.lower())
                self.loan_words.add(word.lower())

    def loan_matcher(self):
        """A :class:`~termalign.lexicon.loans.LoanMatcher` over the attested English words
        (rebuilt when words were added since)."""
        from termalign.lexicon.loans import LoanMatcher

        matcher = self._matcher
        if not isinstance(matcher, LoanMatcher) or matcher.size != len(self.loan_words):
            matcher = LoanMatcher(self.loan_words)
            matcher.size = len(self.loan_words)
            self._matcher = matcher
        return matcher

    def size(self) -> int:
        return sum(len(v) for v in self.entries.values())


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def load_base(lexicon: Lexicon, *, tico: bool = True) -> None:
    """The shipped base glossary: the curated e-government list and (with ``tico``) the
    TICO-19 terminology, which an evaluation on TICO-19 text must leave out."""
    root = resources.files("termalign.glossaries")
    text = root.joinpath("egov-base.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        lexicon.add_concept({c: _split(row[c]) for c in ("en", "vi", "km", "th")}, f"base:{row['source']}")
    if not tico:
        return
    concepts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code, name in TICO_FILES.items():
        text = root.joinpath("tico19", name).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            en = row["sourceString"].strip()
            concepts[en][languages.PIVOT] = [en]
            concepts[en][code].append(row["targetString"].strip())
    for terms in concepts.values():
        lexicon.add_concept(terms, "base:tico19")


def load_approved(lexicon: Lexicon, conn: StoreLike) -> int:
    """Approved concepts of the store: every approval teaches the next run."""
    n = 0
    for concept in as_store(conn).iter_concepts(["approved"]):
        terms: dict[str, list[str]] = defaultdict(list)
        for term in concept.terms:
            if term.status != "deprecated":
                terms[term.lang].append(term.text)
        if terms.get(languages.PIVOT):
            lexicon.add_concept(terms, f"approved:{concept.id}")
        # Pairs without English still link their languages through a shared pseudo-gloss.
        pivot = f"concept#{concept.id}"
        for code in languages.NON_PIVOT:
            for text in terms.get(code, []):
                en = terms[languages.PIVOT][0] if terms.get(languages.PIVOT) else pivot
                lexicon.add(code, text, Gloss(en, f"approved:{concept.id}"))
        n += 1
    return n


def _lexicon_pairs(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(language, term, English) of the rows of a lexicon TSV (``lang, term, en, score``, as
    `termalign lexicon build` writes it); other rows, such as its ``#`` header, are left out."""
    for row in csv.reader(lines, delimiter="\t"):
        if len(row) >= 3 and row[0] in languages.LANGUAGES:
            yield row[0], row[1], row[2]


def load_user_lexicon(lexicon: Lexicon, path: Path) -> None:
    """A TSV written by `termalign lexicon build`: ``lang, term, en, score``."""
    with open(path, encoding="utf-8") as fh:
        for code, term, english in _lexicon_pairs(fh):
            lexicon.add(code, term, Gloss(english, f"lexicon:{Path(path).name}"))
            lexicon.add_loan_words(english)


def load_induced(lexicon: Lexicon) -> None:
    """The uncurated word pairs of ``glossaries/induced/`` (see its SOURCE.md): induced from
    NTREX-128 and FLORES-200 (:data:`INDUCED_SOURCE`), and Thai WordNet's
    (:data:`INDUCED_SOURCES`). Their English words are not loan targets (general words)."""
    folder = resources.files("termalign.glossaries") / "induced"
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv")):
        source, keyed = INDUCED_SOURCES.get(name, INDUCED_SOURCE), name in INDUCED_KEYED
        for code, term, english in _lexicon_pairs(folder.joinpath(name).read_text(encoding="utf-8").splitlines()):
            lexicon.add(code, term, Gloss(english, source), keyed=keyed)


def build_lexicon(
    conn: StoreLike | None = None,
    user_lexicons: list[Path] | None = None,
    *,
    base: bool = True,
    tico: bool = True,
    induced: bool = True,
) -> Lexicon:
    """Base glossary (``base``; its TICO-19 part with ``tico``), the induced word pairs
    (``induced``), user lexicons, approved concepts."""
    lexicon = Lexicon()
    if base:
        load_base(lexicon, tico=tico)
    if induced:
        load_induced(lexicon)
    for path in user_lexicons or []:
        load_user_lexicon(lexicon, path)
    if conn is not None:
        load_approved(lexicon, conn)
    return lexicon
