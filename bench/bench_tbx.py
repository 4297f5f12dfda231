"""Benchmark: export and re-import 100 000 concepts as TBX (and CSV).

    .venv/bin/python bench/bench_tbx.py [--concepts 100000] [--dir DIR]

Generates a store of synthetic concepts (km th vi en terms, variants, contexts, notes), then
measures, each in the same run:

* the streaming TBX v3 export (``export_termbase``, lxml ``xmlfile``),
* a naive baseline that builds the whole document in memory and calls ``etree.tostring``,
* the CSV export,
* the import of the TBX file into an empty store (one transaction, merge by key),
* the export of the re-imported store, which must be byte-identical to the first.

Each step runs in a fresh interpreter (``spawn``) so that its peak resident memory belongs to
that step alone: the peak (``VmHWM``, reset before the step through ``/proc/self/clear_refs``;
``ru_maxrss`` where /proc is missing) includes libxml2's C allocations, which ``tracemalloc``
cannot see. The RSS before the step (interpreter and imports) is printed too, and "memory
added" is the difference. Times are wall-clock seconds. Not a unit test: it takes minutes.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import random
import resource
import tempfile
import time
from pathlib import Path

from lxml import etree

from termalign.export import export_termbase, import_termbase
from termalign.export.tbx import NS, V3, entry_element
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Context, Note, Term, insert_concept, iter_concepts

KM = "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"
TH = "กขคฆงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ"
VI = "abcdeghiklmnopqrstuvxyăâđêôơư"
EN = "abcdefghijklmnopqrstuvwxyz"


def word(rng: random.Random, letters: str, n: int) -> str:
    return "".join(rng.choice(letters) for _ in range(n))


def synthetic_concept(rng: random.Random, i: int) -> Concept:
    terms = []
    for lang, letters, spaced in (("km", KM, False), ("th", TH, False), ("vi", VI, True), ("en", EN, True)):
        for v in range(rng.choice((0, 1, 1, 2, 3))):
            parts = [word(rng, letters, rng.randint(2, 6)) for _ in range(rng.randint(1, 3))]
            text = (" " if spaced else "").join(parts) + f" {i}"
            contexts = [Context(f"{text} appears in sentence {i}.{v} of the corpus.", f"seeds/{i % 5:03d}.txt")] if rng.random() < 0.5 else []
            terms.append(Term(lang, text, "preferred" if v == 0 else "admitted", rng.choice((None, "NOUN", "VERB")), None, contexts))
    if not terms:
        terms.append(Term("en", f"term {i}", "preferred"))
    return Concept(
        terms=terms, status="approved", subject_field=rng.choice((None, "e-government", "digital economy")),
        notes=[Note(f"note {i}")] if rng.random() < 0.2 else [], origin="bench",
        created_at="2024-01-01T00:00:00Z", updated_at="2024-02-01T00:00:00Z", updated_by="bench",
    )


def generate(path: Path, n: int) -> float:
    rng = random.Random(42)
    conn = open_store(path)
    start = time.perf_counter()
    with transaction(conn):
        for i in range(n):
            insert_concept(conn, synthetic_concept(rng, i))
    conn.close()
    return time.perf_counter() - start


def naive_export(conn, out: Path) -> int:
    """Baseline: the whole document as one tree in memory, serialized at the end."""
    root = etree.Element(f"{{{NS}}}tbx", {"type": "TBX-Basic", "style": "dca"}, nsmap={None: NS})
    body = etree.SubElement(etree.SubElement(root, f"{{{NS}}}text"), f"{{{NS}}}body")
    count = 0
    for concept in iter_concepts(conn, ("approved",)):
        entry = entry_element(concept, V3)
        if entry is not None:
            body.append(entry)
            count += 1
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return count


def _status_mib(field: str) -> float | None:
    """A memory figure of this process from /proc (Linux), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _child(step: str, d: str, out) -> None:
    """Run one step in a fresh interpreter; report its seconds, result, RSS before and peak."""
    gc.collect()
    try:  # reset the peak (VmHWM) so that it measures this step, not the imports before it
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    before = _status_mib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result = STEPS[step](Path(d))
    seconds = time.perf_counter() - start
    peak = _status_mib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send((seconds, result, before, peak))


def run_step(step: str, d: Path) -> tuple[float, int, float, float]:
    """(seconds, concepts, RSS MiB before the step, peak RSS MiB) of ``step`` in a new process."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(step, str(d), send))
    proc.start()
    found = receive.recv()
    proc.join()
    return found


def export_stream(d: Path) -> int:
    return export_termbase(open_store(d / "source.db"), d / "stream.tbx")


def export_naive(d: Path) -> int:
    return naive_export(open_store(d / "source.db"), d / "naive.tbx")


def export_csv(d: Path) -> int:
    return export_termbase(open_store(d / "source.db"), d / "stream.csv")


def import_tbx(d: Path) -> int:
    conn = open_store(d / "target.db")
    return import_termbase(conn, d / "stream.tbx", reviewer="bench").added


def export_again(d: Path) -> int:
    return export_termbase(open_store(d / "target.db"), d / "again.tbx")


STEPS = {
    "export TBX v3 (streaming xmlfile)": export_stream,
    "export TBX v3 (naive tostring baseline)": export_naive,
    "export CSV": export_csv,
    "import TBX v3 into an empty store": import_tbx,
    "export the re-imported store": export_again,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None, help="Scratch directory (default: a temporary one).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        d = Path(scratch)
        print(f"generated {args.concepts:,} concepts in {generate(d / 'source.db', args.concepts):.1f} s")
        rows = {name: run_step(name, d) for name in STEPS}
        print(f"\n{'step':42} {'seconds':>8} {'concepts':>9} {'RSS before':>11} {'peak RSS':>9}")
        for name, (s, n, before, peak) in rows.items():
            print(f"{name:42} {s:8.1f} {n:9,} {before:8.0f} MiB {peak:5.0f} MiB")
        stream = rows["export TBX v3 (streaming xmlfile)"]
        naive = rows["export TBX v3 (naive tostring baseline)"]
        growth = lambda r: r[3] - r[2]
        identical = (d / "again.tbx").read_bytes() == (d / "stream.tbx").read_bytes()
        size = (d / "stream.tbx").stat().st_size
        print(
            f"\nstreaming vs naive baseline: time ×{stream[0] / naive[0]:.2f}; "
            f"memory added by the step {growth(stream):.0f} MiB vs {growth(naive):.0f} MiB "
            f"(×{growth(stream) / max(growth(naive), 1):.3f})"
        )
        print(f"TBX file {size / 2**20:.1f} MiB; export → import → export byte-identical: {'yes' if identical else 'NO'}")
        print(json.dumps({
            "concepts": args.concepts,
            "steps": {k: {"seconds": round(v[0], 2), "rss_before_mib": round(v[2]), "peak_rss_mib": round(v[3])} for k, v in rows.items()},
            "tbx_mib": round(size / 2**20, 1),
            "roundtrip_identical": identical,
        }))


if __name__ == "__main__":
    main()
