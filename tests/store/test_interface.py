"""The SQLite store implements every operation of the store interface, with its signature."""

import inspect

import pytest

from termalign.store import SQLiteStore, TermStore, as_store, open_store


def _operations(cls) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(cls).items()
        if callable(member) and not name.startswith("_")
    }


def test_sqlite_store_has_every_operation_with_the_same_parameters():
    wanted, have = _operations(TermStore), _operations(SQLiteStore)
    assert sorted(set(wanted) - set(have)) == []
    for name, signature in wanted.items():
        assert list(have[name].parameters) == list(signature.parameters), name


def test_a_new_store_is_empty_on_every_backend(store):
    assert store.corpus_languages() == [] and store.best_unreviewed_ids(5) == []
    assert list(store.iter_concepts()) == [] and store.log_entries() == []


@pytest.mark.sqlite_only
def test_as_store_wraps_a_connection_and_keeps_a_store(tmp_path):
    conn = open_store(tmp_path / "s.db")
    store = as_store(conn)
    assert isinstance(store, SQLiteStore) and store.conn is conn
    assert as_store(store) is store
    assert store.corpus_languages() == [] and store.best_unreviewed_ids(5) == []
