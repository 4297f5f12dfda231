"""Termbase files: TBX-Basic (TBX v3 and v2), CSV and TSV, and per-tool profiles (OmegaT's
glossary, memoQ's CSV and XLSX, TBX v2 with Weblate's conventions) — export, read and import.

Public face:

* :func:`export_termbase` writes the store's approved concepts (or proposals too) to a file;
* :func:`read_termbase` / :func:`iter_termbase` read a file into :class:`Concept` objects
  (e.g. a glossary for machine translation);
* :func:`import_termbase` merges a file into the store (see :mod:`termalign.export.merge`).

Every malformed or hostile file raises :class:`~termalign.errors.FormatError` naming the file
and the problem.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from termalign import __version__
from termalign import lang as languages
from termalign.errors import FormatError
from termalign.export import memoq, omegat
from termalign.export.base import Entry, TermbaseReader
from termalign.export.memoq import MemoqReader
from termalign.export.merge import Conflict, ImportReport, import_reader
from termalign.export.tabular import TableReader, write_table
from termalign.export.tbx import TbxReader, write_tbx
from termalign.store import StoreLike, as_store
from termalign.store.concepts import Concept

#: Every format ``export`` writes. ``omegat`` needs a language pair; ``weblate`` is TBX v2.
FORMATS = ("tbx", "csv", "tsv", "omegat", "memoq-csv", "memoq-xlsx", "weblate")
_SUFFIXES = {
    ".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "omegat", ".utf8": "omegat",
    ".xlsx": "memoq-xlsx",
}
#: What ``import`` reads (an OmegaT glossary has no concept structure to import).
READABLE = ("tbx", "csv", "tsv", "memoq-csv", "memoq-xlsx")


def format_of(path: str | os.PathLike[str]) -> str:
    """The format a file name implies (``.tbx``/``.xml``, ``.csv``, ``.tsv``/``.tab``, ``.txt``/``.utf8``
    for OmegaT, ``.xlsx`` for memoQ)."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise FormatError(
            f"unknown file type {suffix or '(no extension)'!r}: expected {', '.join(_SUFFIXES)}", path=str(path)
        )
    return _SUFFIXES[suffix]


def _is_memoq_csv(path: str | os.PathLike[str]) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"Entry_ID")


def reader_for(path: str | os.PathLike[str], *, default_status: str = "approved") -> TermbaseReader:
    """A streaming reader for a termbase file, chosen by its extension (and, for ``.csv``, by
    its header: memoQ's tables start with ``Entry_ID``).

    ``default_status`` is the review status of entries that do not carry one (files from
    other tools).
    """
    fmt = format_of(path)
    if fmt == "tbx":
        return TbxReader(str(path), default_status)
    if fmt == "memoq-xlsx":
        return MemoqReader(str(path), default_status, xlsx=True)
    if fmt == "csv" and _is_memoq_csv(path):
        return MemoqReader(str(path), default_status)
    if fmt not in READABLE:
        raise FormatError(
            f"termalign does not import {fmt} files (import TBX, CSV, TSV or memoQ's CSV/XLSX)", path=str(path)
        )
    return TableReader(str(path), default_status, fmt=fmt)


def iter_termbase(path: str | os.PathLike[str], *, default_status: str = "approved") -> Iterator[Concept]:
    """The concepts of a TBX (v2 or v3), CSV or TSV file, one at a time (bounded memory)."""
    return (entry.concept for entry in reader_for(path, default_status=default_status))


def read_termbase(path: str | os.PathLike[str], *, default_status: str = "approved") -> list[Concept]:
    """All concepts of a TBX (v2 or v3), CSV or TSV file.

    Terms are kept for km, th, vi and en (``xml:lang="km-KH"`` counts as km); entries with
    no term in those languages are skipped. A concept's ``id`` is the number in the file's
    ``c<number>`` identifier when it has one. Raises :class:`FormatError` naming the file and
    the problem for a malformed, truncated or hostile file.
    """
    return list(iter_termbase(path, default_status=default_status))


def _description(tbx_version: int, include_unreviewed: bool) -> str:
    statuses = "approved and unreviewed" if include_unreviewed else "approved"
    layout = "TBX v3, DCA style" if tbx_version == 3 else "TBX v2, martif"
    return f"termalign {__version__}: TBX-Basic ({layout}); {statuses} concepts; languages {' '.join(languages.CODES)}"


