"""What the store holds, counted with polars over whole tables (``termalign stats``)."""

from __future__ import annotations

import sqlite3
from typing import Any

import polars as pl

from termalign import lang as languages
from termalign.store.concepts import CONCEPT_STATUSES, TERM_STATUSES
from termalign.store.db import schema_version


def _frame(conn: sqlite3.Connection, sql: str, schema: dict[Any, Any]) -> pl.DataFrame:
    # The schema keeps column types when a table is empty (polars would infer Null).
    return pl.read_database(sql, conn, schema_overrides=schema).cast(schema)


def _counts(df: pl.DataFrame, column: str, keys: tuple[str, ...] = ()) -> dict[str, int]:
    found = dict(df.group_by(column).len().sort(column).iter_rows())
    return {k: int(found.get(k, 0)) for k in keys} | {str(k): int(v) for k, v in found.items() if k not in keys}


def store_stats(conn: sqlite3.Connection) -> dict:
    """Counts of concepts, terms per language, corpus, candidates, evidence and review log."""
    concepts = _frame(conn, "SELECT id, status FROM concepts", {"id": pl.Int64, "status": pl.Utf8})
    terms = _frame(
        conn,
        "SELECT t.concept_id, t.lang, t.status AS term_status, c.status"
        " FROM terms t JOIN concepts c ON c.id = t.concept_id",
        {"concept_id": pl.Int64, "lang": pl.Utf8, "term_status": pl.Utf8, "status": pl.Utf8},
    )
    per_lang = terms.group_by("lang").agg(
        pl.len().alias("terms"),
        (pl.col("term_status") == "preferred").sum().alias("preferred"),
        pl.col("concept_id").n_unique().alias("concepts"),
        pl.col("concept_id").filter(pl.col("status") == "approved").n_unique().alias("approved_concepts"),
    )
    by_lang = {row["lang"]: row for row in per_lang.iter_rows(named=True)}
    zero = {"terms": 0, "preferred": 0, "concepts": 0, "approved_concepts": 0}
    width = (
        terms.group_by("concept_id").agg(pl.col("lang").n_unique().alias("n")).group_by("n").len().sort("n")
    )
    n_langs = dict(width.iter_rows())
    sentences = _frame(conn, "SELECT lang FROM sentences", {"lang": pl.Utf8})
    candidates = _frame(conn, "SELECT lang FROM candidates", {"lang": pl.Utf8})
    evidence = _frame(conn, "SELECT signal, score FROM evidence", {"signal": pl.Utf8, "score": pl.Float64})
    log = _frame(
        conn, "SELECT reviewer, action, at FROM review_log", {"reviewer": pl.Utf8, "action": pl.Utf8, "at": pl.Utf8}
    )
    signals = (
        evidence.group_by("signal")
        .agg(pl.len().alias("count"), pl.col("score").mean().alias("mean_score"))
        .sort("signal")
    )
    return {
        "schema_version": schema_version(conn),
        "concepts": {"total": concepts.height, "by_status": _counts(concepts, "status", CONCEPT_STATUSES)},
        "languages": {
            code: {k: int(by_lang.get(code, zero)[k]) for k in zero} for code in languages.CODES
        },
        "term_status": _counts(terms, "term_status", TERM_STATUSES),
        "concepts_by_language_count": {str(n): int(n_langs.get(n, 0)) for n in range(1, len(languages.CODES) + 1)},
        "corpus": {
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "sentences": _counts(sentences, "lang", languages.CODES),
        },
        "candidates": _counts(candidates, "lang", languages.CODES),
        "evidence": {
            row["signal"]: {"count": int(row["count"]), "mean_score": round(float(row["mean_score"]), 4)}
            for row in signals.iter_rows(named=True)
        },
        "review_log": {
            "entries": log.height,
            "by_action": _counts(log, "action"),
            "by_reviewer": _counts(log, "reviewer"),
            "last": log.get_column("at").max() if log.height else None,
        },
    }
