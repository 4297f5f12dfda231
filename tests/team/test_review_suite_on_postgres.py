"""The review suite (tests/review/test_review.py), unchanged, on a PostgreSQL store.

Its tests and fixtures are taken as they are; only the store they open is a fresh PostgreSQL
database instead of a SQLite file, so SQL that works on SQLite alone fails here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from termalign.store import open_store

SUITE = Path(__file__).resolve().parent.parent / "review" / "test_review.py"
_spec = importlib.util.spec_from_file_location("review_suite_on_postgres", SUITE)
assert _spec is not None and _spec.loader is not None
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)

globals().update({name: getattr(suite, name) for name in dir(suite) if name.startswith("test_") or name == "db"})


@pytest.fixture(autouse=True)
def on_postgres(postgres_db, monkeypatch):
    """Every store the suite opens is this test's PostgreSQL database."""
    monkeypatch.setattr(suite, "open_store", lambda _path, **kw: open_store(postgres_db, **kw))
