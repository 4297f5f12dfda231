"""Thai: no spaces between words; spaces separate phrases and sentences."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

from termalign.lang.base import (
    Language,
    Span,
    append_stripped,
    brahmi_letters,
    coarse,
    collapse,
    glossary_terms,
    split_on_terminators,
)
from termalign.normalize import clean, latin_key, script_fraction


@lru_cache(maxsize=1 << 18)
def _normalize_thai(text: str) -> str:
    """pythainlp fixes mark order, doubled vowels and the decomposed SARA AM (its
    ``normalize`` also strips spaces, which display normalization must not do). Words
    repeat, and pythainlp's rules cost tens of microseconds a call (some forty regular
    expressions): results are cached, and text none of its rules can touch is returned as
    it is (most text: every term of a termbase import is new, so the cache does not help)."""
    text = clean(text)
    if not _thai_rules_apply()(text):
        return text
    # pythainlp takes seconds to import: loaded on first use.
    from pythainlp.util import remove_repeat_vowels, reorder_vowels

    return remove_repeat_vowels(reorder_vowels(text))


@cache
def _thai_rules_apply() -> Callable[[str], re.Match[str] | None]:
    """A search that finds what any rule of pythainlp's ``reorder_vowels`` and
    ``remove_repeat_vowels`` would change, built from pythainlp's own letter classes; where
    it finds nothing, no rule matches (each rule needs one of these), so the text is
    already normal. A rule's output may feed the next rule, but only after a first match."""
    import pythainlp

    above, below = pythainlp.thai_above_vowels, pythainlp.thai_below_vowels
    follow, lead, tones = pythainlp.thai_follow_vowels, pythainlp.thai_lead_vowels, pythainlp.thai_tonemarks

    thanthakhat, nikhahit, lakkhangyao = "\u0e4c", "\u0e4d", "\u0e45"
    no_repeat = f"{follow}{lead}{above}{below}\u0e3a\u0e4c\u0e4d\u0e4e"
    return re.compile(
        "|".join(
            (
                f"[{tones}{thanthakhat}][{above}{below}]",  # mark before a vowel sign
                nikhahit,  # NIKHAHIT (+ tone) + SARA AA: a decomposed SARA AM
                f"[{follow}][{tones}]",  # a following vowel before its tone mark
                lakkhangyao,  # LAKKHANGYAO written for SARA AA
                f"([{no_repeat}]) *\\1",  # a vowel or sign repeated (SARA E twice: SARA AE)
                f"[{tones}]{{2,}}",  # tone marks repeated
            )
        )
    ).search


_THAI_SPACE_RE = re.compile(r"(?<=[\u0e01-\u0e4e]) +(?=[\u0e01-\u0e4e])")
#: A space that may end a Thai sentence: after a Thai letter or closing mark, before a Thai
#: letter or opening quote (a space before or after a number or a Latin word does not).
_THAI_BREAK_RE = re.compile(r"(?<=[\u0e01-\u0e4e\u201d\"')]) +(?=[\u0e01-\u0e4e\u201c\"(])")
#: Shortest stretch (characters) a space may cut off as a sentence of its own; below it the
#: clause stays with its neighbour. pythainlp's CRFCut gives NTREX 3,163 sentences of 75
#: characters on average; 40 (with the chunk rule below) gives 2,809 of 84, and 84 % of the
#: sentence ends found are CRFCut's too.
THAI_MIN_SENTENCE_CHARS = 40
#: A space never cuts next to a chunk (to the next space) shorter than this: a short chunk
#: beside a space is a name or a title's complement (คณะกรรมการประชาชนจังหวัด บั๊กกัน).
THAI_MIN_CHUNK_CHARS = 10


# Thai consonants by sound class (see termalign.lang.base).
_THAI = {
    **dict.fromkeys("กขฃคฅฆจฉชฌ", "K"), "ง": "N", "ญ": "Y",
    **dict.fromkeys("ฎฏฐฑฒดตถทธ", "T"), "ณ": "N", "น": "N",
    **dict.fromkeys("บปผพภ", "P"), **dict.fromkeys("ฝฟ", "F"), "ม": "M", "ย": "Y", "ร": "R", "ล": "L", "ฬ": "L",
    "ว": "W", **dict.fromkeys("ซศษส", "S"),
}


@lru_cache(maxsize=65536)
def skeleton_th(text: str) -> str:
    # Thai keeps loan spelling even for silent letters (ทรานส์): they count.
    return collapse([_THAI[ch] for ch in text if ch in _THAI])


