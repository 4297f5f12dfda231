"""Khmer and Thai measured as terminals draw them, and never cut inside a cluster."""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import shutil
import subprocess
import sys
import time
import unicodedata

import pytest
from rich.cells import cell_len, chop_cells, get_character_cell_size
from rich.console import Console
from rich.table import Table
from termalign.tui.cells import COENG, TERMINAL_BLOCKS, clusters, fit


def libc_wcwidth():
    """The C library's wcwidth in a UTF-8 locale (what tmux and xterm measure with), or None."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    except locale.Error:
        return None
    libc = ctypes.CDLL(name)
    libc.wcwidth.argtypes = [ctypes.c_wchar]
    return libc.wcwidth


def test_khmer_spacing_vowels_take_a_cell():
    # ា (U+17B6), ើ, ះ: one cell each in tmux; wcwidth's tables (and so Rich's) say zero
    assert [cell_len(s) for s in ("កា", "ការ", "កើ", "កះ")] == [2, 3, 2, 2]
    assert cell_len("ការផ្លាស់ប្តូរឌីជីថល") == 14  # measured in tmux 3.3 with cursor_x
    assert cell_len("การเปลี่ยนแปลงทางดิจิทัล") == 19
    assert cell_len("ក្ក") == 2  # COENG draws nothing; the subscript consonant one cell


def test_every_khmer_and_thai_character_as_the_c_library_measures_it():
    wcwidth = libc_wcwidth()
    if wcwidth is None:
        pytest.skip("no C library wcwidth with a UTF-8 locale here")
    differ = [
        f"U+{cp:04X} rich={get_character_cell_size(chr(cp))} libc={wcwidth(chr(cp))}"
        for low, high in TERMINAL_BLOCKS
        for cp in range(low, high + 1)
        if unicodedata.category(chr(cp)) != "Cn" and get_character_cell_size(chr(cp)) != wcwidth(chr(cp))
    ]
    assert differ == []


def test_clusters_keep_marks_coeng_and_thai_leading_vowels():
    assert [c for c, _ in clusters("ការផ្លាស់")] == ["កា", "រ", "ផ្លា", "ស់"]
    assert [c for c, _ in clusters("เปลี่ยน")] == ["เป", "ลี่", "ย", "น"]
    assert fit("ការផ្លាស់", 4) == "ការ…"
    for piece in chop_cells("ការផ្លាស់ប្តូរឌីជីថល", 5):
        assert unicodedata.category(piece[0]) not in {"Mn", "Mc"} and not piece.endswith(COENG)


def test_a_rich_table_folds_khmer_between_clusters():
    table = Table("km", "n")
    table.columns[0].max_width = 6
    table.columns[0].overflow = "fold"
    table.add_row("ការផ្លាស់ប្តូរឌីជីថល", "1")
    console = Console(width=40, record=True, color_system=None)
    console.print(table)
    lines = [line for line in console.export_text().splitlines() if line.startswith("│")]
    assert len({cell_len(line) for line in lines}) == 1  # every row ends at the same cell
    for line in lines:
        cell = line.split("│")[1].strip()
        assert cell and unicodedata.category(cell[0]) not in {"Mn", "Mc"} and not cell.endswith(COENG)


# -- in a real terminal emulator: tmux ---------------------------------------------------


def terminal_column(line: str, index: int, wcwidth) -> int:
    """The cell where ``line[index]`` is drawn, counted as the terminal does."""
    return sum(max(wcwidth(ch), 0) for ch in line[:index])


def capture(session: str) -> list[str]:
    out = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_table_columns_line_up_in_tmux(termbase, size, tmp_path):
    wcwidth = libc_wcwidth()
    if shutil.which("tmux") is None or wcwidth is None:
        pytest.skip("needs tmux and the C library's wcwidth")
    session = f"termalign-test-{size[0]}-{tmp_path.name}"
    socket = str(tmp_path / "tmux.sock")
    command = f"{sys.executable} -m termalign review {termbase} --reviewer alice"
    env = ["env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=xterm-256color"]
    subprocess.run(
        [
            "tmux",
            "-S",
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            *env,
            *command.split(),
        ],
        check=True,
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.5)
            out = subprocess.run(
                ["tmux", "-S", socket, "capture-pane", "-p", "-t", session], capture_output=True, text=True
            )
            lines = out.stdout.splitlines()
            if any("score" in line for line in lines) and any("Evidence" in line for line in lines):
                break
        header = next(line for line in lines if "score" in line and " vi " in line)
        vi_column = terminal_column(header, header.index(" vi ") + 1, wcwidth)
        rows = {
            text: next(line for line in lines if text in line)
            for text in ("VNeID", "chuyển đổi số", "chính phủ", "kinh tế số", "khoa học")
        }
        columns = {
            text: terminal_column(line, line.index(text), wcwidth) for text, line in rows.items() if text != "VNeID"
        }
        assert set(columns.values()) == {vi_column}, columns
        # every line of the screen fits the terminal: nothing piles up at the right edge
        assert max(terminal_column(line, len(line), wcwidth) for line in lines) <= size[0]
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True)
