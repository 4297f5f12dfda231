"""`termalign extract`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from termalign import lang as languages
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.extract import DEFAULT_LIMIT, top_candidates
from termalign.extract import extract as run_extract
from termalign.lexicon import build_lexicon
from termalign.store import as_store, open_store

MARKS = {"anchor": " ⚓", "name": " ⌂"}


@click.command()
@db_option
@json_option
@click.option("--lang", "langs", multiple=True, type=click.Choice(languages.CODES), help="Only this language (repeatable).")
@click.option("--top", default=30, show_default=True, help="How many candidates to show per language.")
@click.option("--limit", type=int, default=DEFAULT_LIMIT, help="How many candidates to keep per language (default: all).")
@click.option("--show-only", is_flag=True, help="Show the stored candidates without extracting again.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra lexicon TSV from `termalign lexicon build` whose words also lend termhood (repeatable).")
def extract(db: str, as_json: bool, langs: tuple[str, ...], top: int, limit: int | None, show_only: bool, lexicons) -> None:
    """Find term candidates per language and rank them by termhood.

    Candidates are word sequences (1–6 words) that neither start nor end with a function
    word, plus Latin anchors (VNeID, OCOP, 4.0, names) inside Khmer/Thai text (marked ⚓)
    and names of public bodies ("Ministry of Science and Technology", ក្រសួងព័ត៌មាន
    និងផ្សព្វផ្សាយ; marked ⌂). Termhood combines C-value, domain specificity against
    general news, unithood (logDice), boundary variety and document frequency; every
    part is stored. Forms sharing a normalized key are one candidate with variants.
    Run `termalign ingest` first.
    """
    conn = open_store(db, create=False)
    lexicon = build_lexicon(conn, list(lexicons)) if lexicons and not show_only else None
    report = None if show_only else run_extract(conn, list(langs) or None, limit=limit, lexicon=lexicon)
    shown = list(langs) or as_store(conn).candidate_languages()
    payload = {code: [dict(row) for row in top_candidates(conn, code, top)] for code in shown}
    if as_json:
        print_json({"seconds": round(report.seconds, 3) if report else None, "candidates": payload})
        return
    out = console()
    for code, rows in payload.items():
        table = Table(title=f"{languages.get(code).name} ({code}): top {len(rows)} candidates", title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("term", overflow="fold", min_width=12)
        for col, justify in [ ("freq", "right"), ("docs", "right"), ("termhood", "right"),
                             ("C-value", "right"), ("spec", "right"), ("unit", "right")]:
            table.add_column(col, justify=justify)
        table.add_column("variants", overflow="fold")
        for r in rows:
            variants = r["variants"] if r["variants"] and r["variants"] != r["text"] else ""
            table.add_row(
                str(r["rank"]), r["text"] + MARKS.get(r["kind"], ""), str(r["freq"]), str(r["doc_freq"]),
                f"{r['termhood']:.2f}", f"{r['cvalue']:.2f}", f"{r['specificity']:.2f}", f"{r['unithood']:.2f}", variants,
            )
        out.print(table)
    if any(r["kind"] in MARKS for rows in payload.values() for r in rows):
        out.print("⚓ Latin-script anchor   ⌂ name of a public body")
    if report:
        out.print(f"extracted in {report.seconds:.2f} s: " + ", ".join(
            f"{c} {v['candidates']:,} candidates" for c, v in report.by_language.items()))
