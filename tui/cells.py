"""Cutting text to terminal cells without breaking a Khmer or Thai cluster.

Rich (and so Textual) measures a combining mark as zero cells, and a Khmer subscript
consonant (COENG + consonant) as one. A cut must never separate a base from its marks, nor
a COENG from the consonant it subscripts, nor a Thai leading vowel from its consonant: the
orphaned part would render as a dotted circle or merge into the next column.
"""

from __future__ import annotations

from rich.cells import cell_len, split_graphemes

COENG = "\u17d2"
THAI_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
ELLIPSIS = "…"


def clusters(text: str) -> list[tuple[str, int]]:
    """``text`` as a list of (cluster, cells) that may not be cut apart."""
    spans, _ = split_graphemes(text)
    out: list[tuple[str, int]] = []
    for start, end, cells in spans:
        piece = text[start:end]
        if out and (out[-1][0].endswith(COENG) or out[-1][0] in THAI_LEADING_VOWELS):
            prev, prev_cells = out.pop()
            out.append((prev + piece, prev_cells + cells))
        else:
            out.append((piece, cells))
    return out


def fit(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` cut (whole clusters, then ``ellipsis``) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    room = width - cell_len(ellipsis)
    kept, used = [], 0
    for piece, cells in clusters(text):
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
    for piece, cells in reversed(clusters(text)):
        if used + cells > room:
            break
        kept.append(piece)
        used += cells
    return ellipsis + "".join(reversed(kept)) if room > 0 else ""


def head(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """The start of ``text`` in at most ``width`` cells, not padded."""
    return text if cell_len(text) <= width else fit(text, width, ellipsis).rstrip(" ")
