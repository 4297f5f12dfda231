"""CSV and TSV for spreadsheets: one row per concept, one column per language.

Columns: ``id, status, subject_field, km, th, vi, en, km_deprecated, … en_deprecated, note, pos``.
A language cell lists the concept's terms in that language separated by ``" | "``, the
preferred term first; deprecated terms have their own columns; several notes are separated
the same way. A literal ``|`` or ``\\`` inside a term is written ``\\|`` or ``\\\\``. ``pos`` lists
each term's part of speech as ``[km] term: noun``; definitions and term types are notes
(``[en] definition: …``). Contexts and provenance do not fit a spreadsheet row: use TBX.

Spreadsheets run a cell that starts with ``= + - @``, a tab or a carriage return as a formula
(CSV injection). Following OWASP's guidance, such a cell is written with a leading ``'``
(:func:`neutralize`) and the reader removes it again (:func:`restore`), so a round trip is exact.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from typing import TextIO

from termalign import lang as languages
from termalign.errors import FormatError
from termalign.export.base import (
    Entry,
    TermbaseReader,
    concept_number,
    definition_note,
    export_terms,
    letterless,
    pos_item,
    pos_of,
    text_of,
)
from termalign.store.concepts import CONCEPT_STATUSES, Concept, Note, Term

SEPARATOR = " | "
DEPRECATED_SUFFIX = "_deprecated"
COLUMNS = (
    "id", "status", "subject_field", *languages.CODES,
    *(code + DEPRECATED_SUFFIX for code in languages.CODES), "note", "pos",
)
#: Also read (not written): a ``source`` column, given to every term of the row, as in the
#: shipped ``glossaries/egov-base.tsv``; a ``definition`` column and ``<lang>_pos`` columns (the
#: part of speech of the language's first term), as other tools write them.
READ_COLUMNS = (*COLUMNS, "source", "definition", *(code + "_pos" for code in languages.CODES))
#: (delimiter, line terminator) per format. CSV follows RFC 4180; TSV ends lines with LF.
DIALECTS = {"csv": (",", "\r\n"), "tsv": ("\t", "\n")}


#: First characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that makes a spreadsheet take a cell as text.
TEXT_PREFIX = "'"


def neutralize(cell: str) -> str:
    """A cell a spreadsheet shows as text: ``'`` before a formula start (and before a cell that
    :func:`restore` would otherwise shorten), so that ``restore(neutralize(c)) == c``."""
    if cell[:1] in FORMULA_STARTS or (cell[:1] == TEXT_PREFIX and cell[1:2] in (*FORMULA_STARTS, TEXT_PREFIX)):
        return TEXT_PREFIX + cell
    return cell


def restore(cell: str) -> str:
    """The cell :func:`neutralize` was given (a cell it did not write is returned as it is)."""
    if cell[:1] == TEXT_PREFIX and cell[1:2] in (*FORMULA_STARTS, TEXT_PREFIX):
        return cell[1:]
    return cell


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def join_cell(values: Iterable[str]) -> str:
    """Values as one cell: normalized, escaped, separated by ``" | "``; empty ones dropped."""
    return SEPARATOR.join(_escape(text_of(v)) for v in values if text_of(v))


def split_cell(cell: str) -> list[str]:
    """The values of one cell (inverse of :func:`join_cell`)."""
    values, current, chars = [], [], iter(cell)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, "\\"))
        elif ch == "|":
            values.append("".join(current))
            current = []
        else:
            current.append(ch)
    values.append("".join(current))
    return [text_of(v) for v in values if text_of(v)]


def write_table(concepts: Iterable[Concept], out: TextIO, *, fmt: str = "csv") -> int:
    """Write concepts as CSV or TSV rows to a text stream; returns the number of rows."""
    delimiter, terminator = DIALECTS[fmt]
    writer = csv.writer(out, delimiter=delimiter, lineterminator=terminator)
    writer.writerow(COLUMNS)
    count = 0
    for concept in concepts:
        by_lang = dict(export_terms(concept))
        if not by_lang:
            continue
        writer.writerow(
            neutralize(cell) for cell in [
                "" if concept.id is None else str(concept.id),
                concept.status,
                text_of(concept.subject_field),
                *(join_cell(t.text for t in by_lang.get(c, []) if t.status != "deprecated") for c in languages.CODES),
                *(join_cell(t.text for t in by_lang.get(c, []) if t.status == "deprecated") for c in languages.CODES),
                join_cell(n.text for n in concept.notes),
                join_cell(_pos_items(by_lang)),
            ]
        )
        count += 1
    return count


class TableReader(TermbaseReader):
    """Reads a CSV or TSV termbase; a bad row stops the import with its line number.

    Lines starting with ``#`` are comments. Column names are case-insensitive; only the
    language columns present are read. An ``id`` of the form ``12`` or ``c12`` is kept as the
    concept's number; other ids (``w001``) are accepted and not used.
    """

    def __init__(self, path: str, default_status: str = "approved", *, fmt: str = "csv") -> None:
        super().__init__(path, default_status)
        self.delimiter = DIALECTS[fmt][0]

    def _fail(self, line: int, message: str) -> FormatError:
        return FormatError(f"line {line}: {message}", path=self.path)

    def __iter__(self) -> Iterator[Entry]:
        line = 1
        try:
            with open(self.path, encoding=_encoding(self.path), newline="") as f:
                reader = csv.reader(f, delimiter=self.delimiter, strict=True)
                header = next((row for row in reader if not _comment(row)), None)
                if header is None:
                    raise FormatError("empty file (expected a header row)", path=self.path)
                self._header_line = line = reader.line_num
                columns = self._columns(header)
                for row in reader:
                    start, line = line + 1, reader.line_num
                    if _comment(row) or not any(cell.strip() for cell in row):
                        continue
                    if len(row) != len(columns):
                        raise self._fail(start, f"{len(row)} fields but the header has {len(columns)}")
                    yield self._entry(dict(zip(columns, [restore(cell) for cell in row], strict=True)), start)
        except csv.Error as exc:
            raise self._fail(line + 1, f"malformed row ({exc})") from None
        except UnicodeDecodeError as exc:
            raise self._fail(line + 1, f"not {exc.encoding.upper().replace('-SIG', '')} text") from None
        except OSError as exc:
            raise FormatError(f"cannot read: {exc.strerror or exc}", path=self.path) from None

    def _columns(self, header: list[str]) -> list[str]:
        columns = [h.strip().lower() for h in header]
        unknown = [c for c in columns if c not in READ_COLUMNS]
        if unknown:
            raise self._fail(self._header_line, f"unknown column {unknown[0]!r} (known: {', '.join(READ_COLUMNS)})")
        repeated = [c for c in columns if columns.count(c) > 1]
        if repeated:
            raise self._fail(self._header_line, f"column {repeated[0]!r} appears twice")
        if not any(c in languages.CODES or c.endswith(DEPRECATED_SUFFIX) for c in columns):
            raise self._fail(self._header_line, f"no language column (expected some of {', '.join(languages.CODES)})")
        return columns

    def _entry(self, cells: dict[str, str], line: int) -> Entry:
        status = cells.get("status", "").strip().lower() or self.default_status
        if status not in CONCEPT_STATUSES:
            raise self._fail(line, f"unknown status {status!r} (expected {', '.join(CONCEPT_STATUSES)})")
        concept = Concept(status=status, origin="import", subject_field=text_of(cells.get("subject_field")) or None)
        source = text_of(cells.get("source")) or None
        for code in languages.CODES:
            for i, text in enumerate(split_cell(cells.get(code, ""))):
                concept.terms.append(self._term(line, code, text, "preferred" if i == 0 else "admitted", source))
            for text in split_cell(cells.get(code + DEPRECATED_SUFFIX, "")):
                concept.terms.append(self._term(line, code, text, "deprecated", source))
        if not concept.terms:
            raise self._fail(line, "no term in any language column")
        concept.notes = [Note(text) for text in split_cell(cells.get("note", ""))]
        for item in split_cell(cells.get("pos", "")):
            pos = pos_of(item)
            term = next((t for t in concept.terms if pos and (t.lang, t.text) == pos[:2]), None)
            if pos is None or term is None:
                raise self._fail(line, f"pos {item!r} names no term of the row (expected '[km] term: noun')")
            term.pos = pos[2]
        if definition := text_of(cells.get("definition")):
            concept.notes.append(Note(definition_note(definition)))
        for code in languages.CODES:
            first = next((t for t in concept.terms if t.lang == code), None)
            if (tag := text_of(cells.get(code + "_pos"))) and first is not None:
                first.pos = tag
        return Entry(concept, f"line {line}", concept_number(cells.get("id")))


    def _term(self, line: int, code: str, text: str, status: str, source: str | None) -> Term:
        if letterless(text):
            raise self._fail(line, f"{code} term {text!r} has no letter (a number or a formula is not a term)")
        return Term(code, text, status, source=source)


def _pos_items(by_lang: dict[str, list[Term]]) -> list[str]:
    return [pos_item(code, t.text, t.pos) for code, terms in by_lang.items() for t in terms if t.pos and text_of(t.pos)]


def _encoding(path: str) -> str:
    """UTF-8 (BOM or not), or UTF-16 when the file starts with its byte-order mark."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) > 1 and head.count(0) * 4 >= len(head):
        raise FormatError("UTF-16 without a byte-order mark: save it as UTF-8 (or UTF-16 with a BOM)", path=path)
    return "utf-8-sig"


def _comment(row: list[str]) -> bool:
    return bool(row) and row[0].lstrip().startswith("#")
