"""Build the general-language word frequency tables that termhood compares against.

* ``th.tsv``: the Thai National Corpus frequencies shipped in pythainlp (``tnc_freq.txt``,
  CC0), each word turned into termalign's Thai key.
* ``km.tsv``, ``vi.tsv``: licensed text segmented by termalign's own segmenters — the
  NTREX-128 news text kept in ``corpora/ntrex128`` (CC BY-SA 4.0) and, where given, the
  FLORES-200 devtest (``--flores200 DIR``) and FLORES v1 km–en (``--flores-v1 DIR``) text,
  both CC BY-SA 4.0. TICO-19 is an evaluation set and is never read here.
* English needs no table: ``wordfreq`` is read from the installed package.

Run again whenever a segmenter or a key changes:

    python tools/build_reference.py [--flores200 ../shared/data/flores200-devtest] \\
        [--flores-v1 ../shared/data/flores-v1-km-en]
"""

from __future__ import annotations

import argparse
from collections import Counter
from importlib import resources
from pathlib import Path

from termalign import lang as languages

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "termalign" / "data" / "reference"
NTREX = {"km": "newstest2019-ref.khm.txt", "vi": "newstest2019-ref.vie.txt"}
FLORES200 = {"km": "khm_Khmr.devtest", "vi": "vie_Latn.devtest"}
FLORES_V1 = {"km": "wikipedia.devtest.km-en.khm"}


def write(code: str, counts: Counter[str], origin: str) -> None:
    total = sum(counts.values())
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    with open(OUT / f"{code}.tsv", "w", encoding="utf-8") as fh:
        fh.write(f"# {origin}; tokens={total}\n")
        for key, count in rows:
            fh.write(f"{key}\t{count}\n")
    print(f"{code}: {total} tokens, {len(rows)} types")


def segmented_counts(code: str, files: list[Path]) -> Counter[str]:
    language = languages.get(code)
    counts: Counter[str] = Counter()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            for token in language.tokenize(line.strip()):
                if token.kind in ("word", "latin"):
                    counts[language.key(token.text)] += 1
    return counts


def thai_national_corpus() -> Counter[str]:
    thai = languages.get("th")
    counts: Counter[str] = Counter()
    text = (resources.files("pythainlp") / "corpus" / "tnc_freq.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        word, _, count = line.partition("\t")
        if count.strip().isdigit() and word.strip():
            counts[thai.key(word)] += int(count)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description="Rebuild termalign/data/reference/*.tsv")
    parser.add_argument("--flores200", type=Path, help="FLORES-200 devtest folder (khm_Khmr.devtest, vie_Latn.devtest)")
    parser.add_argument("--flores-v1", type=Path, help="FLORES v1 km-en folder (wikipedia.devtest.km-en.khm)")
    parser.add_argument("--langs", default="th,km,vi")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for code in args.langs.split(","):
        if code == "th":
            write(
                "th", thai_national_corpus(), "Thai National Corpus word frequencies from pythainlp tnc_freq.txt (CC0)"
            )
            continue
        files, names = [ROOT / "corpora" / "ntrex128" / NTREX[code]], ["NTREX-128 newstest2019"]
        if args.flores200 and code in FLORES200:
            files.append(args.flores200 / FLORES200[code])
            names.append("FLORES-200 devtest")
        if args.flores_v1 and code in FLORES_V1:
            files.append(args.flores_v1 / FLORES_V1[code])
            names.append("FLORES v1 km-en devtest")
        for path in files:
            if not path.is_file():
                raise SystemExit(f"{path}: not a file")
        write(code, segmented_counts(code, files), f"{' + '.join(names)} (CC BY-SA 4.0), segmented by termalign")


if __name__ == "__main__":
    main()
