"""The termbase store: one SQLite file (WAL, foreign keys, versioned schema)."""

from termalign.store.db import DEFAULT_DB, integrity_ok, migrate_to, now, open_store, schema_version, transaction
from termalign.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "integrity_ok",
    "migrate_to",
    "now",
    "open_store",
    "schema_version",
    "transaction",
]
