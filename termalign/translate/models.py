"""Translation models: local directories, their manifest, and one class per model family.

A model directory holds a CTranslate2 model (``model.bin``, ``config.json``, vocabulary),
its sentencepiece model(s) and ``termalign-model.json``, the manifest that says which family
the model belongs to, which languages it covers and under which licence it is published.

Families differ in how a source is framed and how the target language is chosen. Each such
detail lives in exactly one place, the family's class:

* NLLB-200: source ``[src_code] + pieces + ["</s>"]``, ``target_prefix=[[tgt_code]]`` and the
  prefix token dropped from the output; codes such as ``khm_Khmr`` and ``eng_Latn``.
* M2M-100: the same frame with ``__km__``-style tokens.
* Marian / OPUS-MT: bilingual, ``</s>`` ends every source; a multi-target model instead
  starts the source with a ``>>xxx<<`` token naming the target language.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import struct
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from termalign import lang as languages
from termalign.errors import InputError, ModelError, TermalignError

if TYPE_CHECKING:
    import ctranslate2
    import sentencepiece

MANIFEST = "termalign-model.json"
MANIFEST_VERSION = 1
CT2_FILES = ("model.bin", "config.json")
VOCABULARY_FILES = (
    "shared_vocabulary.json",
    "source_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.txt",
)
EOS = "</s>"


# -- families ---------------------------------------------------------------------------


class Family(ABC):
    """How one model family frames a source and selects the target language."""

    name: ClassVar[str]
    title: ClassVar[str]
    #: Key of the family's language codes in :attr:`termalign.lang.Language.mt_codes`.
    code_key: ClassVar[str]
    #: Licence of the published checkpoints of the family (a default for ``convert``).
    licence: ClassVar[str]
    #: Sentencepiece files as the family's hub checkpoints name them (source, target).
    spm_files: ClassVar[tuple[str, str]]
    #: Transformers configuration classes the family's checkpoints use.
    hf_configs: ClassVar[tuple[str, ...]]
    #: Transformers tokenizer classes that tell families sharing a configuration apart.
    hf_tokenizers: ClassVar[tuple[str, ...]] = ()

    def recognizes(self, vocabulary: frozenset[str]) -> bool:
        """A converted model's vocabulary has this family's language tokens (for termalign's
        languages): how ``models adopt`` tells families apart without a checkpoint."""
        return any(self.language_token(languages.get(c).mt_codes[self.code_key]) in vocabulary for c in languages.CODES)

    def code(self, lang: str, manifest: Manifest) -> str:
        """The model's code for a termalign language (``km`` → ``khm_Khmr`` for NLLB)."""
        return manifest.codes.get(lang) or languages.get(lang).mt_codes[self.code_key]

    @abstractmethod
    def language_token(self, code: str) -> str:
        """The vocabulary token that names a language with ``code``."""

    @abstractmethod
    def direction_tokens(self, src: str, tgt: str, manifest: Manifest) -> tuple[str | None, str | None]:
        """The tokens that select a direction: (source-language token, target-language token),
        ``None`` where the family uses none."""

    @abstractmethod
    def source_tokens(self, pieces: list[str], src_token: str | None, tgt_token: str | None) -> list[str]:
        """The source sequence the model expects around the sentencepiece ``pieces``."""

    @abstractmethod
    def target_prefix(self, tgt_token: str | None) -> list[str]:
        """Tokens the decoder is forced to start with (dropped again from the output)."""

    def __repr__(self) -> str:
        return f"<Family {self.name}>"


class _LanguageCodeFamily(Family):
    """Multilingual families that name the source language first in the source and force
    the target language as the first target token (NLLB-200, M2M-100)."""

    def direction_tokens(self, src: str, tgt: str, manifest: Manifest) -> tuple[str | None, str | None]:
        return self.language_token(self.code(src, manifest)), self.language_token(self.code(tgt, manifest))

    def source_tokens(self, pieces: list[str], src_token: str | None, tgt_token: str | None) -> list[str]:
        return [*([src_token] if src_token else []), *pieces, EOS]

    def target_prefix(self, tgt_token: str | None) -> list[str]:
        return [tgt_token] if tgt_token else []


