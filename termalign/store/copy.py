"""Copy a whole termbase between stores (SQLite ↔ PostgreSQL), row for row, ids kept."""

from __future__ import annotations

from typing import Any

from termalign.errors import StoreError
from termalign.store.sqlite import as_store

#: Every table, parents before children (foreign keys hold at each step).
TABLES = (
    "meta",
    "documents",
    "residue",
    "sentences",
    "tokens",
    "candidates",
    "variants",
    "occurrences",
    "concepts",
    "terms",
    "term_contexts",
    "evidence",
    "notes",
    "mt_suggestions",
    "suggestions",
    "review_log",
    "reviewer_state",
    "team_settings",
)
#: Rows read and written at a time: memory stays flat on a large corpus.
CHUNK = 10_000


def columns(store: Any, table: str) -> list[str]:
    cur = store.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cur.description]


def copy_store(src: Any, dst: Any) -> dict[str, int]:
    """Copy every row of ``src`` into the empty store ``dst`` in one transaction; rows per table."""
    if (
        dst.execute("SELECT count(*) FROM concepts").fetchone()[0]
        or dst.execute("SELECT count(*) FROM documents").fetchone()[0]
    ):
        raise StoreError("the target termbase is not empty; copy into a new one", path=str(getattr(dst, "path", "")))
    counts: dict[str, int] = {}
    with as_store(dst).transaction():
        for table in TABLES:
            names = columns(src, table)
            quoted = ", ".join(f'"{n}"' for n in names)
            if table == "meta":  # the target's migrations wrote its own meta rows
                dst.execute("DELETE FROM meta")
            order = {"meta": "key", "reviewer_state": "reviewer", "team_settings": "name"}.get(table, "id")
            rows = [tuple(r) for r in src.execute(f"SELECT {quoted} FROM {table} ORDER BY {order}").fetchall()]
            for start in range(0, len(rows), CHUNK):
                dst.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})",
                    rows[start : start + CHUNK],
                )
            counts[table] = len(rows)
        after = getattr(dst, "after_bulk_copy", None)
        if after is not None:
            after(TABLES)
    return counts
