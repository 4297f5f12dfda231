"""Peak memory of ingesting one unbroken line of Khmer, against a one-sentence baseline.

A file with no line break and no sentence end (a scraped page flattened to one line) is the
worst case for ingest memory: the whole file is one paragraph of one "sentence". The bench
writes such files from the NTREX-128 Khmer text in ``corpora/`` (spaces, zero-width spaces and
sentence ends removed, repeated to size), ingests each in a fresh process (``termalign ingest
--json`` into a new store) and reads the child's peak RSS (``ru_maxrss``) and CPU seconds.

The baseline, measured in the same run, is the same command on a one-sentence Khmer file: the
interpreter with the Khmer segmenter and tagger loaded. Printed per size: peak RSS, RSS above
the baseline, its ratio to the baseline, and CPU seconds; then a line fitted through the sizes
(MB of RSS per MB of input) and the peak extrapolated to ``--extrapolate`` MB.

    .venv/bin/python bench/bench_long_line.py [--sizes 0.5 1 2] [--extrapolate 10]
    .venv/bin/python bench/bench_long_line.py --sizes 10        # measure 10 MB directly (~90 s)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KHMER = ROOT / "corpora" / "ntrex128" / "newstest2019-ref.khm.txt"
BASELINE_SENTENCE = "ក្រសួងប្រៃសណីយ៍និងទូរគមនាគមន៍បានដាក់ឱ្យប្រើប្រាស់ប្រព័ន្ធអត្តសញ្ញាណឌីជីថល។\n"


def unbroken_khmer(mb: float) -> str:
    text = re.sub(r"[\s\u200b។៕?!]+", "", KHMER.read_text(encoding="utf-8"))
    chars = int(mb * 1e6 / len(text.encode()) * len(text))
    return (text * (chars // len(text) + 1))[:chars]


def ingest(folder: Path) -> tuple[float, float]:
    """Peak RSS (MB) and CPU seconds of ``termalign ingest`` on ``folder`` in a fresh process."""
    db = folder.parent / f"{folder.name}.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "termalign", "ingest", str(folder), "--db", str(db), "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"termalign ingest {folder} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1.0, 2.0], help="MB of the unbroken line")
    ap.add_argument("--extrapolate", type=float, default=10.0, help="MB to extrapolate the peak to")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = Path(tmp) / "baseline"
        base_dir.mkdir()
        (base_dir / "one.txt").write_text(BASELINE_SENTENCE, encoding="utf-8")
        base_rss, base_cpu = ingest(base_dir)
        print(f"baseline (one sentence): peak RSS {base_rss:.0f} MB, CPU {base_cpu:.2f} s")
        print(f"{'MB':>6} {'peak RSS':>9} {'above base':>11} {'ratio':>6} {'CPU s':>7}")
        mbs, rsss = [], []
        for mb in args.sizes:
            folder = Path(tmp) / f"line-{mb}"
            folder.mkdir()
            data = unbroken_khmer(mb)
            (folder / "line.txt").write_text(data, encoding="utf-8")
            size = len(data.encode()) / 1e6
            rss, cpu = ingest(folder)
            mbs.append(size)
            rsss.append(rss)
            print(f"{size:6.2f} {rss:8.0f}M {rss - base_rss:10.0f}M {rss / base_rss:6.2f} {cpu:7.2f}")
        if len(mbs) >= 2:
            slope, intercept = fit(mbs, rsss)
            at = slope * args.extrapolate + intercept
            print(f"fit: {slope:.1f} MB of RSS per MB of input; peak at {args.extrapolate:g} MB ≈ {at:.0f} MB "
                  f"({at / base_rss:.2f}× the baseline)")


if __name__ == "__main__":
    main()
