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
    read_position_limit,
)

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float16", "bfloat16", "float32")


def detect_family(checkpoint: Path) -> Family:
    """The family of a transformers checkpoint, through the registry: the families whose
    ``hf_configs`` hold the checkpoint's configuration class, told apart (where several
    share it, as NLLB-200 and M2M-100 do) by ``hf_tokenizers``."""
    try:
        config = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("not a transformers checkpoint (config.json missing)", path=str(checkpoint)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"config.json is not valid JSON ({exc})", path=str(checkpoint)) from None
    model_type = config.get("model_type")
    config_class, default_tokenizer = _transformers_classes(model_type)
    candidates = [f for f in FAMILIES.values() if config_class is not None and config_class in f.hf_configs]
    if not candidates:
        known = ", ".join(f.title for f in FAMILIES.values())
        raise InputError(f"model type {model_type!r} is not a family termalign knows ({known})", path=str(checkpoint))
    tokenizer_class = config.get("tokenizer_class")
    tok_config = checkpoint / "tokenizer_config.json"
    if tok_config.is_file():
        try:
            tokenizer_class = (
                json.loads(tok_config.read_text(encoding="utf-8")).get("tokenizer_class") or tokenizer_class
            )
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"tokenizer_config.json is not valid JSON ({exc})", path=str(checkpoint)) from None
    tokenizer_class = tokenizer_class or default_tokenizer
    matching = [f for f in candidates if tokenizer_class in f.hf_tokenizers]
    if len(matching) == 1 or len(candidates) == 1:
        return (matching or candidates)[0]
    names = ", ".join(f.name for f in candidates)
    raise InputError(
        f"cannot tell the family ({names}) from tokenizer {tokenizer_class!r}: give --family", path=str(checkpoint)
    )


def _transformers_classes(model_type: Any) -> tuple[str | None, str | None]:
    """Transformers' configuration class and default tokenizer class for ``model_type``."""
    try:
        from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES
        from transformers.models.auto.tokenization_auto import TOKENIZER_MAPPING_NAMES
    except ImportError as exc:
        raise ModelError(f"conversion needs the convert extra: pip install 'termalign[convert]' ({exc})") from None
    if not isinstance(model_type, str):
        return None, None
    tokenizers = TOKENIZER_MAPPING_NAMES.get(model_type)
    if isinstance(tokenizers, (tuple, list)):
        tokenizers = next((t for t in tokenizers if t), None)
    return CONFIG_MAPPING_NAMES.get(model_type), tokenizers


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
        raise InputError(
            f"checkpoint lacks its sentencepiece model(s): {', '.join(fam.spm_files)}", path=str(checkpoint)
        )

    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:  # torch or transformers missing
        raise ModelError(f"conversion needs the convert extra: pip install 'termalign[convert]' ({exc})") from None

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            loaded = (
                tokenizer
                if tokenizer is not None
                else super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs)
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


#: Source and target length recorded for a model whose positions are not bounded by a table
#: (relative or rotary positions), or whose ``model.bin`` layout is not one termalign reads.
UNBOUNDED_POSITIONS = 1024


def adopt_model(
    directory: str | Path,
    *,
    family_name: str | None = None,
    sources: list[str] | None = None,
    targets: list[str] | None = None,
    sentencepiece: list[str | Path] | None = None,
    name: str | None = None,
    licence: str | None = None,
    force: bool = False,
) -> TranslationModel:
    """Make a termalign model of a directory that CTranslate2's stock converter wrote
    (``ct2-transformers-converter --model … --output_dir DIR``), in place.

    The family is detected through the registry from the vocabulary's language tokens
    (``--family`` overrides); the languages default to those whose tokens the vocabulary has
    (a Marian model needs them given); the sentencepiece model(s) are found in the directory
    or copied from ``sentencepiece`` (one file for both sides, or source then target: the
    stock converter copies them only with ``--copy_files``); the position limit is read from
    ``model.bin``. Writes ``termalign-model.json`` and returns the checked model.
    """
    directory = Path(directory)
    where = str(directory)
    if not directory.is_dir():
        raise InputError("no such model directory", path=where)
    if (directory / MANIFEST).exists() and not force:
        raise InputError(f"already a termalign model ({MANIFEST} exists; --force to replace it)", path=where)
    for required in ("model.bin", "config.json"):
        if not (directory / required).is_file():
            raise InputError(f"not a CTranslate2 model directory ({required} missing)", path=where)
    vocabulary = frozenset(_vocabulary(directory))
    if not vocabulary:
        raise InputError("not a CTranslate2 model directory (no vocabulary file)", path=where)
    if family_name:
        fam = family(family_name)
    else:
        found = [f for f in FAMILIES.values() if f.recognizes(vocabulary)]
        if len(found) != 1:
            raise InputError("cannot tell the model's family from its vocabulary: give --family", path=where)
        fam = found[0]
    spm = _place_sentencepiece(directory, fam, sentencepiece)
    known = [c for c in languages.CODES if fam.language_token(languages.get(c).mt_codes[fam.code_key]) in vocabulary]
    if fam.name == "marian":
        if not (sources and targets):
            raise InputError("a Marian/OPUS-MT model needs its languages: give --src and --tgt", path=where)
    else:
        missing = [c for c in (*(sources or ()), *(targets or ())) if c not in known]
        if missing:
            raise InputError(f"the vocabulary has no language token for {', '.join(missing)}", path=where)
    for code in (*(sources or ()), *(targets or ())):
        languages.get(code)
    positions = read_position_limit(directory / "model.bin") or UNBOUNDED_POSITIONS
    binary = directory / "model.bin"
    stat = binary.stat()
    manifest = Manifest(
        family=fam.name,
        name=name or directory.resolve().name,
        licence=licence or fam.licence,
        source_languages=tuple(sources or known),
        target_languages=tuple(targets or known),
        sentencepiece=spm,
        target_tokens=fam.name == "marian" and _has_target_tokens(directory),
        max_input_length=positions,
        max_decoding_length=positions,
        origin=where,
        checksum=file_checksum(binary),
        checksum_stat=f"{stat.st_size}:{stat.st_mtime_ns}",
    )
    if manifest.target_tokens:
        manifest = replace(manifest, codes=_marian_codes(directory, list(manifest.target_languages)))
    manifest.write(directory)
    try:
        return TranslationModel(directory)
    except ModelError:
        (directory / MANIFEST).unlink(missing_ok=True)
        raise


def _place_sentencepiece(directory: Path, fam: Family, given: list[str | Path] | None) -> tuple[str, str]:
    """The (source, target) sentencepiece file names in ``directory``, copying ``given`` in."""
    if given:
        files = [Path(p) for p in given]
        if len(files) not in (1, 2):
            raise InputError("give one sentencepiece model (both sides) or two (source, target)")
        for f in files:
            if not f.is_file():
                raise InputError("no such sentencepiece model", path=str(f))
        names = (files[0].name, files[-1].name)
        for f in files:
            if f.resolve() != (directory / f.name).resolve():
                shutil.copyfile(f, directory / f.name)
        return names
    if all((directory / f).is_file() for f in fam.spm_files):
        return fam.spm_files
    found = sorted(p.name for p in directory.glob("*.model")) + sorted(p.name for p in directory.glob("*.spm"))
    if len(found) == 1:
        return found[0], found[0]
    raise InputError(
        f"no sentencepiece model ({' / '.join(dict.fromkeys(fam.spm_files))}): the stock converter copies it only "
        "with --copy_files; give it with --sentencepiece FILE",
        path=str(directory),
    )
