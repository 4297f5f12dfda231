"""``termalign serve``: the review app in the browser, through textual-serve.

Every browser session (one websocket) gets its own app process: ``python -m termalign.cli.serve_session
--db DB``. The process first asks who is reviewing, then opens the same review app as
``termalign review`` under that name. On SQLite the name is self-declared, and the sign-in says
so. There is no authentication here: it belongs to a reverse proxy in front of the server, which
is why the server binds to a loopback address unless told otherwise.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys

import click

from termalign.errors import InputError
from termalign.store import DEFAULT_DB
from termalign.store.db import safe_location

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """True when every address ``host`` names is a loopback address (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def session_command(db: str) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join([sys.executable, "-m", "termalign.cli.serve_session", "--db", db])


@click.command("serve")
@click.option(
    "--db",
    "db",
    default=lambda: os.environ.get("TERMALIGN_DB", DEFAULT_DB),
    show_default="termalign.db or $TERMALIGN_DB",
    type=click.Path(dir_okay=False),
    help="Termbase store.",
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option(
    "--allow-non-loopback",
    is_flag=True,
    help="Listen on an address other machines can reach (put an authenticating reverse proxy in front).",
)
@click.option("--public-url", default=None, help="The URL browsers use, when a reverse proxy serves it elsewhere.")
def serve(db: str, host: str, port: int, allow_non_loopback: bool, public_url: str | None) -> None:
    """Serve the review app in the browser (one app process per browser session).

    Each session signs in with a reviewer name, which the review log records (self-declared on
    SQLite). termalign serve does no authentication itself: put a reverse proxy that
    authenticates (and terminates TLS) in front of it. That is why it listens on 127.0.0.1 by
    default and refuses any other address unless --allow-non-loopback is given.
    """
    from termalign.store import open_store

    if not is_loopback(host) and not allow_non_loopback:
        raise InputError(
            f"{host} is not a loopback address; serving the review app beyond this machine needs an "
            "authenticating reverse proxy in front and --allow-non-loopback",
            path="--host",
        )
    try:
        from textual_serve.server import Server
    except ImportError:
        raise InputError("textual-serve is not installed (pip install -e '.[serve]')", path="termalign serve") from None
    if not db.startswith(("postgresql://", "postgres://")):  # on PostgreSQL each session signs in as its role
        open_store(db, create=False).close()  # a missing or foreign store fails here, as one clear line
    title = f"termalign review: {safe_location(db)}"
    Server(session_command(db), host=host, port=port, title=title, public_url=public_url).serve()
