"""Extract: term candidates per language with termhood, variants and occurrences."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

import polars as pl

from termalign import lang as languages
from termalign.extract.ngrams import ngram_occurrences
from termalign.extract.reference import known_units, reference_counts
from termalign.extract.termhood import TermhoodParams, score_types, token_specificity
from termalign.lexicon import build_lexicon
from termalign.lexicon.compose import compose
from termalign.store import StoreLike, as_store

MAX_WORDS = 6
#: Candidates stored per language: ``None`` keeps every ranked candidate, so no cap limits
#: recall (a term ranked 6 000th in a large corpus is still there for a reviewer's search).
DEFAULT_LIMIT: int | None = None
#: A candidate (up to this many words) that two or more known e-government words read
#: entirely — a head with its modifiers, no guessed loanword, no skipped word — is likely
#: a term of the domain: its termhood is multiplied by KNOWN_BOOST.
KNOWN_BOOST = 2.0
KNOWN_MAX_WORDS = 4
KNOWN_WINDOW = 2000


@dataclass
class ExtractReport:
    by_language: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0


#: Columns of the token frame extraction works on, one row per token.
TOKEN_SCHEMA = {
    "sid": pl.Int64,
    "doc": pl.Int64,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
    "key": pl.String,
    "kind": pl.String,
    "pos": pl.String,
}


#: Token rows turned into a frame at a time: the rows of a whole corpus as Python tuples
#: would take ten times the frame's memory (about 0.5 kB a token).
TOKEN_BATCH_ROWS = 50_000


def tokens_frame(rows: Iterable[tuple]) -> pl.DataFrame:
    """Token rows ``(sid, doc, start, end, text, key, kind, pos)``, sorted by sentence and
    position, as the frame extraction scores; ``gap`` marks a space before a token."""
    rows = iter(rows)
    batches = [pl.DataFrame(schema=TOKEN_SCHEMA)]
    while batch := list(islice(rows, TOKEN_BATCH_ROWS)):
        batches.append(pl.DataFrame(batch, schema=TOKEN_SCHEMA, orient="row"))
        del batch
    frame = pl.concat(batches, rechunk=True)
    return frame.with_columns(
        gap=(pl.col("sid") == pl.col("sid").shift(1)) & (pl.col("start") > pl.col("end").shift(1))
    )


def load_tokens(conn: StoreLike, code: str) -> pl.DataFrame:
    """The tokens of one language's sentences, sorted by sentence and position."""
    return tokens_frame(as_store(conn).token_rows(code))


def score_language(
    tokens: pl.DataFrame,
    code: str,
    max_n: int = MAX_WORDS,
    known: Callable[[str, str], bool] | None = None,
    params: TermhoodParams | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ranked candidate types and their occurrences for one language (pure: no store).

    ``known(lang, key)`` tells whether known words (the lexicon) read a candidate entirely;
    it is asked for the best :data:`KNOWN_WINDOW` candidates only.
    """
    language = languages.get(code)
    reference, ref_total = reference_counts(code)
    tokens = token_specificity(tokens, reference, ref_total, params)
    occ, raw = ngram_occurrences(tokens, language, max_n)
    types = score_types(occ, raw, params, known_units(code))
    types = types.with_columns(
        kind=pl.when(pl.col("anchor"))
        .then(pl.lit("anchor"))
        .when(pl.col("name") >= 0.5)
        .then(pl.lit("name"))
        .otherwise(pl.lit("term"))
    )
    types = types.sort(["termhood", "freq", "key"], descending=[True, True, False])
    flags = [False] * types.height
    if known is not None:
        head = types.head(KNOWN_WINDOW)
        flags[: head.height] = [
            kind != "anchor" and n <= KNOWN_MAX_WORDS and known(code, key)
            for key, n, kind in zip(head["key"], head["n"], head["kind"], strict=True)
        ]
    types = types.with_columns(lexicon=pl.Series(flags, dtype=pl.Boolean)).with_columns(
        # Known words and a name's form are two views of one evidence: the larger boost wins.
        termhood=pl.col("termhood")
        * pl.when(pl.col("lexicon")).then((KNOWN_BOOST / pl.col("name_boost")).clip(1.0)).otherwise(1.0)
    )
    types = types.sort(["termhood", "freq", "key"], descending=[True, True, False]).with_columns(
        rank=pl.int_range(1, pl.len() + 1)
    )
    occ = occ.filter(pl.col("candidate") | pl.col("anchor")).select("key", "sid", "start", "end", "surface")
    return types, occ


def lexicon_reader(conn: StoreLike | None = None, lexicon=None) -> Callable[[str, str], bool]:
    """``known(lang, key)`` over ``lexicon`` (default: the base glossary and the store's
    approved concepts)."""
    if lexicon is None:
        lexicon = build_lexicon(conn)

    def known(code: str, key: str) -> bool:
        return any(
            not h.loans
            and h.curated
            and len([p for p in h.pieces if p[1]]) >= 2
            and all(p[2] != "function word" for p in h.pieces)
            for h in compose(lexicon, code, key, loans=False)
        )

    return known


def extract(
    conn: StoreLike,
    langs: list[str] | None = None,
    *,
    limit: int | None = DEFAULT_LIMIT,
    max_n: int = MAX_WORDS,
    use_lexicon: bool = True,
    lexicon=None,
) -> ExtractReport:
    """Score candidates of every language in the store and keep the best ``limit`` of each
    (all of them by default).

    With ``use_lexicon`` known words (``lexicon``, by default the base glossary and the
    approved concepts) lend termhood to the candidates they read entirely. Each language's
    candidates are replaced in one transaction.
    """
    began = time.perf_counter()
    report = ExtractReport()
    known = lexicon_reader(conn, lexicon) if use_lexicon else None
    store = as_store(conn)
    present = store.corpus_languages()
    for code in langs or present:
        tokens = load_tokens(store, code)
        if tokens.is_empty():
            store.clear_candidates(code)
            continue
        types, occ = score_language(tokens, code, max_n, known)
        kept = types if limit is None else types.filter(pl.col("rank") <= limit)
        occ = occ.join(kept.select("key"), on="key", how="semi")
        variants = (
            occ.group_by("key", "surface")
            .agg(freq=pl.len())
            .sort(["key", "freq", "surface"], descending=[False, True, False])
        )
        display = variants.group_by("key", maintain_order=True).agg(text=pl.col("surface").first())
        kept = kept.join(display, on="key", how="left").sort("rank")
        store.replace_candidates(code, kept, variants, occ)
        report.by_language[code] = {"candidates": kept.height, "occurrences": occ.height, "types": types.height}
    report.seconds = time.perf_counter() - began
    return report


def top_candidates(conn: StoreLike, code: str, n: int = 30) -> list:
    """The best ``n`` candidates of a language, with their variants."""
    return as_store(conn).top_candidates(code, n)


__all__ = ["ExtractReport", "extract", "load_tokens", "score_language", "top_candidates"]
