"""Glosses in the text: span-exact precision and recall of the gloss stage on hand-labelled
instances of FLORES-200 devtest (km, th, vi, en).

    .venv/bin/python bench/bench_glosses.py ../shared/data [--json]

The labels (``bench/data/glosses-flores200.tsv``: language, line, term, gloss) list every
gloss of each listed line; the text is read from the licensed data folder given as
argument, never committed. Each language's whole devtest file is ingested and extracted
into a scratch store, as ``termalign build`` would, so the glossed term is what the gloss
stage takes in the pipeline: the longest candidate ending at the gloss. A predicted
instance is right when both its term and its Latin gloss are exactly the labelled ones
(matching keys). Lines are split by parity: odd lines are the dev half, even the test half.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

from termalign import lang as languages
from termalign.align.glosses import find_glosses, glossable, glossed_term

FILES = {"km": "khm_Khmr", "th": "tha_Thai", "vi": "vie_Latn", "en": "eng_Latn"}
LABELS = Path(__file__).resolve().parent / "data" / "glosses-flores200.tsv"


def labels() -> list[dict]:
    lines = [line for line in LABELS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def candidate_keys(code: str, lines: list[str], work: Path) -> list[str]:
    from termalign.extract import extract
    from termalign.ingest import ingest_paths
    from termalign.store import open_store

    doc = work / f"flores.{code}.txt"
    doc.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    conn = open_store(work / f"{code}.db")
    ingest_paths(conn, [doc])
    extract(conn)
    keys = [key for key, kind in conn.execute("SELECT key, kind FROM candidates WHERE lang = ?", (code,))
            if glossable(code, kind)]
    conn.close()
    return keys


def score(rows: list[tuple[str, int, str, str]], gold: set[tuple[str, int, str, str]]) -> dict:
    tp = len(set(rows) & gold)
    p = tp / len(rows) if rows else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"gold": len(gold), "predicted": len(rows), "right": tp, "precision": round(p, 4), "recall": round(r, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shared", type=Path, help="the licensed data folder (holding flores200-devtest/)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    wanted = labels()
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        predicted: list[tuple[str, int, str, str]] = []
        gold: set[tuple[str, int, str, str]] = set()
        for code, name in FILES.items():
            language, en = languages.get(code), languages.get("en")
            path = args.shared / "flores200-devtest" / f"{name}.devtest"
            lines = path.read_text(encoding="utf-8").replace("\u200b", "").split("\n")
            keys = candidate_keys(code, [line for line in lines if line.strip()], Path(tmp))
            listed = {int(r["line"]) for r in wanted if r["lang"] == code}
            for r in wanted:
                if r["lang"] == code:
                    gold.add((code, int(r["line"]), language.key(r["term"]), en.key(r["gloss"])))
            for number in sorted(listed):
                line = lines[number - 1]
                for gloss in find_glosses(code, line):
                    term = glossed_term(code, line, gloss, keys)
                    if term is not None:
                        predicted.extend((code, number, term, en.key(part)) for part in gloss.parts)
    for half, parity in (("dev", 1), ("test", 0)):
        part = {}
        for code in [*FILES, "all"]:
            rows = [p for p in predicted if p[1] % 2 == parity and code in (p[0], "all")]
            ref = {g for g in gold if g[1] % 2 == parity and code in (g[0], "all")}
            part[code] = score(rows, ref)
        result[half] = part
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for half, part in result.items():
        print(
            f"{half} half: "
            + "; ".join(
                f"{code} P {s['precision']:.2f} R {s['recall']:.2f} (n={s['gold']})" for code, s in part.items()
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
