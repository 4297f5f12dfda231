"""No input crashes or truncates a run: long unbroken text, failing segments, empty files."""

from __future__ import annotations

import json

import pytest
from mt_modelkit import PAIRS

from termalign import Translator
from termalign.cli import main

UNBROKEN = "សេដ្ឋកិច្ចឌីជីថល" * 300  # no space, no phrase break: only a split between pieces


def test_a_2000_piece_unbroken_source_translates_without_error(any_model):
    translator = Translator(any_model, intra_threads=1)
    assert len(translator.model.encode(UNBROKEN)) >= 2000
    doc = translator.translate_document(UNBROKEN, "km", "en")
    (segment,) = doc.segments
    assert segment.error is None, segment.error
    assert segment.target
    assert any("split into" in issue for issue in segment.issues)


def test_every_part_fits_the_position_limit_after_re_encoding(any_model):
    translator = Translator(any_model, intra_threads=1)
    d = translator.direction("km", "en")
    limit = translator.max_input_length
    parts = translator._fit(UNBROKEN, d)
    assert len(parts) > 1
    assert (
        max(len(translator.model.source_tokens(translator.model.encode(p), d.src_token, d.tgt_token)) for p in parts)
        <= limit
    )
    assert "".join(parts).replace(" ", "") == UNBROKEN


def test_a_20000_character_single_line_translates_without_error(any_model):
    line = ("ពលរដ្ឋឌីជីថល" * 2000)[:20000]
    doc = Translator(any_model, intra_threads=1).translate_document(line, "km", "en")
    assert doc.text.count("\n") == 0
    assert doc.segments and all(s.error is None for s in doc.segments)


def test_an_untranslatable_segment_is_reported_and_the_rest_proceeds(marian_model, monkeypatch):
    """CTranslate2 refusing one source (here: one that names a token it rejects) fails that
    segment only; the document and the others are translated."""
    translator = Translator(marian_model, intra_threads=1)
    real = translator.ct2.translate_batch
    poison = translator.model.encode(PAIRS[1][0])

    def translate_batch(sources, *args, **kwargs):
        if any(s[: len(poison)] == poison for s in sources):
            raise RuntimeError("simulated failure on one source")
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(translator, "ct2", type("CT2", (), {"translate_batch": staticmethod(translate_batch)})())
    text = "\n".join([PAIRS[0][0], PAIRS[1][0], PAIRS[2][0]])
    doc = translator.translate_document(text, "km", "en")
    first, bad, last = doc.segments
    assert (first.target, last.target) == (PAIRS[0][1], PAIRS[2][1])
    assert bad.target == "" and "simulated failure" in bad.error
    record = doc.to_record()
    assert record["segments"][1]["error"] == bad.error and record["failed"] == 1


