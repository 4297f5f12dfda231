"""Batch translation of files: streaming, resumable, text, JSONL or XLIFF 1.2.

Inputs are checked first (exist, not empty, UTF-8), so a bad file stops the run before the
model loads (``-`` is standard input). Documents then flow through the translator one by
one; each finished document is written to the output and *then* recorded in a sidecar
``OUT.progress`` (JSON lines: the run's signature, then one line per finished document with
the output's size after it). A document is recorded by its content — a hash of its text and
how many documents with that text came before it — not by its path: inputs moved or renamed
are recognized, and an identical document later in the batch is still translated.
An interrupted run started again with the same settings truncates the output to the last
recorded document and goes on with the next: finished documents are never redone. Another
signature (other model, glossary, settings) refuses to mix into the same output.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from termalign.errors import InputError
from termalign.ingest.readers import (
    DEFAULT_MAX_BYTES,
    EXTENSIONS,
    RawDocument,
    decode,
    discover,
    read_bytes,
    read_documents,
)
from termalign.translate import xliff
from termalign.translate.engine import DocumentTranslation, RunSignature, Translator

FORMATS = ("text", "jsonl", "xliff")
#: Output extensions that choose a format when none is given (else text).
FORMAT_OF_SUFFIX = {".jsonl": "jsonl", ".xlf": "xliff", ".xliff": "xliff"}
#: Segment issues kept in the report (memory stays bounded on large runs).
MAX_REPORTED_ISSUES = 100
PROGRESS_SUFFIX = ".progress"
EMPTY = "file is empty"


@dataclass(frozen=True)
class InputFile:
    path: Path
    documents: int
    #: Why the file is left out of the run (empty; unreadable with ``skip_bad``); ``None``: read it.
    problem: str | None = None
    #: The text of standard input (``-``), read when it is checked.
    text: str | None = None


STDIN = "-"


@dataclass
class BatchReport:
    """What a batch run did; ``signature`` reproduces it."""

    output: str
    format: str
    signature: str
    documents: int = 0
    skipped: int = 0
    segments: int = 0
    terms_required: int = 0
    terms_found: int = 0
    segments_with_terms: int = 0
    segments_all_terms: int = 0
    segments_with_issues: int = 0
    segments_failed: int = 0
    seconds: float = 0.0
    issues: list[dict] = field(default_factory=list)
    #: Segments the model could not translate (document, segment, error); the JSONL has all.
    failures: list[dict] = field(default_factory=list)
    #: Source terms that name several concepts, and which is enforced (the glossary's rule).
    glossary_conflicts: list[str] = field(default_factory=list)
    #: Files and documents left out (path, problem): empty, or unreadable with ``skip_bad``.
    left_out: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["term_accuracy"] = round(self.terms_found / self.terms_required, 4) if self.terms_required else None
        return d


def check_inputs(
    paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES, skip_bad: bool = False
) -> list[InputFile]:
    """The input files, each checked (exists, not empty, strict UTF-8) and its documents
    counted (one per file; one per line of a ``.jsonl`` file), reading in chunks.

    An empty file is kept with its problem noted (there is nothing to translate, which is no
    reason to stop a batch); so is an unreadable one with ``skip_bad``, which otherwise stops
    the run before the model loads."""
    files: list[InputFile] = []
    seen: set[Path] = set()
    if any(str(p) == STDIN for p in paths):
        files.append(_read_stdin(max_bytes))
        paths = [p for p in paths if str(p) != STDIN]
    for path in discover(list(paths)):
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        try:
            files.append(InputFile(path, _check_file(path, max_bytes)))
        except InputError as exc:
            if not (skip_bad or exc.message == EMPTY):
                raise
            files.append(InputFile(path, 0, exc.message))
    if not files:
        raise InputError("no input files (directories are searched for " + " ".join(EXTENSIONS) + ")")
    if all(f.problem for f in files):
        raise InputError(f"nothing to translate: every input file is left out ({files[0].path}: {files[0].problem})")
    return files


def _read_stdin(max_bytes: int) -> InputFile:
    """Standard input as one document, checked as a file is."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"standard input is over the limit of {max_bytes:,} bytes", path=STDIN)
    try:
        return InputFile(Path(STDIN), 1, text=decode(data, STDIN).replace("\r\n", "\n"))
    except InputError as exc:
        if exc.message == EMPTY:
            return InputFile(Path(STDIN), 0, EMPTY)
        raise


