"""Benchmark: the word pairs each aligner induces from the licensed parallel text.

    .venv/bin/python bench/bench_induce.py [--flores200 DIR] [--flores-v1 DIR] [--tatoeba DIR]
        [--aligner ibm1] [--json]

Induces km–en, th–en and vi–en pairs from the NTREX-128 text in ``corpora/ntrex128`` (and the
further licensed sets ``tools/induce_lexicons.py`` reads, each when its folder is given) with
each aligner (or the one ``--aligner`` names) of
:func:`termalign.align.induce.induce` — termalign's IBM Model 1 and eflomal — at the settings
``tools/induce_lexicons.py`` ships with, and prints per language and aligner:

* **pairs**: how many pairs are kept (recall's proxy: more known words);
* **CPU s** and wall seconds of the induction, in this process;
* **precision against a dictionary** where one exists that neither aligner saw: for Thai the
  Thai WordNet pairs shipped in ``glossaries/induced/th-en-wordnet.tsv`` (a Thai word's pair
  counts as right when one of its WordNet English words has the pair's English word as a word,
  compared as English keys); for every language the single-word entries of the curated base
  glossary ``glossaries/egov-base.tsv`` (few, but curated). ``n`` is the number of induced
  pairs whose source word the dictionary lists: the pairs judged.

Not a unit test; both aligners read the same text in the same run.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from termalign import lang as languages
from termalign.align.induce import ALIGNERS, induce

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from induce_lexicons import MIN_COUNT, parallel  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its finished children (eflomal runs a binary)."""
    usages = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    return sum(u.ru_utime + u.ru_stime for u in usages)


def english_words(text: str) -> set[str]:
    en = languages.get("en")
    return {en.key(w) for w in text.replace("_", " ").split()}


def references() -> dict[str, list[tuple[str, dict[str, set[str]]]]]:
    """Per language, (name, source key → the English words its entries hold)."""
    base: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with open(ROOT / "glossaries" / "egov-base.tsv", encoding="utf-8") as fh:
        rows = csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t")
        header = next(rows)
        for row in rows:
            entry = dict(zip(header, row, strict=False))
            english = set().union(*(english_words(t) for t in entry.get("en", "").split(" | ") if t))
            for code in languages.NON_PIVOT:
                for term in (entry.get(code) or "").split(" | "):
                    tokens = [t for t in languages.get(code).tokenize(term) if t.kind in ("word", "latin")]
                    if len(tokens) == 1:
                        base[code][languages.get(code).key(term)] |= english
    wordnet: dict[str, set[str]] = defaultdict(set)
    with open(ROOT / "glossaries" / "induced" / "th-en-wordnet.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            _, term, english, *_ = line.rstrip("\n").split("\t")
            wordnet[term] |= english_words(english)
    out: dict[str, list[tuple[str, dict[str, set[str]]]]] = {
        c: [("base glossary", base[c])] for c in languages.NON_PIVOT
    }
    out["th"].insert(0, ("Thai WordNet", wordnet))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flores200", type=Path, help="folder of the FLORES-200 devtest files")
    parser.add_argument("--flores-v1", type=Path, help="folder of the FLoRes v1 km-en devtest files")
    parser.add_argument("--tatoeba", type=Path, help="folder of the Tatoeba test v2021-08-07 sets")
    parser.add_argument("--aligner", choices=ALIGNERS, help="only this aligner (default: each)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    refs = references()
    results = []
    for code in languages.NON_PIVOT:
        text = parallel(code, flores200=args.flores200, flores_v1=args.flores_v1, tatoeba=args.tatoeba)
        src, en = text.text, text.english
        for aligner in [args.aligner] if args.aligner else ALIGNERS:
            cpu, wall = _cpu(), time.perf_counter()
            pairs = [p for p in induce(code, src, "en", en, min_count=MIN_COUNT, aligner=aligner) if p.src != p.tgt]
            row: dict = {
                "language": code, "aligner": aligner, "sentence_pairs": len(src), "pairs": len(pairs),
                "cpu_s": round(_cpu() - cpu, 2), "wall_s": round(time.perf_counter() - wall, 2),
            }
            for name, ref in refs[code]:
                judged = [p for p in pairs if p.src in ref]
                right = sum(bool(english_words(p.tgt) & ref[p.src]) for p in judged)
                row[name] = {"n": len(judged), "precision": round(right / len(judged), 3) if judged else None}
            results.append(row)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    names = ["Thai WordNet", "base glossary"]
    print(f"{'lang':<5}{'aligner':<9}{'pairs':>7}{'CPU s':>8}{'wall s':>8}  " + "  ".join(f"{n:>22}" for n in names))
    for r in results:
        cells = []
        for n in names:
            ref = r.get(n)
            if ref is None:
                cells.append(f"{'':>22}")
            else:
                cells.append(f"{ref['precision'] if ref['n'] else '-'!s:>14} (n {ref['n']:>3})")
        print(f"{r['language']:<5}{r['aligner']:<9}{r['pairs']:>7}{r['cpu_s']:>8}{r['wall_s']:>8}  " + "  ".join(cells))
    first = results[0]["aligner"]
    sizes = ", ".join(f"{r['language']} {r['sentence_pairs']}" for r in results if r["aligner"] == first)
    print(f"(sentence pairs: {sizes}; min count {MIN_COUNT})")


if __name__ == "__main__":
    main()
