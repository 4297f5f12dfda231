"""What every termbase format shares: text normalization, status and part-of-speech mapping,
the order of terms, and the reader's shape."""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import langcodes

from termalign import lang as languages
from termalign.store.concepts import CONCEPT_STATUSES, Concept, Term

# XML 1.0 cannot carry these code points at all; they are dropped on export.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# XML whitespace; a run of it is layout (pretty-printing), not content.
_XML_SPACE_RE = re.compile("[ \t\r\n]+")

TERM_STATUS_RANK = {"preferred": 0, "admitted": 1, "deprecated": 2}

#: ``administrativeStatus`` values of TBX-Basic for each term status of the store.
ADMIN_STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
#: Term status for each ``administrativeStatus`` (and TBX-Min ``usageStatus``) value read.
TERM_STATUS_OF = {
    "preferredterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm-admn-sts": "deprecated",
    "preferred": "preferred",
    "admitted": "admitted",
    "notrecommended": "deprecated",
    "obsolete": "deprecated",
    "deprecated": "deprecated",
    "forbidden": "deprecated",  # Weblate's forbidden translation
}

#: TBX-Basic's picklist for ``partOfSpeech``; other tags are mapped onto it.
POS_VALUES = ("adjective", "noun", "other", "verb", "adverb")
_POS_ALIASES = {
    "n": "noun", "nn": "noun", "nns": "noun", "propn": "noun", "proper noun": "noun", "np": "noun",
    "v": "verb", "vb": "verb", "aux": "verb",
    "adj": "adjective", "a": "adjective", "jj": "adjective",
    "adv": "adverb", "r": "adverb", "rb": "adverb",
}

#: The note that carries a concept's review status inside its ``modification`` transaction,
#: so that unreviewed proposals shared with ``--include-unreviewed`` come back as proposals.
STATUS_NOTE_PREFIX = "termalign review status: "
_STATUS_NOTE_RE = re.compile(rf"^{re.escape(STATUS_NOTE_PREFIX)}({'|'.join(CONCEPT_STATUSES)})$")

#: A definition is kept as a concept note ``[km] definition: …`` (one language) or
#: ``definition: …`` (the concept), so that the store needs no column of its own for it.
DEFINITION_LABEL = "definition: "
_DEFINITION_RE = re.compile(rf"^(?:\[([a-z]{{2,3}})\] )?{re.escape(DEFINITION_LABEL)}(.+)$")

_DATE_RE = re.compile(r"^(\d{4}-\d\d-\d\d)(T\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:\d\d)?$")


def text_of(value: str | None) -> str:
    """Text as a termbase file carries it: XML-safe, whitespace runs as one space, stripped.

    Export and import both apply it, so a value survives export → import → export unchanged.
    """
    if not value:
        return ""
    # Fast path (most text): printable means no control characters, tabs, newlines or
    # surrogates; then only doubled or outer spaces could need work.
    if value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
        return value
    return _XML_SPACE_RE.sub(" ", _NOT_XML_RE.sub("", value)).strip(" ")


def is_xml_text(text: str) -> bool:
    """True when XML 1.0 can carry every character of ``text`` (lxml refuses the others)."""
    return _NOT_XML_RE.search(text) is None


def letterless(text: str) -> bool:
    """True when ``text`` has no letter of any script (digits, signs, a formula): not a term.

    Khmer and Thai consonants are letters (``Lo``); their vowel signs are marks and count too.
    """
    if text[:1].isalpha():  # most terms start with a letter
        return False
    return not any(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in text)


def pos_value(pos: str | None) -> str | None:
    """The TBX-Basic ``partOfSpeech`` value for a tag of the store (``NOUN`` → ``noun``)."""
    tag = text_of(pos).lower()
    if not tag:
        return None
    if tag in POS_VALUES:
        return tag
    return _POS_ALIASES.get(tag, "other")


#: TBX-Basic's picklist for ``termType``. A term's type is kept as a concept note
#: ``[en] VNeID: term type: acronym`` (the store has no column for it).
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase")
TERM_TYPE_LABEL = "term type: "
_TERM_TYPE_RE = re.compile(rf"^\[([a-z]{{2,3}})\] (.+): {re.escape(TERM_TYPE_LABEL)}({'|'.join(TERM_TYPES)})$")


#: A term's part of speech in a CSV/TSV ``pos`` cell: ``[en] VNeID: PROPN``.
_POS_ITEM_RE = re.compile(r"^\[([a-z]{2,3})\] (.+): (\S+)$")


def pos_item(code: str, term: str, pos: str) -> str:
    return f"[{code}] {text_of(term)}: {text_of(pos)}"


