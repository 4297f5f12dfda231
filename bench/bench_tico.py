"""Khmer term extraction scored against the Google TICO-19 terminology (evaluation only).

The TICO-19 Khmer test text (CC0; 2,100 lines) is ingested in documents of ``--doc-lines``
lines and extracted; the gold is every Khmer term of the Google en→km list whose matching
key occurs in that text. Printed: recall@K (default 200) of those terms in the ranked
candidate list, and recall over the whole list. The base glossary's TICO-19 part is
switched off (``--with-tico-glossary`` turns it on, to see how much it was grading itself);
``--no-base-glossary`` leaves the whole base glossary out. Nothing of TICO-19 enters the
repository or any reference corpus.

    .venv/bin/python bench/bench_tico.py /work/shared/data/tico19-test-eng-khm/tico19-test.khm \\
        /work/shared/data/tico19-terminology/google/en_km.csv [--k 200]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path


def gold_keys(path: Path, text_key: str) -> tuple[dict[str, str], int]:
    """Khmer terms of the list (key → term) that occur in the text, and the list's size."""
    from termalign import lang as languages

    km = languages.get("km")
    with open(path, encoding="utf-8") as fh:
        rows = [row["targetString"].strip() for row in csv.DictReader(fh)]
    terms = {km.key(t): t for t in rows if t}
    return {k: t for k, t in terms.items() if k and k in text_key}, len(terms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("text", type=Path, help="tico19-test.khm")
    parser.add_argument("terms", type=Path, help="Google en_km.csv")
    parser.add_argument("--k", type=int, default=200)
    parser.add_argument("--doc-lines", type=int, default=100, help="lines per ingested document")
    parser.add_argument("--work", type=Path, help="keep the scratch store here")
    parser.add_argument("--with-tico-glossary", action="store_true")
    parser.add_argument("--no-base-glossary", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print this many top candidates and the misses")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for path in (args.text, args.terms):
        if not path.is_file():
            sys.exit(f"{path}: not a file")

    from termalign import lang as languages
    from termalign.extract import lexicon_reader, load_tokens, score_language
    from termalign.ingest import ingest_paths
    from termalign.lexicon import build_lexicon
    from termalign.store import open_store

    km = languages.get("km")
    lines = args.text.read_text(encoding="utf-8").splitlines()
    work = args.work or Path(tempfile.mkdtemp(prefix="tico-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"tico-km-{args.doc_lines}.db"
    fresh = not db.exists()
    conn = open_store(db)
    if fresh:
        docs = work / "docs"
        docs.mkdir(exist_ok=True)
        for i in range(0, len(lines), args.doc_lines):
            (docs / f"tico-{i // args.doc_lines:03d}.txt").write_text(
                "\n".join(lines[i : i + args.doc_lines]) + "\n", encoding="utf-8"
            )
        ingest_paths(conn, [docs], workers=1)
    gold, listed = gold_keys(args.terms, "\n".join(km.key(line) for line in lines))
    lexicon = build_lexicon(conn, base=not args.no_base_glossary, tico=args.with_tico_glossary)
    tokens = load_tokens(conn, "km")
    types, _ = score_language(tokens, "km", known=lexicon_reader(conn, lexicon))
    ranked = types.sort("rank")["key"].to_list()
    position = {key: i + 1 for i, key in reversed(list(enumerate(ranked)))}
    found_k = [k for k in gold if position.get(k, 10**9) <= args.k]
    found = [k for k in gold if k in position]
    result = {
        "signature": f"tico19-km|k:{args.k}|doc-lines:{args.doc_lines}|base:{not args.no_base_glossary}"
        f"|tico-glossary:{args.with_tico_glossary}",
        "gold_in_text": len(gold),
        "list_size": listed,
        "candidates": len(ranked),
        f"recall@{args.k}": len(found_k) / max(len(gold), 1),
        "recall_all": len(found) / max(len(gold), 1),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(result["signature"])
        print(f"{len(gold)} of {listed} km terms occur in the text; {len(ranked)} candidates ranked")
        print(
            f"recall@{args.k} {result[f'recall@{args.k}']:.3f} ({len(found_k)}/{len(gold)}); "
            f"recall over the whole list {result['recall_all']:.3f}"
        )
    if args.show:
        print("top:", " | ".join(ranked[: args.show]))
        for key in sorted(gold, key=lambda k: position.get(k, 10**9)):
            if position.get(key, 10**9) > args.k:
                print(f"  miss {gold[key]}  rank {position.get(key, '-')}")


if __name__ == "__main__":
    main()
