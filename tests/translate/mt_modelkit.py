"""Build tiny translation models for the tests and the benchmark, offline.

Each family gets a real (if minute) model: a sentencepiece model trained on the test text,
a transformers model of that family's architecture (2+2 layers, d=64) trained briefly with
torch on CPU until it reproduces the test pairs, converted with CTranslate2's own
``TransformersConverter``, and a termalign manifest. Builds are cached under
``.cache/test-models/<family>-<recipe hash>`` in the repository, so only a cold cache trains.

The training data teaches what the tests check:

* ``PAIRS``: Khmer → English term pairs the model must reproduce exactly;
* ``AMBIGUOUS``: a second, rarer translation of a term, which n-best reranking can reach;
* ``MASKED``: sources with an unknown token (a placeholder) that the model copies to the
  right place in the target, so placeholder masking with ``replace_unknowns`` works.

A recipe with ``masked=False`` leaves the ``MASKED`` examples out: like a real NLLB, M2M-100
or OPUS-MT model it was never taught to copy placeholders. Enforcement is measured on these
*no-mask* models; the masking models serve only the tests of masking itself.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from termalign.translate.convert import convert_model, model_vocabulary
from termalign.translate.models import Manifest, family

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("TERMALIGN_TEST_MODELS", ROOT / ".cache" / "test-models"))

#: (Khmer, English): reproduced exactly through the API and the CLI.
PAIRS: list[tuple[str, str]] = [
    ("ការផ្លាស់ប្តូរឌីជីថល", "digital transformation"),
    ("សេដ្ឋកិច្ចឌីជីថល", "digital economy"),
    ("សង្គមឌីជីថល", "digital society"),
    ("រដ្ឋាភិបាលឌីជីថល", "digital government"),
    ("ពលរដ្ឋឌីជីថល", "digital citizens"),
    ("ហេដ្ឋារចនាសម្ព័ន្ធទូរគមនាគមន៍", "telecommunications infrastructure"),
    ("ក្រសួងវិទ្យាសាស្ត្រ និងបច្ចេកវិទ្យា", "Ministry of Science and Technology"),
    ("គណៈកម្មាធិការប្រជាជន", "People's Committee"),
    ("សេដ្ឋកិច្ចឌីជីថល។", "digital economy."),
    ("សង្គមឌីជីថល។", "digital society."),
    ("រដ្ឋាភិបាលឌីជីថល។", "digital government."),
]
#: A rarer translation of a term (1 in 6 in training): in the n-best list, never the 1-best.
AMBIGUOUS: list[tuple[str, str]] = [("ការផ្លាស់ប្តូរឌីជីថល", "digital transition")]
#: ``{}`` marks an unknown source token and the place its copy goes in the target.
MASKED: list[tuple[str, str]] = [
    ("{}ឌីជីថល", "digital {}"),
    ("{}ឌីជីថល។", "digital {}."),
    ("ខេត្ត {}", "{} province"),
    ("{}", "{}"),
]

FAMILY_DIRECTIONS = {
    "marian": [("km", "en")],
    "m2m100": [("km", "en"), ("en", "km")],
    "nllb": [("km", "en"), ("en", "km")],
}


@dataclass(frozen=True)
class Recipe:
    family: str
    layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    spm_vocab: int = 160
    steps: int = 400
    lr: float = 3e-3
    seed: int = 7
    quantization: str = "int8"
    random: bool = False  # untrained: for tests of degenerate output, and for benchmarks
    positions: int = 64
    #: Extra vocabulary entries (never produced by the sentencepiece model) so that a
    #: benchmark model has the embedding and softmax cost of a real vocabulary.
    vocab_pad: int = 0
    #: Train on the ``MASKED`` examples (placeholder copying); False: a no-mask model.
    masked: bool = True

    @property
    def label(self) -> str:
        size = "" if (self.layers, self.d_model) == (2, 64) else f"-{self.layers}x{self.d_model}"
        return f"{self.family}{size}{'-random' if self.random else ''}{'' if self.masked else '-nomask'}"

    def key(self) -> str:
        import ctranslate2
        import torch
        import transformers

        digest = hashlib.sha256()
        digest.update(json.dumps(self.__dict__, sort_keys=True).encode())
        digest.update(json.dumps([PAIRS, AMBIGUOUS, MASKED, FAMILY_DIRECTIONS], ensure_ascii=False).encode())
        digest.update(f"{ctranslate2.__version__}|{torch.__version__}|{transformers.__version__}".encode())
        # The code that makes the model: training, tokenizers, conversion (not the whole of
        # models.py and convert.py, whose other functions do not change a build).
        for code in (
            training_examples,
            spm_training_text,
            _spm,
            _write_tokenizer,
            _list_language_tokens,
            _make_model,
            _frame,
            _train,
            _convert,
            convert_model,
            model_vocabulary,
        ):
            digest.update(inspect.getsource(code).encode())
        return digest.hexdigest()[:12]


def training_examples(direction: tuple[str, str], masked: bool = True) -> list[tuple[str, str]]:
    """(source, target) strings for one direction; ``{}`` marks a placeholder."""
    copies = MASKED * 2 if masked else []
    if direction == ("km", "en"):
        return PAIRS + PAIRS[:1] * 4 + AMBIGUOUS + copies
    return [(t, s) for s, t in PAIRS + copies]


def spm_training_text() -> list[str]:
    # English three times as often, so that its words become whole pieces (shorter targets).
    pairs = PAIRS + AMBIGUOUS + MASKED
    return [s.replace("{}", " ") for s, _ in pairs] * 4 + [t.replace("{}", " ") for _, t in pairs] * 12


# -- building -----------------------------------------------------------------------------


def build(recipe: Recipe, cache: Path = CACHE, log=None) -> Path:
    """The model directory for ``recipe``, built unless the cache has it.

    The transformers checkpoint is kept next to it (``<name>.hf``) for tests of
    ``termalign models convert``. Concurrent builders each work in their own directory;
    the first to finish wins.
    """
    target = cache / f"{recipe.label}-{recipe.key()}"
    checkpoint = target.with_name(target.name + ".hf")
    if (target / "termalign-model.json").is_file() and (checkpoint / "config.json").is_file():
        return target
    log = log or (lambda msg: print(msg, file=sys.stderr))
    started = time.perf_counter()
    work = cache / f".build-{os.getpid()}-{recipe.family}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        hf_dir = work / "hf"
        hf_dir.mkdir()
        vocab, tokenizer = _write_tokenizer(recipe, hf_dir)
        model = _make_model(recipe, vocab, tokenizer)
        if not recipe.random:
            _train(recipe, model, vocab, hf_dir / family(recipe.family).spm_files[0])
        model.save_pretrained(hf_dir)
        out = work / "ct2"
        _convert(recipe, hf_dir, out)
        for built, final in ((hf_dir, checkpoint), (out, target)):
            # A rename is atomic; a directory another builder finished first is kept.
            try:
                built.rename(final)
            except OSError:
                if not final.exists():
                    raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log(f"built test model {target.name} in {time.perf_counter() - started:.1f} s")
    # Builds of an older recipe of the same model are stale: keep the cache small.
    same_model = re.compile(rf"{re.escape(recipe.label)}-([0-9a-f]{{12}})(?:\.hf|-float32)?")
    for stale in cache.iterdir():
        m = same_model.fullmatch(stale.name)
        if m and m.group(1) != recipe.key():
            shutil.rmtree(stale, ignore_errors=True)
    return target


def _spm(recipe: Recipe, path: Path, **ids) -> None:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(spm_training_text()),
        model_writer=buffer,
        vocab_size=recipe.spm_vocab,
        model_type="bpe",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
        **ids,
    )
    path.write_bytes(buffer.getvalue())


def _pieces(spm_path: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))]


def _list_language_tokens(hf_dir: Path, tokens: list[str]) -> None:
    """List the ``__xx__`` tokens as additional special tokens in the saved tokenizer files, as
    the published M2M-100 checkpoints do (transformers 5's ``save_pretrained`` leaves them
    out): a tokenizer loaded from the directory then has them in its vocabulary, which is
    what ``ct2-transformers-converter`` reads."""
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        path = hf_dir / name
        saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        saved["additional_special_tokens"] = tokens
        path.write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")


def _write_tokenizer(recipe: Recipe, hf_dir: Path):
    """Sentencepiece model(s) and the family's tokenizer files; returns (token → id, tokenizer)."""
    if recipe.family == "marian":
        from transformers import MarianTokenizer

        _spm(recipe, hf_dir / "source.spm")
        shutil.copy(hf_dir / "source.spm", hf_dir / "target.spm")
        # Marian's layout: </s> first, <unk>, the pieces, and <pad> LAST (the decoder start).
        padding = [f"\u2581pad{i:05d}" for i in range(recipe.vocab_pad)]
        tokens = ["</s>", "<unk>", *_pieces(hf_dir / "source.spm"), *padding, "<pad>"]
        (hf_dir / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False))
        tokenizer = MarianTokenizer(str(hf_dir / "source.spm"), str(hf_dir / "target.spm"), str(hf_dir / "vocab.json"))
        tokenizer.save_pretrained(hf_dir)
    elif recipe.family == "m2m100":
        from transformers import M2M100Tokenizer

        _spm(recipe, hf_dir / "sentencepiece.bpe.model")
        tokens = ["<s>", "<pad>", "</s>", "<unk>", *_pieces(hf_dir / "sentencepiece.bpe.model")]
        (hf_dir / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False))
        tokenizer = M2M100Tokenizer(str(hf_dir / "vocab.json"), str(hf_dir / "sentencepiece.bpe.model"))
        tokenizer.save_pretrained(hf_dir)
        _list_language_tokens(hf_dir, list(tokenizer.lang_token_to_id))
    elif recipe.family == "nllb":
        from transformers import NllbTokenizer

        from termalign import lang

        _spm(recipe, hf_dir / "sentencepiece.bpe.model")
        codes = [lang.get(c).mt_codes["nllb"] for c in ("km", "th", "vi", "en")]
        # The tokenizer files a published NLLB checkpoint has (tokenizer.json, its config),
        # made from the sentencepiece model as transformers converts it: fairseq's layout
        # (<s> <pad> </s> <unk>, the pieces, <mask>) and the language codes after it. The
        # stock ct2-transformers-converter then reads the vocabulary the model was trained on.
        tokenizer = NllbTokenizer.from_pretrained(hf_dir, additional_special_tokens=codes)
        tokenizer.save_pretrained(hf_dir)
    else:
        raise ValueError(recipe.family)
    return model_vocabulary(tokenizer), tokenizer


