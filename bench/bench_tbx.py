"""Benchmark: export and re-import 100 000 concepts as TBX, against lxml floors.

    .venv/bin/python bench/bench_tbx.py [--concepts 100000] [--dir DIR] [--json]

Generates a store of synthetic concepts (km th vi en terms, variants, contexts, notes), then
measures, each in the same run and each in a fresh interpreter (``spawn``):

* **export**: ``export_termbase`` to TBX v3;
* **export, reference writer**: the same export through the TBX writer of commit
  :data:`REFERENCE_COMMIT` (its ``termalign/export/tbx.py`` and ``base.py`` read with
  ``git show``); the export must be byte-identical to it;
* **export floor**: lxml alone writing the same file: the exported file's elements, read into
  plain tuples beforehand (not timed), built again with ``etree.SubElement`` and written with
  ``xmlfile`` — what any lxml writer pays, without reading the store;
* **import**: ``import_termbase`` of the exported file into an empty store;
* **import floor**: lxml alone iterparsing the file (``clear()`` of each entry), with the
  reader's parser settings;
* **export of the import**, which must be byte-identical to the first export.

For each step: CPU seconds (user + system, ``getrusage(RUSAGE_SELF)`` around the step in its
own process), wall seconds, and the peak resident memory (``VmHWM``, reset before the step
through ``/proc/self/clear_refs``; ``ru_maxrss`` where /proc is missing), which includes
libxml2's C allocations. Ratios divide a step's CPU seconds by its floor's. Not a unit test:
at 100 000 concepts it takes minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from termalign.export import export_termbase, import_termbase
from termalign.export.tbx import NS, SAFE_PARSING
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Context, Note, Term, insert_concept

#: The commit whose TBX writer the export must match byte for byte (before the writer was
#: rewritten for speed).
REFERENCE_COMMIT = "00e7495"
#: Targets of the export + import (issue 20): total CPU seconds at 100 000 concepts, each
#: step's CPU against its lxml floor, and the peak resident memory of any step.
TARGET_CPU_SECONDS = 15.0
TARGET_FLOOR_RATIO = 3.0
TARGET_PEAK_MIB = 400.0
#: The concept count the CPU target is stated for (smaller runs only report).
TARGET_CONCEPTS = 100_000

ROOT = Path(__file__).resolve().parents[1]
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
            sentence = Context(f"{text} appears in sentence {i}.{v} of the corpus.", f"seeds/{i % 5:03d}.txt")
            contexts = [sentence] if rng.random() < 0.5 else []
            status = "preferred" if v == 0 else "admitted"
            terms.append(Term(lang, text, status, rng.choice((None, "NOUN", "VERB")), None, contexts))
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


# -- steps (each runs in its own interpreter) ---------------------------------------------------

def export_now(d: Path) -> None:
    export_termbase(open_store(d / "source.db"), d / "export.tbx")


def _git_module(path: str, name: str, source_edit=lambda text: text) -> types.ModuleType:
    """``path`` as of :data:`REFERENCE_COMMIT`, loaded as the module ``name``."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{REFERENCE_COMMIT}:{path}"], capture_output=True, text=True
    )
    if found.returncode != 0:
        sys.exit(f"bench_tbx: cannot read the reference writer ({found.stderr.strip()}); run it in a git checkout")
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source_edit(found.stdout), f"{REFERENCE_COMMIT}:{path}", "exec"), module.__dict__)
    return module


def reference_module() -> types.ModuleType:
    """``termalign/export/tbx.py`` as of :data:`REFERENCE_COMMIT`, with the helpers of that
    commit's ``termalign/export/base.py`` (its ``export_terms`` chooses the terms a file carries)."""
    base = f"base_{REFERENCE_COMMIT}"
    _git_module("termalign/export/base.py", base)
    return _git_module(
        "termalign/export/tbx.py", f"tbx_{REFERENCE_COMMIT}",
        lambda text: text.replace("from termalign.export.base import", f"from {base} import"),
    )


def export_reference(d: Path) -> None:
    import termalign.export

    # export_termbase as it is (snapshot, description, temporary file), writing with the old writer.
    termalign.export.write_tbx = reference_module().write_tbx  # type: ignore[attr-defined]
    export_termbase(open_store(d / "source.db"), d / "reference.tbx")


