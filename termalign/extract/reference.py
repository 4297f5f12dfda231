"""General-language word frequencies (the reference corpus of domain specificity)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl


@cache
def reference_counts(code: str) -> tuple[pl.DataFrame, int]:
    """``(frame[key, ref_count], total tokens)`` from ``termalign/data/reference/{code}.tsv``."""
    path = resources.files("termalign") / "data" / "reference" / f"{code}.tsv"
    keys, counts = [], []
    with path.open(encoding="utf-8") as fh:
        total = int(fh.readline().rsplit("tokens=", 1)[1])
        for line in fh:
            key, count = line.rstrip("\n").split("\t")
            keys.append(key)
            counts.append(int(count))
    frame = pl.DataFrame({"key": keys, "ref_count": counts}, schema={"key": pl.String, "ref_count": pl.Int64})
    return frame, total
