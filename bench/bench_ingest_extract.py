"""Ingest and extraction throughput on a generated corpus of at least 10 MB.

The corpus is built from the seed articles and the NTREX-128 news text kept in
``corpora/`` (one article per NTREX document and language, each seed repeated with a
numbered suffix so content hashes differ). Prints MB/s per language for ingest, tokens/s
for extraction (polars counting), peak memory, and the ratio of extraction to a baseline
measured in the same run: counting the same n-grams with a plain Python ``Counter``.

    .venv/bin/python bench/bench_ingest_extract.py [--mb 10]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NTREX = {"en": "newstest2019-src.eng.txt", "km": "newstest2019-ref.khm.txt", "th": "newstest2019-ref.tha.txt", "vi": "newstest2019-ref.vie.txt"}


def main_script(text: str) -> str:
    khmer = sum("\u1780" <= c <= "\u17ff" for c in text)
    thai = sum("\u0e00" <= c <= "\u0e7f" for c in text)
    return "km" if khmer > thai else "th"


def generate(out: Path, target_mb: float) -> dict[str, int]:
    ids = (ROOT / "corpora" / "ntrex128" / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    docs: dict[str, dict[str, list[str]]] = {}
    for code, name in NTREX.items():
        lines = (ROOT / "corpora" / "ntrex128" / name).read_text(encoding="utf-8").splitlines()
        for doc_id, line in zip(ids, lines):
            docs.setdefault(code, {}).setdefault(doc_id, []).append(line.strip())
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    sizes: Counter[str] = Counter()
    total, copy = 0, 0
    while total < target_mb * 1e6:
        for code, by_doc in docs.items():
            for doc_id, lines in by_doc.items():
                text = "\n".join(lines) + f"\n{copy}\n"
                (out / f"{code}-{doc_id}-{copy}.txt").write_text(text, encoding="utf-8")
                n = len(text.encode())
                sizes[code] += n
                total += n
        for seed in seeds:
            text = seed.read_text(encoding="utf-8") + f"\n{copy}\n"
            code = main_script(text)
            (out / f"{code}-seed-{copy}-{seed.name}").write_text(text, encoding="utf-8")
            sizes[code] += len(text.encode())
            total += len(text.encode())
        copy += 1
    return dict(sizes)


def python_counter_baseline(conn, code: str, max_n: int = 6) -> tuple[float, int]:
    """The same n-gram counting as polars does, in a plain Python loop over rows."""
    began = time.perf_counter()
    rows = conn.execute(
        "SELECT t.sentence_id, t.key, t.kind FROM tokens t JOIN sentences s ON s.id = t.sentence_id WHERE s.lang = ? "
        "ORDER BY t.sentence_id, t.idx",
        (code,),
    ).fetchall()
    counts: Counter[tuple[str, ...]] = Counter()
    sentence: list[str] = []
    last = None
    for sid, key, kind in rows + [(None, "", "punct")]:
        if sid != last and sentence:
            for i in range(len(sentence)):
                for n in range(1, max_n + 1):
                    gram = sentence[i : i + n]
                    if len(gram) == n and "" not in gram:
                        counts[tuple(gram)] += 1
            sentence = []
        last = sid
        sentence.append("" if kind == "punct" else key)
    return time.perf_counter() - began, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size in MB (default 10)")
    args = parser.parse_args()

    from termalign.extract import extract, load_tokens, score_language
    from termalign.ingest import ingest_paths
    from termalign.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        sizes = generate(corpus, args.mb)
        print(f"corpus: {sum(sizes.values()) / 1e6:.1f} MB in {len(list(corpus.iterdir()))} files")
        conn = open_store(Path(tmp) / "bench.db")
        results: dict[str, dict] = {}
        tracemalloc.start()
        for code in sorted(sizes):
            files = sorted(corpus.glob(f"{code}-*.txt"))
            began = time.perf_counter()
            ingest_paths(conn, files)
            seconds = time.perf_counter() - began
            mb = sum(f.stat().st_size for f in files) / 1e6
            results[code] = {"ingest_MB": round(mb, 2), "ingest_s": round(seconds, 2), "ingest_MB_per_s": round(mb / seconds, 3)}
        ingest_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        for code in sorted(sizes):
            tokens = load_tokens(conn, code)
            began = time.perf_counter()
            score_language(tokens, code)
            polars_s = time.perf_counter() - began
            baseline_s, n_tokens = python_counter_baseline(conn, code)
            results[code].update(
                tokens=n_tokens,
                extract_tokens_per_s=round(n_tokens / polars_s),
                baseline_counter_tokens_per_s=round(n_tokens / baseline_s),
                speedup_vs_counter=round(baseline_s / polars_s, 2),
            )
        began = time.perf_counter()
        extract(conn)
        full_extract_s = time.perf_counter() - began
        extract_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(json.dumps({
        "by_language": results,
        "extract_all_s": round(full_extract_s, 2),
        "peak_python_heap_MB": {"ingest": round(ingest_peak / 1e6, 1), "extract": round(extract_peak / 1e6, 1)},
        "max_rss_MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
