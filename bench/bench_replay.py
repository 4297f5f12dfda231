"""Learning from decisions, replayed on the team's evaluation articles.

The reference concepts of one half (``--half dev`` by default) are split *by concept* into
two parts that share no term key (concepts sharing a key stay together; components are
dealt to the parts by a seeded shuffle). After a first ``termalign build``, a simulated
reviewer decides every proposal the reference of part A can judge (see
:func:`termalign.align.evaluate.judge`): right ones approved, wrong ones rejected. The
articles are then built again into the same termbase, and part B — which no decision
touched — is scored before and after: precision@1 per language pair (with its n) and the
grouped share (recall of whole concepts).

    python bench/bench_replay.py [--half dev|test] [--seed N] [--json]

Only summary figures are printed: the test half may be run for its figures, not read.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench_eval import run_cli

from termalign.align.evaluate import _key, evaluate_alignment, judge
from termalign.gold import GoldConcept, read_gold
from termalign.review import actions
from termalign.store import as_store, open_store

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "eval"


def split_by_concept(gold: list[GoldConcept], seed: int) -> tuple[list[GoldConcept], list[GoldConcept]]:
    """Two parts with no term key in common: connected components of the shares-a-key
    graph, shuffled with ``seed`` and dealt alternately."""
    parent = {g.id: g.id for g in gold}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[tuple[str, str], str] = {}
    for g in gold:
        for code, texts in g.terms.items():
            for t in texts:
                k = (code, _key(code, t))
                if k in owner:
                    parent[find(g.id)] = find(owner[k])
                owner[k] = g.id
    groups: dict[str, list[GoldConcept]] = defaultdict(list)
    for g in gold:
        groups[find(g.id)].append(g)
    components = sorted(groups.values(), key=lambda c: c[0].id)
    random.Random(seed).shuffle(components)
    a: list[GoldConcept] = []
    b: list[GoldConcept] = []
    for component in components:
        (a if len(a) <= len(b) else b).extend(component)
    return a, b


def build(articles: Path, db: Path, out: Path) -> dict:
    cli = [sys.executable, "-m", "termalign"]
    return run_cli(cli, "build", str(articles), "--db", str(db), "-o", str(out), "--json")


def decide(db: Path, gold: list[GoldConcept]) -> dict[str, int]:
    """Approve the proposals ``gold`` judges right, reject those it judges wrong."""
    conn = open_store(db)
    store = as_store(conn)
    members: dict[int, set[tuple[str, str]]] = defaultdict(set)
    scores: dict[int, float] = {}
    for cid, score, lang, text in store.scored_terms():
        members[cid].add((lang, _key(lang, text)))
        scores[cid] = score
    present = store.candidate_keys()
    counts = {"approved": 0, "rejected": 0}
    for cid in sorted(members):
        verdict = judge({cid: members[cid]}, scores, gold, present)
        if not verdict:
            continue
        version = actions.require(store, cid).version
        if verdict[0][1]:
            actions.approve(store, cid, version=version, reviewer="replay")
            counts["approved"] += 1
        else:
            actions.reject(store, cid, version=version, reviewer="replay")
            counts["rejected"] += 1
    conn.close()
    return counts


def scores_of(db: Path, gold: list[GoldConcept]) -> dict:
    conn = open_store(db)
    result = evaluate_alignment(conn, gold)
    conn.close()
    return {"pairs": result["pairs"], "grouped": result["grouped"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("dev", "test"), default="dev")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the termbases here (before.db, after.db)")
    args = parser.parse_args()
    folder = EVAL / args.half
    gold = read_gold(folder / "reference.tsv")
    part_a, part_b = split_by_concept(gold, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        db, out = Path(tmp) / "t.db", Path(tmp) / "out"
        build(folder / "articles", db, out)
        before = scores_of(db, part_b)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(db, args.keep / "before.db")
        decisions = decide(db, part_a)
        build(folder / "articles", db, out)
        after = scores_of(db, part_b)
        if args.keep:
            shutil.copy(db, args.keep / "after.db")
    result = {
        "half": args.half,
        "concepts": {"decided part": len(part_a), "scored part": len(part_b)},
        "decisions": decisions,
        "before": before,
        "after": after,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.half} half: {len(part_a)} reference concepts decided on, {len(part_b)} scored (no key shared)")
    print(f"decisions: {decisions['approved']} approved, {decisions['rejected']} rejected")
    print(f"{'pair':<8}{'n':>5}{'p@1 before':>12}{'after':>8}")
    for pair, row in before["pairs"].items():
        print(f"{pair:<8}{row['n']:>5}{row['p@1']:>12.2f}{after['pairs'][pair]['p@1']:>8.2f}")
    shares = f"{before['grouped']['share']:.2f} → {after['grouped']['share']:.2f}"
    print(f"grouped share: {shares} (n={before['grouped']['n']})")


if __name__ == "__main__":
    main()
