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
        table.add_row(name, *[f"{row[c]:.2f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns])
    return table


@evaluate.command()
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold TSV: id, en, vi, km, th.")
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
    result = {code: {c.replace("recall", "R").replace("precision", "P"): v for c, v in row.items()} for code, row in result.items()}
    cols = [c.replace("recall", "R").replace("precision", "P") for c in cols]
    console().print(_table("Extraction against " + gold, result, cols))


@evaluate.command()
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold TSV: id, en, vi, km, th.")
@db_option
@json_option
def alignment(gold: str, db: str, as_json: bool) -> None:
    """Whether each gold concept's terms ended in one proposal, and precision@1 per language
    pair (km-th, km-en, th-en, km-vi, th-vi)."""
    result = evaluate_alignment(open_store(db, create=False), read_gold(gold))
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(_table("Alignment precision@1 by language pair", result["pairs"], ["p@1", "n"]))
    out.print(f"grouped: {result['grouped']['share']:.2f} of {result['grouped']['n']} gold concepts in one proposal")
