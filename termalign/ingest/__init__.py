"""Ingest: decode, strip web residue, identify language per sentence, split, segment, store."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from termalign.errors import InputError, StoreError
from termalign.ingest.pipeline import Document, process
from termalign.ingest.readers import DEFAULT_MAX_BYTES, EXTENSIONS, RawDocument, discover, read_documents
from termalign.store.corpus import StoreResult, store_document


@dataclass
class IngestReport:
    results: list[StoreResult] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.results if r.action == action)


def ingest_paths(
    conn: sqlite3.Connection,
    paths: list[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Ingest every article under ``paths``. A bad file is reported and skipped; each
    document is stored in its own transaction, so a failure never leaves half of one."""
    report = IngestReport()
    for path in discover(paths):
        if on_file:
            on_file(path)
        try:
            for raw in read_documents(path, max_bytes):
                report.results.append(store_document(conn, process(raw)))
        except (InputError, StoreError) as exc:
            report.errors.append({"path": str(exc.path or path), "message": exc.message})
    return report


__all__ = ["Document", "EXTENSIONS", "IngestReport", "RawDocument", "ingest_paths", "process"]
