"""A build killed at any moment leaves a consistent store, and the rerun completes."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from termalign.store import integrity_ok, open_store

ROOT = Path(__file__).resolve().parents[2]


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for copy in range(8):
        for seed in seeds:
            (corpus / f"{copy}-{seed.name}").write_text(seed.read_text(encoding="utf-8") + f"\n{copy}\n", encoding="utf-8")
    return corpus


def _count(db: Path, table: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("stage", ["ingest", "extract or align"])
def test_killed_build_leaves_a_consistent_store(tmp_path, stage):
    corpus, db = _corpus(tmp_path), tmp_path / "t.db"
    cmd = [sys.executable, "-m", "termalign", "build", str(corpus), "--db", str(db), "-o", str(tmp_path / "out"),
           "--workers", "1", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    deadline = time.time() + 120
    table, at_least = ("documents", 5) if stage == "ingest" else ("candidates", 1)
    while _count(db, table) < at_least and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = open_store(db)
    assert integrity_ok(conn)
    # every stored document is whole: its sentences have tokens, its tokens slice its text
    for doc_id, text in conn.execute("SELECT id, text FROM documents"):
        rows = conn.execute(
            'SELECT t.start, t."end", t.text FROM tokens t JOIN sentences s ON s.id = t.sentence_id WHERE s.document_id = ?',
            (doc_id,),
        ).fetchall()
        assert rows and all(text[a:b] == t for a, b, t in rows)
    assert conn.execute(
        "SELECT count(*) FROM concepts c WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id)"
    ).fetchone()[0] == 0
    conn.close()
    done = subprocess.run(cmd, capture_output=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    conn = open_store(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 40
    assert conn.execute("SELECT count(*) FROM concepts").fetchone()[0] > 50
    assert integrity_ok(conn)
