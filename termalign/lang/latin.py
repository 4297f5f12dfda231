"""Vietnamese and English: Latin script, spaces between words (Vietnamese: syllables)."""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from termalign.lang.base import Language, Span, coarse, collapse, split_on_terminators
from termalign.normalize import script_fraction

#: A word, keeping ``-``, ``.``, ``&`` and apostrophes between letters inside it
#: (``e-Government``, ``4.0``, ``KH&CN``, ``TT&TT``): parts of one name or acronym.
_WORD_RE = re.compile(r"\w+(?:[-'’.&]\w+)*|[^\w\s]", re.UNICODE)
#: Letters that occur in Vietnamese and (almost) never in English.
_VI_LETTERS = (
    "ăâđêôơưĂÂĐÊÔƠƯ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
)
_LATIN_WORD_RE = re.compile(r"[^\W\d_]+")
_VI_WORD_RE = re.compile(f"[^\\W\\d_]*[{_VI_LETTERS}][^\\W\\d_]*")


@lru_cache(maxsize=4096)
def vietnamese_word_share(text: str) -> float:
    """Share of the Latin words of ``text`` that carry a Vietnamese letter."""
    if not script_fraction(text, "latin"):
        return 0.0
    # Counted, not listed: a long line of Khmer or Thai would be a list of a million
    # fragments (its combining marks are not word characters).
    words = sum(1 for _ in _LATIN_WORD_RE.finditer(text))
    return sum(1 for _ in _VI_WORD_RE.finditer(text)) / words if words else 0.0


_TONED = {
    "o": "òóỏõọ", "u": "ùúủũụ", "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ",
}
# Old and new orthography put the tone of oa, oe, uy on different letters (hoá / hóa,
# thuỷ / thủy): keys put it on the second letter.
_TONE_PLACEMENT = {
    first_toned + second: first + _TONED[second][i]
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for i, first_toned in enumerate(_TONED[first])
}
_TONE_PLACEMENT_RE = re.compile("|".join(_TONE_PLACEMENT))


# English letters by sound class (see termalign.lang.base); digraphs first.
#: Letter groups read as one sound (longest first: ``tion`` before ``t``).
_EN_DIGRAPHS = {"tion": "KN", "sion": "KN", "ch": "K", "sh": "K", "ck": "K", "ph": "F", "th": "T", "qu": "KW"}
_EN_SINGLE = {
    "b": "P", "p": "P", "d": "T", "t": "T", "f": "F", "v": "W", "w": "W", "m": "M", "n": "N",
    "l": "L", "r": "R", "s": "S", "z": "S", "j": "K", "k": "K", "y": "Y",
}


@lru_cache(maxsize=65536)
def skeleton_en(text: str) -> str:
    word = re.sub(r"[^a-z]", "", text.lower())
    classes: list[str] = []
    i = 0
    while i < len(word):
        rest = word[i:]
        for digraph in _EN_DIGRAPHS:
            if rest.startswith(digraph):
                classes.extend(_EN_DIGRAPHS[digraph])
                i += len(digraph)
                break
        else:
            ch = word[i]
            nxt = word[i + 1 : i + 2]
            if ch in "cg":
                classes.append("S" if ch == "c" and nxt in ("e", "i", "y") else "K")
            elif ch == "x":
                classes.extend("KS")
            elif ch == "y" and i > 0:
                pass  # a vowel after the first letter
            elif ch in _EN_SINGLE:
                classes.append(_EN_SINGLE[ch])
            i += 1
    return collapse(classes)


