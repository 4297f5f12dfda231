"""`termalign stats`: what the store holds, computed with polars over whole tables."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from termalign import lang as languages
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.store import as_store, open_store
from termalign.store.stats import store_stats


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
    machine-translated readings no text attests) waiting for review; per language
    (km th vi en) the terms, preferred terms,
    concepts that have a term in it, and approved concepts; how many concepts cover 1, 2, 3
    or all 4 languages; the corpus (documents, sentences per language); term candidates;
    alignment evidence per signal; and the review log (actions, reviewers, last activity).
    """
    conn = open_store(db, create=False)
    try:
        data = {"store": str(Path(db)), **store_stats(conn)}
        termstore = as_store(conn)
        data["attested_terms"] = termstore.attested_term_count()
        data["suggestions"] = termstore.suggestion_counts()
    finally:
        conn.close()
    if as_json:
        print_json(data)
        return
    out = console()
    c = data["concepts"]
    out.print(
        _table(
            f"Concepts: {c['total']:,} in {data['store']}", ["status", "concepts"],
            [[k, v] for k, v in c["by_status"].items()],
        )
    )
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
            "Coverage", ["languages per concept", "concepts"],
            [[k, v] for k, v in data["concepts_by_language_count"].items()],
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
