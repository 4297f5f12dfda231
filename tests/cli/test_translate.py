"""`termalign translate` and `termalign models`: outputs, glossaries, resuming, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from mt_modelkit import AMBIGUOUS, PAIRS

from termalign.cli import main
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Term, insert_concept


@pytest.fixture
def run(capsys):
    def _run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def articles(tmp_path):
    """Three articles: a FLORES-like line file, a two-sentence paragraph, a JSONL of two."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("\n".join(km for km, _ in PAIRS) + "\n", encoding="utf-8")
    (d / "b.md").write_text("សេដ្ឋកិច្ចឌីជីថល។ សង្គមឌីជីថល។\n\nរដ្ឋាភិបាលឌីជីថល។\n", encoding="utf-8")
    (d / "c.jsonl").write_text(
        json.dumps({"text": "ពលរដ្ឋឌីជីថល"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"text": AMBIGUOUS[0][0] + "។"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    return d


def test_translate_reproduces_the_test_pairs_line_by_line(run, marian_model, articles, tmp_path):
    out = tmp_path / "hyp.en"
    code, _, err = run(
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--no-glossary",
        articles / "a.txt",
        "-o",
        out,
    )
    assert code == 0, err
    assert out.read_text(encoding="utf-8") == "\n".join(en for _, en in PAIRS) + "\n"
    assert "1 documents translated" in err and "signature: model:tiny-marian@" in err


def test_jsonl_output_has_the_term_report_and_the_signature(run, marian_model, articles, tmp_path):
    db = tmp_path / "t.db"
    conn = open_store(db)
    with transaction(conn):
        for km, en in [(AMBIGUOUS[0][0], "digital transition"), ("សេដ្ឋកិច្ចឌីជីថល", "data economy")]:
            insert_concept(
                conn, Concept(terms=[Term("km", km, "preferred"), Term("en", en, "preferred")], status="approved")
            )
        insert_concept(conn, Concept(terms=[Term("km", "សង្គម"), Term("en", "community")], status="unreviewed"))
    conn.close()
    out = tmp_path / "out.jsonl"
    # n-best reranking only: "data economy" is out of the model's reach, and is reported missing
    code, stdout, err = run(
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--db",
        db,
        articles,
        "-o",
        out,
        "--enforce",
        "nbest",
        "--json",
    )
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["documents"] == 4 and summary["glossary"] == "store"
    # a.txt: line 1 needs "digital transition", lines 2 and 9 "data economy"; b.md: "data
    # economy"; c.jsonl#2: "digital transition"
    assert (summary["terms_required"], summary["terms_found"]) == (5, 2)
    assert (summary["segments_with_terms"], summary["segments_all_terms"]) == (5, 2)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"].rsplit("/", 1)[-1] for r in records] == ["a.txt", "b.md", "c.jsonl#1", "c.jsonl#2"]
    assert all(r["signature"] == summary["signature"] for r in records)
    assert "glossary:2@" in summary["signature"]  # approved concepts only
    b = records[1]
    assert b["text"] == "digital economy. digital society.\n\ndigital government.\n"
    assert b["segments"][0]["terms"] == [
        {
            "concept": 2,
            "source": "សេដ្ឋកិច្ចឌីជីថល",
            "target": "data economy",
            "found": False,
            "form": None,
            "count": 0,
            "do_not_translate": False,
        }
    ]
    assert b["segments"][0]["all_terms"] is False and b["segments"][1]["terms"] == []
    last = records[3]["segments"][0]
    assert last["target"].startswith("digital transition") and last["all_terms"] and last["strategy"] == "nbest"
    assert "enforce:nbest|" in summary["signature"]

    # with every strategy, masking, a forced prefix or an edit of the 1-best reaches "data economy" too
    code, stdout, err = run(
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--db",
        db,
        articles,
        "-o",
        out,
        "--overwrite",
        "--json",
    )
    summary = json.loads(stdout)
    assert (summary["terms_required"], summary["terms_found"]) == (5, 5)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0]["segments"][1]["target"] == "data economy" and records[0]["segments"][1]["strategy"] in (
        "mask",
        "prefix",
        "edit",
    )


def test_glossary_file(run, marian_model, articles, tmp_path):
    pytest.importorskip("termalign.export")
    tsv = tmp_path / "g.tsv"
    tsv.write_text("id\tstatus\tkm\ten\n1\tapproved\tសង្គម\tcommunity\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    code, _, err = run(
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--glossary",
        tsv,
        articles / "b.md",
        "-o",
        out,
    )
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("digital economy. digital community")
    assert "terms 1/1 found" in err


def test_an_interrupted_run_resumes_without_redoing_finished_documents(run, marian_model, articles, tmp_path):
    from termalign import Translator
    from termalign.translate.batch import translate_files

    full = tmp_path / "full.jsonl"
    assert (
        run(
            "translate",
            "--src",
            "km",
            "--tgt",
            "en",
            "--model",
            marian_model,
            "--no-glossary",
            "--threads",
            "1",
            articles,
            "-o",
            full,
        )[0]
        == 0
    )
    out = tmp_path / "out.jsonl"
    done = []

    def interrupt(doc_id, skipped):
        done.append(doc_id)
        if len(done) == 2:
            raise KeyboardInterrupt

    translator = Translator(marian_model, inter_threads=1, intra_threads=1)
    with pytest.raises(KeyboardInterrupt):
        translate_files(translator, [articles], out, "km", "en", on_document=interrupt)
    first_two = out.read_bytes()
    assert len(first_two.splitlines()) == 2
    # A half-written third record, as a kill in the middle of a write leaves it.
    with out.open("ab") as fh:
        fh.write(b'{"id": "cut')
    code, stdout, err = run(
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--no-glossary",
        "--threads",
        "1",
        articles,
        "-o",
        out,
        "--json",
    )
    assert code == 0, err
    summary = json.loads(stdout)
    assert (summary["skipped"], summary["documents"]) == (2, 2)
    assert out.read_bytes().startswith(first_two)
    assert out.read_bytes() == full.read_bytes()
    progress = (tmp_path / "out.jsonl.progress").read_text().splitlines()
    assert json.loads(progress[0])["signature"] == summary["signature"] and len(progress) == 5
    # Run again: nothing left to do.
    code, stdout, _ = run(
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--no-glossary",
        "--threads",
        "1",
        articles,
        "-o",
        out,
        "--json",
    )
    assert json.loads(stdout)["documents"] == 0 and json.loads(stdout)["skipped"] == 4


def test_resuming_with_other_settings_or_over_a_foreign_file_is_refused(run, marian_model, articles, tmp_path):
    out = tmp_path / "out.txt"
    base = (
        "translate",
        "--src",
        "km",
        "--tgt",
        "en",
        "--model",
        marian_model,
        "--no-glossary",
        articles / "a.txt",
        "-o",
        out,
    )
    assert run(*base)[0] == 0
    code, _, err = run(*base, "--beam", "2", "--n-best", "2")
    assert code == 2 and "written with other settings" in err
    assert run(*base, "--beam", "2", "--n-best", "2", "--overwrite")[0] == 0
    foreign = tmp_path / "notes.txt"
    foreign.write_text("mine\n")
    code, _, err = run(*base[:-1], foreign)
    assert code == 2 and "has no progress record" in err and foreign.read_text() == "mine\n"


@pytest.mark.parametrize(
    "case, exit_code, message",
    [
        ("missing model", 5, "no such model directory"),
        ("file as model", 5, "a model is a directory"),
        ("unknown language", 2, "unknown language code 'fr'"),
        ("uncovered language", 5, "does not translate into 'vi'"),
        ("empty input", 2, "file is empty"),
        ("blank input", 2, "file is empty"),
        ("non-UTF-8 input", 2, "not UTF-8 (invalid byte 0xe1 at offset 1)"),
        ("missing input", 2, "no such file"),
        ("bad enforcement", 2, "unknown strategy"),
    ],
)
def test_bad_input_is_one_clear_error(run, marian_model, tmp_path, case, exit_code, message):
    good = tmp_path / "in.txt"
    good.write_text("សង្គមឌីជីថល\n", encoding="utf-8")
    args = {"--src": "km", "--tgt": "en", "--model": marian_model}
    inputs = [good]
    extra = []
    if case == "missing model":
        args["--model"] = tmp_path / "nowhere"
    elif case == "file as model":
        args["--model"] = good
    elif case == "unknown language":
        args["--src"] = "fr"
    elif case == "uncovered language":
        args["--tgt"] = "vi"
    elif case == "empty input":
        (tmp_path / "e.txt").write_bytes(b"")
        inputs = [tmp_path / "e.txt"]
    elif case == "blank input":
        (tmp_path / "e.txt").write_bytes(b"\n \n")
        inputs = [tmp_path / "e.txt"]
    elif case == "non-UTF-8 input":
        (tmp_path / "l.txt").write_bytes("xáy".encode("cp1258"))
        inputs = [tmp_path / "l.txt"]
    elif case == "missing input":
        inputs = [tmp_path / "gone.txt"]
    elif case == "bad enforcement":
        extra = ["--enforce", "magic"]
    argv = [
        "translate",
        *[x for kv in args.items() for x in kv],
        "--no-glossary",
        *inputs,
        "-o",
        tmp_path / "o.txt",
        *extra,
    ]
    code, _, err = run(*argv)
    assert code == exit_code
    assert message in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) <= 3, err  # one line (click adds usage lines to its own errors)
    assert not (tmp_path / "o.txt").exists() or case == "bad enforcement"


def test_models_list_info_convert(run, marian_model, tmp_path):
    code, out, _ = run("models", "list", marian_model.parent, "--json")
    assert code == 0
    listed = {m["path"]: m for m in json.loads(out)["models"]}
    assert listed[str(marian_model)]["family"] == "marian"
    code, out, _ = run("models", "info", marian_model, "--json")
    assert code == 0 and json.loads(out)["pairs"] == ["km-en"]
    code, out, _ = run("models", "info", marian_model)
    assert code == 0 and "tiny-marian" in out
    code, _, err = run("models", "info", tmp_path)
    assert code == 5 and "termalign-model.json is missing" in err

    # convert the transformers checkpoint the test model came from, in float32
    checkpoint = marian_model.with_name(marian_model.name + ".hf")
    converted = tmp_path / "f32"
    code, out, err = run(
        "models",
        "convert",
        checkpoint,
        converted,
        "--src",
        "km",
        "--tgt",
        "en",
        "--quantization",
        "float32",
        "--name",
        "tiny-f32",
        "--json",
    )
    assert code == 0, err
    info = json.loads(out)
    assert (info["family"], info["quantization"], info["licence"]) == ("marian", "float32", "CC-BY-4.0")
    assert info["max_input_length"] == 64
    hyp = tmp_path / "hyp.txt"
    src = tmp_path / "src.txt"
    src.write_text("\n".join(km for km, _ in PAIRS) + "\n", encoding="utf-8")
    assert run("translate", "--src", "km", "--tgt", "en", "--model", converted, "--no-glossary", src, "-o", hyp)[0] == 0
    assert hyp.read_text(encoding="utf-8") == "\n".join(en for _, en in PAIRS) + "\n"
    code, _, err = run("models", "convert", checkpoint, converted, "--src", "km", "--tgt", "en")
    assert code == 2 and "--force" in err
    code, _, err = run("models", "convert", checkpoint, tmp_path / "x")
    assert code == 2 and "needs its languages" in err


def test_the_runtime_path_imports_neither_torch_nor_transformers(marian_model, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(PAIRS[0][0] + "\n", encoding="utf-8")
    script = (
        "import sys\nfrom termalign.cli import main\n"
        f"code = main(['translate', '--src', 'km', '--tgt', 'en', '--model', {str(marian_model)!r}, '--no-glossary',"
        f" {str(src)!r}, '-o', {str(tmp_path / 'o.txt')!r}])\n"
        "assert code == 0\nprint(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "o.txt").read_text(encoding="utf-8") == PAIRS[0][1] + "\n"


def test_real_news_text_keeps_its_lines_and_reports_what_it_had_to_split(run, marian_model, tmp_path):
    """NTREX-128 Khmer (FLORES-style, line-aligned) through the tiny model: the sentences are far
    longer than its 64 positions, its vocabulary is a few terms. Nothing is cut silently."""
    from pathlib import Path

    from termalign.translate.evaluate import evaluate_files

    corpus = Path(__file__).resolve().parents[2] / "corpora" / "ntrex128"
    if not (corpus / "newstest2019-ref.khm.txt").is_file():
        pytest.skip("NTREX-128 is not in corpora/")
    khm = (corpus / "newstest2019-ref.khm.txt").read_text(encoding="utf-8").splitlines()[:12]
    eng = (corpus / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()[:12]
    src, ref = tmp_path / "ntrex.khm_Khmr", tmp_path / "ntrex.eng_Latn"
    src.write_text("\n".join(khm) + "\n", encoding="utf-8")
    ref.write_text("\n".join(eng) + "\n", encoding="utf-8")
    hyp = tmp_path / "hyp.eng_Latn"
    code, _, err = run(
        "translate", "--src", "km", "--tgt", "en", "--model", marian_model, "--no-glossary", src, "-o", hyp
    )
    assert code == 0, err
    assert len(hyp.read_text(encoding="utf-8").split("\n")) == len(khm) + 1
    report = tmp_path / "hyp.jsonl"
    assert (
        run("translate", "--src", "km", "--tgt", "en", "--model", marian_model, "--no-glossary", src, "-o", report)[0]
        == 0
    )
    segments = json.loads(report.read_text(encoding="utf-8"))["segments"]
    from termalign.translate.models import TranslationModel

    model = TranslationModel(marian_model)
    long = [s for s in segments if len(model.encode(s["source"])) + 1 > 64]
    assert long and all(any("split into" in i for i in s["issues"]) for s in long)
    result = evaluate_files(ref, hyp)
    assert result["segments"] == len(khm) and 0 <= result["bleu"]["score"] < 5
