"""`termalign export`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from termalign import lang as languages
from termalign.cli.common import console, db_option, json_option, print_json
from termalign.errors import InputError
from termalign.export import FORMATS, export_termbase, format_of
from termalign.store import open_store

_KINDS = {
    "csv": "CSV", "tsv": "TSV", "omegat": "OmegaT glossary", "memoq-csv": "memoQ CSV", "memoq-xlsx": "memoQ XLSX",
    "weblate": "TBX v2, Weblate conventions",
}


@click.command()
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write; '-' writes to standard output.",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="File format (see below). Default: from the extension of --output (tbx for '-').",
)
@click.option(
    "--tbx-version", type=click.Choice(["3", "2"]), default="3", show_default=True,
    help="3 = TBX v3 (ISO 30042:2019, <tbx>); 2 = TBX v2 (<martif>) for OmegaT and translate-toolkit.",
)
@click.option("--source", type=click.Choice(languages.CODES), help="Source language of an OmegaT glossary.")
@click.option("--target", type=click.Choice(languages.CODES), help="Target language of an OmegaT glossary.")
@click.option(
    "--include-unreviewed", is_flag=True, help="Also export proposals nobody has reviewed yet (marked as such)."
)
@db_option
@json_option
def export(
    output: str, fmt: str | None, tbx_version: str, source: str | None, target: str | None,
    include_unreviewed: bool, db: str, as_json: bool,
) -> None:
    """Export the termbase for a CAT tool or a spreadsheet.

    \b
    Which tool takes which format (each checked by the test suite as stated):
      tbx --tbx-version 2  TBX-Basic v2 (<martif>): OmegaT 3.6 reads it (tested with
                           OmegaT's own TBX reader), translate-toolkit reads it (tested).
      tbx                  TBX-Basic v3 (ISO 30042:2019, validated against the LTAC
                           schemas): for Phrase and other TBX v3 tools. OmegaT 3.6 and
                           translate-toolkit do not read v3.
      weblate              TBX v2 with Weblate's glossary conventions: deprecated terms
                           as administrativeStatus "forbidden", same-text concepts as
                           <descrip type="Translation needed">No</descrip> (read back
                           with translate-toolkit, which Weblate uses).
      omegat               OmegaT's glossary (.txt or .utf8): source, tab, target, tab,
                           comment for one pair (--source, --target); tested with
                           OmegaT 3.6's own glossary reader.
      memoq-csv, memoq-xlsx  memoQ's term base table: the entry columns of memoQ's
                           documented CSV format (Entry_ID … Entry_Note, ';', UTF-8),
                           then per language <Language>_Def and <Language> columns
                           (check the mapping in memoQ's import dialog).
      csv, tsv             termalign's spreadsheet: one row per concept, a column per
                           language, variants separated by " | ".
    Trados MultiTerm: import the memoQ or TBX file with MultiTerm's converter (no
    MultiTerm XML is written). Spreadsheet formats (csv, tsv, memoq-*) prefix cells a
    spreadsheet would run as formulas with "'"; termalign's import removes it again.

    \b
    Only approved concepts are exported unless --include-unreviewed is given, and then
    every format marks the unreviewed ones; rejected concepts and MT suggestions never
    are. The same store always gives a byte-identical file.

    \b
    Examples:
      termalign export -o glossary.tbx
      termalign export -o omegat-glossary.tbx --tbx-version 2
      termalign export -f omegat --source en --target km -o glossary/en-km.txt
      termalign export -f memoq-xlsx -o termbase.xlsx
      termalign export -o proposals.csv --include-unreviewed
    """
    fmt = fmt or ("tbx" if output == "-" else format_of(output))
    if fmt == "omegat" and (source is None or target is None or source == target):
        raise InputError("an OmegaT glossary holds one language pair: give --source and --target (two languages)")
    conn = open_store(db, create=False)
    if output != "-" and not Path(output).parent.is_dir():
        raise InputError("directory does not exist", path=str(Path(output).parent))
    try:
        target_file = sys.stdout.buffer if output == "-" else Path(output)
        count = export_termbase(
            conn, target_file, fmt, tbx_version=int(tbx_version), include_unreviewed=include_unreviewed,
            pair=(source, target) if source is not None and target is not None else None,
        )
    finally:
        conn.close()
    summary = {
        "output": output,
        "format": fmt,
        "tbx_version": int(tbx_version) if fmt == "tbx" else 2 if fmt == "weblate" else None,
        "statuses": ["approved", "unreviewed"] if include_unreviewed else ["approved"],
        "concepts": count,
    }
    if fmt == "omegat":
        summary["pair"] = [source or "", target or ""]
    if as_json and output != "-":
        print_json(summary)
    else:
        kind = f"TBX v{tbx_version}" if fmt == "tbx" else _KINDS[fmt]
        console(stderr=output == "-").print(f"{count} concepts → {output} ({kind})")
        if count == 0 and not include_unreviewed:
            console(stderr=True).print(
                "no approved concepts yet: review them (`termalign review`)"
                " or share proposals with --include-unreviewed"
            )