FAMILIES: dict[str, Family] = {}


def register(cls: type[Family]) -> type[Family]:
    """Register a family (as CTranslate2's ``@register_loader``): detection and lookup by
    name go through :data:`FAMILIES`, in registration order."""
    FAMILIES[cls.name] = cls()
    return cls


@register
class NLLB(_LanguageCodeFamily):
    name = "nllb"
    title = "NLLB-200"
    code_key = "nllb"
    licence = "CC-BY-NC-4.0"
    spm_files = ("sentencepiece.bpe.model", "sentencepiece.bpe.model")
    hf_configs = ("M2M100Config",)
    hf_tokenizers = ("NllbTokenizer", "NllbTokenizerFast")

    def language_token(self, code: str) -> str:
        return code


@register
class M2M100(_LanguageCodeFamily):
    name = "m2m100"
    title = "M2M-100"
    code_key = "m2m"
    licence = "MIT"
    spm_files = ("sentencepiece.bpe.model", "sentencepiece.bpe.model")
    hf_configs = ("M2M100Config",)
    hf_tokenizers = ("M2M100Tokenizer",)

    def language_token(self, code: str) -> str:
        return f"__{code}__"


@register
class Marian(Family):
    name = "marian"
    title = "Marian / OPUS-MT"
    code_key = "opus"
    licence = "CC-BY-4.0"
    spm_files = ("source.spm", "target.spm")
    hf_configs = ("MarianConfig",)
    hf_tokenizers = ("MarianTokenizer",)

    def language_token(self, code: str) -> str:
        return f">>{code}<<"

    def recognizes(self, vocabulary: frozenset[str]) -> bool:
        # Bilingual OPUS-MT models carry no language token at all: Marian is what is left
        # when no multilingual family's tokens are there.
        return not any(f.recognizes(vocabulary) for f in FAMILIES.values() if f is not self)

    def direction_tokens(self, src: str, tgt: str, manifest: Manifest) -> tuple[str | None, str | None]:
        # Bilingual models need no token; multi-target ones name the target only.
        return None, (self.language_token(self.code(tgt, manifest)) if manifest.target_tokens else None)

    def source_tokens(self, pieces: list[str], src_token: str | None, tgt_token: str | None) -> list[str]:
        # A multi-target model reads the target language from a leading >>xxx<< token.
        return [*([tgt_token] if tgt_token else []), *pieces, EOS]

    def target_prefix(self, tgt_token: str | None) -> list[str]:
        # The decoder starts from its own start state (Marian's <pad>, dropped by the converter).
        return []


