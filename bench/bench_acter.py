"""English term extraction scored against ACTER the TermEval 2020 way.

ACTER 1.5 (CC BY-NC-SA 4.0) is evaluation data: it is read from PATH and never copied into
the repository. For each domain (``corp``, ``equi``, ``wind``) the texts are ingested into a
scratch store and extracted; the *whole* ranked candidate list (lowercased) is compared with
the domain's unique annotation list, with named entities (``*_terms_nes.tsv``) and without
(``*_terms.tsv``). Printed: P, R, F1 at the best cut-off and at the gold-size cut-off, and
the same figures for the list as the store keeps it (the ``--limit`` cap).

``--loo`` adds the leave-one-domain-out protocol: the exposed parameters of extraction
(:class:`termalign.extract.termhood.TermhoodParams`) are chosen on a grid by the mean
F1 at gold size over two domains and scored on the third, for each rotation.

    .venv/bin/python bench/bench_acter.py /work/shared/data/acter-en [--loo] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

import polars as pl

DOMAINS = ("corp", "equi", "wind")


def gold_terms(root: Path, domain: str, nes: bool) -> set[str]:
    name = f"{domain}_en_terms_nes.tsv" if nes else f"{domain}_en_terms.tsv"
    path = root / domain / name
    if not path.is_file():
        sys.exit(f"{path}: missing (not an ACTER-shaped folder)")
    return {
        line.split("\t", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    }


def ingest_domain(root: Path, domain: str, work: Path):
    """A store holding the domain's texts (reused from ``work`` when already built)."""
    from termalign.ingest import ingest_paths
    from termalign.store import open_store

    db = work / f"{domain}.db"
    fresh = not db.exists()
    conn = open_store(db)
    if fresh:
        texts = root / domain / "texts"
        if not texts.is_dir():
            sys.exit(f"{texts}: missing (not an ACTER-shaped folder)")
        ingest_paths(conn, [texts], workers=1)
    return conn


def ranked_list(tokens: pl.DataFrame, known, params) -> list[str]:
    """Every candidate key of the English text, best first (the TermEval list)."""
    from termalign.extract import score_language

    types, _ = score_language(tokens, "en", known=known, params=params)
    return [k.lower() for k in types.sort("rank")["key"].to_list()]


def prf(ranked: list[str], gold: set[str]) -> dict[str, float]:
    """P, R, F1 at the best cut-off and at the gold-size cut-off of one ranked list."""
    hits = 0
    best = (0.0, 0.0, 0.0, 0)
    at_gold = (0.0, 0.0, 0.0)
    seen: set[str] = set()
    k = 0
    for key in ranked:
        if key in seen:
            continue
        seen.add(key)
        k += 1
        hits += key in gold
        p, r = hits / k, hits / len(gold)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[2]:
            best = (p, r, f, k)
        if k == len(gold):
            at_gold = (p, r, f)
    if k < len(gold):
        p, r = hits / max(k, 1), hits / len(gold)
        at_gold = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return {
        "best_p": best[0],
        "best_r": best[1],
        "best_f1": best[2],
        "best_k": best[3],
        "gold_p": at_gold[0],
        "gold_r": at_gold[1],
        "gold_f1": at_gold[2],
        "recall_all": hits / len(gold),
        "listed": k,
    }