class Vietnamese(Language):
    code = "vi"
    name = "Vietnamese"
    head_first = True
    spaced = True
    mt_codes = {"nllb": "vie_Latn", "m2m": "vi", "opus": "vie"}
    institution_heads = frozenset({
        "Bộ", "Sở", "Cục", "Tổng cục", "Ủy ban", "Ban", "Vụ", "Văn phòng", "Hội đồng", "Viện",
        "Tòa án", "Quốc hội", "Ngân hàng", "Học viện", "Trung tâm",
    })
    name_links = frozenset({"và"})
    conjunction = "và"
    or_word = "hoặc"
    and_joiner = " và "
    is_gloss = True
    composed_names_capitalized = True

    def script_share(self, text: str) -> float:
        return script_fraction(text, "latin") * min(1.0, vietnamese_word_share(text) * 3)

    def key(self, text: str) -> str:
        return _TONE_PLACEMENT_RE.sub(lambda m: _TONE_PLACEMENT[m.group()], super().key(text))

    def loose_key(self, key: str) -> str | None:
        # "chuyen doi so" finds chuyển đổi số: tones, vowel marks and đ folded to ASCII
        return anyascii(key)

    def split_sentences(self, text: str) -> list[Span]:
        return split_on_terminators(text, "!?", latin_dot=True)

    def segment_words(self, text: str) -> list[str]:
        # pyvi loads its models on import: loaded on first use.
        from pyvi import ViTokenizer

        # pyvi joins the syllables of a word with "_": one token per word.
        words = [w.replace("_", " ") for w in ViTokenizer.tokenize(text).split(" ")]
        # pyvi keeps a dot after capitals as an abbreviation's (``BHYT.``); on the last word
        # of a sentence, of a word with no other dot, it is the sentence's full stop. An
        # abbreviation with inner dots (``v.v.``) keeps its own.
        last = words[-1] if words else ""
        if len(last) > 1 and last.endswith(".") and "." not in last[:-1] and text.rstrip().endswith(last):
            words[-1:] = [last[:-1], "."]
        return words

    def pos_tag(self, words: list[str]) -> list[str | None]:
        # pyvi loads its models on import: loaded on first use.
        from pyvi import ViPosTagger

        _, tags = ViPosTagger.postagging(" ".join(w.replace(" ", "_") for w in words))
        tags = list(tags)
        return [coarse(t, _VI_TAGS) for t in tags] if len(tags) == len(words) else [None] * len(words)


class English(Language):
    code = "en"
    name = "English"
    head_first = False
    spaced = True
    mt_codes = {"nllb": "eng_Latn", "m2m": "en", "opus": "eng"}
    institution_heads = frozenset({
        "Ministry", "Department", "Committee", "Council", "Office", "Agency", "Authority",
        "Commission", "Directorate", "Bureau", "Institute", "Court", "Assembly", "Senate", "Bank",
        "Centre", "Center", "Secretariat", "Administration", "University", "Board",
    })
    name_links = frozenset({"and", "of", "for", "on"})
    conjunction = "and"
    general_reference = "wordfreq"
    name_articles = frozenset({"the"})
    calendar_words = frozenset({
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    })
    term_links = frozenset({"of"})
    # Plurals and the possessive: a glossary names the singular, text uses every form.
    inflections = (("", "s"), ("", "es"), ("y", "ies"), ("", "'s"), ("", "’s"), ("s", "s'"))
    is_pivot = True
    title_case_names = True
    written_past_tense = True

    def skeleton(self, text: str) -> str:
        return skeleton_en(text)

    def script_share(self, text: str) -> float:
        return script_fraction(text, "latin") * (1.0 - min(1.0, vietnamese_word_share(text) * 3))

    def split_sentences(self, text: str) -> list[Span]:
        return split_on_terminators(text, "!?", latin_dot=True)

    def segment_words(self, text: str) -> list[str]:
        return _WORD_RE.findall(text)

    def pos_tag(self, words: list[str]) -> list[str | None]:
        return [_english_class(w, w.lower() in self.grammatical_words) for w in words]


#: A word in the genitive: ``'s`` or ``’s`` at its end.
_POSSESSIVE_RE = re.compile(r"['’][sS]$")


@lru_cache(maxsize=1 << 16)
def _english_class(word: str, function_word: bool) -> str | None:
    """A word's class from a dictionary, for want of a tagger that ships in its wheel:
    the word classes lemminflect's lexicon (from the SPECIALIST lexicon) lists for it.
    A word that can be a noun counts as one (terms are noun phrases; the reading that
    admits a term is the one to keep); a word the lexicon does not know is a name, an
    acronym or a technical word: a noun."""
    from lemminflect import getAllLemmas

    if not word[:1].isalnum():
        return None
    if function_word or _POSSESSIVE_RE.search(word):
        # A genitive (Cambodia's, the country's) determines the noun after it: it is
        # neither a term's head nor one of its modifiers (the patterns of Justeson & Katz
        # hold no genitive), so a candidate holding one is a phrase about a term.
        return "OTHER"
    classes = getAllLemmas(word.lower()) or getAllLemmas(word)
    if not classes or "NOUN" in classes or "PROPN" in classes:
        return "NOUN"
    if "ADJ" in classes:
        return "ADJ"
    if "VERB" in classes or "AUX" in classes:
        return "VERB"
    return "OTHER"


# pyvi's tag set: N noun, Np proper noun, V verb, A adjective.
_VI_TAGS = {"N": "NOUN", "Np": "NOUN", "Nc": "NOUN", "Nu": "NOUN", "V": "VERB", "A": "ADJ"}
