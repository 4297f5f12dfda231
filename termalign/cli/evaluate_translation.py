"""`termalign evaluate translation` (mounted by the evaluate group; a command on its own too)."""

from __future__ import annotations

import click
from rich.table import Table

from termalign.cli.common import console, json_option, print_json


@click.command()
@click.option(
    "--ref", required=True, type=click.Path(dir_okay=False), help="Reference translations, one segment per line."
)
@click.option("--hyp", required=True, type=click.Path(dir_okay=False), help="Hypotheses, line-aligned with --ref.")
@click.option("--terms", type=click.Path(dir_okay=False), help="Glossary (TBX, CSV or TSV) for term accuracy.")
@click.option(
    "--source",
    type=click.Path(dir_okay=False),
    help="Source segments, line-aligned: terms are required where their source term occurs.",
)
@click.option("--src", default=None, help="Source language (default: identified from --source).")
@click.option("--tgt", default=None, help="Target language (default: identified from --ref).")
@json_option
def translation(
    ref: str, hyp: str, terms: str | None, source: str | None, src: str | None, tgt: str | None, as_json: bool
) -> None:
    """BLEU, chrF++ and TER (sacrebleu, with signatures), and term accuracy.

    \b
    Files are line-aligned, FLORES style. With --terms: exact-match term accuracy (the share
    of required target terms found in the hypothesis) and the share of segments with every
    required term. A term is required where its source term occurs in --source, or, without
    a source file, where one of its target terms occurs in the reference.

    \b
    Example:
      termalign evaluate translation --ref flores.en --hyp hyp.en --terms egov.tbx --source flores.km --json
    """
    from termalign.cli.common import glossary_file
    from termalign.translate.evaluate import evaluate_files

    glossary = glossary_file(terms) if terms else None
    result = evaluate_files(ref, hyp, tgt=tgt, glossary=glossary, source=source, src=src)
    if as_json:
        print_json(result)
        return
    table = Table(
        title=f"Translation scores: {result['segments']} segments, target {result['tgt']}", title_justify="left"
    )
    table.add_column("metric")
    table.add_column("score", justify="right")
    table.add_column("signature")
    for name in ("bleu", "chrf++", "ter"):
        table.add_row(
            name.upper() if name != "chrf++" else "chrF++", f"{result[name]['score']:.2f}", result[name]["signature"]
        )
    t = result.get("terms")
    if t:
        acc = "n/a" if t["accuracy"] is None else f"{100 * t['accuracy']:.1f}%"
        seg = "n/a" if t["segments_all_terms"] is None else f"{100 * t['segments_all_terms']:.1f}%"
        table.add_row("term accuracy", acc, f"{t['found']}/{t['required']} terms; {t['signature']}")
        table.add_row("segments with every term", seg, f"of {t['segments_with_terms']} segments with terms")
    console().print(table)