def grid(base) -> list:
    """The parameter settings tried by leave-one-out (only exposed parameters)."""
    from termalign.extract.termhood import TUNING_GRID

    names = list(TUNING_GRID)
    combos = itertools.product(*(TUNING_GRID[n] for n in names))
    return [replace(base, **dict(zip(names, values, strict=True))) for values in combos]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="ACTER-shaped folder (DOMAIN/texts/*.txt, DOMAIN/DOMAIN_en_terms*.tsv)")
    parser.add_argument("--work", type=Path, help="keep the scratch stores here (default: a temporary folder)")
    parser.add_argument("--limit", type=int, default=None, help="stored-list cap to score as well (default: extract's)")
    parser.add_argument("--no-lexicon", action="store_true", help="without the base glossary's known-word boost")
    parser.add_argument("--loo", action="store_true", help="leave-one-domain-out tuning of the exposed parameters")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from termalign.extract import DEFAULT_LIMIT, lexicon_reader, load_tokens
    from termalign.extract.termhood import TermhoodParams

    limit = args.limit or DEFAULT_LIMIT
    work_dir = args.work or Path(tempfile.mkdtemp(prefix="acter-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    tokens, gold, known = {}, {}, {}
    for domain in DOMAINS:
        conn = ingest_domain(args.path, domain, work_dir)
        tokens[domain] = load_tokens(conn, "en")
        known[domain] = None if args.no_lexicon else lexicon_reader(conn)
        gold[domain] = {nes: gold_terms(args.path, domain, nes) for nes in (True, False)}
        conn.close()

    base = TermhoodParams()
    result: dict = {"signature": f"acter-en|limit:{limit}|lexicon:{not args.no_lexicon}|params:{asdict(base)}"}
    rows: list[dict[str, Any]] = []
    for domain in DOMAINS:
        began = time.perf_counter()
        ranked = ranked_list(tokens[domain], known[domain], base)
        for nes in (True, False):
            whole, capped = prf(ranked, gold[domain][nes]), prf(ranked[:limit], gold[domain][nes])
            rows.append({"domain": domain, "nes": nes, "whole": whole, "capped": capped})
        result.setdefault("seconds", {})[domain] = round(time.perf_counter() - began, 2)
    result["untuned"] = rows

    if args.loo:
        settings = grid(base)
        table: dict[tuple[int, str], float] = {}
        for i, params in enumerate(settings):
            for domain in DOMAINS:
                table[i, domain] = prf(ranked_list(tokens[domain], known[domain], params), gold[domain][True])[
                    "gold_f1"
                ]
        loo = []
        for held in DOMAINS:
            train = [d for d in DOMAINS if d != held]
            best = max(range(len(settings)), key=lambda i: (sum(table[i, d] for d in train), -i))
            ranked = ranked_list(tokens[held], known[held], settings[best])
            loo.append(
                {
                    "held_out": held,
                    "tuned_on": train,
                    "params": {f.name: getattr(settings[best], f.name) for f in fields(settings[best])},
                    "train_mean_f1": sum(table[best, d] for d in train) / len(train),
                    "nes": prf(ranked, gold[held][True]),
                    "no_nes": prf(ranked, gold[held][False]),
                }
            )
        result["loo"] = loo
        result["grid_size"] = len(settings)

    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(result["signature"])
    print(
        f"{'domain':6} {'NEs':4} {'list':7} {'best P':>7} {'R':>6} {'F1':>6} {'@k':>6}  "
        f"{'gold P':>7} {'R':>6} {'F1':>6}  {'R(all)':>6}"
    )
    for row in rows:
        for which in ("whole", "capped"):
            m = row[which]
            print(
                f"{row['domain']:6} {'with' if row['nes'] else 'w/o':4} {which:7} "
                f"{m['best_p']:7.3f} {m['best_r']:6.3f} "
                f"{m['best_f1']:6.3f} {m['best_k']:6d}  {m['gold_p']:7.3f} {m['gold_r']:6.3f} {m['gold_f1']:6.3f}  "
                f"{m['recall_all']:6.3f}"
            )
    for item in result.get("loo", []):
        print(
            f"leave-one-out: held out {item['held_out']} (tuned on {'+'.join(item['tuned_on'])}, "
            f"train F1 {item['train_mean_f1']:.3f}): F1@gold with NEs {item['nes']['gold_f1']:.3f}, "
            f"w/o NEs {item['no_nes']['gold_f1']:.3f}; best F1 {item['nes']['best_f1']:.3f}; params {item['params']}"
        )


if __name__ == "__main__":
    main()
