"""One browser session of ``termalign serve``: a sign-in, then the review app.

textual-serve runs ``python -m termalign.cli.serve_session --db DB`` once per websocket, so
each browser session is its own process with its own connection and reviewer name.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from termalign.tui import app as review_app
from termalign.tui.app import ReviewApp

# A reviewer name is what the review log records; keep it to one short printable line.
MAX_REVIEWER_LENGTH = 64


class SignInScreen(Screen[str]):
    """Asks the reviewer's name; dismisses with it."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical { width: 64; height: auto; border: round $accent; padding: 1 2; }
    SignInScreen Label { width: 100%; margin-bottom: 1; }
    """

    def __init__(self, db_name: str) -> None:
        super().__init__()
        self.db_name = db_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]termalign review[/b]  {self.db_name}")
            yield Label("Reviewer name (self-declared: the review log records it as typed)")
            yield Input(placeholder="your name", id="reviewer", max_length=MAX_REVIEWER_LENGTH)
            yield Label("", id="problem")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        if not name:
            self.query_one("#problem", Label).update("[b]A name is needed to sign the review log.[/b]")
            return
        self.dismiss(name)


class ServedReviewApp(ReviewApp):
    """The review app behind a sign-in: the reviewer is whoever signs in, not the OS user."""

    TITLE = "termalign review (browser)"
    # Textual resolves a relative CSS_PATH beside the subclass's module; the style is the review app's.
    CSS_PATH = str(Path(review_app.__file__).with_name("app.tcss"))

    def __init__(self, db: str | os.PathLike[str]) -> None:
        super().__init__(db, reviewer="")

    def on_mount(self, event: events.Mount) -> None:
        # Textual would run ReviewApp.on_mount too, opening the review under the OS user.
        event.prevent_default()
        self.push_screen(SignInScreen(self.db_name), callback=self._signed_in)

    def _signed_in(self, reviewer: str | None) -> None:
        if not reviewer:
            self.exit()
            return
        self.reviewer = reviewer
        self.sub_title = f"{reviewer} (self-declared)"
        ReviewApp.on_mount(self)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="termalign.cli.serve_session", description=__doc__)
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    ServedReviewApp(args.db).run()


if __name__ == "__main__":
    main()
