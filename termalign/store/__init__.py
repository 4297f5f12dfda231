"""The termbase store: the only place SQL lives.

:class:`TermStore` (:mod:`termalign.store.interface`) is the interface every stage uses;
:class:`SQLiteStore` implements it over one SQLite file (WAL, foreign keys, versioned schema).
"""

from termalign.store.db import DEFAULT_DB, integrity_ok, migrate_to, now, open_store, schema_version, transaction
from termalign.store.interface import TermStore
from termalign.store.schema import SCHEMA_VERSION
from termalign.store.sqlite import SQLiteStore, StoreLike, as_store

__all__ = [
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "SQLiteStore",
    "StoreLike",
    "TermStore",
    "as_store",
    "integrity_ok",
    "migrate_to",
    "now",
    "open_store",
    "schema_version",
    "transaction",
]
