"""Consonant skeletons: Khmer–Thai letter correspondence and romanized loanwords.

Khmer and Thai spell Pali/Sanskrit loans letter by letter alike, and both spell English
loans (digital, electronic) by sound. Mapping consonants of either script, and of English
spelling, to coarse sound classes gives a *skeleton* on which those words coincide:
``វិទ្យាសាស្ត្រ`` / ``วิทยาศาสตร์`` → ``WTYSTR``; ``ឌីជីថល`` / ``ดิจิทัล`` / *digital* → ``TKTL``.
Vowels are ignored: their spelling differs most between the scripts.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Classes: K velar/palatal stops (k g c j ch), T dental/retroflex stops, P labial stops,
# F f, M, N (n ng ñ), L, R, S sibilants, Y, W (v w). H and glottal carriers are dropped.
_KHMER = {
    **dict.fromkeys("កខគឃចឆជឈ", "K"), "ង": "N", "ញ": "N",
    **dict.fromkeys("ដឋឌឍតថទធ", "T"), "ណ": "N", "ន": "N",
    **dict.fromkeys("បផពភ", "P"), "ម": "M", "យ": "Y", "រ": "R", "ល": "L", "ឡ": "L", "វ": "W",
    **dict.fromkeys("សឝឞ", "S"),
}
_THAI = {
    **dict.fromkeys("กขฃคฅฆจฉชฌ", "K"), "ง": "N", "ญ": "Y",
    **dict.fromkeys("ฎฏฐฑฒดตถทธ", "T"), "ณ": "N", "น": "N",
    **dict.fromkeys("บปผพภ", "P"), **dict.fromkeys("ฝฟ", "F"), "ม": "M", "ย": "Y", "ร": "R", "ล": "L", "ฬ": "L",
    "ว": "W", **dict.fromkeys("ซศษส", "S"),
}
_KHMER_TOANDAKHIAT = "\u17cd"  # marks a silent letter
_EN_SINGLE = {
    "b": "P", "p": "P", "d": "T", "t": "T", "f": "F", "v": "W", "w": "W", "m": "M", "n": "N",
    "l": "L", "r": "R", "s": "S", "z": "S", "j": "K", "k": "K", "y": "Y",
}


def _collapse(classes: list[str]) -> str:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=65536)
def skeleton_km(text: str) -> str:
    classes = []
    for i, ch in enumerate(text):
        if ch in _KHMER and not text[i + 1 : i + 2] == _KHMER_TOANDAKHIAT:
            classes.append(_KHMER[ch])
        elif ch == "ហ" and text[i + 1 : i + 3] == "\u17d2វ":  # ហ្វ spells f in loans
            classes.append("F")
    # ហ្វ gave F; drop the W of its subscript.
    return _collapse(classes).replace("FW", "F")


@lru_cache(maxsize=65536)
def skeleton_th(text: str) -> str:
    # Thai keeps loan spelling even for silent letters (ทรานส์): they count.
    return _collapse([_THAI[ch] for ch in text if ch in _THAI])


@lru_cache(maxsize=65536)
def skeleton_en(text: str) -> str:
    word = re.sub(r"[^a-z]", "", text.lower())
    classes: list[str] = []
    i = 0
    while i < len(word):
        rest = word[i:]
        for digraph in ("tion", "sion", "ch", "sh", "ck", "ph", "th", "qu"):
            if rest.startswith(digraph):
                classes.extend({"tion": "KN", "sion": "KN", "ch": "K", "sh": "K", "ck": "K", "ph": "F", "th": "T", "qu": "KW"}[digraph])
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
    return _collapse(classes)


SKELETONS = {"km": skeleton_km, "th": skeleton_th, "en": skeleton_en}


def similarity(a: str, b: str) -> float:
    """1 − normalized Levenshtein distance of two skeletons."""
    if not a or not b:
        return 0.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / max(len(a), len(b))