def _plain(el: etree._Element, seen: dict) -> tuple:
    """An element as (local name, attributes, text, tail, children); names, attributes and
    tails (indentation) shared. The writer writes local names: the document's default
    namespace applies to them."""
    text = el.text
    tail = seen.setdefault(el.tail, el.tail) if el.tail is not None else None
    items = tuple(el.attrib.items())
    attrib = seen.setdefault(items, dict(items)) if items else None
    name = etree.QName(el).localname
    return seen.setdefault(name, name), attrib, text, tail, tuple(_plain(c, seen) for c in el)


def _plain_entries(path: Path, seen: dict) -> Iterator[tuple]:
    """The header and the entries of a TBX v3 file as plain tuples, each dropped from the
    parsed tree once read."""
    tags = (f"{{{NS}}}tbxHeader", f"{{{NS}}}conceptEntry")
    for _, el in etree.iterparse(str(path), events=("end",), tag=tags):
        yield _plain(el, seen)
        el.clear(keep_tail=False)
        while el.getprevious() is not None:
            del el.getparent()[0]


def _build(parent: etree._Element, node: tuple) -> None:
    tag, attrib, text, tail, children = node
    el = etree.SubElement(parent, tag, attrib)
    el.text, el.tail = text, tail
    for child in children:
        _build(el, child)


def export_floor(d: Path, timed) -> None:
    """lxml alone writing the exported file's entries (read beforehand, not timed)."""
    seen: dict = {}
    header, *entries = (
        (tag, attrib, text, None, children)  # the writer writes the whitespace between entries
        for tag, attrib, text, _, children in _plain_entries(d / "export.tbx", seen)
    )
    gc.collect()
    holder = etree.Element("holder")
    with timed(), open(d / "floor.tbx", "wb") as out:
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration()
            with xf.element(f"{{{NS}}}tbx", {"type": "TBX-Basic", "style": "dca", "xml:lang": "en"}, nsmap={None: NS}):
                _build(holder, header)
                xf.write("\n  ", holder[0], "\n  ")
                del holder[0]
                with xf.element(f"{{{NS}}}text"):
                    xf.write("\n    ")
                    with xf.element(f"{{{NS}}}body"):
                        for node in entries:
                            _build(holder, node)
                            xf.write("\n      ", holder[0])
                            del holder[0]
                        xf.write("\n    ")
                    xf.write("\n  ")
                xf.write("\n")
        out.write(b"\n")


def import_now(d: Path) -> None:
    import_termbase(open_store(d / "target.db"), d / "export.tbx", reviewer="bench")


def import_floor(d: Path) -> None:
    """lxml alone iterparsing the file, each entry cleared once seen."""
    for _, el in etree.iterparse(str(d / "export.tbx"), events=("end",), tag=f"{{{NS}}}conceptEntry", **SAFE_PARSING):
        el.clear(keep_tail=False)
        while el.getprevious() is not None:
            del el.getparent()[0]


def export_again(d: Path) -> None:
    export_termbase(open_store(d / "target.db"), d / "again.tbx")


#: name → (function, whether it times a part of itself through the ``timed`` argument).
STEPS = {
    "export": (export_now, False),
    "export, reference writer": (export_reference, False),
    "export floor (lxml xmlfile)": (export_floor, True),
    "import": (import_now, False),
    "import floor (lxml iterparse)": (import_floor, False),
    "export of the import": (export_again, False),
}
FLOORS = {"export": "export floor (lxml xmlfile)", "import": "import floor (lxml iterparse)"}


# -- measuring ------------------------------------------------------------------------------

def _status_mib(field: str) -> float | None:
    """A memory figure of this process from /proc (Linux), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Clock:
    """CPU and wall seconds of the ``with`` blocks it times; the peak RSS from the first block on."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0
        self.before: float | None = None

    def __call__(self) -> _Clock:
        return self

    def __enter__(self) -> _Clock:
        gc.collect()
        if self.before is None:
            # Reset the peak (VmHWM) so that it measures the step, not what ran before.
            with contextlib.suppress(OSError):
                Path("/proc/self/clear_refs").write_text("5")
            self.before = _status_mib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._cpu, self._wall = _cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu += _cpu() - self._cpu
        self.wall += time.perf_counter() - self._wall


