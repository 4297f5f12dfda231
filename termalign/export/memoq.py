"""memoQ's term base table (CSV or XLSX): one entry per row, the layout memoQ itself exports.

memoQ documents its term base CSV (WS API, "Term base in CSV format"): UTF-8, ``;`` between
cells, field names in the first row, one entry per line, and a bound column order — the entry
fields ``Entry_ID, Entry_Subject, Entry_Domain, Entry_ClientID, Entry_ProjectID, Entry_Created,
Entry_Creator, Entry_LastModified, Entry_Modifier, Entry_Note`` (dates ``M/d/yyyy h:mm:ss tt``,
UTC, en-US), then for each language its language-level field and one group of columns per
term, repeated as often as the entry with most terms in that language needs.

What termalign writes in them:

* ``<Language>_Def`` (``Khmer_Def`` …): the language's definition, when the concept has one;
* ``<Language>`` once per usable term, the preferred term first, then admitted ones;
* ``Entry_Subject``: the subject field; ``Entry_Modifier``: who approved it;
* ``Entry_Note``: one line per concept note, then ``do not use (<Language>): …`` for deprecated
  terms (they are never written as terms a translator could insert), then termalign's review
  status line (``termalign review status: unreviewed`` flags a proposal).

memoQ's Excel import takes the same table as an ``.xlsx`` sheet. Both are spreadsheets: cells
that a spreadsheet would evaluate are neutralized (see :func:`~.tabular.neutralize`), and every
XLSX cell is a string. :class:`MemoqReader` reads both back into the same concepts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from termalign import lang as languages
from termalign.errors import FormatError
from termalign.export.base import (
    Entry,
    TermbaseReader,
    concept_number,
    definition_note,
    definition_of,
    export_terms,
    letterless,
    status_from_note,
    status_note,
    text_of,
)
from termalign.export.tabular import join_cell, neutralize, restore, split_cell
from termalign.store.concepts import Concept, Note, Term

ENTRY_COLUMNS = (
    "Entry_ID", "Entry_Subject", "Entry_Domain", "Entry_ClientID", "Entry_ProjectID", "Entry_Created",
    "Entry_Creator", "Entry_LastModified", "Entry_Modifier", "Entry_Note",
)
DELIMITER = ";"
DEFINITION_SUFFIX = "_Def"
#: memoQ's date format (.NET ``M/d/yyyy h:mm:ss tt``, en-US, UTC).
DATE_FORMAT = "%m/%d/%Y %I:%M:%S %p"
_FORBIDDEN_RE = re.compile(r"^do not use \((\w+)\): (.+)$")

_NAMES = {code: languages.get(code).name for code in languages.CODES}
_CODES_BY_NAME = {name.lower(): code for code, name in _NAMES.items()}


def _memoq_date(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    # No zero padding in memoQ's M/d/yyyy h:mm:ss tt.
    hour, half = (when.hour % 12) or 12, "AM" if when.hour < 12 else "PM"
    return f"{when.month}/{when.day}/{when.year} {hour}:{when:%M:%S} {half}"


def _iso_date(value: str) -> str | None:
    try:
        when = datetime.strptime(value.strip(), DATE_FORMAT)
    except ValueError:
        return None
    return when.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _definition(concept: Concept, code: str) -> str:
    return next((d[1] for n in concept.notes if (d := definition_of(n.text)) and d[0] == code), "")


def rows(concepts: Iterable[Concept]) -> Iterator[list[str]]:
    """The header and one row per concept (concepts with no term are left out)."""
    entries = [(c, dict(export_terms(c))) for c in concepts]
    entries = [(c, by_lang) for c, by_lang in entries if by_lang]
    slots = {
        code: max([1, *(sum(t.status != "deprecated" for t in by_lang.get(code, [])) for _, by_lang in entries)])
        for code in languages.CODES
    }
    header = list(ENTRY_COLUMNS)
    for code in languages.CODES:
        header += [_NAMES[code] + DEFINITION_SUFFIX, *([_NAMES[code]] * slots[code])]
    yield header
    for concept, by_lang in entries:
        # Language definitions have their own columns; a concept's definition stays a note.
        notes = [
            text_of(n.text) for n in concept.notes
            if text_of(n.text) and ((d := definition_of(n.text)) is None or d[0] is None)
        ]
        for code in languages.CODES:
            forbidden = [text_of(t.text) for t in by_lang.get(code, []) if t.status == "deprecated"]
            if forbidden:
                notes.append(f"do not use ({_NAMES[code]}): {join_cell(forbidden)}")
        notes.append(status_note(concept.status))
        row = [
            "" if concept.id is None else str(concept.id), text_of(concept.subject_field), "", "", "",
            _memoq_date(concept.created_at), "", _memoq_date(concept.updated_at), text_of(concept.updated_by),
            "\n".join(notes),
        ]
        for code in languages.CODES:
            usable = [text_of(t.text) for t in by_lang.get(code, []) if t.status != "deprecated"]
            row += [_definition(concept, code), *usable, *([""] * (slots[code] - len(usable)))]
        yield [neutralize(cell) for cell in row]


def write_csv(concepts: Iterable[Concept], out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, delimiter=DELIMITER, lineterminator="\r\n")
        count = -1
        for row in rows(concepts):
            writer.writerow(row)
            count += 1
        return count
    finally:
        text.flush()
        text.detach()


def write_xlsx(concepts: Iterable[Concept], out: BinaryIO) -> int:
    from openpyxl import Workbook  # heavy import, needed only for this format

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Termbase")
    count = -1
    for row in rows(concepts):
        sheet.append([cell or None for cell in row])  # an empty cell stays empty
        count += 1
    # openpyxl takes a cell starting with "=" as a formula; neutralize() already prefixed those,
    # so every cell written here is a string cell.
    book.save(out)
    return count


class MemoqReader(TermbaseReader):
    """Reads memoQ's term base table (CSV with ``;`` or ``,``, or XLSX)."""

    def __init__(self, path: str, default_status: str = "unreviewed", *, xlsx: bool = False) -> None:
        super().__init__(path, default_status)
        self.xlsx = xlsx

    def _fail(self, line: int, message: str) -> FormatError:
        return FormatError(f"{'row' if self.xlsx else 'line'} {line}: {message}", path=self.path)

    def _rows(self) -> Iterator[list[str]]:
        if self.xlsx:
            from openpyxl import load_workbook

            try:
                book = load_workbook(self.path, read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises zipfile, KeyError and XML errors alike
                raise FormatError(f"not an XLSX workbook ({type(exc).__name__})", path=self.path) from None
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield ["" if v is None else str(v) for v in values]
            book.close()
            return
        with open(self.path, encoding="utf-8-sig", newline="") as f:
            sample = f.readline()
            f.seek(0)
            delimiter = DELIMITER if sample.count(DELIMITER) >= sample.count(",") else ","
            yield from csv.reader(f, delimiter=delimiter, strict=True)

    def __iter__(self) -> Iterator[Entry]:
        line = 0
        try:
            header: list[str] | None = None
            for row in self._rows():
                line += 1
                if header is None:
                    header = [h.strip() for h in row]
                    self._check_header(header)
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(header):
                    raise self._fail(line, f"{len(row)} fields but the header has {len(header)}")
                yield self._entry(header, [restore(c) for c in row], line)
        except csv.Error as exc:
            raise self._fail(line + 1, f"malformed row ({exc})") from None
        except UnicodeDecodeError:
            raise self._fail(line + 1, "not UTF-8 text") from None
        except OSError as exc:
            raise FormatError(f"cannot read: {exc.strerror or exc}", path=self.path) from None

    def _check_header(self, header: list[str]) -> None:
        if header[:1] != ["Entry_ID"]:
            raise self._fail(1, "not a memoQ term base table (the first column is not Entry_ID)")
        for name in header:
            base = name[: -len(DEFINITION_SUFFIX)] if name.endswith(DEFINITION_SUFFIX) else name
            if name not in ENTRY_COLUMNS and base.lower() not in _CODES_BY_NAME:
                self.stats.ignored_categories[name] += 1

    def _entry(self, header: list[str], row: list[str], line: int) -> Entry:
        concept = Concept(status=self.default_status, origin="import")
        cells = list(zip(header, row + [""] * (len(header) - len(row)), strict=True))
        for name, cell in cells:
            value = text_of(cell)
            if not value:
                continue
            if name == "Entry_Subject":
                concept.subject_field = value
            elif name == "Entry_Created":
                concept.created_at = _iso_date(value)
            elif name == "Entry_LastModified":
                concept.updated_at = _iso_date(value)
            elif name == "Entry_Modifier":
                concept.updated_by = value
            elif name == "Entry_Note":
                self._notes(cell, concept, line)
            elif name.endswith(DEFINITION_SUFFIX) and name[: -len(DEFINITION_SUFFIX)].lower() in _CODES_BY_NAME:
                code = _CODES_BY_NAME[name[: -len(DEFINITION_SUFFIX)].lower()]
                concept.notes.append(Note(definition_note(value, code)))
            elif name.lower() in _CODES_BY_NAME:
                code = _CODES_BY_NAME[name.lower()]
                first = all(t.status == "deprecated" for t in concept.terms_in(code))
                concept.terms.append(self._term(line, code, value, "preferred" if first else "admitted"))
        # Deprecated terms were listed in the note; they come after the usable ones.
        concept.terms.sort(key=lambda t: languages.CODES.index(t.lang))
        if not concept.terms:
            raise self._fail(line, "no term in any language column")
        entry_id = dict(cells).get("Entry_ID", "")
        return Entry(concept, f"{'row' if self.xlsx else 'line'} {line}", concept_number(entry_id))

    def _notes(self, cell: str, concept: Concept, line: int) -> None:
        for raw in cell.splitlines():
            text = text_of(raw)
            if not text:
                continue
            if status := status_from_note(text):
                concept.status = status
            elif m := _FORBIDDEN_RE.match(text):
                code = _CODES_BY_NAME.get(m.group(1).lower())
                if code is None:
                    concept.notes.append(Note(text))
                    continue
                for term in split_cell(m.group(2)):
                    concept.terms.append(self._term(line, code, term, "deprecated"))
            else:
                concept.notes.append(Note(text))

    def _term(self, line: int, code: str, text: str, status: str) -> Term:
        if letterless(text):
            raise self._fail(line, f"{code} term {text!r} has no letter (a number or a formula is not a term)")
        return Term(code, text, status)
