"""One browser session of ``termalign serve``: a sign-in, then the review app.

textual-serve runs ``python -m termalign.cli.serve_session --db DB`` once per websocket, so
each browser session is its own process with its own connection and reviewer name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from termalign.errors import TermalignError
from termalign.store import open_store
from termalign.store.postgres import PostgresStore, is_postgres_url, safe_url
from termalign.tui import app as review_app
from termalign.tui.app import ReviewApp

# A reviewer name is what the review log records; keep it to one short printable line.
MAX_REVIEWER_LENGTH = 64
#: Stands for the connection until a reviewer signs in on PostgreSQL.
_NOT_SIGNED_IN = object()


def role_url(url: str, role: str, password: str) -> str:
    """``url`` with the database role and password of the reviewer signing in."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}:{quote(password, safe='')}@{host}"))


class SignInScreen(Screen[tuple[str, str]]):
    """Asks who is reviewing; dismisses with (name, password). On PostgreSQL the name is a
    database role and the password its own; on SQLite the name is self-declared."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical { width: 64; height: auto; border: round $accent; padding: 1 2; }
    SignInScreen Label { width: 100%; margin-bottom: 1; }
    """

    def __init__(self, db_name: str, with_password: bool) -> None:
        super().__init__()
        self.db_name = db_name
        self.with_password = with_password

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]termalign review[/b]  {self.db_name}")
            if self.with_password:
                yield Label("Database role and password (the review log records the role)")
                yield Input(placeholder="role", id="reviewer", max_length=MAX_REVIEWER_LENGTH)
                yield Input(placeholder="password", id="password", password=True)
            else:
                yield Label("Reviewer name (self-declared: the review log records it as typed)")
                yield Input(placeholder="your name", id="reviewer", max_length=MAX_REVIEWER_LENGTH)
            yield Label("", id="problem")
        yield Footer()

    def problem(self, text: str) -> None:
        self.query_one("#problem", Label).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = " ".join(self.query_one("#reviewer", Input).value.split())
        if not name:
            self.problem("[b]A name is needed to sign the review log.[/b]")
            return
        if self.with_password and event.input.id == "reviewer":
            self.query_one("#password", Input).focus()
            return
        password = self.query_one("#password", Input).value if self.with_password else ""
        self.dismiss((name, password))


class ServedReviewApp(ReviewApp):
    """The review app behind a sign-in: the reviewer is whoever signs in, not the OS user."""

    TITLE = "termalign review (browser)"
    reviewer: str
    sub_title: str
    # Textual resolves a relative CSS_PATH beside the subclass's module; the style is the review app's.
    CSS_PATH = str(Path(review_app.__file__).with_name("app.tcss"))

    def __init__(self, db: str) -> None:
        self.url = db if is_postgres_url(db) else None
        # On PostgreSQL nothing is opened before sign-in: the session connects as the reviewer's role.
        super().__init__(db, reviewer="", conn=_NOT_SIGNED_IN if self.url else None)
        if self.url:
            self.db_name = safe_url(self.url).rsplit("/", 1)[-1]

    def on_mount(self, event: events.Mount) -> None:
        # Textual would run ReviewApp.on_mount too, opening the review under the OS user.
        event.prevent_default()
        self.push_screen(SignInScreen(self.db_name, with_password=self.url is not None), callback=self._signed_in)

    def _signed_in(self, signed: tuple[str, str] | None) -> None:
        if not signed:
            self.exit()
            return
        name, password = signed
        if self.url:
            try:
                store = open_store(role_url(self.url, name, password), create=False)
            except TermalignError as exc:
                self.notify(str(exc).replace(password, "***") if password else str(exc), severity="error")
                self.push_screen(SignInScreen(self.db_name, with_password=True), callback=self._signed_in)
                return
            assert isinstance(store, PostgresStore)
            self.conn = store
            self._owns_conn = True
            self.reviewer = store.current_role()
            self.sub_title = f"{self.reviewer} (database role)"
        else:
            self.reviewer = name
            self.sub_title = f"{name} (self-declared)"
        ReviewApp.on_mount(self)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="termalign.cli.serve_session", description=__doc__)
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    ServedReviewApp(args.db).run()


if __name__ == "__main__":
    main()
