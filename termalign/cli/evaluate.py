"""`termalign evaluate extraction|alignment|translation`."""

from __future__ import annotations

import importlib

import click
from rich.table import Table

from termalign.align.evaluate import evaluate_alignment
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.extract.evaluate import CUTOFFS, evaluate_extraction
from termalign.gold import read_gold
from termalign.store import open_store


class _EvaluateGroup(click.Group):
    # `translation` lives with the MT engine and is imported only when used.
    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), "translation"])

    def get_command(self, ctx, name):
        if name == "translation":
            try:
                return importlib.import_module("termalign.cli.evaluate_translation").translation
            except ModuleNotFoundError:
                return None
        return super().get_command(ctx, name)


@click.group(cls=_EvaluateGroup)
def evaluate() -> None:
    """Score extraction, alignment or translation against references."""


def _table(title: str, result: dict, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for col in columns:
        table.add_column(col, justify="right")
    for name, row in result.items():
        cells = [f"{row[c]:.2f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns]
        table.add_row(name, *cells)
    return table


@evaluate.command()
@click.option(
    "--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold TSV: id, en, vi, km, th."
)
@db_option
@json_option
def extraction(gold: str, db: str, as_json: bool) -> None:
    """Precision and recall of the ranked candidates at 20/50/100 per language (ACTER-style:
    a gold term is found when its normalized key matches a candidate or one of its variants)."""
    result = evaluate_extraction(open_store(db, create=False), read_gold(gold))
    if as_json:
        print_json(result)
        return
    cols = ["gold"] + [f"{m}@{k}" for k in CUTOFFS for m in ("recall", "precision")]
    short = {"recall": "R", "precision": "P"}
    result = {
        code: {c.replace("recall", short["recall"]).replace("precision", short["precision"]): v for c, v in row.items()}
        for code, row in result.items()
    }
    cols = [c.replace("recall", "R").replace("precision", "P") for c in cols]
    console().print(_table("Extraction against " + gold, result, cols))


@evaluate.command()
@click.option(
    "--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold TSV: id, en, vi, km, th."
)
@db_option
@json_option
def alignment(gold: str, db: str, as_json: bool) -> None:
    """Precision@1 per language pair (km-th, km-en, th-en, km-vi, th-vi), whether each gold
    concept's terms ended in one proposal, and a calibration table (score bin → share of
    proposals right, n, Wilson lower bound) — over the proposals' terms, and separately
    with the suggestions waiting beside them."""
    conn = open_store(db, create=False)
    gold_concepts = read_gold(gold)
    terms = evaluate_alignment(conn, gold_concepts)
    # The top level repeats the figures over terms (what an export writes).
    result = {**terms, "terms": terms, "suggestions": evaluate_alignment(conn, gold_concepts, with_suggestions=True)}
    if as_json:
        print_json(result)
        return
    out = console()
    for name, part in (("terms", result["terms"]), ("terms and suggestions", result["suggestions"])):
        out.print(_table(f"Alignment precision@1 by language pair ({name})", part["pairs"], ["p@1", "n"]))
        out.print(f"grouped: {part['grouped']['share']:.2f} of {part['grouped']['n']} gold concepts in one proposal")
        cal = {row["bin"]: row for row in part["calibration"]}
        out.print(_table(f"Calibration ({name})", cal, ["n", "share_correct", "wilson_lower"]))
