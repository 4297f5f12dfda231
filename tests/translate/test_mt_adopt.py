"""Family detection through the registry; `models adopt` on stock converter output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mt_modelkit import PAIRS

from termalign import Translator
from termalign.cli import main
from termalign.errors import InputError
from termalign.translate import models
from termalign.translate.convert import adopt_model, detect_family

CT2_FILES = ("model.bin", "config.json", "shared_vocabulary.json")


def checkpoint(model: Path) -> Path:
    return model.with_name(model.name + ".hf")


def test_each_tiny_checkpoint_is_detected_as_its_family(marian_model, m2m_model, nllb_model):
    pytest.importorskip("transformers")
    assert [detect_family(checkpoint(m)).name for m in (marian_model, m2m_model, nllb_model)] == [
        "marian",
        "m2m100",
        "nllb",
    ]


def test_detection_reads_the_registry_not_a_list_of_model_types(tmp_path, monkeypatch):
    pytest.importorskip("transformers")
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "t5"}))
    with pytest.raises(InputError, match="not a family termalign knows"):
        detect_family(tmp_path)

    @models.register
    class T5(models.Marian):
        name = "t5-test"
        title = "T5 (test)"
        hf_configs = ("T5Config",)

    try:
        assert detect_family(tmp_path).name == "t5-test"
    finally:
        del models.FAMILIES["t5-test"]


def stock_directory(model: Path, tmp_path: Path) -> Path:
    """What ``ct2-transformers-converter`` writes without ``--copy_files``: the CTranslate2 files only."""
    out = tmp_path / f"stock-{model.name}"
    out.mkdir()
    for name in CT2_FILES:
        shutil.copy(model / name, out / name)
    return out


def stock_convert(hf: Path, out: Path, quantization: str = "int8") -> None:
    """The converter CLI that ships with ctranslate2, run as a user runs it."""
    done = subprocess.run(
        [
            sys.executable, "-m", "ctranslate2.converters.transformers",
            "--model", str(hf), "--output_dir", str(out), "--quantization", quantization,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_adopt_the_stock_converter_cli_output_of_the_marian_checkpoint(marian_model, tmp_path):
    pytest.importorskip("transformers")
    out = tmp_path / "opus"
    stock_convert(checkpoint(marian_model), out)
    assert not (out / "source.spm").exists()
    with pytest.raises(InputError, match="--sentencepiece"):
        adopt_model(out, sources=["km"], targets=["en"])
    hf = checkpoint(marian_model)
    code = main(
        [
            "models",
            "adopt",
            str(out),
            "--src",
            "km",
            "--tgt",
            "en",
            "--sentencepiece",
            str(hf / "source.spm"),
            "--sentencepiece",
            str(hf / "target.spm"),
        ]
    )
    assert code == 0
    manifest = json.loads((out / "termalign-model.json").read_text())
    assert manifest["family"] == "marian" and manifest["max_input_length"] == 64 and manifest["checksum"]
    translator = Translator(out, intra_threads=1)
    assert [s.target for s in translator.translate_sentences([km for km, _ in PAIRS[:4]], "km", "en")] == [
        en for _, en in PAIRS[:4]
    ]


def test_adopt_the_stock_converter_cli_output_of_the_m2m100_checkpoint(m2m_model, tmp_path, capsys):
    pytest.importorskip("transformers")
    out = tmp_path / "m2m"
    stock_convert(checkpoint(m2m_model), out)
    vocabulary = json.loads((out / "shared_vocabulary.json").read_text(encoding="utf-8"))
    # The language tokens are where the model's embedding matrix has them.
    assert vocabulary == json.loads((m2m_model / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert not (out / "sentencepiece.bpe.model").exists()
    code = main(["models", "adopt", str(out), "--sentencepiece", str(checkpoint(m2m_model) / "sentencepiece.bpe.model")])
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((out / "termalign-model.json").read_text())
    assert manifest["family"] == "m2m100" and manifest["max_input_length"] == 64
    assert {"km", "en"} <= set(manifest["source_languages"])
    translator = Translator(out, intra_threads=1)
    assert [s.target for s in translator.translate_sentences([km for km, _ in PAIRS[:4]], "km", "en")] == [
        en for _, en in PAIRS[:4]
    ]


def test_adopt_the_stock_converter_cli_output_of_the_nllb_checkpoint(nllb_model, tmp_path, capsys):
    # The tiny checkpoint has the files a published NLLB-200 one has (tokenizer.json with the
    # language codes): the stock converter alone makes the directory a user then adopts.
    pytest.importorskip("transformers")
    out = tmp_path / "nllb"
    stock_convert(checkpoint(nllb_model), out, quantization="float32")
    vocabulary = json.loads((out / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert vocabulary == json.loads((nllb_model / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert {"khm_Khmr", "eng_Latn"} <= set(vocabulary)
    assert not (out / "sentencepiece.bpe.model").exists()
    code = main(["models", "adopt", str(out), "--sentencepiece", str(checkpoint(nllb_model) / "sentencepiece.bpe.model")])
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((out / "termalign-model.json").read_text())
    assert manifest["family"] == "nllb" and manifest["max_input_length"] == 64
    assert {"km", "th", "vi", "en"} <= set(manifest["source_languages"])
    translator = Translator(out, intra_threads=1)
    assert [s.target for s in translator.translate_sentences([km for km, _ in PAIRS[:4]], "km", "en")] == [
        en for _, en in PAIRS[:4]
    ]


@pytest.mark.parametrize("fixture", ["m2m_model", "nllb_model"])
def test_adopt_a_multilingual_directory_detects_family_languages_and_positions(fixture, request, tmp_path):
    model = request.getfixturevalue(fixture)
    out = stock_directory(model, tmp_path)
    spm = checkpoint(model) / "sentencepiece.bpe.model"
    adopted = adopt_model(out, sentencepiece=[spm])
    assert adopted.family.name == {"m2m_model": "m2m100", "nllb_model": "nllb"}[fixture]
    assert set(adopted.manifest.source_languages) >= {"km", "en"}
    assert adopted.manifest.max_input_length == 64
    km, en = PAIRS[1]
    assert Translator(out, intra_threads=1).translate(km, "km", "en") == en
    with pytest.raises(InputError, match="already a termalign model"):
        adopt_model(out)


def test_translate_runs_on_an_adopted_model(m2m_model, tmp_path, capsys):
    out = stock_directory(m2m_model, tmp_path)
    shutil.copy(checkpoint(m2m_model) / "sentencepiece.bpe.model", out)
    assert main(["models", "adopt", str(out), "--src", "km", "--tgt", "en"]) == 0
    text = tmp_path / "in.txt"
    text.write_text(PAIRS[2][0] + "\n", encoding="utf-8")
    hyp = tmp_path / "hyp.en"
    assert (
        main(
            ["translate", "--src", "km", "--tgt", "en", "--model", str(out), "--no-glossary", str(text), "-o", str(hyp)]
        )
        == 0
    )
    assert hyp.read_text(encoding="utf-8") == PAIRS[2][1] + "\n"
