"""A bilingual word lexicon induced from sentence-aligned parallel text.

Two word aligners: termalign's IBM Model 1 (EM over polars frames, one row per word pair of a
sentence pair; no extra dependency) and eflomal (the field's Bayesian aligner with an HMM and
fertility, Östling & Tiedemann 2016; the optional extra ``align``), whose forward and reverse
links are intersected and counted. Either way a pair is kept when each word is the other's
most probable translation (the intersection heuristic), which trades recall for precision.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass

import polars as pl

from termalign import lang as languages
from termalign.errors import InputError

#: The word aligners :func:`induce` offers.
ALIGNERS = ("ibm1", "eflomal")


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


def _sentences(code: str, lines: list[str]) -> list[list[str]]:
    """Each line as its word keys in order (function words out, as for IBM Model 1)."""
    language = languages.get(code)
    out = []
    for line in lines:
        words = []
        for token in language.tokenize(line.strip()):
            if token.kind in ("word", "latin"):
                key = language.key(token.text)
                if key and key not in language.function_words:
                    words.append(key)
        out.append(words)
    return out


def _plain(words: list[str]) -> str:
    """A sentence as eflomal reads it, words split on spaces: a Vietnamese word key holds
    spaces between its syllables, written as U+2581 here (links are counted on the keys)."""
    return " ".join(w.replace(" ", SPACE) for w in words) or SPACE


#: Stands for a space inside a word key in eflomal's input (sentencepiece's word mark).
SPACE = "\u2581"


def _read_links(path: str) -> list[set[tuple[int, int]]]:
    with open(path, encoding="utf-8") as fh:
        return [{tuple(map(int, link.split("-"))) for link in line.split()} for line in fh]  # type: ignore[misc]


def _eflomal_tables(src: list[list[str]], tgt: list[list[str]]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Forward and backward translation tables (f, e, t) and the link counts (f, e, count)
    from eflomal's links in both directions, intersected."""
    try:
        import eflomal
    except ImportError:  # pragma: no cover - the extra is installed in the test environment
        raise InputError("the eflomal aligner is an extra: pip install 'termalign[align]'", path="--aligner") from None
    with tempfile.TemporaryDirectory(prefix="termalign-eflomal-") as tmp:
        fwd, rev = os.path.join(tmp, "fwd"), os.path.join(tmp, "rev")
        # eflomal reads one sentence per line: an empty one is written as a lone word mark.
        eflomal.Aligner().align(
            [_plain(s) for s in src], [_plain(t) for t in tgt],
            links_filename_fwd=fwd, links_filename_rev=rev, quiet=True,
        )
        forward, reverse = _read_links(fwd), _read_links(rev)
    counts: Counter[tuple[str, str]] = Counter()
    for s, t, a, b in zip(src, tgt, forward, reverse, strict=True):
        for i, j in a & b:
            if i < len(s) and j < len(t):
                counts[(s[i], t[j])] += 1
    links = pl.DataFrame(
        [(f, e, n) for (f, e), n in counts.items()], schema={"f": pl.String, "e": pl.String, "count": pl.Int64},
        orient="row",
    )
    t_fwd = links.with_columns(t=pl.col("count") / pl.col("count").sum().over("f")).select("f", "e", "t")
    t_bwd = links.with_columns(t=pl.col("count") / pl.col("count").sum().over("e")).select("f", "e", "t")
    return t_fwd, t_bwd, links


def induce(src_code: str, src_lines: list[str], tgt_code: str, tgt_lines: list[str], *,
           iterations: int = 5, min_count: int = 2, min_prob: float = 0.2, aligner: str = "ibm1") -> list[LexiconPair]:
    """Word pairs (source key, target key) from line-aligned text. With IBM Model 1 a pair's
    count is the sentence pairs holding both words; with eflomal, the links between them."""
    if aligner not in ALIGNERS:
        raise InputError(f"no aligner {aligner!r} (known: {', '.join(ALIGNERS)})", path="--aligner")
    if aligner == "eflomal":
        forward, backward, cooc = _eflomal_tables(_sentences(src_code, src_lines), _sentences(tgt_code, tgt_lines))
        return _mutual_best(forward, backward, cooc, min_count, min_prob)
    src, tgt = _words(src_code, src_lines), _words(tgt_code, tgt_lines)
    pairs = src.rename({"w": "f"}).join(tgt.rename({"w": "e"}), on="sid")
    forward = _ibm1(pairs, iterations)  # t(tgt | src)
    backward = _ibm1(pairs.rename({"f": "e", "e": "f"}), iterations).rename({"f": "e", "e": "f"})  # t(src | tgt)
    return _mutual_best(forward, backward, pairs.group_by("f", "e").agg(count=pl.len()), min_count, min_prob)


def _mutual_best(
    forward: pl.DataFrame, backward: pl.DataFrame, cooc: pl.DataFrame, min_count: int, min_prob: float
) -> list[LexiconPair]:
    """Pairs each side of which is the other's most probable translation, seen ``min_count``
    times, both probabilities at least ``min_prob``; scored by their geometric mean."""
    best_fwd = forward.sort(["t", "e"], descending=[True, False]).group_by("f", maintain_order=True).first()
    best_bwd = backward.sort(["t", "f"], descending=[True, False]).group_by("e", maintain_order=True).first()
    kept = (
        best_fwd.join(best_bwd.select("f", "e", tb=pl.col("t")), on=["f", "e"])
        .join(cooc, on=["f", "e"])
        .filter((pl.col("count") >= min_count) & (pl.col("t") >= min_prob) & (pl.col("tb") >= min_prob))
        .with_columns(score=(pl.col("t") * pl.col("tb")).sqrt())
        .sort(["score", "f"], descending=[True, False])
    )
    return [LexiconPair(r["f"], r["e"], round(r["score"], 4), r["count"]) for r in kept.iter_rows(named=True)]
