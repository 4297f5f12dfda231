"""`termalign ingest`."""

from __future__ import annotations

import click
from rich.table import Table

from termalign.cli.common import console, db_option, json_option, print_json, progress
from termalign.errors import InputError
from termalign.ingest import EXTENSIONS, discover, ingest_paths
from termalign.ingest.readers import DEFAULT_MAX_BYTES
from termalign.store import open_store
from termalign.store.corpus import corpus_summary
from termalign.store.db import safe_location


def summary_table(summary: dict, title: str = "Corpus") -> Table:
    table = Table(title=f"{title}: {summary['documents']} documents", title_justify="left")
    table.add_column("language")
    table.add_column("documents", justify="right")
    table.add_column("sentences", justify="right")
    table.add_column("tokens", justify="right")
    for code, row in summary["by_language"].items():
        table.add_row(code, str(row["documents"]), f"{row['sentences']:,}", f"{row['tokens']:,}")
    return table


def residue_table(summary: dict) -> Table:
    table = Table(title="Web residue removed", title_justify="left")
    table.add_column("kind")
    table.add_column("spans", justify="right")
    table.add_column("characters", justify="right")
    for reason, row in summary["residue"].items():
        table.add_row(reason, str(row["spans"]), f"{row['chars']:,}")
    return table


def print_corpus(out, summary: dict) -> None:
    """The corpus table, and the residue table when anything was removed."""
    out.print(summary_table(summary))
    if summary["residue"]:
        out.print(residue_table(summary))


def print_errors(errors: list[dict[str, str]]) -> None:
    err = console(stderr=True)
    for e in errors:
        err.print(f"termalign: error: {e['path']}: {e['message']}", markup=False)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@json_option
@click.option(
    "--workers", type=int, default=None, help="Processes for segmentation (default: all cores for inputs over 1 MB)."
)
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option(
    "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
    help="Where segmentation runs: this machine, or Ray actors (pip install -e '.[ray]').",
)
@click.option("--address", default=None, help="Ray cluster to join with --engine ray (default: start a local one).")
def ingest(
    paths: tuple[str, ...], db: str, as_json: bool, workers: int | None, max_bytes: int, engine: str,
    address: str | None,
) -> None:
    """Read articles into the termbase store.

    PATHS are files or directories (.txt .md .html .jsonl, UTF-8). Web residue (captions,
    comment counters, menus, source lines) is removed, each sentence gets its language
    (km th vi en), and words are segmented. Re-ingesting an unchanged file does nothing; a
    changed file replaces its old version. Exit code 2 when any file failed.
    """
    files = list(discover(list(paths)))
    if not files:
        raise InputError(f"no article files found (looked for {', '.join(EXTENSIONS)})", path=" ".join(paths))
    conn = open_store(db)
    with progress() as bar:
        task = bar.add_task("ingest", total=len(files), item="")

        def step(path):
            bar.update(task, advance=1, item=str(path))

        report = ingest_paths(
            conn, list(paths), max_bytes=max_bytes, on_file=step, workers=workers, engine=engine, address=address
        )
    summary = corpus_summary(conn)
    summary.update(
        added=report.count("added"), replaced=report.count("replaced"), unchanged=report.count("unchanged"),
        errors=report.errors,
    )
    if as_json:
        print_json(summary)
    else:
        out = console()
        print_corpus(out, summary)
        out.print(
            f"{summary['added']} added, {summary['replaced']} replaced, {summary['unchanged']} unchanged"
            f" → {safe_location(db)}"
        )
        print_errors(report.errors)
    if report.errors:
        raise click.exceptions.Exit(2)
