"""Ingest: decode, strip web residue, identify language per sentence, split, segment, store."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from termalign import lang as languages
from termalign.errors import InputError, StoreError
from termalign.ingest.pipeline import Document, process
from termalign.ingest.readers import DEFAULT_MAX_BYTES, EXTENSIONS, RawDocument, discover, read_documents
from termalign.store import StoreLike, as_store
from termalign.store.corpus import StoreResult


@dataclass
class IngestReport:
    results: list[StoreResult] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.results if r.action == action)


#: Inputs larger than this are processed on every core (smaller ones do not repay the start).
PARALLEL_BYTES = 1_000_000


#: Articles longer than this (characters) are segmented in this process as they are stored,
#: one bounded piece at a time, rather than in a worker that would hold all their tokens and
#: send them back in one message: memory stays bounded by the piece, whatever the length of the
#: article (a 10 MB line of Khmer is about three million tokens; 250 k characters about
#: 80 k tokens, some 30 MB of objects). A news article is under 20 k characters.
STREAM_CHARS = 250_000


def _result(job: Future[Document] | RawDocument) -> Document:
    """A worker's document, or a long article segmented here as it is stored."""
    return job.result() if isinstance(job, Future) else _processed(job)


def _processed(raw: RawDocument) -> Document:
    """One article, segmented now (short) or as the store reads it (long)."""
    return process(raw, stream=len(raw.text) > STREAM_CHARS)


#: How many input files are sampled to learn which languages' models to load before forking.
WARM_SAMPLE_FILES = 16


def _warm_languages(files: list[Path]) -> None:
    """Load the segmenters and taggers of the languages of the first files in this process
    before the workers fork: they inherit the loaded models (the Khmer tagger's scikit-learn
    import and model, pythainlp's dictionary) instead of each loading them again."""
    codes: set[str] = set()
    for path in files[:WARM_SAMPLE_FILES]:
        try:
            docs = read_documents(path, DEFAULT_MAX_BYTES)
        except InputError:
            continue
        for raw in docs[:4]:
            code = raw.lang if raw.lang in languages.LANGUAGES else languages.identify(raw.text[:4000])
            if code:
                codes.add(code)
    for code in sorted(codes):
        languages.get(code).warm()


def ingest_paths(
    conn: StoreLike,
    paths: list[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
    engine: str = "local",
    address: str | None = None,
) -> IngestReport:
    """Ingest every article under ``paths``. A bad file is reported and skipped; each
    document is stored in its own transaction, so a failure never leaves half of one.

    Segmentation runs in ``workers`` processes (default: every core for inputs over
    1 MB); the store is written by this process alone, in input order. ``engine="ray"``
    segments on a Ray cluster instead (``address``; default: a local one), same output.
    """
    report = IngestReport()
    termbase = as_store(conn)
    files = list(discover(paths))
    if workers is None:
        size = sum(p.stat().st_size for p in files if p.is_file())
        workers = (os.cpu_count() or 1) if size > PARALLEL_BYTES else 1

    def read_all() -> Iterator[tuple[Path, list[RawDocument] | InputError]]:
        for path in files:
            if on_file:
                on_file(path)
            try:
                yield path, read_documents(path, max_bytes)
            except InputError as exc:
                yield path, exc

    def store(path: Path, docs: list[RawDocument] | InputError, processed) -> None:
        if isinstance(docs, InputError):
            report.errors.append({"path": str(docs.path or path), "message": docs.message})
            return
        try:
            for doc in processed:
                report.results.append(termbase.store_document(doc))
            if path.suffix.lower() == ".jsonl":
                termbase.prune_file(str(path.resolve()), {raw.path for raw in docs})
        except StoreError as exc:
            report.errors.append({"path": str(exc.path or path), "message": exc.message})

    if engine == "ray":
        from termalign.ingest.ray_batch import process_on_ray  # Ray is an optional extra

        read = list(read_all())
        processed = process_on_ray(
            (raw for _, docs in read if not isinstance(docs, InputError) for raw in docs), address=address
        )
        for path, docs in read:
            store(path, docs, itertools.islice(processed, len(docs)) if not isinstance(docs, InputError) else [])
        return report
    if workers <= 1:
        for path, docs in read_all():
            store(path, docs, (_processed(raw) for raw in docs) if not isinstance(docs, InputError) else [])
        return report
    _warm_languages(files)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        for path, docs in read_all():
            futures: list[Future[Document] | RawDocument] = (
                []
                if isinstance(docs, InputError)
                else [raw if len(raw.text) > STREAM_CHARS else pool.submit(process, raw) for raw in docs]
            )
            pending.append((path, docs, futures))
            # Keep a bounded window in flight so memory stays flat on large inputs.
            while len(pending) > 4 * workers:
                p, d, fs = pending.pop(0)
                store(p, d, (_result(f) for f in fs))
        for p, d, fs in pending:
            store(p, d, (_result(f) for f in fs))
    return report


__all__ = ["Document", "EXTENSIONS", "IngestReport", "RawDocument", "ingest_paths", "process"]
