"""The shape every language follows: script test, normalizer, sentence splitter, segmenter."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from termalign.normalize import clean, latin_key

Span = tuple[int, int]

_NUMBER_RE = re.compile(r"^[\d\u17e0-\u17e9\u0e50-\u0e59]+(?:[.,:/][\d\u17e0-\u17e9\u0e50-\u0e59]+)*%?$")
_PUNCT_RE = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class Token:
    """A word of a sentence, with character offsets into the text it was cut from."""

    start: int
    end: int
    text: str
    kind: str  # word | number | punct | latin | dateline (the words of a wire dateline, set by ingest)
    pos: str | None = None  # NOUN | VERB | ADJ | OTHER, where the language has a tagger


def token_kind(text: str, native_latin: bool) -> str:
    """Classify a token: ``number``, ``punct``, ``latin`` (a Latin word in a non-Latin
    language: an anchor candidate) or ``word``."""
    if _NUMBER_RE.match(text):
        return "number"
    if _PUNCT_RE.match(text):
        return "punct"
    if not native_latin and text.isascii():
        return "latin"
    return "word"


_EDGE_PUNCT = "\"'“”‘’()[]{}«»,;:!?…"


def _split_edge_punct(piece: str) -> list[str]:
    """Quotes and brackets glued to a word by a segmenter become tokens of their own."""
    head: list[str] = []
    tail: list[str] = []
    while len(piece) > 1 and piece[0] in _EDGE_PUNCT:
        head.append(piece[0])
        piece = piece[1:]
    while len(piece) > 1 and piece[-1] in _EDGE_PUNCT:
        tail.insert(0, piece[-1])
        piece = piece[:-1]
    return [*head, piece, *tail]


def spans_in_order(text: str, pieces: list[str], offset: int = 0) -> list[Span]:
    """Find each piece in ``text`` left to right; return spans shifted by ``offset``.

    Segmenters return strings, not offsets. Locating them in order gives offsets that slice
    the original exactly; a piece the segmenter altered (and so cannot be found) is skipped.
    """
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        if not piece or piece.isspace():
            continue
        at = text.find(piece, cursor)
        if at < 0:
            continue
        spans.append((offset + at, offset + at + len(piece)))
        cursor = at + len(piece)
    return spans


#: A Latin word with ``&``, ``-`` or ``.`` between its letters (``KH&CN``, ``e-Government``,
#: ``4.0``): one token, whatever a segmenter made of it.
LATIN_COMPOUND_RE = re.compile(r"[A-Za-z0-9\u00c0-\u1ef9]+(?:[-.&][A-Za-z0-9\u00c0-\u1ef9]+)+")


def keep_spans_whole(text: str, pieces: list[str], whole: list[Span], edges: list[Span] | None = None) -> list[str]:
    """Pieces of ``text`` re-cut so that no piece crosses the edge of a span in ``whole``
    or ``edges``; the pieces inside one ``whole`` span are joined into one (an acronym),
    those inside an ``edges`` span (a known term) keep the segmenter's inner cuts.

    Pieces the segmenter altered (not found in ``text``) leave the cut as it is.
    """
    edges = edges or []
    if not whole and not edges:
        return pieces
    located = spans_in_order(text, pieces)
    if len(located) != len([p for p in pieces if p and not p.isspace()]):
        return pieces
    cuts = {b for s, e in [*whole, *edges] for b in (s, e)}
    joined = {i: (s, e) for s, e in whole for i in range(s, e)}
    out: list[Span] = []
    for start, end in located:
        bounds = [start, *sorted(c for c in cuts if start < c < end), end]
        for a, b in zip(bounds, bounds[1:], strict=False):
            span = joined.get(a)
            if span and out and out[-1][1] == a and joined.get(out[-1][0]) == span:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return [text[s:e] for s, e in out]


@cache
def glossary_terms(code: str) -> set[str]:
    """The language's terms in the curated base glossary (``egov-base.tsv``; not the
    TICO-19 lists, which are evaluation data elsewhere), as written there."""
    import csv

    path = resources.files("termalign.glossaries") / "egov-base.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t")
    return {t.strip() for row in rows for t in (row.get(code) or "").split("|") if t.strip()}


def occurrences(text: str, pattern: re.Pattern[str] | None) -> list[Span]:
    """Non-overlapping spans of ``pattern`` in ``text`` (none without a pattern)."""
    return [m.span() for m in pattern.finditer(text)] if pattern else []


class Language(ABC):
    """One language of the termbase. Each subclass owns every language-specific detail."""

    code: str
    name: str
    #: True when noun phrases put the head first (``economy digital``).
    head_first: bool
    #: True when words are separated by spaces (so multi-word keys keep a space).
    spaced: bool
    #: Language codes used by MT model families.
    mt_codes: dict[str, str]
    #: The script its terms are written in (``khmer``, ``thai``, ``latin``: see normalize.script_fraction).
    script: str = "latin"
    #: False where prose marks no sentence end (Thai): short lines may be whole sentences.
    marks_sentence_ends: bool = True
    #: Nominalizers that start terms (``ការ…``, ``การ…``) but never end one or stand alone.
    term_starters: frozenset[str] = frozenset()
    #: Nouns that head the names of public bodies (ministry, committee, department). Such a
    #: head with its modifiers, closed on the right, is a name: a term of any e-government
    #: termbase however rarely it occurs. Heads may span two segmented words.
    institution_heads: frozenset[str] = frozenset()
    #: The function words a body's name may contain (``Ministry of Science and Technology``).
    name_links: frozenset[str] = frozenset()
    #: The coordinating "and" among the name links: followed by a head it joins two bodies
    #: (``Ministry of Health and Ministry of Education``), where a preposition names a parent
    #: (``Secretariat of the Council``).
    conjunction: str = ""
    #: Articles a name may hold right after a link (``Ministry of the Interior``).
    name_articles: frozenset[str] = frozenset()
    #: Capitalized words that name a day or a month, never part of a body's name: a name
    #: ends before them (``Ministry of Health on Monday``: ``on`` is also a name link).
    calendar_words: frozenset[str] = frozenset()
    #: True where the segmenter keeps known names whole (newmm: กระทรวงการคลัง is one word),
    #: so a word that begins with a long head is a name by itself.
    whole_word_names: bool = False
    #: Function words a term may contain besides the name links (Thai ``ทาง``, ``สู่``:
    #: การเปลี่ยนแปลงทางดิจิทัล); any other inside a candidate marks a free phrase.
    term_links: frozenset[str] = frozenset()
    #: Light inflection a term's words may take in running text, as (ending, replacement)
    #: pairs: English ``("y", "ies")`` lets *digital economy* match *digital economies*.
    inflections: tuple[tuple[str, str], ...] = ()
    #: The pivot language: glosses, compositional readings and MT suggestions are in it.
    is_pivot: bool = False
    #: The second gloss language of the lexicon (glosses carry a reading in it where known).
    is_gloss: bool = False
    #: How "and" joins two conjuncts of a name composed in this language (spaces included).
    and_joiner: str = " and "
    #: True where a name capitalizes each content word and a run of capitals marks one
    #: (``Ministry of Health``); the name rules of extraction then ask for capitals.
    title_case_names: bool = False
    #: True where a name composed word by word from English keeps a capital on each word.
    composed_names_capitalized: bool = False
    #: True where verbs carry a written past tense (``-ed``) that marks a clause, not a term.
    written_past_tense: bool = False
    #: The word that joins a term to its Latin-script gloss (``… ឬ Digital Government``);
    #: empty where "or" joins any two words of the language's own script (the pivot).
    or_word: str = ""
    #: Where extraction's general-language counts come from: ``tsv`` (the shipped
    #: ``termalign/data/reference/CODE.tsv``) or ``wordfreq`` (its large word list).
    general_reference: str = "tsv"
    #: Languages sharing a ``cognate_script`` spell loans alike: their consonant skeletons
    #: (:meth:`skeleton`) are compared to find cognates.
    cognate_script: str | None = None
    #: True where texts date years by the Buddhist Era (2567 BE = 2024 CE), as Thai and
    #: Khmer news often do.
    buddhist_era: bool = False
    #: The shape of an abbreviation written in the language's own letters (``สปสช.``,
    #: ``ក.ន.ស``), which names a public body in brackets after its long name; ``None`` where
    #: abbreviations are Latin capitals.
    abbreviation: re.Pattern[str] | None = None

    # -- script -------------------------------------------------------------------------
    @abstractmethod
    def script_share(self, text: str) -> float:
        """Share (0..1) of the letters of ``text`` that this language's test claims."""

    # -- normalization ------------------------------------------------------------------
    def normalize(self, text: str) -> str:
        """Display-safe normalization (NFC, invisible characters, spaces)."""
        return clean(text)

    def key(self, text: str) -> str:
        """Matching key: forms of one term that differ only in encoding share it."""
        return latin_key(self.normalize(text))

    def loose_key(self, key: str) -> str | None:
        """A looser form of a matching key for search, where the language has marks that
        reviewers often type without (Vietnamese tones); ``None`` where it has none."""
        return None

    # -- segmentation -------------------------------------------------------------------
    @abstractmethod
    def split_sentences(self, text: str) -> list[Span]:
        """Sentence spans of ``text`` (no leading/trailing whitespace inside a span)."""

    @abstractmethod
    def segment_words(self, text: str) -> list[str]:
        """Words of ``text`` as the language's segmenter cuts them (strings)."""

    def loan_pieces(self, key: str) -> list[str]:
        """The pieces of a key a loanword may begin or end at: its words, or finer units
        where a word can hold a loan and a native part together (Thai syllables)."""
        return self.segment_words(key)

    def protected_spans(self, text: str) -> tuple[list[Span], list[Span]]:
        """Spans of ``text`` segmentation must not cut: Latin compounds and acronyms
        (``KH&CN``), kept as one token, and known terms (:meth:`known_terms`), whose
        edges are token edges."""
        compounds = occurrences(text, LATIN_COMPOUND_RE)
        overlaps = lambda s: any(a < s[1] and s[0] < b for a, b in compounds)  # noqa: E731
        known = [s for s in occurrences(text, self.known_terms_pattern) if not overlaps(s)]
        return compounds, known

    @cached_property
    def known_terms_pattern(self) -> re.Pattern[str] | None:
        """One pattern matching any known term (longest first); ``None`` without any."""
        terms = sorted({t for t in self.known_terms() if len(t) > 1}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, terms))) if terms else None

    def known_terms(self) -> set[str]:
        """Terms segmentation must never cut (overridden where the segmenter needs help)."""
        return set()

    def tokenize(self, text: str, offset: int = 0, *, tag: bool = False) -> list[Token]:
        """Words of ``text`` with offsets (shifted by ``offset``) and a kind each; with
        ``tag`` also a coarse part of speech from the language's tagger. Protected spans
        (:meth:`protected_spans`) are never cut."""
        whole = keep_spans_whole(text, self.segment_words(text), *self.protected_spans(text))
        pieces = [part for piece in whole for part in _split_edge_punct(piece)]
        native_latin = self.spaced
        spans = spans_in_order(text, pieces)
        words = [text[s:e] for s, e in spans]
        tags = self.pos_tag(words) if tag and words else [None] * len(words)
        return [
            Token(offset + s, offset + e, w, token_kind(w, native_latin), p)
            for (s, e), w, p in zip(spans, words, tags, strict=False)
        ]

    def warm(self) -> None:
        """Load the segmenter and tagger now (they load on first use): a process that forks
        workers afterwards shares them instead of loading them in every worker."""
        self.tokenize(self.conjunction or self.name, tag=True)

    def pos_tag(self, words: list[str]) -> list[str | None]:
        """Coarse parts of speech (NOUN, VERB, ADJ, OTHER) for a sentence's words; ``None``
        each where the language ships no tagger."""
        return [None] * len(words)

    # -- lexical data -------------------------------------------------------------------
    @cached_property
    def grammatical_words(self) -> frozenset[str]:
        """Keys of the curated function words (prepositions, conjunctions, particles):
        the only words composition may pass over inside a term."""
        path = resources.files("termalign") / "data" / "function_words" / f"{self.code}.txt"
        words = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(self.key(line))
        return frozenset(words)

    @cached_property
    def starter_keys(self) -> frozenset[str]:
        """Keys of :attr:`term_starters`."""
        return frozenset(self.key(w) for w in self.term_starters)

    @cached_property
    def head_keys(self) -> frozenset[str]:
        """Keys of :attr:`institution_heads`."""
        return frozenset(self.key(h) for h in self.institution_heads)

    @cached_property
    def function_words(self) -> frozenset[str]:
        """Keys of words a term never starts or ends with: the curated list plus the
        toolkit's broader stopword list where the language has one."""
        return self.grammatical_words | frozenset(self.extra_function_words())

    def extra_function_words(self) -> set[str]:
        """Function words from the language's own toolkit (overridden where one ships a list)."""
        return set()

    # -- loans ----------------------------------------------------------------------------
    def skeleton(self, text: str) -> str | None:
        """The consonant skeleton of a key (coarse sound classes; see ``collapse``), or
        ``None`` where the language has no skeleton."""
        return None

    def unit_titles(self) -> frozenset[str]:
        """Keys of multi-word strings a general source records as one unit (titles of an
        encyclopedia shipped in a wheel): unithood a small corpus cannot show. Empty where
        no such list ships."""
        return frozenset()

    def transcribe(self, key: str) -> str | None:
        """A key's letters as Latin ones, letter by letter, where the script spells English
        loans by sound (the loan matcher compares it with English spellings); ``None``
        where it does not (Latin scripts write a loan as English does)."""
        return None

    def cognate_letters(self, key: str) -> str:
        """The letters a cognate in another language of the same ``cognate_script``
        shares: consonants by common Brahmi letter, a doubled letter once, the r of a
        Sanskrit cluster left out (គណៈកម្មាធិការ → gnkmWk). Empty where the language has
        no ``cognate_script``."""
        return ""

    def __repr__(self) -> str:
        return f"<Language {self.code}>"


