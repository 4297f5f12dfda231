"""`termalign stats`: what the store holds, computed with polars over whole tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import polars as pl
from rich.table import Table

from termalign import lang as languages
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.store import open_store, schema_version
from termalign.store.concepts import CONCEPT_STATUSES, TERM_STATUSES
from termalign.store.suggestions import attested_term_count, suggestion_counts


def _frame(conn: sqlite3.Connection, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
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
        "SELECT t.concept_id, t.lang, t.status AS term_status, c.status FROM terms t JOIN concepts c ON c.id = t.concept_id",
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
    log = _frame(conn, "SELECT reviewer, action, at FROM review_log", {"reviewer": pl.Utf8, "action": pl.Utf8, "at": pl.Utf8})
    signals = evidence.group_by("signal").agg(pl.len().alias("count"), pl.col("score").mean().alias("mean_score")).sort("signal")
    return {
        "schema_version": schema_version(conn),
        "concepts": {"total": concepts.height, "by_status": _counts(concepts, "status", CONCEPT_STATUSES)},
        "languages": {
            code: {k: int(by_lang.get(code, zero)[k]) for k in zero} for code in languages.CODES
        },
        "term_status": _counts(terms, "term_status", TERM_STATUSES),
        "attested_terms": attested_term_count(conn),
        "suggestions": suggestion_counts(conn),
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


def _table(title: str, columns: list[str], rows: list[list]) -> Table:
    table = Table(title=title, title_justify="left")
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
    return table


@click.command()
@db_option
@json_option
def stats(db: str, as_json: bool) -> None:
    """Show what the termbase store holds.

    \b
    Concepts by review status; attested terms and the suggestions (composed or
    machine-translated readings no text attests) waiting for review; per language (km th vi en) the terms, preferred terms,
    concepts that have a term in it, and approved concepts; how many concepts cover 1, 2, 3
    or all 4 languages; the corpus (documents, sentences per language); term candidates;
    alignment evidence per signal; and the review log (actions, reviewers, last activity).
    """
    conn = open_store(db, create=False)
    try:
        data = {"store": str(Path(db)), **store_stats(conn)}
    finally:
        conn.close()
    if as_json:
        print_json(data)
        return
    out = console()
    c = data["concepts"]
    out.print(_table(f"Concepts: {c['total']:,} in {data['store']}", ["status", "concepts"], [[k, v] for k, v in c["by_status"].items()]))
    out.print(
        _table(
            "Languages", ["language", "terms", "preferred", "concepts", "approved concepts"],
            [[code, *row.values()] for code, row in data["languages"].items()],
        )
    )
    sug = data["suggestions"]
    out.print(
        f"{data['attested_terms']:,} attested terms; {sug['waiting']:,} suggestions wait for review"
        + (" (" + ", ".join(f"{k} {v:,}" for k, v in sug["by_origin"].items()) + ")" if sug["waiting"] else "")
        + f", {sug['accepted']:,} accepted"
    )
    out.print(
        _table(
            "Coverage", ["languages per concept", "concepts"], [[k, v] for k, v in data["concepts_by_language_count"].items()]
        )
    )
    corpus = data["corpus"]
    out.print(
        _table(
            f"Corpus: {corpus['documents']:,} documents", ["language", "sentences", "candidates"],
            [[code, corpus["sentences"].get(code, 0), data["candidates"].get(code, 0)] for code in languages.CODES],
        )
    )
    if data["evidence"]:
        out.print(
            _table(
                "Evidence", ["signal", "count", "mean score"],
                [[k, v["count"], f"{v['mean_score']:.3f}"] for k, v in data["evidence"].items()],
            )
        )
    log = data["review_log"]
    out.print(
        _table(
            f"Review log: {log['entries']:,} entries (last {log['last'] or '–'})", ["action", "entries"],
            [[k, v] for k, v in log["by_action"].items()],
        )
    )
