"""The review app: opens the store, restores the reviewer's place, wires the screens."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from termalign.tui.screens import ReviewScreen
from termalign.tui.widgets import Prompt
from textual.app import App, SystemCommand
from textual.screen import Screen

from termalign.errors import TermalignError
from termalign.review import LiveUpdates, ProposalList, load_position
from termalign.store import open_store

EXPORTS = (
    # (title, format, tbx_version, suffix)
    ("Export approved termbase: TBX v3", "tbx", 3, ".tbx"),
    ("Export approved termbase: TBX v2 (martif)", "tbx", 2, ".v2.tbx"),
    ("Export approved termbase: CSV", "csv", 3, ".csv"),
    ("Export approved termbase: TSV", "tsv", 3, ".tsv"),
)


def default_reviewer() -> str:
    """The OS user, the reviewer's name when ``--reviewer`` is not given."""
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers): fall back to the environment
        return os.environ.get("USER") or "reviewer"


class ReviewApp(App):
    """Review the proposals of one termbase file as one reviewer."""

    CSS_PATH = "app.tcss"
    TITLE = "termalign review"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self, db: str | os.PathLike[str], reviewer: str | None = None, *, conn: sqlite3.Connection | None = None
    ) -> None:
        super().__init__()
        self.db_path = Path(db)
        self.db_name = self.db_path.name
        self.reviewer = reviewer or default_reviewer()
        self._owns_conn = conn is None
        self.conn = conn or open_store(self.db_path, create=False)

    def on_mount(self) -> None:
        # Watching starts before the listing is read, so that no one's change falls in between.
        try:
            self.live: LiveUpdates | None = LiveUpdates(self.conn, self.reviewer)
        except TermalignError as exc:
            self.live = None
            self.notify(f"Other reviewers' changes will show only on R (reload): {exc}", severity="warning")
        concept_id, filters = load_position(self.conn, self.reviewer)
        proposals = ProposalList(self.conn, filters)
        # Back where the reviewer was; if that concept left the filter since, where it would be.
        start = proposals.place_of(concept_id) if concept_id is not None else 0
        self.push_screen(ReviewScreen(proposals, start, self.live))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, fmt, version, suffix in EXPORTS:
            target = self.export_path(suffix)
            yield SystemCommand(
                title,
                f"Write {target.name} next to the termbase",
                lambda f=fmt, v=version, s=suffix: self.export(f, v, s),
            )
        yield SystemCommand(
            "Export approved termbase to a file…",
            "Ask for the file name; .tbx (TBX v3), .v2.tbx (TBX v2), .csv or .tsv chooses the format",
            self.ask_export_path,
        )

    def export_path(self, suffix: str) -> Path:
        return self.db_path.with_name(self.db_path.stem + suffix)

    def ask_export_path(self) -> None:
        screen = self.screen
        if isinstance(screen, ReviewScreen):
            screen.query_one(Prompt).ask(
                "export", "export to:", str(self.export_path(".tbx")), placeholder="file name: .tbx .v2.tbx .csv .tsv"
            )

    def export_to(self, name: str) -> Path | None:
        """Export to a file the reviewer named; its ending chooses the format (relative names
        are next to the termbase)."""
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = self.db_path.parent / path
        lowered = path.name.lower()
        for _, fmt, version, suffix in sorted(EXPORTS, key=lambda e: -len(e[3])):
            if lowered.endswith(suffix):
                return self.export(fmt, version, suffix, path)
        endings = ", ".join(sorted({e[3] for e in EXPORTS}))
        self.notify(f"{path.name}: the name must end in {endings}", title="Export", severity="warning")
        return None

    def export(self, fmt: str, tbx_version: int, suffix: str, path: Path | None = None) -> Path | None:
        """Export the approved concepts with :func:`termalign.export.export_termbase`."""
        try:
            from termalign.export import export_termbase
        except ImportError:
            self.notify("Export is not available in this installation", title="Export", severity="error")
            return None
        path = path or self.export_path(suffix)
        try:
            count = export_termbase(self.conn, path, fmt, tbx_version=tbx_version, include_unreviewed=False)
        except TermalignError as exc:
            self.notify(str(exc), title="Export failed", severity="error")
            return None
        self.notify(f"Wrote {count} approved concepts to {path.name}", title="Export")
        return path

    def on_unmount(self) -> None:
        live: LiveUpdates | None = getattr(self, "live", None)  # unset when the app never mounted
        if live is not None:
            live.close()
        if self._owns_conn:
            self.conn.close()
