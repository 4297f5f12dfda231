"""Batch work on a local Ray: the same output as the single-machine run."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from termalign.ingest import ingest_paths
from termalign.store import open_store

CORPUS_TABLES = ("documents", "residue", "sentences", "tokens")
#: Documents of the translation tests.
DOCUMENTS = 40


@pytest.fixture(scope="module")
def local_ray(need):
    need("Ray", importlib.util.find_spec("ray") is not None, "pip install -e '.[ray]'")
    import ray

    # Two CPUs is what the CI machine has; the actors take one each.
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


def corpus_rows(path) -> dict[str, list[tuple]]:
    """Every row of the corpus tables, without the time of ingestion."""
    conn = sqlite3.connect(path)
    out = {}
    for table in CORPUS_TABLES:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if not r[1].endswith("_at")]
        out[table] = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()
    conn.close()
    return out


def test_ingest_on_ray_stores_what_the_single_machine_run_stores(local_ray, seeds_dir, tmp_path):
    stores = {}
    for engine in ("local", "ray"):
        conn = open_store(tmp_path / f"{engine}.db")
        report = ingest_paths(conn, [seeds_dir], engine=engine, workers=1)
        conn.close()
        assert not report.errors
        assert report.count("added") == 5
        stores[engine] = corpus_rows(tmp_path / f"{engine}.db")
    assert stores["ray"]["tokens"]  # something was segmented
    for table in CORPUS_TABLES:
        assert stores["ray"][table] == stores["local"][table], table


# --- translate ---------------------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "translate"))  # the suite's tiny models


@pytest.fixture(scope="module")
def tiny_model():
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from mt_modelkit import Recipe, build

    return build(Recipe("marian"))


@pytest.fixture
def articles(tmp_path):
    """Forty documents of the sentences the tiny model knows: 38 files and a JSONL of two
    (several Ray batches, so that a job can be killed between them)."""
    from mt_modelkit import PAIRS

    d = tmp_path / "in"
    d.mkdir()
    sentences = [km for km, _ in PAIRS]
    for i in range(DOCUMENTS - 2):
        picked = [sentences[(i + k) % len(sentences)] for k in range(1 + i % 3)]
        (d / f"a{i}.txt").write_text("។ ".join(picked) + "។\n", encoding="utf-8")
    (d / "b.jsonl").write_text(
        "".join(json.dumps({"text": s}, ensure_ascii=False) + "\n" for s in sentences[:2]), encoding="utf-8"
    )
    return d


def translate_cli(*args, **popen):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "termalign",
            "translate",
            "--src",
            "km",
            "--tgt",
            "en",
            "--no-glossary",
            "--threads",
            "1",
            *map(str, args),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


def test_translate_on_ray_writes_the_bytes_of_the_single_machine_run(local_ray, tiny_model, articles, tmp_path):
    from termalign.translate import Translator
    from termalign.translate.batch import translate_files
    from termalign.translate.ray_batch import RayTranslator

    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    translator = Translator(tiny_model, inter_threads=1, intra_threads=1)
    one = translate_files(translator, [articles], local, "km", "en")
    ray_report = translate_files(RayTranslator(translator, actors=2), [articles], on_ray, "km", "en")
    assert one.documents == ray_report.documents == DOCUMENTS
    assert on_ray.read_bytes() == local.read_bytes()
    assert (tmp_path / "ray.jsonl.progress").read_text().splitlines()[0] == (
        tmp_path / "local.jsonl.progress"
    ).read_text().splitlines()[0]  # the same signature


def test_a_killed_ray_job_resumes_to_the_same_bytes(need, tiny_model, articles, tmp_path):
    need("Ray", importlib.util.find_spec("ray") is not None, "pip install -e '.[ray]'")
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    job = translate_cli("--model", tiny_model, articles, "-o", local)
    assert job.wait(timeout=300) == 0, job.stderr.read().decode()
    progress = tmp_path / "ray.jsonl.progress"
    # The job (driver and the local Ray it starts) is its own process group, killed whole.
    job = translate_cli("--model", tiny_model, articles, "-o", on_ray, "--engine", "ray", start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and job.poll() is None:
        if progress.exists() and len(progress.read_text().splitlines()) >= 3:  # signature + two documents
            break
        time.sleep(0.05)
    assert job.poll() is None, "the job ended before it could be killed: " + job.stderr.read().decode()[-2000:]
    os.killpg(job.pid, signal.SIGKILL)
    job.wait(timeout=30)
    done_before = len(progress.read_text().splitlines()) - 1
    assert 2 <= done_before < DOCUMENTS
    job = translate_cli("--model", tiny_model, articles, "-o", on_ray, "--engine", "ray", "--json")
    out, err = job.communicate(timeout=300)
    assert job.returncode == 0, err.decode()[-2000:]
    summary = json.loads(out)
    assert summary["skipped"] >= done_before and summary["skipped"] + summary["documents"] == DOCUMENTS
    assert on_ray.read_bytes() == local.read_bytes()
