"""Convert a local transformers checkpoint into a termalign model directory.

A thin wrapper over CTranslate2's ``TransformersConverter``: it converts, copies the
sentencepiece model(s) and writes the manifest. It needs the ``convert`` extra (transformers
and torch) and a checkpoint already on disk; nothing here downloads.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from termalign import lang as languages
from termalign.errors import InputError, ModelError
from termalign.translate.models import (
    FAMILIES,
    MANIFEST,
    Family,
    Manifest,
    TranslationModel,
    family,
    file_checksum,
)

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float16", "bfloat16", "float32")


def detect_family(checkpoint: Path) -> Family:
    """The family of a transformers checkpoint, from its ``config.json`` and tokenizer config."""
    try:
        config = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("not a transformers checkpoint (config.json missing)", path=str(checkpoint)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"config.json is not valid JSON ({exc})", path=str(checkpoint)) from None
    model_type = config.get("model_type")
    if model_type == "marian":
        return FAMILIES["marian"]
    if model_type == "m2m_100":
        tokenizer_class = config.get("tokenizer_class") or ""
        tok_config = checkpoint / "tokenizer_config.json"
        if tok_config.is_file():
            tokenizer_class = json.loads(tok_config.read_text(encoding="utf-8")).get("tokenizer_class") or tokenizer_class
        return FAMILIES["nllb" if tokenizer_class.startswith("Nllb") else "m2m100"]
    raise InputError(
        f"model type {model_type!r} is not a family termalign knows (NLLB-200, M2M-100, Marian/OPUS-MT)",
        path=str(checkpoint),
    )


class _WithLanguageTokens:
    """A tokenizer whose ``get_vocab`` also lists its language tokens.

    transformers 5 keeps M2M-100's ``__xx__`` tokens out of ``get_vocab`` and
    ``additional_special_tokens``, where CTranslate2's M2M-100 loader looks for them; without
    them the converted vocabulary would be shorter than the model's embedding matrix."""

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)

    def get_vocab(self) -> dict[str, int]:
        vocab = dict(self._tokenizer.get_vocab())
        vocab.update(getattr(self._tokenizer, "lang_token_to_id", {}) or {})
        return vocab


def model_vocabulary(tokenizer: Any) -> dict[str, int]:
    """Token → id as the converted model will see it."""
    return _WithLanguageTokens(tokenizer).get_vocab()


def convert_model(
    checkpoint: str | Path,
    output: str | Path,
    *,
    family_name: str | None = None,
    sources: list[str] | None = None,
    targets: list[str] | None = None,
    quantization: str = "int8",
    name: str | None = None,
    licence: str | None = None,
    force: bool = False,
    tokenizer: Any = None,
) -> TranslationModel:
    """Convert a transformers checkpoint directory into a termalign model at ``output``.

    ``sources``/``targets`` default to km, th, vi and en for the multilingual families; a
    Marian checkpoint is bilingual (or multi-target) and needs them given. ``tokenizer``
    replaces the checkpoint's own where transformers cannot load it. Returns the checked model.
    """
    checkpoint, output = Path(checkpoint), Path(output)
    if not checkpoint.is_dir():
        raise InputError("no such checkpoint directory", path=str(checkpoint))
    if quantization not in QUANTIZATIONS:
        raise InputError(f"unknown quantization {quantization!r} (one of {', '.join(QUANTIZATIONS)})")
    if output.exists() and any(output.iterdir()) and not force:
        raise InputError("output directory exists and is not empty (use --force to replace it)", path=str(output))
    fam = family(family_name) if family_name else detect_family(checkpoint)
    if fam.name == "marian" and not (sources and targets):
        raise InputError("a Marian/OPUS-MT checkpoint needs its languages: give --src and --tgt")
    sources = list(sources or languages.CODES)
    targets = list(targets or languages.CODES)
    for code in (*sources, *targets):
        languages.get(code)
    spm_files = [f for f in dict.fromkeys(fam.spm_files) if (checkpoint / f).is_file()]
    if len(spm_files) != len(set(fam.spm_files)):
        raise InputError(f"checkpoint lacks its sentencepiece model(s): {', '.join(fam.spm_files)}", path=str(checkpoint))

    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:  # torch or transformers missing
        raise ModelError(f"conversion needs the convert extra: pip install 'termalign[convert]' ({exc})") from None

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            loaded = tokenizer if tokenizer is not None else super().load_tokenizer(
                tokenizer_class, model_name_or_path, **kwargs
            )
            return _WithLanguageTokens(loaded)

    try:
        Converter(str(checkpoint), copy_files=spm_files).convert(str(output), quantization=quantization, force=True)
    except (ValueError, OSError, RuntimeError, NotImplementedError) as exc:
        shutil.rmtree(output, ignore_errors=True)
        raise ModelError(f"CTranslate2 cannot convert this checkpoint ({exc})", path=str(checkpoint)) from None

    hf_config = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    positions = int(hf_config.get("max_position_embeddings") or 512)
    manifest = Manifest(
        family=fam.name,
        name=name or checkpoint.resolve().name,
        licence=licence or fam.licence,
        source_languages=tuple(sources),
        target_languages=tuple(targets),
        sentencepiece=fam.spm_files,
        target_tokens=fam.name == "marian" and _has_target_tokens(output),
        max_input_length=positions,
        max_decoding_length=positions,
        quantization=quantization,
        origin=str(checkpoint),
        checksum=file_checksum(output / "model.bin"),
    )
    if manifest.target_tokens:
        manifest = replace(manifest, codes=_marian_codes(output, targets))
    manifest.write(output)
    try:
        return TranslationModel(output)
    except ModelError:
        (output / MANIFEST).unlink(missing_ok=True)
        raise


def _vocabulary(output: Path) -> set[str]:
    for name in ("shared_vocabulary.json", "target_vocabulary.json", "source_vocabulary.json"):
        if (output / name).is_file():
            return set(json.loads((output / name).read_text(encoding="utf-8")))
    return set()


def _has_target_tokens(output: Path) -> bool:
    return any(t.startswith(">>") and t.endswith("<<") for t in _vocabulary(output))


def _marian_codes(output: Path, targets: list[str]) -> dict[str, str]:
    """Target-token codes of a multi-target OPUS-MT model (``>>vie<<`` or ``>>vi<<``)."""
    vocab = _vocabulary(output)
    codes: dict[str, str] = {}
    for code in targets:
        usual = languages.get(code).mt_codes["opus"]
        for candidate in (usual, code):
            if f">>{candidate}<<" in vocab:
                if candidate != usual:
                    codes[code] = candidate
                break
        else:
            raise ModelError(f"the model has no >>{usual}<< token: it does not translate into {code}", path=str(output))
    return codes
