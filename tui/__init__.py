"""The review TUI (Textual): translators approve, edit, merge and split proposed concepts.

``termalign review [DB] [--reviewer NAME]`` starts :class:`ReviewApp`. Every key is an action
of :mod:`termalign.review`, written to the store at once with the review log.

Importing the package makes Rich measure Khmer and Thai as terminals do
(:mod:`termalign.tui.cells`); the app itself (Textual) is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from termalign.tui import cells as _cells  # noqa: F401  (installs the terminal widths)

if TYPE_CHECKING:
    from termalign.tui.app import ReviewApp

__all__ = ["ReviewApp"]


def __getattr__(name: str) -> Any:
    if name == "ReviewApp":
        from termalign.tui.app import ReviewApp

        return ReviewApp
    raise AttributeError(name)
