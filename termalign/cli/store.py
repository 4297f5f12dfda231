"""``termalign store``: move a termbase between SQLite and PostgreSQL; reviewer roles; team settings."""

from __future__ import annotations

import getpass
import os
from dataclasses import asdict

import click

from termalign.cli.common import console, db_option, json_option, print_json
from termalign.errors import InputError
from termalign.store import open_store


@click.group("store")
def store() -> None:
    """Copy a termbase between backends; manage PostgreSQL reviewer roles; team settings."""


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


@store.command("settings")
@click.argument("name", required=False)
@click.argument("value", required=False)
@db_option
@click.option(
    "--reviewer", default=lambda: os.environ.get("TERMALIGN_REVIEWER") or getpass.getuser(),
    help="Name recorded as who set it (default: $TERMALIGN_REVIEWER or the OS user; on PostgreSQL the role).",
)
@json_option
def settings(name: str | None, value: str | None, db: str, reviewer: str, as_json: bool) -> None:
    """Show the team settings of a termbase, or set NAME to VALUE.

    \b
    Settings:
      rejections-needed  how many different reviewers must reject a pairing (or a
                         single term) before later builds keep it out (default 1:
                         one reviewer's rejection applies to all; with 2, a pairing
                         one reviewer rejected is proposed again until a second
                         reviewer rejects it too)

    \b
    termalign store settings                        # every setting, who set it, when
    termalign store settings rejections-needed 2    # set one
    On PostgreSQL only the admin role (the store's owner) changes settings.
    """
    from termalign.store.settings import SETTINGS

    if name is not None and name not in SETTINGS:
        raise InputError(f"no team setting {name!r} (known: {', '.join(sorted(SETTINGS))})", path=name)
    target = open_store(db, create=False)
    try:
        from termalign.store import as_store

        termstore = as_store(target)
        if value is not None:
            assert name is not None
            termstore.set_team_setting(name, value, reviewer)
        shown = termstore.team_settings()
    finally:
        target.close()
    if name is not None:
        shown = {name: shown[name]}
    if as_json:
        print_json({k: asdict(v) for k, v in shown.items()})
        return
    out = console()
    for setting in shown.values():
        origin = f"set by {setting.set_by} at {setting.set_at}" if setting.set_by else "default"
        out.print(f"{setting.name} = {setting.value}  ({origin})", markup=False)
