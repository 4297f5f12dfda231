"""Fixtures shared by the whole suite: the seed articles and fresh stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from termalign.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def store(tmp_path):
    conn = open_store(tmp_path / "test.db")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """A store with the five seeds ingested (built once; tests must not write to it)."""
    from termalign.ingest import ingest_paths

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    conn = open_store(path)
    report = ingest_paths(conn, [SEEDS])
    assert not report.errors
    conn.close()
    return path
