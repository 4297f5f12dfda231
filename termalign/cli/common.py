"""Options and output helpers shared by every subcommand."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from termalign.store import DEFAULT_DB
from termalign.tui.cells import use_terminal_widths

if TYPE_CHECKING:
    from termalign.translate.glossary import Glossary


def db_option(f: Callable) -> Callable:
    return click.option(
        "--db",
        "db",
        default=lambda: os.environ.get("TERMALIGN_DB", DEFAULT_DB),
        show_default="termalign.db or $TERMALIGN_DB",
        type=click.Path(dir_okay=False),
        help="Termbase store (SQLite file).",
    )(f)


def json_option(f: Callable) -> Callable:
    help_text = "Print one JSON object for scripts instead of tables."
    return click.option("--json", "as_json", is_flag=True, help=help_text)(f)


def console(stderr: bool = False) -> Console:
    """A rich console; progress goes to stderr so --json output on stdout stays clean.
    Khmer and Thai are measured as terminals draw them (:func:`use_terminal_widths`)."""
    use_terminal_widths()
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def progress(disable: bool = False):
    """A progress display on stderr (hidden when stderr is not a terminal or ``disable``)."""
    # Loaded only by the commands that show progress: it keeps every other command quick to start.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = console(stderr=True)
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[item]}", style="dim"),
        console=err,
        disable=disable or not err.is_terminal,
        transient=True,
    )


def glossary_file(path: str | os.PathLike[str]) -> Glossary:
    """The glossary of a TBX (v2 or v3), CSV or TSV file: its approved concepts."""
    # Imported here: termalign.translate loads CTranslate2, which other commands never need.
    from termalign.export import read_termbase
    from termalign.translate.glossary import Glossary

    return Glossary((c for c in read_termbase(path) if c.status == "approved"), origin=str(path))
