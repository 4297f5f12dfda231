"""`termalign translate`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from termalign.cli.common import db_option, json_option, print_json, progress
from termalign.ingest.readers import DEFAULT_MAX_BYTES

#: Exit code of a run that wrote every document but could not translate some segments
#: (each reported in the JSONL output with its error).
SEGMENTS_FAILED = 6


def parse_enforce(value: str) -> tuple[str, ...]:
    from termalign.translate.engine import ENFORCEMENT

    if value.strip().lower() in ("", "none", "off"):
        return ()
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [n for n in names if n not in ENFORCEMENT]
    if unknown:
        raise click.BadParameter(
            f"unknown strategy {', '.join(unknown)} (choose from {', '.join(ENFORCEMENT)} or none)"
        )
    return names


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--src", required=True, help="Source language: km, th, vi or en.")
@click.option("--tgt", required=True, help="Target language: km, th, vi or en.")
@click.option(
    "--model",
    "model_dir",
    required=True,
    envvar="TERMALIGN_MODEL",
    type=click.Path(),
    help="Model directory (CTranslate2 model, sentencepiece, termalign-model.json). Env: TERMALIGN_MODEL.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="Output file (.jsonl for JSON lines, .xlf/.xliff for XLIFF).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl", "xliff"]),
    default=None,
    help="text: the translation, line structure kept; jsonl: one record per document with the term report; "
    "xliff: XLIFF 1.2 for post-editing in a CAT tool (a <file> per document, term notes per segment). "
    "Default: from the extension of --output.",
)
@click.option(
    "--glossary",
    type=click.Path(dir_okay=False),
    help="Glossary to enforce (TBX, CSV or TSV). Default: the approved concepts of --db.",
)
@click.option("--no-glossary", is_flag=True, help="Enforce no glossary.")
@db_option
@click.option(
    "--enforce",
    default="nbest,align,bias,prefix",
    show_default=True,
    help="Glossary enforcement strategies, comma-separated, or 'none' (the post-check still runs): nbest "
    "(rerank the n-best list), align (put the term where its source aligns in the model's 1-best, as an edit "
    "scored by the model, or forced there and the model left to go on), "
    "bias (suggest the edited translation with prefix_bias_beta), prefix (a segment that is a term), "
    "mask (placeholders: only for models trained to copy them).",
)
@click.option("--no-mask-anchors", is_flag=True, help="Do not mask Latin anchors and numbers.")
@click.option("--beam", "beam_size", default=4, show_default=True, help="Beam size.")
@click.option("--n-best", default=4, show_default=True, help="Hypotheses per request reranked by glossary coverage.")
@click.option("--repetition-penalty", default=1.0, show_default=True, help="> 1 penalizes repeated tokens.")
@click.option(
    "--no-repeat-ngram-size", default=0, show_default=True, help="Forbid repeating n-grams of this size (0: off)."
)
@click.option(
    "--max-input-length",
    type=int,
    default=None,
    help="Longest source in tokens (default: the model's); longer sentences are split.",
)
@click.option("--max-decoding-length", type=int, default=None, help="Longest target in tokens (default: the model's).")
@click.option("--max-batch-tokens", default=2048, show_default=True, help="Tokens per batch.")
@click.option(
    "--threads", type=int, default=lambda: os.cpu_count() or 1, show_default="all cores", help="CPU threads in all."
)
@click.option(
    "--inter-threads",
    type=int,
    default=None,
    help="Batches translated in parallel (default: --threads); the rest is threads per batch.",
)
@click.option(
    "--compute-type",
    default="default",
    show_default=True,
    help="CTranslate2 compute type (default: as converted, e.g. int8).",
)
@click.option("--overwrite", is_flag=True, help="Replace the output instead of resuming an interrupted run.")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse input files larger than this.")
@click.option(
    "--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
    help="Where documents are translated: this machine, or Ray actors (pip install -e '.[ray]'); same output.",
)
@click.option("--address", default=None, help="Ray cluster to join with --engine ray (default: start a local one).")
@click.option("--skip-bad", is_flag=True, help="Leave out unreadable input files (reported) instead of stopping.")
@json_option
def translate(
    inputs: tuple[str, ...],
    src: str,
    tgt: str,
    model_dir: str,
    output: str,
    fmt: str | None,
    glossary: str | None,
    no_glossary: bool,
    db: str,
    enforce: str,
    no_mask_anchors: bool,
    beam_size: int,
    n_best: int,
    repetition_penalty: float,
    no_repeat_ngram_size: int,
    max_input_length: int | None,
    max_decoding_length: int | None,
    max_batch_tokens: int,
    threads: int,
    inter_threads: int | None,
    compute_type: str,
    overwrite: bool,
    max_bytes: int,
    engine: str,
    address: str | None,
    skip_bad: bool,
    as_json: bool,
) -> int:
    """Translate articles with a CTranslate2 model, enforcing the approved glossary.

    \b
    INPUTS are files or directories (.txt .md .html .jsonl; any other file is read as plain
    text, so FLORES files work), or - for standard input. Text is translated sentence by sentence, line by line:
    the output keeps the input's lines. Latin anchors and numbers pass through.

    \b
    The glossary (--glossary, else the approved concepts of --db) is enforced by reranking
    n-best lists by term coverage, by forcing the target term at the place its source term
    aligns to (attention) and letting the model continue, by a biased prefix, and (--enforce
    mask) by placeholders; deprecated target terms are kept out. Every segment is then
    checked, and the JSONL output reports per segment which required target terms appear
    (as whole words) and any forbidden one; the XLIFF output (for post-editing) carries the
    same report as notes of each trans-unit.

    \b
    A segment the model cannot translate is reported (JSONL: its "error") and the run goes
    on; the exit code is then 6. Empty input files are left out and named.

    \b
    An interrupted run started again with the same arguments resumes: finished documents
    are kept (OUT.progress records them), the rest are translated.

    \b
    Examples:
      termalign translate --src km --tgt en --model models/nllb-600m articles/ -o out.jsonl
      termalign translate --src km --tgt en --model DIR --glossary egov.tbx flores.km -o hyp.en
      termalign translate --src km --tgt en --model DIR articles/ -o post-edit.xlf
    """
    from termalign.cli.common import glossary_file
    from termalign.translate import Translator, load_glossary
    from termalign.translate.batch import check_inputs, translate_files

    files = check_inputs(list(inputs), max_bytes, skip_bad)
    for f in files:
        if f.problem:
            click.echo(f"termalign: left out: {f.path}: {f.problem}", err=True)
    if no_glossary:
        terms = None
    elif glossary:
        terms = glossary_file(glossary)
    elif Path(db).is_file():
        from termalign.store import open_store

        conn = open_store(db, create=False)
        try:
            terms = load_glossary(conn=conn)
        finally:
            conn.close()
    else:
        terms = None
    inter = max(1, min(inter_threads or threads, threads))
    translator = Translator(
        model_dir,
        glossary=terms,
        enforce=parse_enforce(enforce),
        mask_anchors=not no_mask_anchors,
        beam_size=beam_size,
        n_best=min(n_best, beam_size),
        repetition_penalty=repetition_penalty,
        no_repeat_ngram_size=no_repeat_ngram_size,
        max_input_length=max_input_length,
        max_decoding_length=max_decoding_length,
        max_batch_tokens=max_batch_tokens,
        compute_type=compute_type,
        inter_threads=inter,
        intra_threads=max(1, threads // inter),
    )
    if engine == "ray":
        from typing import cast

        from termalign.translate.ray_batch import RayTranslator

        # A RayTranslator has the two methods translate_files uses: signature, translate_documents.
        translator = cast(Translator, RayTranslator(translator, address=address))
    total = sum(f.documents for f in files)
    with progress(disable=as_json) as bar:
        task = bar.add_task("translate", total=total, item="")

        def step(doc_id: str, skipped: bool) -> None:
            bar.update(task, advance=1, item=("skipped " if skipped else "") + doc_id)

        report = translate_files(translator, files, output, src, tgt, fmt=fmt, overwrite=overwrite, on_document=step)
    code = SEGMENTS_FAILED if report.segments_failed else 0
    summary = report.to_dict()
    summary["glossary"] = terms.origin if terms is not None else None
    if as_json:
        print_json(summary)
        return code
    terms_line = (
        f"terms {report.terms_found}/{report.terms_required} found, "
        f"{report.segments_all_terms}/{report.segments_with_terms} segments with every term"
        if report.terms_required
        else "no glossary terms in the input"
    )
    # Plain lines, never wrapped: scripts grep the signature.
    click.echo(
        f"{report.documents} documents translated, {report.skipped} already done → {report.output} ({report.format}); "
        f"{report.segments} segments in {report.seconds:.1f} s; {terms_line}",
        err=True,
    )
    if report.segments_with_issues:
        click.echo(f"{report.segments_with_issues} segments with issues:", err=True)
        for item in report.issues[:10]:
            click.echo(f"  {item['document']} segment {item['segment']}: {'; '.join(item['issues'])}", err=True)
    for item in report.left_out[len([f for f in files if f.problem]) :]:
        click.echo(f"left out: {item['path']}: {item['problem']}", err=True)
    for conflict in report.glossary_conflicts[:10]:
        click.echo(f"glossary: {conflict}", err=True)
    if report.segments_failed:
        click.echo(f"{report.segments_failed} segments failed (not translated; see the JSONL output):", err=True)
        for item in report.failures[:10]:
            click.echo(f"  {item['document']} segment {item['segment']}: {item['error']}", err=True)
    click.echo(f"signature: {report.signature}", err=True)
    return code