# Thai letters by their common Brahmi letter with Khmer (one symbol each; the three
# sibilants ś ṣ s as one, as both scripts write them interchangeably in loans).
_BRAHMI_TH = dict(
    zip("กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬฮ", "kKKggGNcCjsJYdtTdDnqqQwWvbpPfbfBmyrlVsssHLH", strict=True)
)


@lru_cache(maxsize=65536)
def cognate_letters_th(text: str) -> str:
    """Thai consonants by Brahmi letter."""
    return brahmi_letters([_BRAHMI_TH[ch] for ch in text if ch in _BRAHMI_TH])


# Letter transcription of English loans (see termalign.lexicon.loans): each letter to Latin.
_TH_CONS = {
    **dict.fromkeys("กขฃคฅฆ", "k"),
    "ง": "ng",
    "จ": "j",
    **dict.fromkeys("ฉชฌ", "ch"),
    "ซ": "s",
    "ญ": "y",
    "ฎ": "d",
    "ด": "d",
    **dict.fromkeys("ฏตฐฑฒถทธ", "t"),
    **dict.fromkeys("ณน", "n"),
    "บ": "b",
    **dict.fromkeys("ปผพภ", "p"),
    **dict.fromkeys("ฝฟ", "f"),
    "ม": "m",
    "ย": "y",
    "ร": "r",
    **dict.fromkeys("ลฬ", "l"),
    "ว": "w",
    **dict.fromkeys("ศษส", "s"),
    **dict.fromkeys("หฮ", "h"),
    "อ": "",
}
_TH_VOWELS = {
    "ะ": "a",
    "ั": "a",
    "า": "a",
    "ิ": "i",
    "ี": "i",
    "ึ": "u",
    "ื": "u",
    "ุ": "u",
    "ู": "u",
    "ำ": "am",
    "เ": "e",
    "แ": "ae",
    "โ": "o",
    "ใ": "ai",
    "ไ": "ai",
    "ๅ": "a",
    "ฤ": "ri",
}
_TH_LEAD = "เแโใไ"
_TH_LATIN_CONS = frozenset(v for v in _TH_CONS.values() if v)
_TH_CLUSTER_SECOND = "รลว"

@lru_cache(maxsize=65536)
def transcribe_th(text: str) -> str:
    """Thai letters to Latin ones, letter by letter; a lead vowel goes after its consonant
    (and after a cluster's second consonant), silent-marked letters stay (loans keep them)."""
    out: list[str] = []
    pending = ""
    chars = [c for c in text if c in _TH_CONS or c in _TH_VOWELS or c == "็"]
    i = 0
    while i < len(chars):
        c = chars[i]
        if c in _TH_LEAD:
            pending = _TH_VOWELS[c]
        elif c == "อ" and out and out[-1] in _TH_LATIN_CONS and not pending:
            out.append("o")  # after a consonant อ is the vowel o (ออนไลน์, ฟอร์ม), else a silent carrier
        elif c in _TH_CONS:
            out.append(_TH_CONS[c])
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if pending and not (nxt in _TH_CLUSTER_SECOND and c not in _TH_CLUSTER_SECOND):
                out.append(pending)
                pending = ""
        elif c in _TH_VOWELS:
            out.append(_TH_VOWELS[c])
        i += 1
    return "".join(out) + pending



@cache
def wikipedia_titles_th() -> frozenset[str]:
    """Keys of pythainlp's Thai Wikipedia titles, written as Wikipedia spells them:
    cleaning and case folding make them keys (pythainlp's mark reordering costs a
    millisecond a title and changes almost none)."""
    path = resources.files("pythainlp") / "corpus" / "wikipedia_titles_th.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(_THAI_SPACE_RE.sub("", latin_key(t)) for t in lines if t and not t.startswith("#"))