def write_termbase(
    concepts: Iterable[Concept], out: BinaryIO, fmt: str, *, tbx_version: int = 3, description: str = "",
    pair: tuple[str, str] | None = None,
) -> int:
    """Write concepts to a binary stream in one of :data:`FORMATS`; returns the count.

    ``pair`` (source, target) is needed by ``omegat``, whose glossary holds one language pair.
    """
    if fmt == "tbx":
        return write_tbx(concepts, out, version=tbx_version, description=description)
    if fmt == "weblate":
        return write_tbx(concepts, out, version=2, description=description, weblate=True)
    if fmt == "memoq-csv":
        return memoq.write_csv(concepts, out)
    if fmt == "memoq-xlsx":
        return memoq.write_xlsx(concepts, out)
    if fmt == "omegat":
        if pair is None:
            raise FormatError("an OmegaT glossary holds one language pair: give --source and --target")
        # A BOM makes OmegaT's encoding detection certain for a .txt glossary.
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        try:
            return omegat.write_glossary(concepts, text, source=pair[0], target=pair[1])
        finally:
            text.flush()
            text.detach()
    if fmt in ("csv", "tsv"):
        # A BOM lets spreadsheet programs recognise UTF-8 (Khmer and Thai otherwise garble).
        text = io.TextIOWrapper(out, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
        try:
            return write_table(concepts, text, fmt=fmt)
        finally:
            text.flush()
            text.detach()
    raise FormatError(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})")


def export_termbase(
    conn: StoreLike,
    path: str | os.PathLike[str] | BinaryIO,
    format: str | None = None,
    *,
    tbx_version: int = 3,
    include_unreviewed: bool = False,
    pair: tuple[str, str] | None = None,
) -> int:
    """Export the store's approved concepts (and unreviewed ones if asked) to ``path``.

    ``format`` is one of :data:`FORMATS` (default: from the file extension). ``path`` may
    be a binary stream. The output is byte-identical for the same store, and a file is
    written to a temporary name and renamed, so a crash never leaves half a termbase.
    Rejected concepts and MT suggestions are never exported; every format marks unreviewed
    concepts as such. Returns the number of concepts written.
    """
    stream, file = (None, path) if isinstance(path, (str, os.PathLike)) else (path, None)
    fmt = format or ("tbx" if file is None else format_of(file))
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r} (expected {', '.join(FORMATS)})")
    if tbx_version not in (2, 3):
        raise FormatError(f"unknown TBX version {tbx_version} (termalign writes 3 and 2)")
    if fmt == "omegat" and (pair is None or len(set(pair)) != 2 or not all(c in languages.CODES for c in pair)):
        raise FormatError(f"an OmegaT glossary needs two different languages of {', '.join(languages.CODES)}")
    statuses = ("approved", "unreviewed") if include_unreviewed else ("approved",)
    description = _description(tbx_version, include_unreviewed)
    # One read transaction: the export is a consistent snapshot even while others write.
    store = as_store(conn)
    with store.read_snapshot():
        concepts = store.iter_concepts(statuses)
        if stream is not None:
            return write_termbase(concepts, stream, fmt, tbx_version=tbx_version, description=description, pair=pair)
        assert file is not None
        target = Path(file)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as out:
                count = write_termbase(concepts, out, fmt, tbx_version=tbx_version, description=description, pair=pair)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return count


def import_termbase(
    conn: StoreLike,
    path: str | os.PathLike[str],
    *,
    reviewer: str,
    default_status: str = "unreviewed",
    dry_run: bool = False,
    on_entry: Callable[[Entry], None] | None = None,
) -> ImportReport:
    """Merge a TBX, CSV or TSV file into the store in one transaction; see :mod:`.merge`.

    Entries that carry no review status of termalign's own (a ``status`` column, the status
    note of termalign's TBX) get ``default_status``: a third-party file's terms are proposals
    for review, not glossary entries that MT enforces, until someone says so.

    Raises :class:`FormatError` (and leaves the store unchanged) for a bad file.
    """
    return import_reader(
        conn, reader_for(path, default_status=default_status), reviewer=reviewer, dry_run=dry_run, on_entry=on_entry
    )


__all__ = [
    "FORMATS",
    "READABLE",
    "Conflict",
    "ImportReport",
    "export_termbase",
    "format_of",
    "import_termbase",
    "iter_termbase",
    "read_termbase",
    "reader_for",
    "write_termbase",
]
