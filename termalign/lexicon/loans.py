"""English loans in Khmer and Thai script: a matcher on token boundaries, towards attested English.

Thai and Khmer spell English loans by sound (``ดิจิทัล``/``ឌីជីថល`` digital). A word is read as
a loan when its *letter transcription* (each consonant and vowel sign to a Latin letter, the
Thai lead vowels put after their consonant) and its consonant skeleton (see
:meth:`termalign.lang.Language.skeleton`) are both close to an English word's spelling. The
matcher only ever proposes an English word it was given — words attested in an English
text or named by a shipped source — and never reads a known native word as a loan.
The weights and the threshold were chosen on one half of pythainlp's checked Thai–English
transliteration list and are scored on the other half by ``bench/bench_loans.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from termalign.lang.km import skeleton_km
from termalign.lang.latin import skeleton_en
from termalign.lang.th import skeleton_th

#: Weight of the consonant-skeleton similarity in a loan score; the rest is the letter
#: transcription's. Skeletons carry most of a loan (vowels are spelled loosely) but tie
#: often (TKTL is digital and dictate), which the transcription breaks.
SKELETON_WEIGHT = 0.5
#: The loan score from which a word is read as a loan of its best English match, by the
#: length of its consonant skeleton (the longest key not above it applies): a short word
#: matches some English word by chance far more often. Chosen on the train half of the
#: checked list together with the native-word lists so that fewer than 2 % of frequent
#: native Thai/Khmer words read as a loan of a 25 000-word English vocabulary (bench).
LOAN_THRESHOLDS = {4: 0.93, 5: 0.82}
LOAN_THRESHOLD = LOAN_THRESHOLDS[min(LOAN_THRESHOLDS)]
#: Shortest consonant skeleton a loan may have: with three classes or fewer a native word
#: (ควร, ทรง, របស់) spells some English word as often as a loan does.
MIN_SKELETON = min(LOAN_THRESHOLDS)

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


@lru_cache(maxsize=65536)
def transcribe_km(text: str) -> str:
    """Khmer letters to Latin ones, letter by letter (subscripts as their consonant)."""
    return "".join(_KM_CONS.get(c, _KM_VOWELS.get(c, "")) for c in text)


_LETTERS_ONLY = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)*")
TRANSCRIBE = {"th": transcribe_th, "km": transcribe_km}
SKELETON = {"th": skeleton_th, "km": skeleton_km}


@lru_cache(maxsize=65536)
def english_form(word: str) -> str:
    """An English spelling brought nearer to how Thai and Khmer write it (c as k or s, ph f)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    w = w.replace("ph", "f").replace("ck", "k").replace("qu", "kw").replace("x", "ks")
    w = w.replace("ch", "\0").replace("sh", "\0")
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k").replace("\0", "ch")
    w = re.sub(r"g(?=[eiy])", "j", w)  # a soft g is written with the j letter (ดิจิทัล, ឌីជីថល)
    w = w.replace("th", "t").replace("y", "i").replace("v", "w")
    return re.sub(r"(.)\1", r"\1", w)


def loan_score(code: str, word: str, english: str) -> float:
    """How well a Thai/Khmer word spells an English one (0–1)."""
    skel, en_skel = SKELETON[code](word), skeleton_en(english)
    if len(skel) < MIN_SKELETON or len(en_skel) < MIN_SKELETON:
        return 0.0
    s = Levenshtein.normalized_similarity(skel, en_skel)
    t = Indel.normalized_similarity(TRANSCRIBE[code](word), english_form(english))
    return SKELETON_WEIGHT * s + (1 - SKELETON_WEIGHT) * t


class LoanMatcher:
    """Best English match of a Thai/Khmer word among given (attested) English words."""

    def __init__(self, english: Iterable[str]) -> None:
        words = sorted(
            {w.lower() for w in english if len(skeleton_en(w)) >= MIN_SKELETON and _LETTERS_ONLY.fullmatch(w)}
        )
        self.words = words
        self.forms = [english_form(w) for w in words]
        self.skeletons = [skeleton_en(w) for w in words]
        self.size = len(words)
        self._cache: dict[tuple[str, str], str | None] = {}

    def __len__(self) -> int:
        return len(self.words)

    def best(self, code: str, word: str, limit: int = 20) -> tuple[str, float] | None:
        """The best-scoring English word (ties: the shorter, then alphabetical), or None."""
        skel = SKELETON[code](word)
        if len(skel) < MIN_SKELETON or not self.words:
            return None
        # Shortlist by transcription, then by skeleton; score the union exactly.
        form = TRANSCRIBE[code](word)
        short = {i for _, _, i in process.extract(form, self.forms, scorer=Indel.normalized_similarity, limit=limit)}
        short |= {
            i
            for _, _, i in process.extract(skel, self.skeletons, scorer=Levenshtein.normalized_similarity, limit=limit)
        }
        scored = [(loan_score(code, word, self.words[i]), self.words[i]) for i in short]
        score, english = max(scored, key=lambda se: (se[0], -len(se[1]), [-ord(c) for c in se[1]]))
        return english, score

    def match(self, code: str, word: str) -> str | None:
        """The English word ``word`` is a loan of, or None (below its length's threshold)."""
        if (code, word) not in self._cache:
            found = self.best(code, word)
            self._cache[code, word] = found[0] if found and found[1] >= threshold_for(SKELETON[code](word)) else None
        return self._cache[code, word]


def threshold_for(skeleton: str) -> float:
    """The loan threshold of a word with this consonant skeleton (1.0+: never a loan)."""
    keys = [k for k in LOAN_THRESHOLDS if k <= len(skeleton)]
    return LOAN_THRESHOLDS[max(keys)] if keys else 2.0


__all__ = [
    "LOAN_THRESHOLD",
    "LOAN_THRESHOLDS",
    "threshold_for",
    "LoanMatcher",
    "english_form",
    "loan_score",
    "transcribe_km",
    "transcribe_th",
]
