"""A bilingual word lexicon induced from sentence-aligned parallel text (IBM Model 1).

Both directions are trained with EM over polars frames (one row per word pair of a
sentence pair); a pair is kept when each word is the other's most probable translation
(the intersection heuristic), which trades recall for precision.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from termalign import lang as languages


@dataclass(frozen=True)
class LexiconPair:
    src: str
    tgt: str
    score: float
    count: int


def _words(code: str, lines: list[str]) -> pl.DataFrame:
    language = languages.get(code)
    rows = []
    for sid, line in enumerate(lines):
        for token in language.tokenize(line.strip()):
            if token.kind in ("word", "latin") and language.key(token.text) not in language.function_words:
                rows.append((sid, language.key(token.text)))
    return pl.DataFrame(rows, schema={"sid": pl.Int64, "w": pl.String}, orient="row").unique()


def _ibm1(pairs: pl.DataFrame, iterations: int) -> pl.DataFrame:
    """t(e|f) for rows (sid, f, e); returns columns f, e, t."""
    t = pairs.select("f", "e").unique().with_columns(t=pl.lit(1.0))
    for _ in range(iterations):
        joined = pairs.join(t, on=["f", "e"])
        joined = joined.with_columns(post=pl.col("t") / pl.col("t").sum().over(["sid", "e"]))
        counts = joined.group_by("f", "e").agg(c=pl.col("post").sum())
        t = counts.with_columns(t=pl.col("c") / pl.col("c").sum().over("f")).select("f", "e", "t")
    return t


def induce(src_code: str, src_lines: list[str], tgt_code: str, tgt_lines: list[str], *,
           iterations: int = 5, min_count: int = 2, min_prob: float = 0.2) -> list[LexiconPair]:
    """Word pairs (source key, target key) from line-aligned text."""
    src, tgt = _words(src_code, src_lines), _words(tgt_code, tgt_lines)
    pairs = src.rename({"w": "f"}).join(tgt.rename({"w": "e"}), on="sid")
    forward = _ibm1(pairs, iterations)  # t(tgt | src)
    backward = _ibm1(pairs.rename({"f": "e", "e": "f"}), iterations).rename({"f": "e", "e": "f"})  # t(src | tgt)
    best_fwd = forward.sort(["t", "e"], descending=[True, False]).group_by("f", maintain_order=True).first()
    best_bwd = backward.sort(["t", "f"], descending=[True, False]).group_by("e", maintain_order=True).first()
    cooc = pairs.group_by("f", "e").agg(count=pl.len())
    kept = (
        best_fwd.join(best_bwd.select("f", "e", tb=pl.col("t")), on=["f", "e"])
        .join(cooc, on=["f", "e"])
        .filter((pl.col("count") >= min_count) & (pl.col("t") >= min_prob) & (pl.col("tb") >= min_prob))
        .with_columns(score=(pl.col("t") * pl.col("tb")).sqrt())
        .sort(["score", "f"], descending=[True, False])
    )
    return [LexiconPair(r["f"], r["e"], round(r["score"], 4), r["count"]) for r in kept.iter_rows(named=True)]
