"""``termalign store``: move a termbase between SQLite and PostgreSQL; reviewer roles."""

from __future__ import annotations

import os

import click

from termalign.cli.common import console
from termalign.errors import InputError
from termalign.store import open_store


@click.group("store")
def store() -> None:
    """Copy a termbase between backends; manage PostgreSQL reviewer roles."""


@store.command("copy")
@click.argument("src")
@click.argument("dst")
def copy(src: str, dst: str) -> None:
    """Copy the termbase SRC into the new, empty termbase DST, row for row (ids kept).

    Either side is a SQLite file or a postgresql:// URL, so this moves a termbase to a team's
    server and back: termalign store copy termalign.db postgresql://admin@db/termbase
    """
    from termalign.store.copy import copy_store

    source = open_store(src, create=False)
    target = open_store(dst)
    try:
        counts = copy_store(source, target)
    finally:
        source.close()
        target.close()
    console(stderr=True).print(
        f"copied {counts['concepts']} concepts, {counts['documents']} documents, "
        f"{counts['review_log']} review-log entries → {dst.split('@')[-1]}",
        markup=False,
    )


@store.command("grant")
@click.argument("role")
@click.option("--db", "db", default=lambda: os.environ.get("TERMALIGN_DB", ""), help="postgresql:// URL of the admin.")
@click.option("--password", default=None, help="The role's password (default: $TERMALIGN_ROLE_PASSWORD).")
def grant(role: str, db: str, password: str | None) -> None:
    """Create a PostgreSQL reviewer ROLE: it may read and review, but not alter the review log,
    the schema or other roles, and the log records decisions under its name.

    Run as the admin role that created the termbase (it runs migrations and imports).
    """
    from termalign.store.postgres import PostgresStore, grant_reviewer

    if not db.startswith(("postgresql://", "postgres://")):
        raise InputError("reviewer roles exist on PostgreSQL only; give --db postgresql://…", path="--db")
    target = open_store(db, create=False)
    assert isinstance(target, PostgresStore)
    try:
        grant_reviewer(target, role, password if password is not None else os.environ.get("TERMALIGN_ROLE_PASSWORD"))
    finally:
        target.close()
    console(stderr=True).print(f"reviewer role {role} may review {db.split('@')[-1]}", markup=False)
