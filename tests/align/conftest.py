"""Fixtures of the alignment tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from termalign.align import align
from termalign.extract import extract
from termalign.store import open_store


@pytest.fixture(scope="session")
def aligned_seeds_db(seeds_db, tmp_path_factory) -> Path:
    """The seeds ingested, extracted and aligned with the defaults (built once; tests must not
    write to it)."""
    path = tmp_path_factory.mktemp("aligned-seeds") / "seeds.db"
    shutil.copy(seeds_db, path)
    conn = open_store(path)
    extract(conn)
    align(conn)
    conn.close()
    return path
