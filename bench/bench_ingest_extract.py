"""Ingest + extraction against the segmenters' floor, in CPU seconds, on distinct licensed text.

For each language and each of three corpus sizes the bench builds a corpus of distinct
sentences (NTREX-128, FLORES-200 devtest and FLORES v1 km-en under ``--data``, default
``corpora/`` in the repository; sentences deduplicated and shuffled, grouped into articles,
no document or sentence repeated) and runs two fresh processes on it:

- **floor**: the segmenter and tagger calls termalign itself makes, once per line, imports
  included (fixed, so a ratio cannot improve by changing what it is divided by):
  Thai ``word_tokenize(engine="newmm")`` + ``pos_tag(corpus="orchid_ud")``; Khmer
  ``khmercut.tokenize`` + the khmer-nltk CRF tagger; Vietnamese pyvi ``ViTokenizer.tokenize``
  + ``ViPosTagger.postagging``; English has no floor (its overhead is CPU-s per MB).
- **termalign**: ``ingest_paths`` into a new store, then ``extract``.

CPU seconds are the child's user + system time including its own children (``os.wait4``),
so ingest workers count. No tracing runs in the timed processes; peak RSS is the child's
``ru_maxrss`` (the kernel's high-water mark, free to read). A line is fitted through the three
sizes: CPU-s per MB and RSS per MB (slope), extrapolated to 10 MB.

    .venv/bin/python bench/bench_ingest_extract.py [--data /path/to/data] [--sizes 0.05 0.1 0.2] [--langs th km]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Sentence files per language, relative to the data directory (those present are used).
SOURCES = {
    "en": ["ntrex128/newstest2019-src.eng.txt", "flores200-devtest/eng_Latn.devtest",
           "flores-v1-km-en/wikipedia.devtest.km-en.eng"],
    "km": ["ntrex128/newstest2019-ref.khm.txt", "flores200-devtest/khm_Khmr.devtest",
           "flores-v1-km-en/wikipedia.devtest.km-en.khm"],
    "th": ["ntrex128/newstest2019-ref.tha.txt", "flores200-devtest/tha_Thai.devtest"],
    "vi": ["ntrex128/newstest2019-ref.vie.txt", "flores200-devtest/vie_Latn.devtest"],
}
#: Sentences per generated article (a news article's order of size).
SENTENCES_PER_ARTICLE = 20
EXTRAPOLATE_MB = 10.0


def distinct_sentences(data: Path, code: str, seed: int = 13) -> list[str]:
    seen: dict[str, None] = {}
    for rel in SOURCES[code]:
        path = data / rel
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line:
                    seen.setdefault(line, None)
    sentences = list(seen)
    random.Random(seed).shuffle(sentences)
    return sentences


def write_corpus(out: Path, code: str, sentences: list[str], mb: float) -> float:
    """Articles of distinct sentences up to ``mb`` MB; returns the MB written."""
    out.mkdir(parents=True, exist_ok=True)
    total, i, n = 0, 0, 0
    while total < mb * 1e6 and i < len(sentences):
        text = "\n".join(sentences[i : i + SENTENCES_PER_ARTICLE]) + "\n"
        (out / f"{code}-{n:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode())
        i += SENTENCES_PER_ARTICLE
        n += 1
    if total < mb * 1e6 * 0.95:
        print(f"warning: only {total / 1e6:.2f} MB of distinct {code} text (asked {mb})", file=sys.stderr)
    return total / 1e6


# -- the two timed children ------------------------------------------------------------------
def run_floor(code: str, corpus: Path) -> None:
    lines = [
        line for f in sorted(corpus.iterdir()) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if code == "th":
        from pythainlp.tag import pos_tag
        from pythainlp.tokenize import word_tokenize

        for line in lines:
            pos_tag(word_tokenize(line, engine="newmm", keep_whitespace=False), corpus="orchid_ud")
    elif code == "km":
        import importlib

        from khmercut import tokenize
        from khmernltk.pos_tag.features import create_word_features
        from khmernltk.utils.file_utils import load_model

        model = load_model(importlib.import_module("khmernltk.pos_tag").model_path)
        for line in lines:
            words = tokenize(line)
            if words:
                model.predict([create_word_features(words)])
    elif code == "vi":
        from pyvi import ViPosTagger, ViTokenizer

        for line in lines:
            ViPosTagger.postagging(ViTokenizer.tokenize(line))


def run_termalign(corpus: Path, db: Path) -> None:
    from termalign.extract import extract
    from termalign.ingest import ingest_paths
    from termalign.store import open_store

    conn = open_store(db)
    report = ingest_paths(conn, [corpus])
    extract(conn)
    if report.errors:
        raise SystemExit(f"ingest errors: {report.errors[:3]}")


def timed_child(args: list[str]) -> dict[str, float]:
    """CPU seconds (user + system, with descendants), wall seconds and peak RSS of a child."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], env={**os.environ, "PYTHONHASHSEED": "0"})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"child {args} failed with {proc.returncode}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall, "rss_MB": usage.ru_maxrss / 1024}


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs) or 1e-12
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return slope, my - slope * mx


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-floor":
        run_floor(sys.argv[2], Path(sys.argv[3]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-termalign":
        run_termalign(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "corpora",
                        help="directory holding ntrex128/, flores200-devtest/, flores-v1-km-en/")
    parser.add_argument("--sizes", type=float, nargs=3, default=[0.1, 0.2, 0.4],
                        help="three corpus sizes in MB per language")
    parser.add_argument("--langs", nargs="+", default=["km", "th", "vi", "en"])
    args = parser.parse_args()

    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for code in args.langs:
            sentences = distinct_sentences(args.data, code)
            runs = []
            for mb in sorted(args.sizes):
                corpus = Path(tmp) / f"{code}-{mb}"
                real_mb = write_corpus(corpus, code, sentences, mb)
                floor = timed_child(["--child-floor", code, str(corpus)]) if code != "en" else None
                ta = timed_child(["--child-termalign", str(corpus), str(Path(tmp) / f"{code}-{mb}.db")])
                run = {"MB": round(real_mb, 3), "termalign": {k: round(v, 2) for k, v in ta.items()}}
                if floor:
                    run["floor"] = {k: round(v, 2) for k, v in floor.items()}
                    run["ratio_cpu"] = round(ta["cpu_s"] / floor["cpu_s"], 2)
                    run["ratio_wall"] = round(ta["wall_s"] / floor["wall_s"], 2)
                else:
                    run["cpu_s_per_MB"] = round(ta["cpu_s"] / real_mb, 2)
                runs.append(run)
                print(code, json.dumps(run), file=sys.stderr, flush=True)
            xs = [r["MB"] for r in runs]
            cpu_slope, cpu_icpt = fit(xs, [r["termalign"]["cpu_s"] for r in runs])
            rss_slope, rss_icpt = fit(xs, [r["termalign"]["rss_MB"] for r in runs])
            summary = {
                "runs": runs,
                "cpu_s_per_MB": round(cpu_slope, 2),
                "cpu_s_fixed": round(cpu_icpt, 2),
                "rss_MB_per_MB": round(rss_slope, 1),
                "rss_MB_fixed": round(rss_icpt, 1),
                f"cpu_s_at_{EXTRAPOLATE_MB:g}MB": round(cpu_icpt + cpu_slope * EXTRAPOLATE_MB, 1),
                f"rss_MB_at_{EXTRAPOLATE_MB:g}MB": round(rss_icpt + rss_slope * EXTRAPOLATE_MB, 1),
            }
            if code != "en":
                f_slope, f_icpt = fit(xs, [r["floor"]["cpu_s"] for r in runs])
                summary["floor_cpu_s_per_MB"] = round(f_slope, 2)
                summary["marginal_ratio_cpu"] = round(cpu_slope / f_slope, 2) if f_slope > 0 else None
            out[code] = summary
    print(json.dumps(out, indent=2))
    print("\nlang  MB     ta_cpu  floor_cpu  ratio_cpu  ratio_wall  rss_MB")
    for code, s in out.items():
        for r in s["runs"]:
            print(f"{code:4}  {r['MB']:<6} {r['termalign']['cpu_s']:<7} {r.get('floor', {}).get('cpu_s', '-')!s:<10} "
                  f"{r.get('ratio_cpu', '-')!s:<10} {r.get('ratio_wall', '-')!s:<11} {r['termalign']['rss_MB']}")
        print(f"{code:4}  slope {s['cpu_s_per_MB']} CPU-s/MB, {s['rss_MB_per_MB']} RSS-MB/MB; "
              f"10 MB: {s['cpu_s_at_10MB']} CPU-s, {s['rss_MB_at_10MB']} MB RSS"
              + (f"; marginal ratio {s['marginal_ratio_cpu']}" if "marginal_ratio_cpu" in s else ""))


if __name__ == "__main__":
    main()