def test_a_batch_with_an_untranslatable_segment_writes_every_document_and_exits_non_zero(
    marian_model, tmp_path, capsys, monkeypatch
):
    import ctranslate2

    from termalign.translate.engine import Translator as Engine

    real = ctranslate2.Translator(str(marian_model), intra_threads=1)
    poison = Translator(marian_model).model.encode(PAIRS[1][0])

    class Refusing:
        """CTranslate2 refusing the sources of one document (as it refuses a source longer
        than its positions), translating the others."""

        def translate_batch(self, sources, *args, **kwargs):
            if any(s[: len(poison)] == poison for s in sources):
                raise RuntimeError("No position encodings are defined for positions >= 64")
            return real.translate_batch(sources, *args, **kwargs)

    monkeypatch.setattr(Engine, "ct2", property(lambda self: Refusing()))
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, (km, _) in zip("abc", PAIRS, strict=False):
        (inputs / f"{name}.txt").write_text(km + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "translate",
            "--src",
            "km",
            "--tgt",
            "en",
            "--model",
            str(marian_model),
            "--no-glossary",
            str(inputs),
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"].rsplit("/", 1)[-1] for r in records] == ["a.txt", "b.txt", "c.txt"]
    assert records[0]["text"].strip() == PAIRS[0][1] and records[2]["text"].strip() == PAIRS[2][1]
    assert records[1]["failed"] == 1 and "position encodings" in records[1]["segments"][0]["error"]
    assert code == 6, err
    assert "1 segments failed" in err and "b.txt" in err


def test_a_manifest_that_claims_more_positions_than_the_model_has_is_held_to_the_model(marian_model, tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    for f in marian_model.iterdir():
        (model / f.name).write_bytes(f.read_bytes())
    manifest = json.loads((model / "termalign-model.json").read_text())
    manifest.update(max_input_length=512, max_decoding_length=512)
    (model / "termalign-model.json").write_text(json.dumps(manifest))
    translator = Translator(model, intra_threads=1)
    assert translator.model.positions == 64 and translator.max_input_length == 64
    doc = translator.translate_document(UNBROKEN, "km", "en")
    assert doc.failed == 0


def test_one_empty_file_does_not_abort_a_batch(marian_model, tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(PAIRS[0][0] + "\n", encoding="utf-8")
    (inputs / "b.txt").write_text("  \n", encoding="utf-8")
    (inputs / "c.txt").write_text(PAIRS[2][0] + "\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    code = main(
        [
            "translate",
            "--src",
            "km",
            "--tgt",
            "en",
            "--model",
            str(marian_model),
            "--no-glossary",
            str(inputs),
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert out.read_text(encoding="utf-8") == f"{PAIRS[0][1]}\n\n{PAIRS[2][1]}\n"
    assert "b.txt" in err and "empty" in err


@pytest.mark.parametrize("flag", [[], ["--skip-bad"]])
def test_a_bad_file_stops_the_batch_unless_skip_bad(marian_model, tmp_path, capsys, flag):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(PAIRS[0][0] + "\n", encoding="utf-8")
    (inputs / "b.txt").write_bytes(b"\xff\xfe bad")
    out = tmp_path / "out.txt"
    code = main(
        [
            "translate",
            "--src",
            "km",
            "--tgt",
            "en",
            "--model",
            str(marian_model),
            "--no-glossary",
            *flag,
            str(inputs),
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert "b.txt" in err and "not UTF-8" in err
    if flag:
        assert code == 0 and out.read_text(encoding="utf-8") == PAIRS[0][1] + "\n"
    else:
        assert code == 2 and not out.exists()


def test_resume_is_keyed_on_content_so_a_moved_input_directory_is_not_translated_again(marian_model, tmp_path, capsys):
    first = tmp_path / "first"
    first.mkdir()
    for i, (km, _) in enumerate(PAIRS[:3]):
        (first / f"{i}.txt").write_text(km + "\n", encoding="utf-8")
    (first / "3.txt").write_text(PAIRS[0][0] + "\n", encoding="utf-8")  # the same text twice: both translated
    out = tmp_path / "out.jsonl"
    args = ["translate", "--src", "km", "--tgt", "en", "--model", str(marian_model), "--no-glossary", "-o", str(out)]
    assert main([*args, str(first)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    moved = tmp_path / "moved"
    first.rename(moved)
    assert main([*args, str(moved), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["documents"], summary["skipped"]) == (0, 4)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_standard_input_is_a_document(marian_model, tmp_path, monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((PAIRS[3][0] + "\n").encode("utf-8"))))
    out = tmp_path / "out.txt"
    code = main(
        ["translate", "--src", "km", "--tgt", "en", "--model", str(marian_model), "--no-glossary", "-", "-o", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == PAIRS[3][1] + "\n"


def test_a_source_term_of_two_concepts_is_named_with_the_concept_enforced(marian_model, tmp_path, capsys):
    pytest.importorskip("termalign.export")
    tsv = tmp_path / "g.tsv"
    tsv.write_text("id\tstatus\tkm\ten\n1\tapproved\tសង្គម\tcommunity\n2\tapproved\tសង្គម\tsociety\n", encoding="utf-8")
    text = tmp_path / "in.txt"
    text.write_text("សង្គមឌីជីថល\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "translate",
            "--src",
            "km",
            "--tgt",
            "en",
            "--model",
            str(marian_model),
            "--glossary",
            str(tsv),
            str(text),
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "glossary: source term 'សង្គម' names concepts" in err and "enforced" in err
    (segment,) = json.loads(out.read_text(encoding="utf-8"))["segments"]
    assert any("also names concept" in issue for issue in segment["issues"])
