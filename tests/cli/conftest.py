"""Fixtures of the CLI tests: the stores and models the commands run on, from the suites of
the packages the commands drive (the seed termbase of export, the review termbase of the TUI,
the tiny Marian model of translate)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from termalign.store import open_store

from ..export.conftest import add_concepts, seed_concepts
from ..tui.conftest import build_termbase

# The suite runs with --import-mode=importlib: make the model builder importable by name.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "translate"))

from mt_modelkit import Recipe, build  # noqa: E402


@pytest.fixture
def seed_store(tmp_path):
    """A store holding the seed termbase (approved, unreviewed and rejected concepts)."""
    conn = open_store(tmp_path / "seed.db")
    add_concepts(conn, seed_concepts())
    yield conn
    conn.close()


@pytest.fixture
def termbase(tmp_path) -> Path:
    """A fresh copy of the review TUI's fixture termbase, named ``termbase.db``."""
    return build_termbase(tmp_path / "termbase.db")


@pytest.fixture(scope="session")
def marian_model() -> Path:
    """Khmer → English Marian model that reproduces the model kit's PAIRS (int8), cached."""
    # torch and transformers (the test extra) train the model; the engine needs neither.
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return build(Recipe("marian"))