class Thai(Language):
    code = "th"
    name = "Thai"
    head_first = True
    spaced = False
    mt_codes = {"nllb": "tha_Thai", "m2m": "th", "opus": "tha"}
    script = "thai"
    term_starters = frozenset({"การ", "ความ", "ผู้", "นัก"})
    institution_heads = frozenset({
        "กระทรวง", "กรม", "สำนักงาน", "สำนัก", "คณะกรรมการ", "คณะรัฐมนตรี", "สภา", "รัฐสภา",
        "วุฒิสภา", "ศาล", "องค์การ", "สถาบัน", "ธนาคาร", "มหาวิทยาลัย", "ศูนย์",
    })
    name_links = frozenset({"และ", "แห่ง", "เพื่อ", "ว่าด้วย"})
    conjunction = "และ"
    whole_word_names = True
    term_links = frozenset({"ทาง", "สู่", "ด้าน"})
    marks_sentence_ends = False
    and_joiner = "และ"
    cognate_script = "brahmic"
    or_word = "หรือ"
    buddhist_era = True
    # consonants closed by a dot: สปสช., ก.พ.
    abbreviation = re.compile(r"[ก-ฮ]{1,6}\.(?:[ก-ฮ]{1,6}\.)*")

    def skeleton(self, text: str) -> str:
        return skeleton_th(text)

    def cognate_letters(self, key: str) -> str:
        return cognate_letters_th(key)

    def transcribe(self, key: str) -> str:
        return transcribe_th(key)

    def script_share(self, text: str) -> float:
        return script_fraction(text, "thai")

    def normalize(self, text: str) -> str:
        return _normalize_thai(text)

    def key(self, text: str) -> str:
        # A space between two Thai letters inside a term is a spacing artefact.
        return _THAI_SPACE_RE.sub("", latin_key(self.normalize(text)))

    def split_sentences(self, text: str) -> list[Span]:
        # Thai writes a space where English puts a comma or a full stop, so sentences are
        # cut at spaces by rule (no second segmentation pass: pythainlp's CRFCut runs newmm
        # over the text and termalign segments every sentence again). Short clauses stay
        # joined to the next one: a lone place name or a space inside a name does not make
        # a sentence.
        spans: list[Span] = []
        for start, end in split_on_terminators(text, "!?"):
            clause_start = start
            for m in _THAI_BREAK_RE.finditer(text, start, end):
                next_space = text.find(" ", m.end(), end)
                next_chunk = (next_space if next_space >= 0 else end) - m.end()
                last_chunk = m.start() - max(text.rfind(" ", clause_start, m.start()) + 1, clause_start)
                if (
                    m.start() - clause_start >= THAI_MIN_SENTENCE_CHARS
                    and end - m.end() >= THAI_MIN_SENTENCE_CHARS
                    and min(next_chunk, last_chunk) >= THAI_MIN_CHUNK_CHARS
                ):
                    append_stripped(text, clause_start, m.start(), spans)
                    clause_start = m.end()
            append_stripped(text, clause_start, end, spans)
        return spans

    def segment_words(self, text: str) -> list[str]:
        # pythainlp takes seconds to import: loaded on first use.
        from pythainlp.tokenize import word_tokenize

        return word_tokenize(text, engine="newmm", keep_whitespace=False)

    def unit_titles(self) -> frozenset[str]:
        return wikipedia_titles_th()

    def loan_pieces(self, key: str) -> list[str]:
        # A Thai word may join a loan and a native syllable: pythainlp's syllables.
        from pythainlp.tokenize import syllable_tokenize

        return [syllable for word in self.segment_words(key) for syllable in syllable_tokenize(word)]

    def known_terms(self) -> set[str]:
        # Glossary terms newmm would cut in pieces draw edges it must respect; a term it
        # keeps in one piece needs no help (and inside a longer word would cut it).
        terms = {self.normalize(t) for t in glossary_terms(self.code)}
        return {t for t in terms if len(self.segment_words(t)) > 1}

    def pos_tag(self, words: list[str]) -> list[str | None]:
        # pythainlp takes seconds to import: loaded on first use.
        from pythainlp.tag import pos_tag

        tags = [coarse(t, _UD_TAGS) for _, t in pos_tag(words, corpus="orchid_ud")]
        # การ-/ความ- make nouns of verbs; the tagger often calls them verbs.
        starters = tuple(self.term_starters)
        return ["NOUN" if w.startswith(starters) and len(w) > 4 else t for w, t in zip(words, tags, strict=False)]

    def extra_function_words(self) -> set[str]:
        # pythainlp takes seconds to import: loaded on first use.
        from pythainlp.corpus import thai_stopwords

        # pythainlp's list is broad; content words such as การ (nominalizer) stay out.
        return {self.key(w) for w in thai_stopwords() if len(w) <= 6 and w not in self.term_starters}


_UD_TAGS = {"NOUN": "NOUN", "PROPN": "NOUN", "VERB": "VERB", "ADJ": "ADJ"}
