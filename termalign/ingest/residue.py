"""Web residue: the parts of a scraped article that are not the article.

Each rule names the kind of residue it removes, so the summary can say what went and why.
The rules look at the shape of lines (length, end punctuation, markers, position), not at
the words of particular sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from termalign.corpus import Residue

_TERMINAL = tuple(".!?។៕…:;\"”’»)")
_SHORT = 40  # characters: a line this short without an end mark is not article prose
# Thai marks no sentence end, so a short unmarked line there may be a whole sentence.
_SHORT_UNMARKED = 24
#: A credit (``Photo: …``) inside a line longer than this is prose that mentions a photo.
_CAPTION_MAX = 400
#: An all-Latin line of at most this many words in a Khmer/Thai article is interface text.
_INTERFACE_MAX_WORDS = 5
#: A banner or dateline (a domain or a date, no end mark) is at most this long.
_BANNER_MAX = 80
#: A comment counter in the last half of the page, or a source line in its last 40 %,
#: ends the article: what follows is comments and widgets.
_COMMENTS_FROM = 0.5
_SOURCE_FROM = 0.6
#: This many short unpunctuated lines in a row are navigation (menus, tag lists).
_NAV_RUN = 3

_SOURCE_RE = re.compile(
    r"^(?:source|sources|nguồn|ប្រភព|แหล่งที่มา|ที่มา|ลิงค์ที่มา|ลิงก์ที่มา|ref|reference)\s*[:៖：]?\s*(?:\S+)?$",
    re.IGNORECASE,
)
_URL_ONLY_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# "Comments (3)"; not "(2025)", a year closing a heading.
_COMMENTS_RE = re.compile(
    r"^.{0,40}\(\s*(?!(?:19|20)\d\d\s*\))\d{1,5}\s*\)$|^\d+\s+(?:comments?|bình luận|ความคิดเห็น|មតិ)$", re.IGNORECASE
)
_CAPTION_MARK_RE = re.compile(r"(?<![^\W\d_])[ảẢ]nh\s*\d+\b|\b(?:photo|image)\s*\d+\b", re.IGNORECASE)
_CREDIT_RE = re.compile(
    r"[(\[]?\s*(?:ảnh|photo|photos|ภาพ|ภาพโดย|ภาพถ่าย|រូបថត|រូបភាព)\s*(?:by|:|៖|：)\s*[^.។!?]{1,40}[)\]]?$",
    re.IGNORECASE,
)
_DOMAIN_RE = re.compile(r"\b[\w-]+\.(?:vn|com|net|org|gov|kh|th|info|asia|io)\b", re.IGNORECASE)
_DATE_RE = re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{2,4}(?!\d)")
_DATELINE_PREFIX_RE = re.compile(r"^\(\s*[A-Za-z][\w.\- ]{1,30}\)\s*[-–—]\s*")
# A wire dateline: the place in capitals, then a date, the agency, or both, then a dash
# (``CITY, Jan 20 (Agency) - …``, ``HÀ NỘI – …``). The capitals are checked apart (upper case
# of any script): the place has at least :data:`_DATELINE_MIN_LETTERS` letters, what follows
# its comma is a date (it has a digit), and the line is one of the story's first.
_CAPS_DATELINE_RE = re.compile(
    r"^(?P<place>[^\W\d_][^\W\d_'’.-]*(?:[ '’.-]+[^\W\d_]+){0,3})"
    r"(?:,\s*(?P<date>[^()\n–—-]{1,25}?))?(?:\s*\([^()\n]{1,40}\))?\s*(?:--|[-–—])\s+"
)
_DATELINE_MIN_LETTERS = 4
#: A dateline opens the story: it is looked for in the first lines only (title, standfirst,
#: first paragraph).
_DATELINE_LINES = 3
#: How much of the text is read for them: a title, a standfirst and the start of the first
#: paragraph, where the dateline is (a 10 MB article is not split into lines for it).
_DATELINE_SCAN_CHARS = 4000
_LATIN_ONLY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 .,'’&/-]*$")


@dataclass
class _Line:
    start: int
    end: int  # without the newline, stripped of trailing whitespace
    text: str
    limit: int = _SHORT

    @property
    def ended(self) -> bool:
        return self.text.endswith(_TERMINAL)

    @property
    def short(self) -> bool:
        return len(self.text) <= self.limit and not self.ended


def _lines(text: str, limit: int) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(_Line(pos + lead, pos + lead + len(stripped), stripped, limit))
        pos += len(raw) + 1
    return lines


def find_residue(text: str, *, latin_document: bool = False, marks_sentence_ends: bool = True) -> list[Residue]:
    """Spans of ``text`` that are web residue, each with the reason it was removed.

    ``latin_document`` tells whether the article itself is in Latin script (vi/en); in a
    Khmer or Thai article a short all-ASCII line is interface text ("No data").
    ``marks_sentence_ends`` is false for Thai, where prose lines end without a mark.
    """
    lines = _lines(text, _SHORT if marks_sentence_ends else _SHORT_UNMARKED)
    reasons: dict[int, str] = {}

    for i, line in enumerate(lines):
        t = line.text
        if _SOURCE_RE.match(t) or _URL_ONLY_RE.match(t):
            reasons[i] = "source line"
        elif _COMMENTS_RE.match(t):
            reasons[i] = "comment counter"
        elif _CAPTION_MARK_RE.search(t) or (len(t) < _CAPTION_MAX and _CREDIT_RE.search(t)):
            reasons[i] = "photo caption"
        elif not latin_document and _LATIN_ONLY_RE.match(t) and len(t.split()) <= _INTERFACE_MAX_WORDS:
            reasons[i] = "interface text"
        elif len(t) <= _BANNER_MAX and not t.endswith(_TERMINAL[:6]) and (_DOMAIN_RE.search(t) or _DATE_RE.search(t)):
            reasons[i] = "site banner or dateline"

    # After the article: everything behind a comment counter or a source line in the last
    # part of the page, and the short lines (bylines, widget titles) at the very end.
    n = len(lines)
    for i in range(n):
        late_counter = reasons.get(i) == "comment counter" and i >= n * _COMMENTS_FROM
        if late_counter or (reasons.get(i) == "source line" and i >= n * _SOURCE_FROM):
            for j in range(i + 1, n):
                reasons.setdefault(j, "after the article")
            if i > 0 and lines[i - 1].short and (i - 1) not in reasons:
                reasons[i - 1] = "byline"
            break
    j = n - 1
    while j > 0 and (j in reasons or lines[j].short):
        reasons.setdefault(j, "after the article")
        j -= 1
    # A byline just before a source line.
    for i in list(reasons):
        if reasons[i] == "source line" and i > 0 and (i - 1) not in reasons and lines[i - 1].short:
            reasons[i - 1] = "byline"

    # Navigation: three or more short, unpunctuated lines in a row (menus, tag lists).
    run: list[int] = []
    for i, maybe in enumerate([*lines, None]):
        if maybe is not None and i not in reasons and maybe.short and not maybe.text.startswith(("•", "-", "*")):
            run.append(i)
            continue
        if len(run) >= _NAV_RUN:
            for k in run:
                reasons[k] = "navigation"
        run = []

    spans: list[Residue] = [(lines[i].start, lines[i].end, r) for i, r in sorted(reasons.items())]
    for i, line in enumerate(lines):
        if i not in reasons and (m := _DATELINE_PREFIX_RE.match(line.text)):
            spans.append((line.start, line.start + m.end(), "dateline"))
    return sorted(spans)


def wire_datelines(text: str, residue: list[Residue]) -> list[tuple[int, int]]:
    """Spans of the wire datelines opening ``text`` (``PHNOM PENH, Jan 20 (Agency) - ``)
    outside ``residue``. They stay article text — the place and the date are what two
    reports of one story share — but their words are no term (see
    :func:`~termalign.ingest.pipeline.process`)."""
    removed = [(s, e) for s, e, _ in residue]
    found = []
    for line in _lines(text[:_DATELINE_SCAN_CHARS], _SHORT)[:_DATELINE_LINES]:
        m = _CAPS_DATELINE_RE.match(line.text)
        if m is None or any(s <= line.start < e for s, e in removed):
            continue
        place, date = m.group("place"), m.group("date")
        if place.isupper() and sum(c.isalpha() for c in place) >= _DATELINE_MIN_LETTERS and (
            date is None or any(c.isdigit() for c in date)
        ):
            found.append((line.start, line.start + m.end()))
    return found
