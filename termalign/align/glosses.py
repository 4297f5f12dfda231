"""Gloss stage: what the text says outright — ``សន្ទស្សន៍ផ្លាស់ប្តូរឌីជីថល (DTI)``,
``ดัชนีรัฐบาลอิเล็กทรอนิกส์ (E-Government Development Index: EGDI)``, ``រដ្ឋាភិបាលឌីជីថល ឬ
Digital Government``, ``Digital Transformation Index (DTI)``.

A parenthesis holding Latin text, or ឬ/หรือ/hoặc/or followed by a capitalized Latin phrase,
right after a term glosses that term: the strongest evidence that the native term and the
Latin one (an English long form, an acronym, a name) are one concept. The native side is
never guessed: it is the longest candidate of that language that ends where the gloss
begins, so the extraction decides the span (in English or Vietnamese text a capitalized name,
an anchor there, is such a candidate: :func:`glossable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from termalign import lang as languages

#: Latin text in parentheses (ASCII or full-width), at most this many characters: a longer
#: parenthesis is an aside, not a gloss.
MAX_GLOSS_CHARS = 80
#: How far before a gloss the glossed term may begin (characters of text).
MAX_TERM_CHARS = 80
_LATIN_WORD = r"[A-Za-z][A-Za-z0-9'’.&-]*"
_PAREN_RE = re.compile(rf"\s*[(（]\s*([^()（）]{{1,{MAX_GLOSS_CHARS}}}?)\s*[)）]")
# The Latin phrase after the "or" word ends at a word edge: in a Latin-script language the
# next native word may begin with Latin letters (Vietnamese "hoặc mẹ" is not the gloss "m").
_OR_RE = {
    code: re.compile(rf"\s*{re.escape(word)}\s+({_LATIN_WORD}(?:[ -]{_LATIN_WORD}){{0,7}})(?!\w)")
    for code, word in ((language.code, language.or_word) for language in languages.LANGUAGES.values())
    if word
}
#: Separators inside one gloss between a long form and its acronym (``…Index: EGDI``,
#: ``…Index - EGDI``, ``…Council, CEP``).
_PARTS_RE = re.compile(r"\s*(?::|;|,| - | – |/)\s*")
_ACRONYM_RE = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*")
#: A service or document named with a one-letter prefix (e-passport, e-Visa, m-health): a
#: name even in lower case.
_PREFIXED_RE = re.compile(r"[a-z]-[A-Za-z][A-Za-z0-9]*")
def glossable(code: str, kind: str) -> bool:
    """Whether a candidate of kind ``kind`` in language ``code`` can be the glossed term:
    any candidate but a Latin anchor inside Khmer or Thai text (there the Latin text is the
    gloss). In English or Vietnamese text a name (``Vietnam Social Security (VSS)``) is an
    anchor and the long form of its acronym."""
    return kind != "anchor" or languages.get(code).script == "latin"


def native_abbreviation(part: str) -> bool:
    """Whether a gloss part is an abbreviation in a language's own letters (the language's
    ``abbreviation`` shape: สปสช., ក.ន.ស), not Latin text."""
    return any(
        language.abbreviation is not None and language.abbreviation.fullmatch(part)
        for language in languages.LANGUAGES.values()
    )


@dataclass(frozen=True)
class Gloss:
    """One gloss in a text: the offset where it begins and its Latin parts."""

    at: int  # offset of the gloss (the parenthesis or the "or" word) in the text
    parts: tuple[str, ...]
    how: str  # "parenthesis" or "or"


def latin_parts(inner: str) -> tuple[str, ...]:
    """The Latin phrases of a gloss's content; empty when it holds no Latin word or is a
    number with units (``31 miles``) rather than a name."""
    parts = []
    for part in _PARTS_RE.split(inner.strip()):
        part = part.strip(" .")
        if not part or not re.fullmatch(rf"{_LATIN_WORD}(?:[ -]{_LATIN_WORD})*", part):
            continue
        if part[0].islower() and not (_ACRONYM_RE.fullmatch(part) or _PREFIXED_RE.fullmatch(part)):
            continue  # a lower-case aside (in Hinduism, …), not a term or a name
        parts.append(part)
    return tuple(parts)


def find_glosses(code: str, text: str) -> list[Gloss]:
    """Parenthesized and ឬ/หรือ/hoặc/or glosses of a text, in order: Latin text, or an
    abbreviation in the text's own letters (the language's ``abbreviation``) in brackets."""
    found = []
    native = languages.get(code).abbreviation
    for m in _PAREN_RE.finditer(text):
        parts = latin_parts(m.group(1))
        if not parts and native is not None and native.fullmatch(m.group(1).strip()):
            parts = (m.group(1).strip(),)
        if parts and m.start() > 0:
            found.append(Gloss(m.start(), parts, "parenthesis"))
    rx = _OR_RE.get(code)
    if rx is not None:
        # Only where a language names an "or" word (in the pivot's own text "or" joins
        # any two words).
        # In a Latin-script text a lower-case word after "or" is the text's own next word,
        # not a gloss: only a name or an acronym (as inside a parenthesis) is taken there.
        latin_script = languages.get(code).script == "latin"
        for m in rx.finditer(text):
            if m.start() > 0 and (not latin_script or latin_parts(m.group(1)) == (m.group(1),)):
                found.append(Gloss(m.start(), (m.group(1),), "or"))
    return sorted(found, key=lambda g: g.at)


def _content_size(code: str, text: str) -> int:
    """How many content words ``text`` holds in language ``code`` (function words left out,
    unless it holds nothing else)."""
    language = languages.get(code)
    words = [language.key(t.text) for t in language.tokenize(text) if t.kind in ("word", "latin", "number")]
    return sum(w not in language.function_words for w in words) or len(words)


def expected_size(part: str) -> int:
    """How many content words the glossed term should hold: an acronym has a word per capital
    (UHC: 3), a long form as many content words as it has (``Smart ID Card``: 3)."""
    if _ACRONYM_RE.fullmatch(part):
        return max(1, sum(c.isupper() for c in part))
    if native_abbreviation(part):  # a letter per word
        return max(1, sum(c.isalpha() for c in part))
    return _content_size(languages.PIVOT, part.replace("-", " "))


def spells(acronym: str, key: str) -> bool:
    """Whether ``key`` can be the long form of ``acronym`` as Schwartz & Hearst (2003) match
    them: it begins with the acronym's first letter and holds all its letters in order
    (``universal health coverage`` for UHC, สำนักงานหลักประกันสุขภาพแห่งชาติ for สปสช.)."""
    letters = [c.casefold() for c in acronym if c.isalpha()]
    text = key.casefold()
    if not letters or not text.startswith(letters[0]):
        return False
    at = 1
    for letter in letters[1:]:
        at = text.find(letter, at)
        if at < 0:
            return False
        at += 1
    return True


#: How many content words more than its gloss a glossed term may hold: a long form's words
#: do not map one to one (``Digital ID`` / ดิจิทัลไอดี, ``biometric data`` /
#: ទិន្នន័យជីវមាត្រ); an acronym's letters do, one word each.
LONG_FORM_SLACK = 1
ACRONYM_SLACK = 0


def glossed_term(code: str, text: str, gloss: Gloss, keys: Iterable[str]) -> str | None:
    """Of ``keys`` (candidate keys of ``code``) that end where ``gloss`` begins: for an
    acronym, the longest that :func:`spells` it; else the longest that holds no more content
    words than its gloss calls for (an acronym's letters, a long form's words, with
    :data:`LONG_FORM_SLACK`); when every one holds more (a name written in native letters is
    often cut into pieces), the longest. The longest alone would take words before the term
    (``moving to electronic medical records (EMR)``); term and gloss name one concept, so
    they are about as long."""
    language = languages.get(code)
    window = language.key(text[max(0, gloss.at - MAX_TERM_CHARS) : gloss.at]).rstrip()
    matching = []
    for key in keys:
        if key and window.endswith(key):
            before = window[: len(window) - len(key)]
            # A term starts at a word edge in spaced languages (not "ational Index").
            if language.spaced and before and before[-1].isalnum():
                continue
            matching.append(key)
    if not matching:
        return None
    acronym = bool(_ACRONYM_RE.fullmatch(gloss.parts[0])) or native_abbreviation(gloss.parts[0])
    if acronym and (spelled := [k for k in matching if spells(gloss.parts[0], k)]):
        return max(spelled, key=lambda k: (len(k), k))
    limit = expected_size(gloss.parts[0]) + (ACRONYM_SLACK if acronym else LONG_FORM_SLACK)
    within = [k for k in matching if _content_size(code, k) <= limit]
    return max(within or matching, key=lambda k: (len(k), k))


def link_glosses(nodes: list, texts: dict[str, list[str]], union, evidence: dict, score: float) -> list:
    """Link every node to what the text glosses it with: an anchor node (an acronym or a
    name in the same text's language, or English), an English node with that key, a node of
    the same language for an abbreviation in its own letters, or else a new English node of
    kind ``gloss:<language>`` (the English the text itself writes). Returns the new nodes."""
    from termalign.store.concepts import Evidence

    node_type = type(nodes[0]) if nodes else None
    by_lang: dict[str, dict[str, Any]] = {}
    for n in nodes:
        by_lang.setdefault(n.lang, {})[n.key] = n
    anchors = {(n.lang, n.key.casefold()): n for n in nodes if n.kind == "anchor"}
    english = by_lang.get(languages.PIVOT, {})
    en = languages.get(languages.PIVOT)
    made: dict[str, Any] = {}
    seen: set[tuple] = set()

    def target_of(code: str, part: str, native: Any) -> Any:
        if native_abbreviation(part):
            # An abbreviation in the text's own letters: the concept's short form, when the
            # extraction found it as a candidate (no English is made of it).
            own, language = by_lang[code], languages.get(code)
            return own.get(language.key(part)) or own.get(language.key(part.rstrip(".")))
        part_key = en.key(part)
        target = anchors.get((code, part.casefold())) or anchors.get((languages.PIVOT, part.casefold()))
        target = target or english.get(part_key)
        if target is None and not _ACRONYM_RE.fullmatch(part) and node_type is not None:
            target = made.get(part_key)
            if target is None:
                target = node_type(languages.PIVOT, part_key, part, f"gloss:{code}", native.termhood, native.rank)
                made[part_key] = target
        return target

    for code, sentences in sorted(texts.items()):
        keys = [k for k, n in by_lang.get(code, {}).items() if glossable(code, n.kind)]
        if not keys:
            continue
        for sentence in sentences:
            for gloss in find_glosses(code, sentence):
                key = glossed_term(code, sentence, gloss, keys)
                if key is None:
                    continue
                native = by_lang[code][key]
                for part in gloss.parts:
                    target = target_of(code, part, native)
                    if target is None or target is native or (native, target) in seen:
                        continue
                    seen.add((native, target))
                    detail = {"term": native.text, "gloss": part, "how": gloss.how, "language": code}
                    if native_abbreviation(part):
                        detail["abbreviation"] = True  # in the text's own letters
                    evidence[native].append(Evidence("gloss", score, code, target.lang, detail))
                    union(native, target)
    return list(made.values())


@dataclass(frozen=True)
class GlossInstance:
    """A gloss as an article writes it: the native term and one Latin part, with their
    offsets in the document."""

    article: str
    lang: str
    how: str
    native: str
    gloss: str
    native_start: int
    native_end: int
    gloss_start: int
    gloss_end: int


def native_span(code: str, text: str, at: int, key: str) -> tuple[int, int] | None:
    """The span of ``text`` before offset ``at`` whose matching key is ``key`` (the shortest,
    so no space or mark before the term is taken into it)."""
    language = languages.get(code)
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    for start in range(end - 1, max(0, end - MAX_TERM_CHARS) - 1, -1):
        if language.key(text[start:end]).strip() == key:
            return start, end
    return None


def corpus_glosses(sentences: Iterable[tuple[str, str, int, str]], keys: dict[str, list[str]]) -> list[GlossInstance]:
    """Every gloss the sentences (path, language, offset, text) write after one of the
    candidate ``keys`` of their language, one instance per Latin part, in text order."""
    found = []
    for path, code, offset, text in sentences:
        lang_keys = keys.get(code)
        if not lang_keys:
            continue
        for gloss in find_glosses(code, text):
            key = glossed_term(code, text, gloss, lang_keys)
            span = native_span(code, text, gloss.at, key) if key is not None else None
            if span is None:
                continue
            cursor = gloss.at
            for part in gloss.parts:
                at = text.find(part, cursor)
                if at < 0:
                    continue
                cursor = at + len(part)
                found.append(GlossInstance(
                    path, code, gloss.how, text[span[0]:span[1]], part,
                    offset + span[0], offset + span[1], offset + at, offset + cursor,
                ))
    return found


__all__ = [
    "Gloss", "GlossInstance", "corpus_glosses", "expected_size", "find_glosses", "glossable", "glossed_term",
    "latin_parts",
    "link_glosses", "native_abbreviation", "native_span", "spells",
]
