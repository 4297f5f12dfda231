"""Benchmark the review TUI on a termbase of 100 000 proposals.

    .venv/bin/python bench/bench_tui.py [--proposals 100000] [--actions 40] [--seed-db SEED.db]

``--seed-db`` adds a column for a real termbase (``termalign build seeds/ --db SEED.db``:
evidence as alignment writes it, documents, a concordance), measured on a copy.

Prints the time to first screen, the time per approve / next / next-undecided / undo, and the
cost of live updates (a look for other reviewers' changes when there are none, and showing one),
headless (``App.run_test``), for the large termbase and, as the baseline measured in the same
run, for a termbase of 100 proposals: with a virtualized table the two should be close.
"key press" is Pilot's round trip (it waits for the app to go idle, a floor of its own);
"handled" is the app's own work for the action, the figure that shows what 100 000 rows cost;
it includes loading the detail pane (readable evidence, corpus counts, a concordance page and
the other languages' lines) and drawing it. It is the process's CPU time (SQLite runs in the
process), so that other programs on a shared machine do not count; "handled (wall)" is the
clock's view of the same work, and "first screen (cpu)" the CPU time to the first screen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from termalign.tui.app import ReviewApp
from termalign.tui.widgets import DetailPane, ProposalTable

from termalign import lang as languages
from termalign import review
from termalign.store import open_store, transaction

STAMP = "2025-01-15T09:00:00Z"
WORDS = {
    "km": ["ការផ្លាស់ប្តូរ", "ឌីជីថល", "សេដ្ឋកិច្ច", "រដ្ឋាភិបាល", "អេឡិចត្រូនិក", "ហេដ្ឋារចនាសម្ព័ន្ធ"],
    "th": ["การเปลี่ยนแปลง", "ดิจิทัล", "เศรษฐกิจ", "รัฐบาล", "อิเล็กทรอนิกส์", "โครงสร้างพื้นฐาน"],
    "vi": ["chuyển đổi", "số", "kinh tế", "chính phủ", "điện tử", "hạ tầng"],
    "en": ["transformation", "digital", "economy", "government", "electronic", "infrastructure"],
}
SIGNALS = ["lexicon", "cognate", "anchor", "mt", "distributional"]


def build(path: Path, n: int, seed: int = 7) -> None:
    """Write ``n`` proposals (terms in all four languages, one or two evidence rows each)."""
    rng = random.Random(seed)
    conn = open_store(path)
    keys = {code: languages.get(code).key for code in languages.CODES}
    with transaction(conn):
        conn.executemany(
            "INSERT INTO concepts (id, status, score, origin, version, created_at, updated_at) VALUES (?,?,?,?,1,?,?)",
            [(i, "unreviewed", round(rng.random(), 4), "align", STAMP, STAMP) for i in range(1, n + 1)],
        )
        terms = []
        for i in range(1, n + 1):
            for code in languages.CODES:
                words = WORDS[code]
                sep = "" if code in ("km", "th") else " "
                text = sep.join((words[i % 6], words[(i // 6) % 6])) + f" {i}"
                terms.append((i, code, text, keys[code](text), "preferred"))
        conn.executemany("INSERT INTO terms (concept_id, lang, text, key, status) VALUES (?,?,?,?,?)", terms)
        conn.executemany(
            "INSERT INTO evidence (concept_id, signal, score, lang_a, lang_b, detail) VALUES (?,?,?,?,?,?)",
            [
                (i, SIGNALS[(i + k) % 5], 0.5, "km", "th", detail(i, k))
                for i in range(1, n + 1)
                for k in range(1 + i % 2)
            ],
        )
    conn.execute("ANALYZE")
    conn.close()


def detail(i: int, k: int) -> str:
    """An evidence detail shaped as alignment writes it (glossary pieces, skeletons)."""
    words = (WORDS["km"][i % 6], WORDS["km"][(i // 6) % 6])
    glosses = (WORDS["en"][i % 6], WORDS["en"][(i // 6) % 6])
    if k:
        return json.dumps({"km": "".join(words), "th": WORDS["th"][i % 6], "skeleton": "KRPT", "similarity": 0.8})
    pieces = [[w, g, "base:termalign-curated"] for w, g in zip(words, glosses, strict=True)]
    data = {"term": "".join(words), "gloss": " ".join(reversed(glosses)), "pieces": pieces}
    return json.dumps(data, ensure_ascii=False)


ACTIONS = (
    ("approve", "a", "approve"),
    ("next row", "j", None),
    ("next undecided", "n", "undecided(1)"),
    ("undo", "u", "undo"),
)


async def measure(path: Path, actions: int) -> dict[str, float]:
    """Seconds: to the first screen; per key press through Pilot (which adds its own wait for
    the app to go idle); and per action handled in the app (the store write, the row and
    detail update, and drawing every visible table line), called directly."""
    out: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    app = ReviewApp(path, "bench")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["first screen"] = time.perf_counter() - start
        out["first screen (cpu)"] = time.process_time() - cpu
        screen = app.screen
        table = screen.query_one(ProposalTable)
        pane = screen.query_one(DetailPane)
        for name, key, action in ACTIONS:
            pressed, handled, wall = [], [], []
            for _ in range(actions):
                t = time.perf_counter()
                await pilot.press(key)
                pressed.append(time.perf_counter() - t)
            for _ in range(actions):
                t, c = time.perf_counter(), time.process_time()
                if action:
                    await screen.run_action(action)
                else:
                    table.action_cursor_down()
                screen.on_proposal_table_highlighted(ProposalTable.Highlighted(table.cursor, table.current))
                for y in range(table.size.height):
                    table.render_line(y)
                pane.render_lines(pane.region.reset_offset)  # the detail pane's new content, drawn
                handled.append(time.process_time() - c)
                wall.append(time.perf_counter() - t)
                await pilot.pause()
            out[f"{name} ({key}): key press"] = statistics.median(pressed)
            out[f"{name} ({key}): handled"] = statistics.median(handled)
            out[f"{name} ({key}): handled (wall)"] = statistics.median(wall)
        out.update(await measure_live(pilot, path, actions))
    return out


async def measure_live(pilot, path: Path, actions: int) -> dict[str, float]:
    """Seconds per look for other reviewers' changes: when nobody else wrote (what the screen
    pays twice a second), and after another connection approved a concept below the cursor
    (the rows and the mark redrawn). The screen's own timer is held so that it does not take
    the change first."""
    screen = pilot.app.screen
    table = screen.query_one(ProposalTable)
    screen.live_timer.pause()
    quiet = []
    for _ in range(actions):
        c = time.process_time()
        screen.poll_live()
        quiet.append(time.process_time() - c)
    other = open_store(path, create=False)  # another reviewer's connection
    handled, wall = [], []
    for _ in range(actions):
        below = (table.proposals.row(i) for i in range(table.cursor + 1, len(table.proposals)))
        row = next(r for r in below if r is not None and r.status == "unreviewed")
        review.approve(other, row.id, version=row.version, reviewer="other")
        t, c = time.perf_counter(), time.process_time()
        screen.poll_live()
        for y in range(table.size.height):
            table.render_line(y)
        handled.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
        await pilot.pause()
    other.close()
    return {
        "live look (none new): handled": statistics.median(quiet),
        "live update: handled": statistics.median(handled),
        "live update: handled (wall)": statistics.median(wall),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=40, help="key presses measured per action (median shown)")
    parser.add_argument("--seed-db", type=Path, help="a real termbase (termalign build seeds/) to measure too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.db", Path(tmp) / "large.db"
        t = time.perf_counter()
        build(small, 100)
        build(large, args.proposals)
        took = time.perf_counter() - t
        print(f"built termbases of 100 and {args.proposals:,} proposals in {took:.1f} s", file=sys.stderr)
        # a first run pays one-time costs (imports, Textual's first layout) for no termbase
        asyncio.run(measure(small, 2))
        base = asyncio.run(measure(small, args.actions))
        big = asyncio.run(measure(large, args.actions))
        seed = None
        if args.seed_db:
            copy = Path(tmp) / "seed.db"
            shutil.copyfile(args.seed_db, copy)
            seed = asyncio.run(measure(copy, args.actions))
    head = f"{'':32} {'100 (baseline)':>16} {f'{args.proposals:,}':>16}  ratio"
    print(head + (f" {'seed termbase':>16}" if seed else ""))
    for name in base:
        unit, scale, digits = ("s", 1, 2) if name.startswith("first screen") else ("ms", 1000, 1)
        digits = 3 if name.startswith("live look") else digits  # microseconds: shown, not rounded away
        ratio = big[name] / base[name] if base[name] else float("nan")
        line = (f"{name:32} {base[name] * scale:>13.{digits}f} {unit:2} "
                f"{big[name] * scale:>13.{digits}f} {unit:2}  {ratio:5.1f}x")
        if seed:
            line += f" {seed[name] * scale:>13.{digits}f} {unit:2}"
        print(line)
    print(f"(medians of {args.actions} actions each; headless App.run_test at 120x40)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