def pos_of(item: str) -> tuple[str, str, str] | None:
    """(language, term, part of speech) of a ``pos`` item, else ``None``."""
    m = _POS_ITEM_RE.match(text_of(item))
    return (m.group(1), m.group(2), m.group(3)) if m else None


def term_type_note(code: str, term: str, term_type: str) -> str:
    return f"[{code}] {text_of(term)}: {TERM_TYPE_LABEL}{term_type}"


def term_type_of(note: str) -> tuple[str, str, str] | None:
    """(language, term, type) when a note holds a term's type, else ``None``."""
    m = _TERM_TYPE_RE.match(text_of(note))
    return (m.group(1), m.group(2), m.group(3)) if m else None


def definition_note(text: str, code: str | None = None) -> str:
    """The note that holds a definition (of the concept in language ``code``, or of the concept)."""
    return (f"[{code}] " if code else "") + DEFINITION_LABEL + text_of(text)


def definition_of(note: str) -> tuple[str | None, str] | None:
    """(language or ``None``, definition) when a note holds a definition, else ``None``."""
    m = _DEFINITION_RE.match(text_of(note))
    return (m.group(1), m.group(2)) if m else None


def status_note(status: str) -> str:
    return STATUS_NOTE_PREFIX + status


def status_from_note(text: str) -> str | None:
    m = _STATUS_NOTE_RE.match(text_of(text))
    return m.group(1) if m else None


def date_of(value: str | None) -> str | None:
    """The day (``xsd:date``) of a stored timestamp, as TBX ``<date>`` carries it.

    TBX v3's core schema also accepts a dateTime, but TBX-Basic's integrated schema and many
    tools take only a date; a termbase's provenance needs no more than the day.
    """
    m = _DATE_RE.match(value or "")
    return m.group(1) if m else None


def concept_number(file_id: str | None) -> int | None:
    """The store id a file's identifier names (``c12`` or ``12`` → 12), if it can be one."""
    digits = (file_id or "").strip()
    digits = digits[1:] if digits[:1] in ("c", "C") else digits
    if digits.isascii() and digits.isdigit() and 0 < int(digits) < 2**63:
        return int(digits)
    return None


def lang_code(tag: str | None) -> str | None:
    """Language of the registry for an ``xml:lang`` tag (``km-KH``, ``km-Khmr-KH`` → ``km``),
    ``None`` for another language. Raises ``ValueError`` for a tag that is not BCP 47 (``zz``)."""
    if not tag or not langcodes.tag_is_valid(tag):
        raise ValueError(f"{tag!r} is not a valid BCP 47 language tag")
    primary = langcodes.Language.get(tag).language
    return primary if primary in languages.LANGUAGES else None


def _status_rank(term: Term) -> int:
    return TERM_STATUS_RANK.get(term.status, 1)


def export_terms(concept: Concept) -> list[tuple[str, list[Term]]]:
    """The terms a file carries, per language in registry order (km th vi en).

    Preferred terms first, then admitted, then deprecated, each in store order. A term whose
    text is empty or whose key repeats one already listed in its language is left out: a
    file can hold each (language, key) of a concept once, as the store does.
    """
    by_lang: dict[str, list[Term]] = {}
    for term in concept.terms:
        if text_of(term.text):
            by_lang.setdefault(term.lang, []).append(term)
    out = []
    for code in languages.CODES:
        ranked = by_lang.get(code)
        if not ranked:
            continue
        if len(ranked) > 1:  # one term cannot repeat a key; skip the (costly) keys then
            ranked.sort(key=_status_rank)
            seen: set[str] = set()
            unique = []
            for term in ranked:
                text = text_of(term.text)
                # A term's own key (the store's, when read from it) is the key of its text.
                k = term.key if text == term.text else languages.get(code).key(text)
                if k not in seen:
                    seen.add(k)
                    unique.append(term)
            ranked = unique
        out.append((code, ranked))
    return out


@dataclass
class Entry:
    """A concept as read from a file, with where it was found (for messages)."""

    concept: Concept
    where: str
    file_id: int | None = None


@dataclass
class ReadStats:
    """What a reader saw but the store cannot hold (reported, never silently lost)."""

    ignored_languages: Counter = field(default_factory=Counter)
    ignored_categories: Counter = field(default_factory=Counter)
    skipped_entries: int = 0


class TermbaseReader(ABC):
    """Iterates the entries of one termbase file; ``stats`` fills while it runs."""

    def __init__(self, path: str, default_status: str = "approved") -> None:
        if default_status not in CONCEPT_STATUSES:
            raise ValueError(f"unknown status {default_status!r}")
        self.path = path
        self.default_status = default_status
        self.stats = ReadStats()

    @abstractmethod
    def __iter__(self) -> Iterator[Entry]:
        """The file's entries, in file order; raises FormatError for a bad file."""
