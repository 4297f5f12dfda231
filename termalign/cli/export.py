"""`termalign export`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from termalign.cli.common import console, db_option, json_option, print_json
from termalign.errors import InputError
from termalign.export import FORMATS, export_termbase, format_of
from termalign.store import open_store


@click.command()
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (.tbx, .csv or .tsv); '-' writes to standard output.",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="File format. Default: from the extension of --output (tbx for '-').",
)
@click.option(
    "--tbx-version", type=click.Choice(["3", "2"]), default="3", show_default=True,
    help="3 = TBX v3 (ISO 30042:2019, <tbx>); 2 = TBX v2 (<martif>) for older tools.",
)
@click.option("--include-unreviewed", is_flag=True, help="Also export proposals nobody has reviewed yet.")
@db_option
@json_option
def export(output: str, fmt: str | None, tbx_version: str, include_unreviewed: bool, db: str, as_json: bool) -> None:
    """Export the termbase as TBX-Basic, CSV or TSV.

    \b
    TBX is the exchange format of memoQ, Trados MultiTerm, Phrase, OmegaT and Okapi. The file
    holds one entry per concept with its terms in Khmer, Thai, Vietnamese and English,
    each term's status (preferred / admitted / deprecated), part of speech, context
    sentences with their source, notes, subject field, and who approved it when.
    CSV/TSV holds one row per concept for spreadsheets: a column per language, variants
    separated by " | " with the preferred term first.

    \b
    Only approved concepts are exported unless --include-unreviewed is given; rejected
    ones never are. The same store always gives a byte-identical file.

    \b
    Examples:
      termalign export -o glossary.tbx
      termalign export -o glossary-v2.tbx --tbx-version 2
      termalign export -o proposals.csv --include-unreviewed
    """
    if output == "-":
        fmt = fmt or "tbx"
    else:
        fmt = fmt or format_of(output)
    conn = open_store(db, create=False)
    if output != "-" and not Path(output).parent.is_dir():
        raise InputError("directory does not exist", path=str(Path(output).parent))
    try:
        target = sys.stdout.buffer if output == "-" else Path(output)
        count = export_termbase(conn, target, fmt, tbx_version=int(tbx_version), include_unreviewed=include_unreviewed)
    finally:
        conn.close()
    summary = {
        "output": output,
        "format": fmt,
        "tbx_version": int(tbx_version) if fmt == "tbx" else None,
        "statuses": ["approved", "unreviewed"] if include_unreviewed else ["approved"],
        "concepts": count,
    }
    if as_json and output != "-":
        print_json(summary)
    else:
        kind = f"TBX v{tbx_version}" if fmt == "tbx" else fmt.upper()
        console(stderr=output == "-").print(f"{count} concepts → {output} ({kind})")
        if count == 0 and not include_unreviewed:
            console(stderr=True).print(
                "no approved concepts yet: review them (`termalign review`) or share proposals with --include-unreviewed"
            )