def family(name: str) -> Family:
    """The family registered under ``name`` (``nllb``, ``m2m100``, ``marian``)."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise ModelError(f"unknown model family {name!r} (known: {', '.join(FAMILIES)})") from None


# -- manifest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """What ``termalign-model.json`` says about a model directory."""

    family: str
    name: str
    licence: str
    source_languages: tuple[str, ...]
    target_languages: tuple[str, ...]
    #: termalign code → model code, where the model departs from the family's usual codes.
    codes: dict[str, str] = field(default_factory=dict)
    #: Sentencepiece file names (source, target); the family's defaults when not given.
    sentencepiece: tuple[str, str] | None = None
    #: Marian only: the source starts with a ``>>xxx<<`` target-language token.
    target_tokens: bool = False
    #: Longest source and target the model was built for (positions), in tokens.
    max_input_length: int = 512
    max_decoding_length: int = 512
    quantization: str | None = None
    origin: str | None = None
    #: SHA-256 of ``model.bin``, and the file's ``size:mtime_ns`` when it was computed (a
    #: changed file is hashed again).
    checksum: str | None = None
    checksum_stat: str | None = None
    description: str | None = None
    version: int = MANIFEST_VERSION

    @property
    def spm(self) -> tuple[str, str]:
        return self.sentencepiece or family(self.family).spm_files

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["source_languages"] = list(self.source_languages)
        d["target_languages"] = list(self.target_languages)
        d["sentencepiece"] = list(self.spm)
        return {k: v for k, v in d.items() if v is not None and v != {}}

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Manifest:
        if not isinstance(data, dict):
            raise ModelError("manifest is not a JSON object", path=path)
        missing = [k for k in ("family", "name", "licence", "source_languages", "target_languages") if k not in data]
        if missing:
            raise ModelError(f"manifest lacks {', '.join(missing)}", path=path)
        if data.get("version", MANIFEST_VERSION) > MANIFEST_VERSION:
            raise ModelError(f"manifest version {data['version']} is newer than this termalign", path=path)
        family(data["family"])
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ModelError(f"manifest has unknown fields: {', '.join(unknown)}", path=path)
        try:
            for key in ("source_languages", "target_languages"):
                if not isinstance(data[key], list) or not data[key]:
                    raise ModelError(f"manifest field {key} must be a non-empty list of language codes", path=path)
                for code in data[key]:
                    languages.get(code)
            spm = data.get("sentencepiece")
            if spm is not None and (not isinstance(spm, list) or len(spm) != 2):
                raise ModelError("manifest field sentencepiece must list two files (source, target)", path=path)
            return cls(
                **{
                    **data,
                    "source_languages": tuple(data["source_languages"]),
                    "target_languages": tuple(data["target_languages"]),
                    "sentencepiece": tuple(spm) if spm else None,
                    "codes": dict(data.get("codes") or {}),
                }
            )
        except TermalignError as exc:
            if isinstance(exc, ModelError):
                raise
            raise ModelError(f"manifest: {exc.message}", path=path) from None
        except TypeError as exc:
            raise ModelError(f"manifest is malformed ({exc})", path=path) from None

    def write(self, directory: str | Path) -> Path:
        path = Path(directory) / MANIFEST
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


def read_position_limit(model_bin: Path) -> int | None:
    """The number of positions the model has encodings for, read from the variable shapes in
    ``model.bin`` (CTranslate2's binary layout, versions 5 and 6) without loading the
    weights; ``None`` when the file has another layout or no position table (relative or
    rotary positions: no fixed limit)."""
    limits = []
    try:
        with model_bin.open("rb") as fh:

            def number(fmt: str) -> int:
                return struct.unpack(fmt, fh.read(struct.calcsize(fmt)))[0]

            def string() -> str:
                return fh.read(number("H"))[:-1].decode("utf-8")

            if number("I") not in (5, 6):
                return None
            string()  # the spec's name
            number("I")  # its revision
            for _ in range(number("I")):
                name = string()
                dims = [number("I") for _ in range(number("B"))]
                number("B")  # dtype
                fh.seek(number("I"), 1)
                if name.endswith("position_encodings/encodings") and dims:
                    limits.append(dims[0])
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return min(limits) if limits else None


def file_checksum(path: Path) -> str:
    """SHA-256 of a file, read in chunks (model files run to gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- a model directory ------------------------------------------------------------------


class TranslationModel:
    """A model directory, checked on opening; the CTranslate2 model loads on first use.

    Raises :class:`ModelError` when the directory is missing, has no manifest or a
    malformed one, lacks the CTranslate2 or sentencepiece files, or names a language code
    that its vocabulary does not contain.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        where = str(self.path)
        if not self.path.exists():
            raise ModelError("no such model directory", path=where)
        if not self.path.is_dir():
            raise ModelError("a model is a directory, not a file", path=where)
        manifest_path = self.path / MANIFEST
        if not manifest_path.is_file():
            raise ModelError(
                f"not a termalign model: {MANIFEST} is missing (make one with `termalign models convert`)", path=where
            )
        try:
            data = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{MANIFEST} is not valid JSON ({exc})", path=where) from None
        self.manifest = Manifest.from_dict(data, str(manifest_path))
        self.family = family(self.manifest.family)
        for name in CT2_FILES:
            if not (self.path / name).is_file():
                raise ModelError(f"CTranslate2 file {name} is missing", path=where)
        for name in set(self.manifest.spm):
            if not (self.path / name).is_file():
                raise ModelError(f"sentencepiece model {name} is missing", path=where)
        if not any((self.path / name).is_file() for name in VOCABULARY_FILES):
            raise ModelError("CTranslate2 vocabulary file is missing", path=where)
        for src, tgt in self.pairs():
            for token in self.family.direction_tokens(src, tgt, self.manifest):
                if token is not None and token not in self.vocabulary:
                    raise ModelError(f"language token {token!r} is not in the model's vocabulary", path=where)

    @property
    def name(self) -> str:
        return self.manifest.name

    def __repr__(self) -> str:
        return f"<TranslationModel {self.name} ({self.family.name}) at {self.path}>"

    # -- languages ----------------------------------------------------------------------
    def check_pair(self, src: str, tgt: str) -> tuple[str | None, str | None]:
        """Tokens for a translation direction. Raises :class:`InputError` for a code
        termalign does not know, :class:`ModelError` for a language the model lacks."""
        for code in (src, tgt):
            try:
                languages.get(code)
            except TermalignError as exc:
                raise InputError(exc.message) from None
        if src == tgt:
            raise InputError(f"source and target language are both {src!r}")
        sources, targets = self.manifest.source_languages, self.manifest.target_languages
        if src not in sources:
            raise ModelError(
                f"model {self.name} does not translate from {src!r} (sources: {', '.join(sources)})",
                path=str(self.path),
            )
        if tgt not in targets:
            raise ModelError(
                f"model {self.name} does not translate into {tgt!r} (targets: {', '.join(targets)})",
                path=str(self.path),
            )
        return self.family.direction_tokens(src, tgt, self.manifest)

    def pairs(self) -> list[tuple[str, str]]:
        return [(s, t) for s in self.manifest.source_languages for t in self.manifest.target_languages if s != t]

    # -- files --------------------------------------------------------------------------
    def _read_vocabulary(self, names: Iterable[str]) -> frozenset[str] | None:
        """The first of ``names`` present in the model directory, read as a vocabulary
        (JSON list or one token a line); ``None`` when none is there."""
        for name in names:
            path = self.path / name
            if path.is_file():
                try:
                    text = path.read_text(encoding="utf-8")
                    tokens = json.loads(text) if name.endswith(".json") else text.splitlines()
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise ModelError(f"vocabulary {name} is unreadable ({exc})", path=str(self.path)) from None
                return frozenset(tokens)
        return None

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The source vocabulary (tokens outside it reach the model as ``<unk>``)."""
        tokens = self._read_vocabulary(VOCABULARY_FILES)
        if tokens is None:
            raise ModelError("CTranslate2 vocabulary file is missing", path=str(self.path))
        return tokens

    @cached_property
    def target_vocabulary(self) -> frozenset[str]:
        """The tokens the decoder can produce (a forced or suppressed token outside it is an error)."""
        tokens = self._read_vocabulary(("target_vocabulary.json", "target_vocabulary.txt"))
        return self.vocabulary if tokens is None else tokens

    @cached_property
    def ct2_config(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / "config.json").read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"config.json is not valid JSON ({exc})", path=str(self.path)) from None

    def _spm(self, name: str) -> sentencepiece.SentencePieceProcessor:
        import sentencepiece

        processor = sentencepiece.SentencePieceProcessor()
        try:
            processor.Load(str(self.path / name))
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"cannot load sentencepiece model {name} ({exc})", path=str(self.path)) from None
        return processor

    @cached_property
    def source_spm(self) -> sentencepiece.SentencePieceProcessor:
        return self._spm(self.manifest.spm[0])

    @cached_property
    def target_spm(self) -> sentencepiece.SentencePieceProcessor:
        name = self.manifest.spm[1]
        return self.source_spm if name == self.manifest.spm[0] else self._spm(name)

    def source_tokens(self, pieces: list[str], src_token: str | None, tgt_token: str | None) -> list[str]:
        """The family's source frame around ``pieces``, less what CTranslate2 adds itself
        (models converted with ``add_source_bos``/``add_source_eos``)."""
        tokens = self.family.source_tokens(pieces, src_token, tgt_token)
        config = self.ct2_config
        if config.get("add_source_eos") and tokens and tokens[-1] == config.get("eos_token", EOS):
            tokens = tokens[:-1]
        if config.get("add_source_bos") and tokens and tokens[0] == config.get("bos_token"):
            tokens = tokens[1:]
        return tokens

    def is_target_piece(self, token: str) -> bool:
        """``token`` is a piece of the target sentencepiece model (not a placeholder or a
        source token copied in place of ``<unk>``)."""
        spm = self.target_spm
        return spm.piece_to_id(token) != spm.unk_id() or token == spm.id_to_piece(spm.unk_id())

    def encode(self, text: str) -> list[str]:
        """Sentencepiece pieces of source text."""
        return self.source_spm.encode(text, out_type=str)

    def decode(self, pieces: list[str]) -> str:
        """Target text from sentencepiece pieces."""
        return self.target_spm.decode_pieces(pieces)

    def target_pieces(self, text: str) -> list[str]:
        """Target-side pieces of ``text`` (for forced target prefixes)."""
        return self.target_spm.encode(text, out_type=str)

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())

    @cached_property
    def checksum(self) -> str:
        """SHA-256 of ``model.bin``: from the manifest while the file is unchanged (size and
        mtime), else computed and cached in the manifest (where it is writable)."""
        binary = self.path / "model.bin"
        stat = binary.stat()
        current = f"{stat.st_size}:{stat.st_mtime_ns}"
        if self.manifest.checksum and self.manifest.checksum_stat in (None, current):
            return self.manifest.checksum
        checksum = file_checksum(binary)
        self.manifest = replace(self.manifest, checksum=checksum, checksum_stat=current)
        with contextlib.suppress(OSError):  # a read-only model directory: hashed again next time
            self.manifest.write(self.path)
        return checksum

    @cached_property
    def positions(self) -> int | None:
        """Positions the model really has (from ``model.bin``); ``None`` when unbounded or unknown."""
        return read_position_limit(self.path / "model.bin")

    @property
    def max_input_length(self) -> int:
        """The manifest's source limit, never more than the model's positions."""
        return min(self.manifest.max_input_length, self.positions or self.manifest.max_input_length)

    @property
    def max_decoding_length(self) -> int:
        """The manifest's target limit, never more than the model's positions."""
        return min(self.manifest.max_decoding_length, self.positions or self.manifest.max_decoding_length)

    def load(
        self, *, device: str = "cpu", compute_type: str = "default", inter_threads: int = 1, intra_threads: int = 0
    ) -> ctranslate2.Translator:
        """The CTranslate2 translator for this directory."""
        import ctranslate2

        try:
            return ctranslate2.Translator(
                str(self.path),
                device=device,
                compute_type=compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"CTranslate2 cannot load the model ({exc})", path=str(self.path)) from None

    def info(self) -> dict[str, Any]:
        """A JSON-ready description (``termalign models info``)."""
        config = self.ct2_config
        return {
            "path": str(self.path),
            **self.manifest.to_dict(),
            "family_title": self.family.title,
            "pairs": [f"{s}-{t}" for s, t in self.pairs()],
            "direction_tokens": {
                f"{s}-{t}": list(self.family.direction_tokens(s, t, self.manifest)) for s, t in self.pairs()
            },
            "vocabulary_size": len(self.vocabulary),
            "ct2": {
                k: config[k] for k in ("bos_token", "eos_token", "unk_token", "decoder_start_token") if k in config
            },
            "size_bytes": self.size_bytes(),
        }


def find_models(roots: list[str | Path]) -> list[Path]:
    """Model directories at or directly under each root (a directory with a manifest)."""
    found: list[Path] = []
    for root in map(Path, roots):
        if (root / MANIFEST).is_file():
            found.append(root)
        elif root.is_dir():
            found.extend(sorted(p.parent for p in root.glob(f"*/{MANIFEST}")))
    return found
