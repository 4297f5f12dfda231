"""`termalign import` (the module is not called ``import``: that is a Python keyword)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click
from rich.table import Table

from termalign.cli.common import console, db_option, json_option, print_json, progress
from termalign.errors import ConflictError
from termalign.export import ImportReport, import_termbase
from termalign.store import open_store

#: How many conflicts the table shows (--json lists them all).
SHOWN_CONFLICTS = 20


def report_table(report: dict) -> Table:
    title = "Import (dry run, nothing written)" if report["dry_run"] else "Import"
    table = Table(title=f"{title} of {Path(report['path']).name}", title_justify="left")
    table.add_column("outcome")
    table.add_column("concepts", justify="right")
    for key, label in (
        ("added", "added"),
        ("merged", "merged into existing concepts"),
        ("unchanged", "already in the store"),
        ("conflicting", "conflicting (not applied)"),
        ("skipped", "skipped (no km/th/vi/en term)"),
    ):
        table.add_row(label, f"{report[key]:,}")
    return table


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
@json_option
@click.option(
    "--reviewer", default=lambda: os.environ.get("TERMALIGN_REVIEWER") or getpass.getuser(),
    show_default="$TERMALIGN_REVIEWER or the OS user", help="Name written to the review log.",
)
@click.option(
    "--status", "default_status", type=click.Choice(["approved", "unreviewed"]), default="unreviewed",
    show_default=True,
    help="Review status of entries the file does not mark (files from other tools); "
    "termalign's own exports keep theirs. Give 'approved' only for a vetted termbase.",
)
@click.option("--dry-run", is_flag=True, help="Report what would happen, change nothing.")
def import_(file: str, db: str, as_json: bool, reviewer: str, default_status: str, dry_run: bool) -> None:
    """Import a termbase from TBX (v3 or v2), CSV or TSV into the store.

    \b
    Each entry is matched to stored concepts by normalized key (the same term in the same
    language, spelling variants folded) and then:
      added        no stored concept shares a term with it;
      merged       its new terms, contexts and notes join the matching concept;
      conflicting  it contradicts a reviewed concept (status, preferred term, subject
                   field) or matches several concepts equally: nothing is applied and
                   the reason is listed, so a reviewer can decide.
    Decisions already in the store are never overwritten.

    \b
    Only Khmer, Thai, Vietnamese and English terms are kept (other languages are counted
    and reported). The import is one transaction: a malformed or hostile file (a DOCTYPE
    with entities, broken XML, a CSV row that does not parse) changes nothing, and the
    error names the file and line. Every concept added or changed gets a review-log entry.

    \b
    Examples:
      termalign import partner-glossary.tbx
      termalign import terms.csv --dry-run
      termalign import ministry-approved.tbx --status approved
    """
    conn = open_store(db)
    try:
        with progress(disable=as_json) as bar:
            task = bar.add_task("import", total=None, item="")
            report = import_termbase(
                conn, file, reviewer=reviewer, default_status=default_status, dry_run=dry_run,
                on_entry=lambda entry: bar.update(task, advance=1, item=entry.where),
            )
    finally:
        conn.close()
    data = report.to_dict()
    if as_json:
        print_json(data)
    else:
        _print_report(report, data)
    if report.conflicts:
        # The README's exit code 4: entries contradicted decisions of the store and were not applied.
        n = len(report.conflicts)
        console(stderr=True).print(
            f"termalign: {n} conflicting {'entry' if n == 1 else 'entries'} not applied (--json lists them all)",
            markup=False, highlight=False,
        )
        raise click.exceptions.Exit(ConflictError.exit_code)


def _print_report(report: ImportReport, data: dict) -> None:
    out = console()
    out.print(report_table(data))
    for conflict in report.conflicts[:SHOWN_CONFLICTS]:
        ids = ", ".join(str(i) for i in conflict.concepts)
        out.print(
            f"[yellow]conflict[/] {conflict.where} ↔ concept {ids}: {conflict.reason}", markup=True, highlight=False
        )
    if len(report.conflicts) > SHOWN_CONFLICTS:
        out.print(f"… {len(report.conflicts) - SHOWN_CONFLICTS} more conflicts (use --json for all)")
    if data["ignored_languages"]:
        langs = ", ".join(f"{k} ({v} terms)" for k, v in data["ignored_languages"].items())
        out.print(f"Other languages, not imported: {langs}")
    if data["ignored_categories"]:
        cats = ", ".join(f"{k} ({v})" for k, v in data["ignored_categories"].items())
        out.print(f"Data categories the termbase does not hold, not imported: {cats}")
