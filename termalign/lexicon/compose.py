"""Compositional glosses: cover a term with known words, translate word by word.

Khmer, Thai and Vietnamese put the head first (``economy digital``), English last, so the
English gloss reverses the pieces while Vietnamese keeps their order. Pieces may be lexicon
entries (longest first), function words (skipped), a nominalizer prefix (``ការ``/``การ``)
or a romanized English loan recognised by its consonant skeleton.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from termalign import lang as languages
from termalign.lexicon import INDUCED_PREFIX, Lexicon
from termalign.lexicon.english import CONTENT_WORD_RE, english_bag, is_stop

MAX_ALTERNATIVES = 6
#: Longest piece (characters) tried in a language written without spaces even when every
#: lexicon entry is shorter: a loanword is read from a piece that long.
MIN_PIECE_CHARS = 30


@dataclass(frozen=True)
class Hypothesis:
    """One English reading of a term, with how it was obtained."""

    en: str
    bag: str  # sorted stems of the English content words: order-free identity
    vi: str | None
    pieces: tuple[tuple[str, str, str], ...]  # (source text, gloss, how)

    @property
    def loans(self) -> int:
        return sum(1 for _, _, how in self.pieces if how == "loanword")

    @property
    def sources(self) -> list[str]:
        return sorted({how for _, _, how in self.pieces})

    @property
    def curated(self) -> bool:
        """Read without a word pair induced from parallel text (see
        :data:`termalign.lexicon.INDUCED_SOURCE`): such pairs are general words, good for
        linking two attested terms but no evidence that a string is a term."""
        return not any(how.startswith(INDUCED_PREFIX) for _, _, how in self.pieces)


def compose(lexicon: Lexicon, code: str, key: str, *, loans: bool = True) -> list[Hypothesis]:
    """English hypotheses for the term with matching key ``key`` in language ``code``;
    with ``loans=False`` only readings made of known words (faster: no skeletons)."""
    language = languages.get(code)
    if language.is_pivot:
        return [Hypothesis(key, english_bag(key), None, ((key, key, "identity"),))]
    units = key.split(" ") if language.spaced else list(key)
    joiner = " " if language.spaced else ""
    starters = language.starter_keys
    fw = language.grammatical_words
    reads_loans = loans and language.transcribe("") is not None and not language.spaced and lexicon.loan_words
    matcher = lexicon.loan_matcher() if reads_loans else None
    bounds = _boundaries(code, key) if matcher is not None else frozenset()
    n = len(units)
    max_len = _longest_piece(lexicon, code, n)
    # lexicon.lookup without a method call per piece (the cover tries every span)
    entries = lexicon.entries[code]

    @cache
    def cover(i: int, curated: bool) -> list[list[tuple[str, str, str, str | None]]]:
        # ``curated``: through curated glosses only (see below)
        if i == n:
            return [[]]
        found: list[list[tuple[str, str, str, str | None]]] = []
        for j in range(min(n, i + max_len), i, -1):
            piece = joiner.join(units[i:j]) if language.spaced else key[i:j]
            options: list[tuple[str, str, str, str | None]] = []
            glosses = entries.get(piece, ())
            if curated:
                glosses = [g for g in glosses if not g.source.startswith(INDUCED_PREFIX)]
            for gloss in glosses[:3]:
                options.append((piece, gloss.en, gloss.source, gloss.vi))
            if not options and i > 0 and j < n and piece in fw:
                options.append((piece, "", "function word", None))
            if not options and j < n and piece in starters:
                # A nominalizer only counts in front of a word the lexicon reads.
                options.append((piece, "", "nominalizer", None))
            if not options and matcher is not None and i in bounds and j in bounds:
                # A loan only between segmenter boundaries, never a piece the lexicon reads
                # as a native word, and only as an English word a glossary or text attests.
                inner = [b for b in bounds if i < b < j]
                # (a curated gloss: the uncurated lists hold tens of thousands of words,
                # transliterations among them, that would make every loan "native")
                native = any(
                    part in fw or part in language.term_links
                    or any(not g.source.startswith(INDUCED_PREFIX) for g in entries.get(part, ()))
                    for b in inner for part in (key[i:b], key[b:j])
                )
                english = None if native else matcher.match(code, piece)
                if english:
                    options.append((piece, english, "loanword", None))
            for option in options:
                for rest in cover(j, curated):
                    if option[2] == "nominalizer" and not (rest and rest[0][1]):
                        continue
                    found.append([option, *rest])
                    if len(found) >= MAX_ALTERNATIVES:
                        return found
        return found

    hypotheses: dict[str, Hypothesis] = {}
    # Covers through curated glosses first: uncurated word pairs read many short pieces, and
    # their covers would fill the MAX_ALTERNATIVES before a curated one is reached.
    for parts in [*cover(0, True), *cover(0, False)]:
        content = [p for p in parts if p[1]]
        if not content:
            continue
        en, vi = _render(parts, language.head_first, language.head_keys)
        if language.is_gloss:
            vi = key
        hyp = Hypothesis(en, english_bag(en), vi, tuple((p[0], p[1], p[2]) for p in parts))
        seen = hypotheses.get(hyp.bag)
        # One reading per bag: a curated one over one through induced pairs.
        if seen is None or (hyp.curated and not seen.curated):
            hypotheses[hyp.bag] = hyp
    # A reading from known words beats one that needs a guessed loanword — words a curated
    # list knows: an uncurated reading (general words; a big list reads most syllables
    # somehow) stays beside a loan reading rather than pushing it out.
    ranked = sorted(hypotheses.values(), key=lambda h: (h.loans, len(h.pieces)))
    if not ranked:
        return []
    curated = [h.loans for h in ranked if h.curated]
    fewest = min(curated) if curated else ranked[0].loans
    return [h for h in ranked if h.loans == fewest or (not h.curated and h.loans < fewest)]


def _longest_piece(lexicon: Lexicon, code: str, n: int) -> int:
    """The most units (words, or characters where words are not spaced) a piece of a key
    of ``n`` units may span."""
    if languages.get(code).spaced:
        return n
    return min(n, max(lexicon.longest[code], MIN_PIECE_CHARS))


def known_cover(lexicon: Lexicon, code: str, key: str, *, curated: bool = False) -> bool:
    """Whether lexicon entries, function words and nominalizers can cover ``key`` end to
    end, checked without the segmenter or the loan matcher; with ``curated``, through
    curated entries only.

    :func:`compose` reads a key without a loanword only from such a cover (and asks more:
    a word after a nominalizer, at most :data:`MAX_ALTERNATIVES` covers), so ``False``
    means it has no reading without a loan (with ``curated``: no curated one): a cheap
    test before the full reading.
    """
    language = languages.get(code)
    if language.is_pivot:
        return True
    units = key.split(" ") if language.spaced else list(key)
    n = len(units)
    max_len = _longest_piece(lexicon, code, n)
    fw, starters = language.grammatical_words, language.starter_keys
    entries = lexicon.entries[code]
    # covered[j]: the units from j to the end can be covered; built from the end.
    covered = [False] * n + [True]
    ends = [n]
    for i in range(n - 1, -1, -1):
        for j in ends:
            if j - i > max_len:
                continue
            piece = " ".join(units[i:j]) if language.spaced else key[i:j]
            glosses = entries.get(piece)
            if curated and glosses:
                glosses = [g for g in glosses if not g.source.startswith(INDUCED_PREFIX)]
            if glosses or (j < n and (piece in starters or (i > 0 and piece in fw))):
                covered[i] = True
                ends.append(i)
                break
    return covered[0]


@lru_cache(maxsize=65536)
def _boundaries(code: str, key: str) -> frozenset[int]:
    """Offsets in ``key`` where the language's segmenter puts a word or syllable boundary
    (the Thai syllables of pythainlp, the Khmer segmenter's words): the only places a loan
    may begin or end."""
    cuts = {0, len(key)}
    pieces = languages.get(code).loan_pieces(key)
    at = 0
    for piece in pieces:
        found = key.find(piece, at)
        if found < 0:
            continue
        cuts.update((found, found + len(piece)))
        at = found + len(piece)
    return frozenset(cuts)


#: Coordinating conjunctions by language key, kept in a gloss (``Bộ Thông tin và Truyền thông``).
CONJUNCTIONS = frozenset(
    languages.get(code).key(languages.get(code).conjunction)
    for code in languages.CODES
    if languages.get(code).conjunction
)
#: Prepositions that link a body's name to its remit, kept in the English gloss.
PREPOSITIONS = {"នៃ": "of", "แห่ง": "of", "เพื่อ": "for", "ว่าด้วย": "on"}


def _render(
    parts: list[tuple[str, str, str, str | None]], head_first: bool, heads: frozenset[str]
) -> tuple[str, str | None]:
    """English and Vietnamese glosses of covered pieces (source, en, how, vi).

    Function words are dropped except a conjunction, which joins its conjuncts. A
    head-first language puts the head first and English puts it last, so each conjunct is
    reversed; an institution's head stays outside the coordination of its modifiers:
    ``ក្រសួង ព័ត៌មាន និង ផ្សព្វផ្សាយ`` → ``Ministry of Information and Broadcasting``.
    """
    conjuncts: list[list[tuple[str, str, str, str | None]]] = [[]]
    linked = False
    for part in parts:
        if part[2] == "function word" and part[0] in CONJUNCTIONS and conjuncts[-1]:
            conjuncts.append([])
        elif part[2] == "function word" and part[0] in PREPOSITIONS and conjuncts[-1]:
            conjuncts[-1].append((part[0], PREPOSITIONS[part[0]], "link", None))
            linked = True
        elif part[1]:
            conjuncts[-1].append(part)
    conjuncts = [c for c in conjuncts if c]
    head: list[tuple[str, str, str, str | None]] = []
    connector = "of"
    if (len(conjuncts) > 1 or linked) and len(conjuncts[0]) > 1 and conjuncts[0][0][0] in heads:
        head = [conjuncts[0][0]]
        conjuncts[0] = conjuncts[0][1:]
        links = [i for i, p in enumerate(conjuncts[0]) if p[2] == "link" and p[1] == "of"]
        if links and links[0] + 1 < len(conjuncts[0]):
            # The words before "of" qualify the head: ធនាគារ ជាតិ នៃ កម្ពុជា is the National
            # Bank of Cambodia, ธนาคาร แห่ง ประเทศไทย the Bank of Thailand. Before "for" or
            # "on" they are the body's remit (Ministry of Digital for Economy and Society).
            head += conjuncts[0][: links[0]]
            connector = conjuncts[0][links[0]][1]
            conjuncts[0] = conjuncts[0][links[0] + 1 :]
    glosses = [_gloss(c, head_first) for c in conjuncts]
    vi = None
    # Vietnamese only when every part of the head and of each conjunct has a reading.
    vi_head = _vi_words(head)
    vi_conjuncts = [words for c in conjuncts if (words := _vi_words(c)) is not None]
    if head_first and not linked and vi_head is not None and len(vi_conjuncts) == len(conjuncts):
        vi = " và ".join(" ".join(words) for words in vi_conjuncts)
    if head:
        # The name of a body: Ministry of Information and Communications, and in
        # Vietnamese a capital on the head and on each conjunct (Bộ Thông tin và Truyền thông).
        head_en = " ".join(p[1] for p in (reversed(head) if head_first else head))
        en = f"{_title(head_en)} {connector} " + " and ".join(_title(g) for g in glosses)
        if vi is not None and vi_head:  # vi is set only when vi_head reads all of head
            vi = " ".join([_capital(vi_head[0]), " và ".join(_capital(" ".join(words)) for words in vi_conjuncts)])
    else:
        en = " and ".join(glosses)
    return en, vi


def _vi_words(parts: list[tuple[str, str, str, str | None]]) -> list[str] | None:
    """The Vietnamese reading of each part, or ``None`` when a part has none."""
    words = [vi for part in parts if (vi := part[3])]
    return words if len(words) == len(parts) else None


def _gloss(conjunct: list[tuple[str, str, str, str | None]], head_first: bool) -> str:
    """English of one conjunct: each run between prepositions reversed in a head-first
    language, the prepositions in place (ดิจิทัล เพื่อ เศรษฐกิจ → digital for economy)."""
    runs: list[list[str]] = [[]]
    words: list[str] = []
    for part in conjunct:
        if part[2] == "link":
            runs.append([part[1]])
            runs.append([])
        else:
            runs[-1].append(part[1])
    for run in runs:
        words.extend(reversed(run) if head_first and run and run[0] not in PREPOSITIONS.values() else run)
    return " ".join(words)


def _title(text: str) -> str:
    small = set(PREPOSITIONS.values()) | {"and"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in text.split(" "))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def compose_from_english(lexicon: Lexicon, english: str, code: str) -> str | None:
    """The term in ``code`` composed word by word from an English term: each content word
    through the glossary's single-word concepts, the order reversed for head-first
    languages. ``Head of X and Y`` (or ``for``, ``on``) keeps its head first and joins its
    conjuncts with the language's "and" (Ministry of Economy and Finance → ក្រសួងសេដ្ឋកិច្ច
    និងហិរញ្ញវត្ថុ).
    ``None`` unless every word is known."""
    language = languages.get(code)
    text = english.lower().replace("-", " ")
    # "Head of/for/on X": the head leads in a head-first language.
    found = [(text.find(p), p) for p in (" of ", " for ", " on ") if p in text]
    if found:
        at, prep = min(found)
        head_text, rest = text[:at], text[at + len(prep) :]
    else:
        head_text, rest = "", text
    if any(p in rest for p in (" of ", " for ", " on ")):
        return None  # two bodies or a nested name: not composed word by word
    segments = [head_text, *rest.split(" and ")] if head_text else rest.split(" and ")
    # A name (every content word capitalized) keeps its capitals in Vietnamese.
    is_name = bool(head_text) and all(
        w[:1].isupper() for w in re.findall(r"[^\W\d_][\w'’]*", english) if not is_stop(w.lower())
    )

    def render(segment: str) -> list[str] | None:
        pieces = []
        for word in (w for w in CONTENT_WORD_RE.findall(segment) if not is_stop(w)):
            known = lexicon.concepts.get(english_bag(word), {}).get(code)
            if not known:
                return None
            pieces.append(known[0][0])
        return pieces[::-1] if language.head_first else pieces

    rendered_segments = [render(segment) for segment in segments]
    parts = [p for p in rendered_segments if p]
    if len(parts) < len(rendered_segments) or sum(len(p) for p in parts) < 2:
        return None  # a segment has an unknown word (or no content word), or one word in all
    gap = " " if language.spaced else ""
    rendered = [gap.join(p) for p in parts]
    if is_name and language.composed_names_capitalized:
        rendered = [_capital(r) for r in rendered]
    joiner = language.and_joiner
    if head_text:
        return rendered[0] + gap + joiner.join(rendered[1:])
    return joiner.join(rendered)
