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

from termalign import lang as languages
from termalign.lang.latin import skeleton_en

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

_LETTERS_ONLY = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)*")


def skeleton(code: str, word: str) -> str:
    """The consonant skeleton of a word of a language that spells loans by sound."""
    return languages.get(code).skeleton(word) or ""


def transcribe(code: str, word: str) -> str:
    """The letter transcription of a word of a language that spells loans by sound."""
    return languages.get(code).transcribe(word) or ""


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
    skel, en_skel = skeleton(code, word), skeleton_en(english)
    if len(skel) < MIN_SKELETON or len(en_skel) < MIN_SKELETON:
        return 0.0
    s = Levenshtein.normalized_similarity(skel, en_skel)
    t = Indel.normalized_similarity(transcribe(code, word), english_form(english))
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
        skel = skeleton(code, word)
        if len(skel) < MIN_SKELETON or not self.words:
            return None
        # Shortlist by transcription, then by skeleton; score the union exactly.
        form = transcribe(code, word)
        short = {i for _, _, i in process.extract(form, self.forms, scorer=Indel.normalized_similarity, limit=limit)}
        short |= {
            i
            for _, _, i in process.extract(skel, self.skeletons, scorer=Levenshtein.normalized_similarity, limit=limit)
        }
        # loan_score of each shortlisted word, from the skeletons and forms computed once.
        scored = [
            (
                SKELETON_WEIGHT * Levenshtein.normalized_similarity(skel, self.skeletons[i])
                + (1 - SKELETON_WEIGHT) * Indel.normalized_similarity(form, self.forms[i]),
                self.words[i],
            )
            for i in short
        ]
        score = max(s for s, _ in scored)
        english = min((w for s, w in scored if s == score), key=lambda w: (len(w), w))
        return english, score

    def match(self, code: str, word: str) -> str | None:
        """The English word ``word`` is a loan of, or None (below its length's threshold)."""
        if (code, word) not in self._cache:
            found = self.best(code, word)
            self._cache[code, word] = found[0] if found and found[1] >= threshold_for(skeleton(code, word)) else None
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
    "skeleton",
    "transcribe",
]
