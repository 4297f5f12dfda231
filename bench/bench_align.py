"""Alignment alone (``termalign align``) against a baseline checkout, in CPU seconds, same run.

For each folder (default: ``seeds/``) the bench ingests and extracts it once into a store
with this checkout's code, then, ``--runs`` times, copies that store and runs
:func:`termalign.align.align` on the copy in a fresh process — once with a baseline
checkout's code (``--baseline-src``, a directory holding ``termalign/``: a ``git worktree``
or ``git archive`` of the commit to compare with), once with this checkout's, alternating so
that both see the same machine load. Each child times the ``align(conn)`` call as the CLI
makes it (lexicon built, segmenters loaded on first use: a cold process), in CPU seconds
(``time.process_time``) and wall seconds, and also reports its whole process's CPU
(``os.wait4``, imports included). With ``--warm`` each child first loads every
language's segmenter (pythainlp's dictionary alone takes about 0.4 CPU-s), as ``termalign
build`` has them loaded by ingest, so that only the aligner's own work is timed. No tracing
runs in the timed processes.

Every child writes the proposals it stored (terms with contexts, evidence, suggestions,
scores rounded to 4 places) as canonical JSON; the bench checks that the baseline's and
this checkout's are identical and exits non-zero when they differ.

    .venv/bin/python bench/bench_align.py --baseline-src /tmp/base [--runs 3] [--warm] [tests/data/eval/dev/articles]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# -- the children ----------------------------------------------------------------------------
def use_source(src: Path) -> None:
    """Import ``termalign`` from ``src`` (ahead of the installed editable checkout)."""
    sys.path.insert(0, str(src))
    import termalign

    if not Path(termalign.__file__).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"termalign imported from {termalign.__file__}, not from {src}")


def child_prepare(folder: Path, db: Path) -> None:
    from termalign.extract import extract
    from termalign.ingest import ingest_paths
    from termalign.store import open_store

    conn = open_store(db)
    report = ingest_paths(conn, [folder])
    if report.errors:
        raise SystemExit(f"ingest errors: {report.errors[:3]}")
    extract(conn)
    conn.close()


def proposals(conn) -> list[dict]:
    """Every stored proposal in the canonical form the pinned-proposals test digests (imported
    after :func:`use_source`, so that it reads the store through the code under test)."""
    sys.path.insert(0, str(ROOT / "tests" / "align"))
    from test_pinned_proposals import canonical_proposals

    return canonical_proposals(conn)


def warm_segmenters(conn) -> None:
    """Load every language's segmenter (models, dictionaries) on one of its candidates, as
    ``termalign build`` has them loaded by ingest before it aligns."""
    from termalign import lang
    from termalign.store import as_store

    first = {}
    for row in as_store(conn).alignable_candidates(1):
        first.setdefault(row[0], row[1])
    for code, key in first.items():
        lang.get(code).loan_pieces(key)


def child_align(src: Path, db: Path, dump: Path, warm: bool) -> None:
    use_source(src)
    from termalign.align import align
    from termalign.store import open_store

    conn = open_store(db, create=False)
    if warm:
        warm_segmenters(conn)
    cpu, wall = time.process_time(), time.perf_counter()
    align(conn)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    dump.write_text(json.dumps(proposals(conn), ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    conn.close()
    print(json.dumps({"align_cpu_s": cpu, "align_wall_s": wall}))


# -- the parent ------------------------------------------------------------------------------
def run_child(args: list[str]) -> dict[str, float]:
    """The child's own figures (its last stdout line) and its whole process's CPU seconds."""
    proc = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"child {args} failed")
    lines = out.strip().splitlines()
    figures = json.loads(lines[-1]) if lines else {}
    figures["process_cpu_s"] = usage.ru_utime + usage.ru_stime
    return figures


def bench_folder(folder: Path, sides: dict[str, Path], runs: int, tmp: Path, warm: bool) -> tuple[dict, bool]:
    prepared = tmp / f"{folder.name}-prepared.db"
    run_child(["--child-prepare", str(folder), str(prepared)])
    figures: dict[str, list[dict]] = {side: [] for side in sides}
    dumps: dict[str, set[str]] = {side: set() for side in sides}
    for i in range(runs):
        for side, src in sides.items():
            db = tmp / f"{folder.name}-{side}-{i}.db"
            shutil.copy(prepared, db)
            dump = tmp / f"{folder.name}-{side}-{i}.json"
            args = ["--child-align", str(src), str(db), str(dump), *(["--warm"] if warm else [])]
            figures[side].append(run_child(args))
            dumps[side].add(dump.read_text(encoding="utf-8"))
            db.unlink()
    identical = len(set().union(*dumps.values())) == 1
    n_proposals = len(json.loads(next(iter(dumps["new"]))))
    summary: dict = {"folder": str(folder), "warm": warm, "proposals": n_proposals, "identical": identical}
    for side, rows in figures.items():
        summary[side] = {
            key: {"runs": [round(r[key], 3) for r in rows], "median": round(statistics.median(r[key] for r in rows), 3)}
            for key in ("align_cpu_s", "align_wall_s", "process_cpu_s")
        }
    if "baseline" in sides:
        summary["ratio"] = {
            key: round(summary["baseline"][key]["median"] / summary["new"][key]["median"], 2)
            for key in ("align_cpu_s", "align_wall_s", "process_cpu_s")
        }
    return summary, identical


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-prepare":
        child_prepare(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-align":
        child_align(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), "--warm" in sys.argv[5:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=[], help="article folders besides seeds/")
    parser.add_argument("--baseline-src", type=Path, help="a checkout (holding termalign/) to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warm", action="store_true",
                        help="load the segmenters before the timed call (as `termalign build` has them)")
    args = parser.parse_args()

    sides = {"new": ROOT}
    if args.baseline_src is not None:
        sides = {"baseline": args.baseline_src, **sides}
    results, all_identical = [], True
    with tempfile.TemporaryDirectory() as tmp:
        for folder in [ROOT / "seeds", *args.folders]:
            summary, identical = bench_folder(folder, sides, args.runs, Path(tmp), args.warm)
            all_identical &= identical
            results.append(summary)
            print(json.dumps(summary), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))
    print("\nfolder                         side      align_cpu_s (runs)              median  wall    process_cpu")
    for s in results:
        for side in sides:
            f = s[side]
            print(f"{Path(s['folder']).name:<30} {side:<9} {f['align_cpu_s']['runs']!s:<31} "
                  f"{f['align_cpu_s']['median']:<7} {f['align_wall_s']['median']:<7} {f['process_cpu_s']['median']}")
        if "ratio" in s:
            r = s["ratio"]
            print(f"{'':<30} ratio     cpu {r['align_cpu_s']}x  wall {r['align_wall_s']}x  "
                  f"process cpu {r['process_cpu_s']}x")
        print(f"{'':<30} {s['proposals']} proposals, identical: {'yes' if s['identical'] else 'NO'}")
    if not all_identical:
        raise SystemExit("proposals differ between the baseline and this checkout")


if __name__ == "__main__":
    main()