def _check_file(path: Path, max_bytes: int) -> int:
    where = str(path)
    if not path.exists():
        raise InputError("no such file", path=where)
    if path.is_dir():
        raise InputError("is a directory", path=where)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", path=where)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines, text_seen = 0, 0, False
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if b"\x00" in chunk:
                raise InputError("binary file, not text", path=where)
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = offset + exc.start
                raise InputError(
                    f"not UTF-8 (invalid byte 0x{chunk[exc.start]:02x} at offset {at}); convert it to UTF-8 first",
                    path=where,
                ) from None
            offset += len(chunk)
            text_seen = text_seen or bool(text.strip().lstrip("\ufeff"))
            lines += sum(1 for line in text.split("\n") if line.strip())
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError("not UTF-8 (the file ends inside a character)", path=where) from None
    if not text_seen:
        raise InputError(EMPTY, path=where)
    return lines if path.suffix.lower() == ".jsonl" else 1


def iter_documents(files: list[InputFile], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument]:
    """The documents of the files, one file in memory at a time; a file with an unknown
    extension is read as plain text (FLORES files end in ``.devtest``, ``.khm_Khmr``…)."""
    for f in files:
        if f.problem:
            continue
        if f.text is not None:
            yield RawDocument(STDIN, f.text)
        elif f.path.suffix.lower() == ".jsonl":
            yield from _jsonl_documents(f.path)
        elif f.path.suffix.lower() in EXTENSIONS:
            yield from read_documents(f.path, max_bytes)
        else:
            yield RawDocument(str(f.path), decode(read_bytes(f.path, max_bytes), str(f.path)))