# Consonant skeletons (sound classes): K velar/palatal stops (k g c j ch), T dental/retroflex
# stops, P labial stops, F f, M, N (n ng ñ), L, R, S sibilants, Y, W (v w). H and glottal
# carriers are dropped; vowels are ignored (their spelling differs most between scripts).
# Khmer and Thai spell Pali/Sanskrit loans letter by letter alike, and both spell English
# loans by sound, so their skeletons coincide (ឌីជីថល / ดิจิทัล / digital → TKTL).
#: The r of a Sanskrit cluster (เศรษฐ, ราษฎร) is where Thai and Khmer spellings of one
#: word differ most: it is left out of the cognate letters compared.
BRAHMI_CLUSTER_R = "r"


def brahmi_letters(letters: list[str]) -> str:
    """Letters by Brahmi letter as :meth:`Language.cognate_letters` compares them: the
    cluster r left out, a doubled letter once."""
    return collapse([c for c in letters if c != BRAHMI_CLUSTER_R])


def collapse(classes: list[str]) -> str:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def coarse(tag: str, table: dict[str, str]) -> str:
    """Map a tagger's tag to NOUN / VERB / ADJ / OTHER."""
    return table.get(tag, "OTHER")


def split_on_terminators(text: str, terminators: str, *, latin_dot: bool = False) -> list[Span]:
    """Sentence spans cut after any of ``terminators`` and at line breaks.

    With ``latin_dot`` a full stop ends a sentence only before whitespace and an upper-case
    letter, digit or quote (so ``4.0``, ``e.g.`` and URLs stay whole).
    """
    spans: list[Span] = []
    pattern = f"[{re.escape(terminators)}]+"
    if latin_dot:
        pattern = rf"(?:{pattern}|[.…]+(?=\s+[\"“'(\[]?[A-ZÀ-ỸĐ\d]))"
    boundary = re.compile(rf"{pattern}|\n")
    start = 0
    for m in boundary.finditer(text):
        end = m.end() if m.group() != "\n" else m.start()
        append_stripped(text, start, end, spans)
        start = m.end()
    append_stripped(text, start, len(text), spans)
    return spans


def append_stripped(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
