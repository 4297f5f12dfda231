"""Crash tests: a process killed (SIGKILL) in the middle of a long import or export leaves the
store and the files consistent, and running it again completes.

SQLite only: they are about the SQLite file (its WAL holding half an import at the kill);
PostgreSQL's own crash safety is the server's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from termalign.export import export_termbase, import_termbase
from termalign.store import SQLiteStore, integrity_ok, open_store
from termalign.store.concepts import Concept, Term

pytestmark = pytest.mark.sqlite_only

ROWS = 4000
KILL_AFTER = 1500

# The child imports with a tiny page cache, so that uncommitted pages spill into the WAL file
# before the kill: the crash then happens with half an import on disk.
IMPORT_CHILD = """
import sys
from termalign.store import open_store
from termalign.export import import_termbase

conn = open_store(sys.argv[1])
conn.execute("PRAGMA cache_size = 20")
seen = 0

def step(entry):
    global seen
    seen += 1
    if seen == int(sys.argv[3]):
        print("midway", flush=True)

import_termbase(conn, sys.argv[2], reviewer="crash", on_entry=step)
print("done", flush=True)
"""

EXPORT_CHILD = """
import sys
from termalign.store import open_store
from termalign.export import export_termbase

print("exporting", flush=True)
export_termbase(open_store(sys.argv[1]), sys.argv[2])
print("done", flush=True)
"""


def child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def big_csv(path: Path) -> None:
    lines = ["status,en,th,km"]
    lines += [f"approved,service {i},บริการ {i},សេវា {i}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def snapshot(conn) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("concepts", "terms", "review_log")}


def half_written_concepts(conn) -> int:
    return conn.execute(
        "SELECT count(*) FROM concepts c WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.concept_id = c.id)"
    ).fetchone()[0]


def test_import_killed_midway_leaves_store_consistent_and_rerun_completes(tmp_path):
    db, csv = tmp_path / "store.db", tmp_path / "big.csv"
    big_csv(csv)
    conn = open_store(db)
    with SQLiteStore(conn).transaction():
        SQLiteStore(conn).insert_concept(Concept(terms=[Term("en", "digital government", "preferred")], status="approved"))
    before = snapshot(conn)
    conn.close()

    proc = child(IMPORT_CHILD, str(db), str(csv), str(KILL_AFTER))
    assert proc.stdout.readline().strip() == "midway", proc.stderr.read()
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0  # the import has written pages that are not committed
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    conn = open_store(db)
    assert integrity_ok(conn)
    assert snapshot(conn) == before  # nothing of the killed import survives
    assert half_written_concepts(conn) == 0

    report = import_termbase(conn, csv, reviewer="crash")
    assert report.added == ROWS and report.conflicts == []
    assert integrity_ok(conn)
    assert half_written_concepts(conn) == 0
    after = snapshot(conn)
    assert after["concepts"] == before["concepts"] + ROWS
    assert after["review_log"] == before["review_log"] + ROWS
    conn.close()


def test_export_killed_midway_keeps_the_previous_file(tmp_path):
    db, out = tmp_path / "store.db", tmp_path / "glossary.tbx"
    conn = open_store(db)
    with SQLiteStore(conn).transaction():
        for i in range(ROWS):
            SQLiteStore(conn).insert_concept(Concept(
                terms=[Term("en", f"service {i}", "preferred"), Term("km", f"សេវា {i}", "preferred")], status="approved",
            ))
    conn.close()
    out.write_bytes(b"previous export\n")

    proc = child(EXPORT_CHILD, str(db), str(out))
    assert proc.stdout.readline().strip() == "exporting", proc.stderr.read()
    partial = tmp_path / f".glossary.tbx.{proc.pid}.tmp"
    deadline = time.monotonic() + 30
    while not (partial.exists() and partial.stat().st_size > 64 * 1024):
        assert proc.poll() is None, "export finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert out.read_bytes() == b"previous export\n"  # never half a termbase under the real name
    conn = open_store(db)
    assert export_termbase(conn, out) == ROWS  # the rerun completes
    assert out.read_bytes().rstrip().endswith(b"</tbx>")