def _jsonl_documents(path: Path) -> Iterator[RawDocument]:
    with path.open(encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {lineno}: not JSON ({exc.msg})", path=str(path)) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
                raise InputError(f"line {lineno}: needs a non-empty string field 'text'", path=str(path))
            yield RawDocument(
                f"{path}#{lineno}", obj["text"].replace("\r\n", "\n"), title=obj.get("title"), url=obj.get("url")
            )


class _Output:
    """The output file and its progress sidecar."""

    def __init__(self, path: Path, fmt: str, signature: RunSignature, overwrite: bool) -> None:
        self.path = path
        self.sidecar = path.with_name(path.name + PROGRESS_SUFFIX)
        self.fmt = fmt
        self.signature = str(signature)
        self.done: set[str] = set()
        offset = 0
        if overwrite:
            path.unlink(missing_ok=True)
            self.sidecar.unlink(missing_ok=True)
        if path.exists() and not self.sidecar.exists():
            raise InputError(
                "output exists and has no progress record of an interrupted run; use --overwrite to replace it",
                path=str(path),
            )
        if self.sidecar.exists() and path.exists():
            offset = self._read_progress()
        else:
            self.sidecar.unlink(missing_ok=True)
        self.out = path.open("ab")
        self.out.truncate(offset)
        self.out.seek(offset)
        self.progress = self.sidecar.open("a", encoding="utf-8")
        if offset == 0 and not self.done:
            self.progress.truncate(0)
            self._log({"signature": self.signature, "format": fmt})
            if fmt == "xliff":
                self.out.write(xliff.HEADER.encode("utf-8"))

    def _read_progress(self) -> int:
        header, offset = None, 0
        for line in self.sidecar.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break  # a line cut by the interruption
            if header is None:
                header = record
                continue
            self.done.add(record.get("key", record["id"]))
            offset = record["offset"]
        if header is None:
            return 0
        if header.get("format") != self.fmt:
            raise InputError(f"output was written as {header.get('format')}, not {self.fmt}", path=str(self.path))
        if header.get("signature") != self.signature:
            raise InputError(
                "output was written with other settings; use --overwrite or another output\n"
                f"  recorded: {header.get('signature')}\n  this run: {self.signature}",
                path=str(self.path),
            )
        return offset

    def _log(self, record: dict) -> None:
        self.progress.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.progress.flush()

    def write(self, doc: DocumentTranslation, key: str) -> None:
        if self.fmt == "jsonl":
            data = json.dumps(doc.to_record(self.signature), ensure_ascii=False) + "\n"
        elif self.fmt == "xliff":
            data = xliff.file_element(doc, self.signature).decode("utf-8")
        else:
            # Lines map to lines (FLORES files stay aligned); a blank line between documents.
            data = ("\n" if self.out.tell() else "") + doc.text + ("" if doc.text.endswith("\n") else "\n")
        self.out.write(data.encode("utf-8"))
        # Flushed before the progress line: a run killed in between redoes this document.
        self.out.flush()
        self._log({"key": key, "id": doc.id, "offset": self.out.tell()})
        self.done.add(key)

    def close(self) -> None:
        if self.fmt == "xliff":
            # The end tag follows the last recorded <file>: a resumed run cuts it off with
            # the truncation to that offset, and writes it again when it stops.
            self.out.write(xliff.FOOTER.encode("utf-8"))
        self.out.close()
        self.progress.close()


def translate_files(
    translator: Translator,
    inputs: list[str | Path] | list[InputFile],
    output: str | Path,
    src: str,
    tgt: str,
    *,
    fmt: str | None = None,
    overwrite: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    skip_bad: bool = False,
    on_document: Callable[[str, bool], None] | None = None,
) -> BatchReport:
    """Translate every document of ``inputs`` into ``output`` (text or JSONL), resuming an
    interrupted run. ``on_document(id, skipped)`` is called per document (progress bars)."""
    output = Path(output)
    fmt = fmt or FORMAT_OF_SUFFIX.get(output.suffix.lower(), "text")
    if fmt not in FORMATS:
        raise InputError(f"unknown output format {fmt!r} (one of {', '.join(FORMATS)})")
    given = list(inputs)
    files = (
        [f for f in given if isinstance(f, InputFile)]
        if given and isinstance(given[0], InputFile)
        else check_inputs([p for p in given if not isinstance(p, InputFile)], max_bytes, skip_bad)
    )
    signature = translator.signature(src, tgt)
    if output.is_dir():
        raise InputError("output is a directory; give a file", path=str(output))
    output.parent.mkdir(parents=True, exist_ok=True)
    out = _Output(output, fmt, signature, overwrite)
    report = BatchReport(str(output), fmt, str(signature))
    index = translator.direction(src, tgt).index
    report.glossary_conflicts = [c.describe() for c in index.conflicts] if index is not None else []
    report.left_out = [{"path": str(f.path), "problem": f.problem} for f in files if f.problem]
    started = time.perf_counter()

    keys: dict[str, str] = {}
    occurrences: Counter[str] = Counter()

    def todo() -> Iterator[tuple[str, str]]:
        for raw in iter_documents(files, max_bytes):
            if not raw.text.strip():
                report.left_out.append({"path": raw.path, "problem": "document is empty"})
                continue
            digest = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()[:24]
            key = f"{digest}:{occurrences[digest]}"
            occurrences[digest] += 1
            if key in out.done:
                report.skipped += 1
                if on_document:
                    on_document(raw.path, True)
                continue
            # Document ids go to the translator in order; the key travels with the id.
            doc_id = f"{raw.path}\x00{key}"
            keys[doc_id] = key
            yield doc_id, raw.text

    try:
        for doc in translator.translate_documents(todo(), src, tgt):
            key = keys.pop(doc.id)
            doc.id = doc.id.split("\x00", 1)[0]
            out.write(doc, key)
            report.documents += 1
            for segment in doc.segments:
                report.segments += 1
                report.terms_required += len(segment.terms)
                report.terms_found += sum(t.found for t in segment.terms)
                if segment.terms:
                    report.segments_with_terms += 1
                    report.segments_all_terms += segment.all_terms
                if segment.error is not None:
                    report.segments_failed += 1
                    if len(report.failures) < MAX_REPORTED_ISSUES:
                        report.failures.append({"document": doc.id, "segment": segment.index, "error": segment.error})
                if segment.issues:
                    report.segments_with_issues += 1
                    if len(report.issues) < MAX_REPORTED_ISSUES:  # all of them are in the JSONL output
                        report.issues.append({"document": doc.id, "segment": segment.index, "issues": segment.issues})
            if on_document:
                on_document(doc.id, False)
    finally:
        out.close()
        report.seconds = round(time.perf_counter() - started, 3)
    return report
