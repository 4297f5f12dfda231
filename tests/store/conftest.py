"""The store suite runs on every backend: the ``backend`` fixture is SQLite and PostgreSQL.

``store`` is a fresh, migrated :class:`~termalign.store.TermStore` on the backend under test;
``termbase`` is where it lives (a file path or a database URL), for tests that open it again.
The PostgreSQL param reuses the cluster ``tools/with-postgres`` starts: one database is migrated
once per session and each test gets a copy of it (``CREATE DATABASE … TEMPLATE``), so a test
costs a copy, not a migration. Without that cluster the PostgreSQL param skips naming it (and
fails under ``CI=true``). Tests about SQLite internals carry the ``sqlite_only`` marker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from termalign.store import as_store, open_store


@dataclass
class Backend:
    name: str
    new_location: Callable[[], str]  # a fresh, migrated termbase

    def open(self, location: str, **kw):
        return as_store(open_store(location, **kw))


def close(store) -> None:
    """Close a store of either backend (SQLite's through its connection)."""
    (store.conn if hasattr(store, "conn") else store).close()


@pytest.fixture(scope="session")
def pg_template(request) -> Iterator[tuple[str, str]]:
    """(superuser URL, name) of a migrated database the PostgreSQL tests copy."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    url = request.getfixturevalue("postgres_url")
    name = f"tmpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    params = conninfo_to_dict(url)
    params["dbname"] = name
    template = "postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**params)
    close(open_store(template))
    yield url, name
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path) -> Iterator[Backend]:
    if request.param == "sqlite":
        counter = iter(range(1_000_000))

        def new_file() -> str:
            path = str(tmp_path / f"store{next(counter)}.db")
            close(open_store(path))  # created and migrated, as the PostgreSQL copy is
            return path

        yield Backend("sqlite", new_file)
        return
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    url, template = request.getfixturevalue("pg_template")
    made: list[str] = []

    def new_location() -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        made.append(name)
        params = conninfo_to_dict(url)
        params["dbname"] = name
        return "postgresql://{user}:{password}@{host}:{port}/{dbname}".format(**params)

    yield Backend("postgresql", new_location)
    with psycopg.connect(url, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def termbase(backend: Backend) -> str:
    return backend.new_location()


@pytest.fixture
def store(backend: Backend, termbase: str):
    opened = backend.open(termbase)
    yield opened
    close(opened)
