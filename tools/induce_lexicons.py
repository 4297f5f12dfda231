"""Induce the word pairs that ship in ``glossaries/induced/`` from licensed parallel text.

For Khmer, Thai and Vietnamese against English: the NTREX-128 news text kept in
``corpora/ntrex128`` (CC BY-SA 4.0) and, where given, the FLORES-200 devtest
(``--flores200 DIR``, CC BY-SA 4.0), line-aligned, through termalign's own word aligner
(:func:`termalign.align.induce.induce`: IBM Model 1 both ways, intersected; deterministic,
and as precise as eflomal's links on this text, see ``bench/bench_induce.py``). Pairs whose
two sides are the same string (Latin names, numbers) are left out: anchors link those.
TICO-19 is an evaluation set and is never read here.

Run again whenever a segmenter, a key or the aligner changes:

    python tools/induce_lexicons.py [--flores200 ../shared/data/flores200-devtest]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from termalign import lang as languages
from termalign.align.induce import induce

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "glossaries" / "induced"
NTREX = ROOT / "corpora" / "ntrex128"
#: Keep a pair seen together in at least this many sentence pairs: rarer ones are noise
#: on 3 k sentences.
MIN_COUNT = 3


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n").splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flores200", type=Path, help="folder of the FLORES-200 devtest files")
    args = parser.parse_args()
    english = lines(NTREX / "newstest2019-src.eng.txt")
    sources = "NTREX-128 newstest2019"
    if args.flores200:
        english += lines(args.flores200 / "eng_Latn.devtest")
        sources += " + FLORES-200 devtest"
    OUT.mkdir(parents=True, exist_ok=True)
    for code in languages.NON_PIVOT:
        opus = languages.get(code).mt_codes["opus"]
        text = lines(NTREX / f"newstest2019-ref.{opus}.txt")
        if args.flores200:
            nllb = languages.get(code).mt_codes["nllb"]
            text += lines(args.flores200 / f"{nllb}.devtest")
        if len(text) != len(english):
            raise SystemExit(f"{code}: {len(text)} lines against {len(english)} English ones")
        pairs = [p for p in induce(code, text, languages.PIVOT, english, min_count=MIN_COUNT) if p.src != p.tgt]
        with open(OUT / f"{code}-en.tsv", "w", encoding="utf-8") as fh:
            fh.write(f"# {code}–en word pairs induced from {sources} ({len(text)} sentence pairs) by\n")
            fh.write("# tools/induce_lexicons.py (IBM Model 1, both directions intersected); CC BY-SA 4.0\n")
            for p in sorted(pairs, key=lambda p: (p.src, p.tgt)):
                fh.write(f"{code}\t{p.src}\t{p.tgt}\t{p.score:.4f}\n")
        print(f"{code}: {len(pairs)} pairs")


if __name__ == "__main__":
    main()
