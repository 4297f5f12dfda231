"""Loan matcher: top-1 on a held-out half of pythainlp's checked Thai–English transliteration
list, and false readings of native Thai/Khmer words against a real English vocabulary.

    .venv/bin/python bench/bench_loans.py [--shared ../shared/data] [--json]

* Pairs: ``th_en_transliteration_v1.4.tsv`` shipped in pythainlp's corpus data (its checked
  rows), shuffled with a fixed seed and cut in two halves; the threshold and weights of
  :mod:`termalign.lexicon.loans` were chosen on the *train* half; figures are on the *test*
  half. Top-1: the matcher's best English word among *all* English sides of the list.
* False positives: native words read as a loan of some word of the English vocabulary
  (wordfreq's 30 000 most frequent English words plus the list's English sides) at the
  matcher's thresholds (by skeleton length). Native Thai: the 3 000 most frequent words of pythainlp's TTC
  frequency list that are not in the transliteration list (frequent words are native by a
  large majority; the few loans among them count as false readings: the rate is an upper
  bound). Native Khmer (with ``--shared``): the 3 000 most frequent Khmer tokens of the
  FLORES-200 devtest text. Khmer positives: iso-codes' Khmer country names that have a
  consonant skeleton of at least three classes, matched against all English country names.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

from termalign.lexicon.loans import LOAN_THRESHOLDS, MIN_SKELETON, LoanMatcher, skeleton, threshold_for

SEED = 14
TOP_NATIVE = 3000


def checked_pairs() -> list[tuple[str, str]]:
    path = resources.files("pythainlp.corpus") / "th_en_transliteration_v1.4.tsv"
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    return [(r["th"].strip(), r["en"].strip().lower()) for r in rows if r["check"] == "True" and r["th"] and r["en"]]


def split(pairs: list[tuple[str, str]]) -> tuple[list, list]:
    pairs = sorted(pairs)
    random.Random(SEED).shuffle(pairs)
    half = len(pairs) // 2
    return pairs[:half], pairs[half:]


def top1(matcher: LoanMatcher, code: str, pairs: list[tuple[str, str]]) -> dict:
    right = readable = right_at = taken = 0
    for word, english in pairs:
        found = matcher.best(code, word)
        readable += len(skeleton(code, word)) >= MIN_SKELETON
        right += bool(found and found[0] == english.lower())
        if found and found[1] >= threshold_for(skeleton(code, word)):
            taken += 1
            right_at += found[0] == english.lower()
    n = len(pairs)
    return {
        "n": n,
        "top1": round(right / n, 4),
        "readable": readable,
        "top1_readable": round(right / max(readable, 1), 4),
        "at_threshold": {
            "taken": taken,
            "recall": round(right_at / n, 4),
            "precision": round(right_at / max(taken, 1), 4),
        },
    }


def false_readings(matcher: LoanMatcher, code: str, words: list[str]) -> dict:
    hits = []
    for w in words:
        found = matcher.best(code, w)
        if found and found[1] >= threshold_for(skeleton(code, w)):
            hits.append((w, found[0], round(found[1], 3)))
    return {
        "n": len(words),
        "false": len(hits),
        "rate": round(len(hits) / max(len(words), 1), 4),
        "examples": hits[:10],
    }


def native_thai(exclude: set[str]) -> list[str]:
    from pythainlp.corpus import ttc

    freq = sorted(ttc.word_freqs(), key=lambda wf: (-wf[1], wf[0]))
    words = [w for w, _ in freq if re.fullmatch(r"[\u0e01-\u0e4e]+", w) and w not in exclude]
    return words[:TOP_NATIVE]


def native_khmer(shared: Path) -> list[str]:
    from termalign import lang

    km = lang.get("km")
    counts: Counter[str] = Counter()
    for line in (shared / "flores200-devtest" / "khm_Khmr.devtest").read_text(encoding="utf-8").splitlines():
        for token in km.segment_words(km.normalize(line)):
            if re.fullmatch(r"[\u1780-\u17dd]+", token):
                counts[km.key(token)] += 1
    return [w for w, _ in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[:TOP_NATIVE]]


def khmer_countries(shared: Path) -> list[tuple[str, str]]:
    """(Khmer name, English name) from iso-codes' iso_3166-1 Khmer catalogue."""
    po = next((shared / "iso-codes-po" / "iso_3166-1").glob("km*.po"))
    pairs, msgid = [], None
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = json.loads(line[6:])
        elif line.startswith("msgstr ") and msgid:
            text = json.loads(line[7:])
            if text and re.fullmatch(r"[\u1780-\u17ff]+", text) and re.fullmatch(r"[A-Za-z]+", msgid):
                pairs.append((text, msgid.lower()))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--shared", type=Path, help="the licensed data folder (FLORES-200, iso-codes) for the Khmer figures"
    )
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--half", choices=("train", "test"), default="test")
    args = ap.parse_args(argv)
    from wordfreq import top_n_list

    pairs = checked_pairs()
    train, test = split(pairs)
    sides = {e for _, e in pairs}
    vocabulary = {w for w in top_n_list("en", 30000) if w.isalpha()} | sides
    result: dict = {"thresholds": LOAN_THRESHOLDS, "pairs": len(pairs)}
    result["thai_loans"] = top1(LoanMatcher(sides), "th", train if args.half == "train" else test)
    result["thai_loans"]["half"] = args.half
    vocab = LoanMatcher(vocabulary)
    result["english_vocabulary"] = len(vocab)
    result["native_thai"] = false_readings(vocab, "th", native_thai({t for t, _ in pairs}))
    if args.shared:
        countries = khmer_countries(args.shared)
        names = LoanMatcher({e for _, e in countries})
        readable = [(k, e) for k, e in countries if len(skeleton("km", k)) >= MIN_SKELETON]
        result["khmer_countries"] = top1(names, "km", readable)
        result["native_khmer"] = false_readings(vocab, "km", native_khmer(args.shared))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    t = result["thai_loans"]
    print(
        f"Thai loans ({args.half} half, n={t['n']}): top-1 {t['top1']:.3f} over all {len(sides)} English sides "
        f"({t['top1_readable']:.3f} of the {t['readable']} with a skeleton of >= {MIN_SKELETON}); at threshold "
        f"{LOAN_THRESHOLDS}: precision {t['at_threshold']['precision']:.3f}, recall {t['at_threshold']['recall']:.3f}"
    )
    for key in ("native_thai", "native_khmer"):
        if key in result:
            r = result[key]
            print(
                f"{key}: {r['false']} of {r['n']} read as loans of {result['english_vocabulary']} English words "
                f"({100 * r['rate']:.2f} %); e.g. {r['examples'][:5]}"
            )
    if "khmer_countries" in result:
        k = result["khmer_countries"]
        print(
            f"Khmer country names (n={k['n']}): top-1 {k['top1']:.3f}; at threshold precision "
            f"{k['at_threshold']['precision']:.3f}, recall {k['at_threshold']['recall']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
