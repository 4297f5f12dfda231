"""The review TUI (Textual): translators approve, edit, merge and split proposed concepts.

``termalign review [DB] [--reviewer NAME]`` starts :class:`ReviewApp`. Every key is an action
of :mod:`termalign.review`, written to the store at once with the review log.
"""

from termalign.tui.app import ReviewApp

__all__ = ["ReviewApp"]
