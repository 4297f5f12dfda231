"""`termalign build`: the main job."""

from __future__ import annotations

import time
from pathlib import Path

import click

from termalign import __version__
from termalign.align import DEFAULT_PER_LANGUAGE, align
from termalign.cli.align import linked_documents_json, mt_translator, proposals_table, score_json, score_line
from termalign.cli.common import console, db_option, json_option, print_json, progress
from termalign.cli.ingest import print_corpus, print_errors
from termalign.errors import InputError
from termalign.export import export_termbase
from termalign.extract import DEFAULT_LIMIT, extract
from termalign.ingest import EXTENSIONS, discover, ingest_paths
from termalign.ingest.readers import DEFAULT_MAX_BYTES
from termalign.lexicon import build_lexicon
from termalign.store import open_store
from termalign.store.corpus import corpus_summary
from termalign.store.db import safe_location


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@json_option
@click.option("-o", "--out-dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Where to write termbase.tbx and termbase.tsv.")
@click.option(
    "--per-language", default=DEFAULT_PER_LANGUAGE, show_default=True, help="Candidates per language to align."
)
@click.option("--limit", type=int, default=DEFAULT_LIMIT, help="Candidates kept per language (default: all).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A CTranslate2 model directory: adds the MT signal and MT suggestions.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra lexicon TSV from `termalign lexicon build` (repeatable).")
@click.option("--no-tico-glossary", "no_tico", is_flag=True,
              help="Leave the base glossary's TICO-19 part out (to evaluate on TICO-19 text).")
@click.option(
    "--workers", type=int, default=None, help="Processes for segmentation (default: all cores for inputs over 1 MB)."
)
@click.option("--no-induced-lexicon", "no_induced", is_flag=True,
              help="Leave out the word pairs induced from NTREX-128/FLORES-200 (glossaries/induced/).")
@click.option("--no-base-glossary", "no_base", is_flag=True,
              help="Leave the shipped base glossary out (e.g. when evaluating on text it was made from).")
@click.option(
    "--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse article files larger than this."
)
def build(
    paths, db, as_json, out_dir, per_language, limit, model_dir, lexicons, no_tico, workers, no_induced, no_base,
    max_bytes,
) -> None:
    """Run the whole pipeline: ingest → extract → align (→ MT suggestions) → export.

    PATHS are article files or directories (.txt .md .html .jsonl; km th vi en). The
    termbase goes to --db (proposals wait for review: `termalign review`), and the
    proposals are exported to OUT_DIR/termbase.tbx (TBX-Basic v3) and termbase.tsv.
    Offline, deterministic: the same input gives byte-identical exports. Exit code 2 when
    some input file could not be read (the others are still built).
    """
    began = time.perf_counter()
    files = list(discover(list(paths)))
    if not files:
        raise InputError(f"no article files found (looked for {', '.join(EXTENSIONS)})", path=" ".join(paths))
    conn = open_store(db)
    timings = {}
    with progress() as bar:
        task = bar.add_task("build", total=len(files) + 3, item="")
        t = time.perf_counter()
        report = ingest_paths(conn, list(paths), max_bytes=max_bytes, workers=workers,
                              on_file=lambda p: bar.update(task, advance=1, item=f"ingest {p}"))
        timings["ingest"] = time.perf_counter() - t
        if report.errors and not report.results:
            print_errors(report.errors)
            raise InputError("no input could be read: nothing extracted, aligned or exported", path=" ".join(paths))
        bar.update(task, item="extract")
        t = time.perf_counter()
        # One lexicon (base glossary, approved concepts, --lexicon files) for both stages.
        lexicon = build_lexicon(conn, list(lexicons), base=not no_base, tico=not no_tico, induced=not no_induced)
        extracted = extract(conn, limit=limit, lexicon=lexicon)
        timings["extract"] = time.perf_counter() - t
        bar.update(task, advance=1, item="align")
        t = time.perf_counter()
        aligned = align(conn, per_language=per_language, translator=mt_translator(model_dir), lexicon=lexicon)
        timings["align"] = time.perf_counter() - t
        bar.update(task, advance=1, item="export")
        t = time.perf_counter()
        exports = _export(conn, Path(out_dir))
        timings["export"] = time.perf_counter() - t
        bar.update(task, advance=1, item="done")
    summary = corpus_summary(conn)
    result = {
        "documents": summary["documents"],
        "by_language": summary["by_language"],
        "residue": summary["residue"],
        "candidates": {code: v["candidates"] for code, v in extracted.by_language.items()},
        "proposals": aligned.proposals,
        "attested_terms": aligned.attested_terms,
        "suggestions": {"waiting": aligned.suggestions, "by_origin": aligned.suggestions_by_origin},
        "signals": aligned.by_signal,
        "linked_documents": linked_documents_json(aligned),
        "score": score_json(aligned),
        "exports": exports,
        "errors": report.errors,
        "seconds": {k: round(v, 3) for k, v in timings.items()} | {"total": round(time.perf_counter() - began, 3)},
        "signature": f"termalign:{__version__}|limit:{limit}|per-language:{per_language}|lexicons:{len(lexicons)}"
        f"|base:{not no_base}|model:{model_dir.name if model_dir else 'none'}"
        + ("|tico-glossary:off" if no_tico else "")
        + ("|induced-lexicon:off" if no_induced else ""),
    }
    if as_json:
        print_json(result)
    else:
        out = console()
        print_corpus(out, summary)
        out.print(proposals_table(conn, 10))
        out.print(
            f"{aligned.proposals} concept proposals from "
            + ", ".join(f"{c} {n:,}" for c, n in result["candidates"].items())
            + " candidates"
        )
        out.print(
            f"{aligned.attested_terms:,} attested terms; {aligned.suggestions:,} suggestions wait for review"
            + (" (" + ", ".join(f"{k} {v:,}" for k, v in sorted(aligned.suggestions_by_origin.items())) + ")"
               if aligned.suggestions else "")
        )
        out.print(f"{len(aligned.linked_documents)} pairs of articles found to tell the same story")
        out.print(score_line(aligned))
        for fmt, info in exports.items():
            out.print(f"{fmt}: {info['path']} ({info['concepts']} concepts)")
        where = safe_location(db)
        seconds = result["seconds"]["total"]
        out.print(f"termbase: {where} — review it with `termalign review --db {where}`  [{seconds:.1f} s]")
        print_errors(report.errors)
    if report.errors:
        raise click.exceptions.Exit(2)


def _export(conn, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    exports = {}
    for fmt in ("tbx", "tsv"):
        path = out_dir / f"termbase.{fmt}"
        n = export_termbase(conn, path, fmt, include_unreviewed=True)
        exports[fmt] = {"path": str(path), "concepts": n}
    return exports


__all__ = ["build"]
