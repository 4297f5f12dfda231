"""Fixtures shared by the whole suite: the seed articles and fresh stores."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
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


# --- services and tools (PostgreSQL, Chromium, Ray) -------------------------------------------
# A test that needs one calls the `need` fixture (or uses a fixture below): on a developer's machine
# without it the test skips with a message naming what is missing; under CI=true it fails, so
# CI never passes by skipping.


def require(what: str, available: bool, how: str) -> None:
    """Skip (or, when ``CI=true``, fail) the current test unless ``what`` is available."""
    if available:
        return
    message = f"needs {what}: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true, so a missing service is a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def need() -> Callable[[str, bool, str], None]:
    """:func:`require` for tests: ``need("Ray", found, "pip install -e '.[ray]'")``."""
    return require


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The superuser URL of a running PostgreSQL (``$TERMALIGN_TEST_PG``, set by tools/with-postgres)."""
    url = os.environ.get("TERMALIGN_TEST_PG", "")
    require("PostgreSQL", bool(url), "run the tests through tools/with-postgres (sets TERMALIGN_TEST_PG)")
    try:
        import psycopg
    except ImportError:
        require("psycopg", False, "pip install -e '.[postgres]'")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        require("PostgreSQL", False, f"cannot connect to TERMALIGN_TEST_PG ({exc})")
    return url


@pytest.fixture
def postgres_db(postgres_url: str) -> Iterator[str]:
    """A fresh, empty database on the test cluster for one test; its URL, dropped afterwards."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    params = conninfo_to_dict(postgres_url)
    params["dbname"] = name
    yield "postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**params)
    with psycopg.connect(make_conninfo(postgres_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium for browser tests (never a downloaded browser build)."""
    path = shutil.which("chromium") or ""
    require("Chromium", bool(path), "apt-get install chromium")
    return path
