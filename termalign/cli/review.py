"""``termalign review``: open the review TUI on a termbase."""

from __future__ import annotations

import os

import click

from termalign.store import DEFAULT_DB, open_store


@click.command("review")
@click.argument("db", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--db", "db_option", type=click.Path(dir_okay=False), default=None,
    help="Termbase store (same as the DB argument; default: termalign.db or $TERMALIGN_DB).",
)
@click.option("--reviewer", default=None, help="Name written to the review log (default: the OS user).")
def review(db: str | None, db_option: str | None, reviewer: str | None) -> None:
    """Open the review TUI: approve, reject, edit, merge and split proposed concepts.

    Every decision is saved at once with the review log; reopening returns to where you were.
    Press ? in the app for the key map.
    """
    # Imported here: Textual is only needed when the review screen opens.
    from termalign.tui.app import ReviewApp

    path = db or db_option or os.environ.get("TERMALIGN_DB", DEFAULT_DB)
    conn = open_store(path, create=False)  # a missing or foreign file fails here, as one clear line
    ReviewApp(path, reviewer, conn=conn).run()
    conn.close()