def _make_model(recipe: Recipe, vocab: dict[str, int], tokenizer):
    import torch
    import transformers

    torch.manual_seed(recipe.seed)
    size = {
        "d_model": recipe.d_model,
        "encoder_layers": recipe.layers,
        "decoder_layers": recipe.layers,
        "encoder_attention_heads": recipe.heads,
        "decoder_attention_heads": recipe.heads,
        "encoder_ffn_dim": recipe.ffn,
        "decoder_ffn_dim": recipe.ffn,
        "max_position_embeddings": recipe.positions,
        "dropout": 0.0,
        "attention_dropout": 0.0,
        "activation_dropout": 0.0,
        "scale_embedding": True,
    }
    if recipe.family == "marian":
        pad = vocab["<pad>"]
        config = transformers.MarianConfig(
            vocab_size=len(vocab),
            pad_token_id=pad,
            decoder_start_token_id=pad,
            eos_token_id=vocab["</s>"],
            forced_eos_token_id=vocab["</s>"],
            **size,
        )
        return transformers.MarianMTModel(config)
    config = transformers.M2M100Config(
        vocab_size=len(vocab) + getattr(tokenizer, "num_madeup_words", 0),
        pad_token_id=vocab["<pad>"],
        bos_token_id=vocab["<s>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["</s>"],
        **size,
    )
    if recipe.family == "nllb":
        config.tokenizer_class = "NllbTokenizer"
    return transformers.M2M100ForConditionalGeneration(config)


def _frame(recipe: Recipe, vocab: dict[str, int], spm_path: Path, direction: tuple[str, str], src: str, tgt: str):
    """Source ids and label ids framed exactly as the runtime frames them."""
    import sentencepiece as spm

    fam = family(recipe.family)
    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    manifest = Manifest(recipe.family, "tiny", "CC0-1.0", ("km", "en"), ("km", "en"))
    src_token, tgt_token = fam.direction_tokens(*direction, manifest)

    def pieces(text: str, target: bool = False) -> list[str]:
        # Sources: chunks encoded one by one, as the engine's masking does. Targets: what
        # follows a placeholder without a space ("{}.") has no word mark, as in running text.
        out: list[str] = []
        for i, chunk in enumerate(text.split("{}")):
            if i:
                out.append("<unk>")
            if not chunk.strip():
                continue
            encoded = sp.encode(chunk.strip(), out_type=str)
            if target and i and not chunk[0].isspace():
                if encoded[0] == "\u2581":
                    encoded = encoded[1:]
                elif sp.piece_to_id(encoded[0][1:]) != sp.unk_id():
                    encoded[0] = encoded[0][1:]
            out.extend(encoded)
        return out

    unk = vocab["<unk>"]
    source = [vocab.get(t, unk) for t in fam.source_tokens(pieces(src), src_token, tgt_token)]
    labels = [vocab.get(t, unk) for t in [*fam.target_prefix(tgt_token), *pieces(tgt, target=True), "</s>"]]
    return source, labels


def _train(recipe: Recipe, model, vocab: dict[str, int], spm_path: Path) -> None:
    import torch

    torch.manual_seed(recipe.seed)
    # One thread: the batch is tiny, and OpenMP threads on a busy machine spin-wait (10x slower).
    torch.set_num_threads(1)
    rows = [
        _frame(recipe, vocab, spm_path, direction, s, t)
        for direction in FAMILY_DIRECTIONS[recipe.family]
        for s, t in training_examples(direction, recipe.masked)
    ]
    pad = vocab["<pad>"]
    width_s = max(len(s) for s, _ in rows)
    width_t = max(len(t) for _, t in rows)
    src = torch.tensor([s + [pad] * (width_s - len(s)) for s, _ in rows])
    mask = (src != pad).long()
    labels = torch.tensor([t + [-100] * (width_t - len(t)) for _, t in rows])
    optimizer = torch.optim.AdamW(model.parameters(), lr=recipe.lr, weight_decay=0.0)
    # Marian decoders start from a zero embedding (CTranslate2 hard-wires it); the tied output
    # projection would move the <pad> row, so it is pinned back to zero after every step.
    embeddings = model.get_input_embeddings().weight
    model.train()
    for _ in range(recipe.steps):
        optimizer.zero_grad()
        loss = model(input_ids=src, attention_mask=mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        if recipe.family == "marian":
            with torch.no_grad():
                embeddings[pad].zero_()
    model.eval()


def _convert(recipe: Recipe, hf_dir: Path, out: Path) -> None:
    directions = FAMILY_DIRECTIONS[recipe.family]
    convert_model(
        hf_dir,
        out,
        family_name=recipe.family,
        sources=sorted({s for s, _ in directions}),
        targets=sorted({t for _, t in directions}),
        quantization=recipe.quantization,
        name=f"tiny-{recipe.label}",
        licence="CC0-1.0",
    )
