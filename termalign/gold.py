"""Reference glossaries (gold) for evaluation: ``id, en, vi, km, th`` with variants ``a | b``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from termalign import lang as languages
from termalign.errors import FormatError
from termalign.ingest.readers import decode, read_bytes


@dataclass(frozen=True)
class GoldConcept:
    id: str
    terms: dict[str, tuple[str, ...]]  # language -> variants as written

    def keys(self, code: str) -> set[str]:
        language = languages.get(code)
        return {language.key(t) for t in self.terms.get(code, ())}


def read_gold(path: str | Path) -> list[GoldConcept]:
    """Read a gold TSV (header row naming ``id`` and language columns)."""
    path = Path(path)
    text = decode(read_bytes(path), str(path))
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows:
        raise FormatError("gold file has no header", path=str(path))
    header = [h.strip() for h in rows[0]]
    if "id" not in header or not any(h in languages.LANGUAGES for h in header):
        raise FormatError("gold header needs an 'id' column and language columns (en vi km th)", path=str(path))
    concepts = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise FormatError(f"line {lineno}: {len(row)} cells for {len(header)} columns", path=str(path))
        cells = dict(zip(header, row, strict=False))  # a short row leaves its last columns empty
        terms = {
            code: tuple(v.strip() for v in cells.get(code, "").split("|") if v.strip())
            for code in header
            if code in languages.LANGUAGES
        }
        concepts.append(GoldConcept(cells["id"].strip(), {c: v for c, v in terms.items() if v}))
    return concepts
