"""Batch work on a local Ray: the same output as the single-machine run."""

from __future__ import annotations

import importlib.util
import sqlite3

import pytest

from termalign.ingest import ingest_paths
from termalign.store import open_store

CORPUS_TABLES = ("documents", "residue", "sentences", "tokens")


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
