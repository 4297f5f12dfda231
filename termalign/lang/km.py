"""Khmer: no spaces between words, ``។``/``៕`` end sentences, encoding variants abound."""

from __future__ import annotations

import importlib
import logging
import re
from functools import lru_cache

from termalign.lang.base import Language, Span, brahmi_letters, coarse, collapse, glossary_terms, split_on_terminators
from termalign.normalize import clean, latin_key, script_fraction

COENG = "\u17d2"
_RO = "\u179a"
_MARK = "[\u17b6-\u17d1\u17d3\u17dd]"
# A cluster: a base letter then any marks, a coeng counting with the letter after it.
_CLUSTER_RE = re.compile(f"(?:{COENG}.|{_MARK})+", re.DOTALL)


def _mark_rank(unit: str) -> int:
    """Canonical order of the parts of a Khmer cluster after its base letter:
    robat, subscript consonants (subscript RO last), register shifters, vowels, signs."""
    c = unit[0]
    if c == "\u17cc":
        return 0
    if c == COENG:
        return 2 if unit[1:] == _RO else 1
    if c in "\u17c9\u17ca":
        return 3
    if "\u17b6" <= c <= "\u17c5":
        return 4
    return 5


def _reorder(match: re.Match[str]) -> str:
    run = match.group()
    units, i = [], 0
    while i < len(run):
        if run[i] == COENG and i + 1 < len(run):
            units.append(run[i : i + 2])
            i += 2
        else:
            units.append(run[i])
            i += 1
    return "".join(sorted(units, key=_mark_rank))


# Deprecated or visually identical code points, folded for display (safe) or for keys only.
_DISPLAY_FOLD = str.maketrans({"\u17a3": "\u17a2", "\u17b4": None, "\u17b5": None})
_KEY_FOLD = {
    COENG + "\u178a": COENG + "\u178f",  # subscript DA and subscript TA render alike
    "\u17b2": "\u17b1",  # ឲ / ឱ spell the same word (ឲ្យ / ឱ្យ)
}
_KEY_FOLD_RE = re.compile("|".join(map(re.escape, _KEY_FOLD)))


def normalize_khmer(text: str) -> str:
    """Display-safe Khmer normalization: NFC, invisible characters gone, cluster parts in
    canonical order (``សម័្ពន្ធ`` → ``សម្ព័ន្ធ``), deprecated letters replaced."""
    return _CLUSTER_RE.sub(_reorder, clean(text).translate(_DISPLAY_FOLD))


# Khmer consonants by sound class (see termalign.lang.base).
_KHMER = {
    **dict.fromkeys("កខគឃចឆជឈ", "K"), "ង": "N", "ញ": "N",
    **dict.fromkeys("ដឋឌឍតថទធ", "T"), "ណ": "N", "ន": "N",
    **dict.fromkeys("បផពភ", "P"), "ម": "M", "យ": "Y", "រ": "R", "ល": "L", "ឡ": "L", "វ": "W",
    **dict.fromkeys("សឝឞ", "S"),
}
_KHMER_TOANDAKHIAT = "\u17cd"  # marks a silent letter


@lru_cache(maxsize=65536)
def skeleton_km(text: str) -> str:
    classes = []
    for i, ch in enumerate(text):
        if ch in _KHMER and text[i + 1 : i + 2] != _KHMER_TOANDAKHIAT:
            classes.append(_KHMER[ch])
        elif ch == "ហ" and text[i + 1 : i + 3] == "\u17d2វ":  # ហ្វ spells f in loans
            classes.append("F")
    # ហ្វ gave F; drop the W of its subscript.
    return collapse(classes).replace("FW", "F")


# Khmer letters by their common Brahmi letter with Thai (one symbol each; the three
# sibilants ś ṣ s as one, as both scripts write them interchangeably in loans).
_BRAHMI_KM = dict(zip("កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវឝឞសហឡ", "kKgGNcCjJYtTdDnqQwWvpPbBmyrlVsssHL", strict=True))


@lru_cache(maxsize=65536)
def cognate_letters_km(text: str) -> str:
    """Khmer consonants (subscripts too) by Brahmi letter, silent ones left out."""
    return brahmi_letters(
        [_BRAHMI_KM[ch] for i, ch in enumerate(text) if ch in _BRAHMI_KM and text[i + 1 : i + 2] != _KHMER_TOANDAKHIAT]
    )


# Letter transcription of English loans (see termalign.lexicon.loans): each letter to Latin.
_KM_CONS = {
    **dict.fromkeys("កខគឃ", "k"),
    "ង": "ng",
    **dict.fromkeys("ចឆឈ", "ch"),
    "ជ": "j",
    "ញ": "nh",
    **dict.fromkeys("ដឌ", "d"),
    **dict.fromkeys("ឋឍតថទធ", "t"),
    **dict.fromkeys("ណន", "n"),
    "ប": "b",
    **dict.fromkeys("ផពភ", "p"),
    "ម": "m",
    "យ": "y",
    "រ": "r",
    **dict.fromkeys("លឡ", "l"),
    "វ": "w",
    **dict.fromkeys("សឝឞ", "s"),
    "ហ": "h",
    "អ": "",
}
_KM_VOWELS = {
    "ា": "a",
    "ិ": "i",
    "ី": "i",
    "ឹ": "e",
    "ឺ": "e",
    "ុ": "u",
    "ូ": "u",
    "ួ": "ua",
    "ើ": "er",
    "ឿ": "oe",
    "ៀ": "ie",
    "េ": "e",
    "ែ": "ae",
    "ៃ": "ai",
    "ោ": "o",
    "ៅ": "au",
    "ំ": "m",
    "ះ": "h",
    "័": "a",
}



