"""`termalign models list|info|convert|adopt`."""

from __future__ import annotations

import os
from typing import Any

import click
from rich.table import Table

from termalign.cli.common import console, json_option, print_json

DEFAULT_ROOT = "models"


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@click.group()
def models() -> None:
    """List, inspect and convert translation models.

    \b
    A model is a directory: a CTranslate2 model, its sentencepiece model(s) and
    termalign-model.json (family, languages, licence). Families: NLLB-200, M2M-100,
    Marian/OPUS-MT.
    """


@models.command("list")
@click.argument("roots", nargs=-1, type=click.Path())
@json_option
def list_(roots: tuple[str, ...], as_json: bool) -> None:
    """Models in ROOTS (directories that are models or hold models; default: $TERMALIGN_MODELS or ./models)."""
    from termalign.errors import ModelError
    from termalign.translate.models import TranslationModel, find_models

    roots = roots or (os.environ.get("TERMALIGN_MODELS", DEFAULT_ROOT),)
    rows: list[dict[str, Any]] = []
    broken: list[dict[str, str]] = []
    for path in find_models(list(roots)):
        try:
            model = TranslationModel(path)
        except ModelError as exc:
            broken.append({"path": str(path), "error": exc.message})
            continue
        m = model.manifest
        rows.append(
            {
                "name": m.name,
                "family": m.family,
                "sources": list(m.source_languages),
                "targets": list(m.target_languages),
                "quantization": m.quantization,
                "licence": m.licence,
                "size_bytes": model.size_bytes(),
                "path": str(path),
            }
        )
    if as_json:
        print_json({"models": rows, "broken": broken})
        return
    out = console()
    if not rows and not broken:
        out.print(f"no models in {', '.join(roots)} (convert one with `termalign models convert`)")
        return
    table = Table(title_justify="left")
    for col in ("name", "family", "languages", "quantization", "size", "licence", "path"):
        table.add_column(col, justify="right" if col == "size" else "left", overflow="fold")
    for r in rows:
        table.add_row(
            r["name"],
            r["family"],
            f"{' '.join(r['sources'])} → {' '.join(r['targets'])}",
            r["quantization"] or "",
            _size(r["size_bytes"]),
            r["licence"],
            r["path"],
        )
    out.print(table)
    for b in broken:
        console(stderr=True).print(f"[red]broken[/]: {b['path']}: {b['error']}", markup=True, highlight=False)


@models.command()
@click.argument("model_dir", type=click.Path())
@json_option
def info(model_dir: str, as_json: bool) -> None:
    """Show a model's manifest, language tokens, vocabulary and size (and check the directory)."""
    from termalign.translate.models import TranslationModel

    details = TranslationModel(model_dir).info()
    if as_json:
        print_json(details)
        return
    table = Table(show_header=False, title=details["name"], title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in details.items():
        if key == "size_bytes":
            value = _size(value)
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = " ".join(map(str, value))
        table.add_row(key, str(value))
    console().print(table)


@models.command()
@click.argument("checkpoint", type=click.Path(file_okay=False))
@click.argument("output", type=click.Path(file_okay=False))
@click.option(
    "--family",
    "family_name",
    type=click.Choice(["nllb", "m2m100", "marian"]),
    default=None,
    help="Default: from the checkpoint's config.",
)
@click.option(
    "--src", "sources", multiple=True, help="Source language (repeatable). Default for NLLB/M2M-100: km th vi en."
)
@click.option(
    "--tgt", "targets", multiple=True, help="Target language (repeatable). Default for NLLB/M2M-100: km th vi en."
)
@click.option(
    "--quantization", default="int8", show_default=True, help="int8, int8_float32, int16, float16, bfloat16 or float32."
)
@click.option("--name", default=None, help="Model name (default: the checkpoint directory's name).")
@click.option(
    "--licence", default=None, help="Licence to record (default: the family's usual one; check the model card)."
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@json_option
def convert(
    checkpoint: str,
    output: str,
    family_name: str | None,
    sources: tuple[str, ...],
    targets: tuple[str, ...],
    quantization: str,
    name: str | None,
    licence: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Convert a transformers checkpoint already on disk into a model directory.

    \b
    Needs the convert extra (pip install 'termalign[convert]'); nothing is downloaded.
    Wraps CTranslate2's TransformersConverter and writes termalign-model.json.

    \b
    Examples:
      termalign models convert ~/hf/nllb-200-distilled-600M models/nllb-600m
      termalign models convert ~/hf/opus-mt-en-vi models/opus-en-vi --src en --tgt vi
    """
    from termalign.translate.convert import convert_model

    model = convert_model(
        checkpoint,
        output,
        family_name=family_name,
        sources=list(sources) or None,
        targets=list(targets) or None,
        quantization=quantization,
        name=name,
        licence=licence,
        force=force,
    )
    if as_json:
        print_json(model.info())
        return
    m = model.manifest
    console().print(
        f"{m.name} ({model.family.title}, {m.quantization}) → {model.path}: "
        f"{' '.join(m.source_languages)} → {' '.join(m.target_languages)}, licence {m.licence}, "
        f"{_size(model.size_bytes())}"
    )


@models.command()
@click.argument("model_dir", type=click.Path(file_okay=False))
@click.option(
    "--family",
    "family_name",
    type=click.Choice(["nllb", "m2m100", "marian"]),
    default=None,
    help="Default: from the vocabulary's language tokens.",
)
@click.option(
    "--src",
    "sources",
    multiple=True,
    help="Source language (repeatable). Default: every termalign language the vocabulary has a token for.",
)
@click.option("--tgt", "targets", multiple=True, help="Target language (repeatable). Default: as --src.")
@click.option(
    "--sentencepiece",
    "spm",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Sentencepiece model to copy in (once for both sides, or source then target).",
)
@click.option("--name", default=None, help="Model name (default: the directory's name).")
@click.option(
    "--licence", default=None, help="Licence to record (default: the family's usual one; check the model card)."
)
@click.option("--force", is_flag=True, help="Replace an existing termalign-model.json.")
@json_option
def adopt(
    model_dir: str,
    family_name: str | None,
    sources: tuple[str, ...],
    targets: tuple[str, ...],
    spm: tuple[str, ...],
    name: str | None,
    licence: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Make a termalign model of a directory written by ct2-transformers-converter.

    \b
    Writes termalign-model.json into MODEL_DIR: family and languages from the vocabulary,
    positions from model.bin, the checksum of model.bin; copies --sentencepiece in when the
    directory lacks it. Needs neither torch nor transformers.

    \b
    Examples:
      ct2-transformers-converter --model facebook/nllb-200-distilled-600M --output_dir models/nllb
      termalign models adopt models/nllb --sentencepiece ~/hf/nllb/sentencepiece.bpe.model
      termalign models adopt models/opus-en-vi --src en --tgt vi
    """
    from termalign.translate.convert import adopt_model

    model = adopt_model(
        model_dir,
        family_name=family_name,
        sources=list(sources) or None,
        targets=list(targets) or None,
        sentencepiece=list(spm) or None,
        name=name,
        licence=licence,
        force=force,
    )
    if as_json:
        print_json(model.info())
        return
    m = model.manifest
    console().print(
        f"{m.name} ({model.family.title}) at {model.path}: {' '.join(m.source_languages)} → "
        f"{' '.join(m.target_languages)}, {m.max_input_length} positions, licence {m.licence}"
    )
