"""Terminal cells for Khmer and Thai: how wide text is, and where it may be cut.

Rich (and so Textual, which measures with Rich) takes its widths from the *wcwidth* tables,
which give every combining mark zero cells, also the *spacing* marks (category Mc) such as the
Khmer vowel sign AA ``ា`` (U+17B6). Terminals give those one cell: tmux and xterm measure with
the C library's ``wcwidth`` (glibc: zero only for Mn, Me and Cf), VTE with GLib's rule, the same.
Measured in tmux 3.3: ``ការ`` is 3 cells, Rich says 2. Every row holding such a vowel then ends
one cell further right than the app thinks, and columns, borders and wrapped lines shift.

:func:`use_terminal_widths` fixes this where text is measured: it writes the terminal's widths
for the Khmer and Thai blocks into Rich's cell table (``rich.cells.cell_len``, which Textual and
the CLI's Rich tables call), and makes Rich's grapheme split keep a Khmer or Thai cluster whole
(a base with its marks, COENG with the consonant it subscripts, a Thai leading vowel with its
consonant), so that Rich's cropping and folding never cut one. It runs when this module is
imported; the CLI imports it before drawing a table.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import rich.cells
from rich._unicode_data import load as _load_cell_table

COENG = "\u17d2"
THAI_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
ELLIPSIS = "…"

# Unicode blocks of the termbase's scripts whose widths follow the terminal, not wcwidth:
# Khmer, Khmer Symbols, Thai.
TERMINAL_BLOCKS = ((0x1780, 0x17FF), (0x19E0, 0x19FF), (0x0E00, 0x0E7F))
# Categories a terminal draws in no cell of their own (glibc's wcwidth rule).
ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})

_rich_split_graphemes = rich.cells.split_graphemes


def terminal_width(character: str) -> int:
    """Cells a terminal gives one character of the Khmer or Thai blocks (0 or 1)."""
    return 0 if unicodedata.category(character) in ZERO_WIDTH_CATEGORIES else 1


def _spacing_marks() -> set[int]:
    """Code points of the blocks that Rich's table makes zero cells and terminals one."""
    return {
        cp
        for low, high in TERMINAL_BLOCKS
        for cp in range(low, high + 1)
        if unicodedata.category(chr(cp)) != "Cn" and terminal_width(chr(cp)) == 1
    }


def widths_with_terminal_marks(widths: Iterable[tuple[int, int, int]], wide: set[int]) -> list[tuple[int, int, int]]:
    """A Rich width table (sorted ``(start, end, cells)`` ranges; absent means one cell) with
    the code points in ``wide`` taken out of its zero-width ranges, so they count one cell."""
    out: list[tuple[int, int, int]] = []
    for start, end, cells in widths:
        if cells != 0 or not any(start <= cp <= end for cp in wide):
            out.append((start, end, cells))
            continue
        run_start = None
        for cp in range(start, end + 1):
            if cp in wide:
                if run_start is not None:
                    out.append((run_start, cp - 1, 0))
                    run_start = None
            elif run_start is None:
                run_start = cp
        if run_start is not None:
            out.append((run_start, end, 0))
    return out


def split_clusters(text: str, unicode_version: str = "auto") -> tuple[list[tuple[int, int, int]], int]:
    """Rich's :func:`~rich.cells.split_graphemes`, with Khmer and Thai clusters kept whole:
    a spacing mark joins its base, a consonant the COENG before it, a consonant the Thai
    leading vowel before it."""
    spans, total = _rich_split_graphemes(text, unicode_version)
    out: list[tuple[int, int, int]] = []
    for start, end, cells in spans:
        if out:
            prev_start, prev_end, prev_cells = out[-1]
            joins = (
                unicodedata.category(text[start]) in MARK_CATEGORIES
                or text[prev_end - 1] == COENG
                or (prev_end - prev_start == 1 and text[prev_start] in THAI_LEADING_VOWELS)
            )
            if joins:
                out[-1] = (prev_start, end, prev_cells + cells)
                continue
        out.append((start, end, cells))
    return out, total


def use_terminal_widths() -> None:
    """Make Rich (and Textual) measure and cut Khmer and Thai as terminals draw them.
    Safe to call more than once."""
    table = _load_cell_table()
    wide = _spacing_marks()
    fixed = widths_with_terminal_marks(table.widths, wide)
    if list(table.widths) != fixed:
        table.widths[:] = fixed  # type: ignore[index]  # the table is a list; Rich's cached lookups read it
        rich.cells.get_character_cell_size.cache_clear()
        rich.cells.cached_cell_len.cache_clear()
    rich.cells.split_graphemes = split_clusters


use_terminal_widths()

cell_len = rich.cells.cell_len


def clusters(text: str) -> list[tuple[str, int]]:
    """``text`` as a list of (cluster, cells) that may not be cut apart."""
    spans, _ = split_clusters(text)
    return [(text[start:end], cells) for start, end, cells in spans]


#: Characters one terminal cell can hold at most in Khmer or Thai (a consonant with a
#: subscript, vowel signs and a sign): cutting needs no more of a long text than this per cell.
MAX_CHARS_PER_CELL = 6


def fit(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` cut (whole clusters, then ``ellipsis``) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    room = width - cell_len(ellipsis)
    kept, used = [], 0
    for piece, cells in clusters(text[: (width + 1) * MAX_CHARS_PER_CELL]):
        if used + cells > room:
            break
        kept.append(piece)
        used += cells
    return "".join(kept) + ellipsis + " " * (room - used)


def tail(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """The end of ``text`` in at most ``width`` cells (whole clusters), ``ellipsis`` in front
    when something was cut; not padded."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ellipsis)
    kept: list[str] = []
    used = 0
    for piece, cells in reversed(clusters(text[-(width + 1) * MAX_CHARS_PER_CELL :])):
        if used + cells > room:
            break
        kept.append(piece)
        used += cells
    return ellipsis + "".join(reversed(kept)) if room > 0 else ""


def head(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """The start of ``text`` in at most ``width`` cells, not padded."""
    return text if cell_len(text) <= width else fit(text, width, ellipsis).rstrip(" ")