@lru_cache(maxsize=65536)
def transcribe_km(text: str) -> str:
    """Khmer letters to Latin ones, letter by letter (subscripts as their consonant)."""
    return "".join(_KM_CONS.get(c, _KM_VOWELS.get(c, "")) for c in text)



class Khmer(Language):
    code = "km"
    name = "Khmer"
    head_first = True
    spaced = False
    mt_codes = {"nllb": "khm_Khmr", "m2m": "km", "opus": "khm"}
    script = "khmer"
    term_starters = frozenset({"ការ", "ភាព", "សេចក្តី", "ក្តី", "អ្នក", "ការធ្វើ"})
    institution_heads = frozenset({
        "ក្រសួង", "គណៈកម្មាធិការ", "គណៈកម្មការ", "ក្រុមប្រឹក្សា", "អគ្គនាយកដ្ឋាន", "នាយកដ្ឋាន",
        "អគ្គលេខាធិការដ្ឋាន", "លេខាធិការដ្ឋាន", "រដ្ឋលេខាធិការដ្ឋាន", "មន្ទីរ", "ទីស្តីការ",
        "អាជ្ញាធរ", "ការិយាល័យ", "ទីភ្នាក់ងារ", "វិទ្យាស្ថាន", "រដ្ឋសភា", "ព្រឹទ្ធសភា", "តុលាការ",
        "អង្គការ", "ធនាគារ", "សាកលវិទ្យាល័យ", "មជ្ឈមណ្ឌល", "គណៈរដ្ឋមន្ត្រី",
    })
    name_links = frozenset({"និង", "នៃ"})
    and_joiner = " និង"  # Khmer puts a space before និង
    cognate_script = "brahmic"
    or_word = "ឬ"
    buddhist_era = True
    # letters joined by dots: ក.ន.ស, ប.ស.ស.
    abbreviation = re.compile(r"[ក-អ](?:\.[ក-អ])+\.?")
    conjunction = "និង"
    # ថ្នាក់ក្រោមជាតិ (sub-national): the segmenter cuts ក្រោម (under) out of the word.
    term_links = frozenset({"ក្រោម"})

    def skeleton(self, text: str) -> str:
        return skeleton_km(text)

    def cognate_letters(self, key: str) -> str:
        return cognate_letters_km(key)

    def transcribe(self, key: str) -> str:
        return transcribe_km(key)

    def script_share(self, text: str) -> float:
        return script_fraction(text, "khmer")

    def normalize(self, text: str) -> str:
        return normalize_khmer(text)

    def key(self, text: str) -> str:
        # Spaces inside Khmer text are phrase breaks, not word breaks: drop them in keys.
        norm = _KEY_FOLD_RE.sub(lambda m: _KEY_FOLD[m.group()], normalize_khmer(text))
        return re.sub(r"(?<=[\u1780-\u17ff]) (?=[\u1780-\u17ff])", "", latin_key(norm))

    def split_sentences(self, text: str) -> list[Span]:
        return split_on_terminators(text, "។៕?!")

    def segment_words(self, text: str) -> list[str]:
        # khmercut loads its model on import: loaded on first use.
        from khmercut import tokenize

        return tokenize(text)

    def known_terms(self) -> set[str]:
        # khmercut knows few terms: the glossary's draw the edges it must respect, in
        # each spelling that shares their key (subscript DA/TA, ឲ/ឱ).
        terms = {normalize_khmer(t) for t in glossary_terms(self.code)}
        spellings = [("\u17d2\u178a", "\u17d2\u178f"), ("\u17b2", "\u17b1")]
        for a, b in spellings:
            terms |= {t.replace(a, b) for t in terms} | {t.replace(b, a) for t in terms}
        # A term the segmenter keeps in one piece needs no help, and matching it inside
        # longer words would cut them (ជាតិ, national, in អន្តរជាតិ, international).
        return {t for t in terms if len(self.segment_words(t)) > 1}

    def pos_tag(self, words: list[str]) -> list[str | None]:
        model, features = _khmer_tagger()
        return [coarse(t, _KHMER_TAGS) for t in model.predict([features(words)])[0]]


# khmer-nltk's tag set: n noun, v verb, a adjective; the rest are function classes.
_KHMER_TAGS = {"n": "NOUN", "v": "VERB", "a": "ADJ"}


@lru_cache(maxsize=1)
def _khmer_tagger():
    """khmer-nltk's CRF part-of-speech model (shipped in its wheel), applied to our tokens.

    Not through khmer-nltk's public ``pos_tag(text)``: it segments raw text with its own
    tokenizer, and we tag the words khmercut gave us, so the model and its feature function
    are applied to them directly (khmer-nltk has no public entry point for given tokens).
    Imported on first use: the model pulls in scikit-learn.
    """
    from khmernltk.pos_tag.features import create_word_features
    from khmernltk.utils.file_utils import load_model

    module = importlib.import_module("khmernltk.pos_tag")  # the package, not its function
    # khmer-nltk logs every model load at INFO on its own handler.
    logging.getLogger("khmer-nltk").setLevel(logging.WARNING)
    return load_model(module.model_path), create_word_features