def _child(step: str, d: str, out) -> None:
    """Run one step in this fresh interpreter; send (CPU s, wall s, RSS MiB before, peak RSS MiB)."""
    function, times_itself = STEPS[step]
    clock = _Clock()
    if times_itself:
        function(Path(d), clock)
    else:
        with clock:
            function(Path(d))
    peak = _status_mib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send((clock.cpu, clock.wall, clock.before, peak))


def run_step(step: str, d: Path) -> dict:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(step, str(d), send))
    proc.start()
    cpu, wall, before, peak = receive.recv()
    proc.join()
    if proc.exitcode:
        sys.exit(f"bench_tbx: step {step!r} failed (exit code {proc.exitcode})")
    return {
        "cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "rss_before_mib": round(before), "peak_rss_mib": round(peak),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concepts", type=int, default=TARGET_CONCEPTS)
    parser.add_argument("--dir", type=Path, default=None, help="Scratch directory (default: a temporary one).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object instead of the table.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        d = Path(scratch)
        generated = generate(d / "source.db", args.concepts)
        steps = {name: run_step(name, d) for name in STEPS}
        export_bytes = (d / "export.tbx").read_bytes()
        checks = {
            "export_identical_to_reference": export_bytes == (d / "reference.tbx").read_bytes(),
            "floor_file_identical": export_bytes == (d / "floor.tbx").read_bytes(),
            "roundtrip_identical": export_bytes == (d / "again.tbx").read_bytes(),
        }
        size_mib = len(export_bytes) / 2**20
    for step, floor in FLOORS.items():
        steps[step]["floor_ratio"] = round(steps[step]["cpu_s"] / max(steps[floor]["cpu_s"], 1e-9), 2)
    total = steps["export"]["cpu_s"] + steps["import"]["cpu_s"]
    targets = {
        "cpu_total": total < TARGET_CPU_SECONDS if args.concepts == TARGET_CONCEPTS else None,
        "floor_ratios": all(steps[s]["floor_ratio"] <= TARGET_FLOOR_RATIO for s in FLOORS),
        "peak_rss": all(steps[s]["peak_rss_mib"] < TARGET_PEAK_MIB for s in FLOORS),
        "bytes": checks["export_identical_to_reference"] and checks["roundtrip_identical"],
    }
    result = {
        "concepts": args.concepts, "generate_wall_s": round(generated, 1), "tbx_mib": round(size_mib, 1),
        "steps": steps, "export_import_cpu_s": round(total, 2), "checks": checks, "targets": targets,
        "reference_commit": REFERENCE_COMMIT,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.concepts:,} concepts (generated in {generated:.1f} s), TBX file {size_mib:.1f} MiB\n")
    print(f"{'step':32} {'CPU s':>7} {'wall s':>7} {'RSS before':>11} {'peak RSS':>9} {'× floor':>8}")
    for name, row in steps.items():
        ratio = f"{row['floor_ratio']:8.2f}" if "floor_ratio" in row else ""
        print(
            f"{name:32} {row['cpu_s']:7.2f} {row['wall_s']:7.2f} {row['rss_before_mib']:7.0f} MiB"
            f" {row['peak_rss_mib']:5.0f} MiB{ratio}"
        )

    def yes(ok: bool) -> str:
        return "yes" if ok else "NO"

    print(f"\nexport + import: {total:.2f} CPU s (target < {TARGET_CPU_SECONDS:g} s at {TARGET_CONCEPTS:,} concepts)")
    print(f"export byte-identical to the {REFERENCE_COMMIT} writer: {yes(checks['export_identical_to_reference'])}")
    print(f"export → import → export byte-identical: {yes(checks['roundtrip_identical'])}")
    print(f"floor file byte-identical to the export: {yes(checks['floor_file_identical'])}")
    print(
        f"targets: CPU total {'-' if targets['cpu_total'] is None else yes(targets['cpu_total'])}, "
        f"each ≤ {TARGET_FLOOR_RATIO:g}× its floor {yes(targets['floor_ratios'])}, "
        f"peak RSS < {TARGET_PEAK_MIB:g} MiB {yes(targets['peak_rss'])}, bytes {yes(targets['bytes'])}"
    )


if __name__ == "__main__":
    main()
