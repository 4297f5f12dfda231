"""Induce the word pairs that ship in ``glossaries/induced/`` from licensed parallel text.

For Khmer, Thai and Vietnamese against English, line-aligned, through termalign's own word
aligner (:func:`termalign.align.induce.induce`: IBM Model 1 both ways, intersected;
deterministic, and as precise as eflomal's links on this text, see ``bench/bench_induce.py``):

- the NTREX-128 news text kept in ``corpora/ntrex128`` (CC BY-SA 4.0), always;
- the FLORES-200 devtest (``--flores200 DIR``, CC BY-SA 4.0);
- for Khmer, the FLoRes v1 Khmer–English Wikipedia devtest (``--flores-v1 DIR``, CC BY-SA 4.0);
- the Tatoeba Challenge test pairs (``--tatoeba DIR``, CC BY 2.0 FR), lines whose label is
  not the language itself (romanized Khmer, Vietnamese in Han script) left out.

Pairs whose two sides are the same string (Latin names, numbers) are left out: anchors link
those. TICO-19 is an evaluation set and is never read here.

Run again whenever a segmenter, a key or the aligner changes:

    python tools/induce_lexicons.py --flores200 ../shared/data/flores200-devtest \\
        --flores-v1 ../shared/data/flores-v1-km-en --tatoeba ../shared/data/tatoeba-test-v2021-08-07
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from termalign import lang as languages
from termalign.align.induce import induce

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "glossaries" / "induced"
NTREX = ROOT / "corpora" / "ntrex128"
#: Keep a pair seen together in at least this many sentence pairs: rarer ones are noise
#: on a few thousand sentences.
MIN_COUNT = 3
#: Tatoeba's folder and file code per language (``eng-khm/…khm``).
TATOEBA_CODES = {"km": "khm", "th": "tha", "vi": "vie"}


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n").splitlines()


@dataclass
class Parallel:
    """One language's line-aligned text against English, and what it was read from."""

    text: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, name: str, text: list[str], english: list[str]) -> None:
        if len(text) != len(english):
            raise SystemExit(f"{name}: {len(text)} lines against {len(english)} English ones")
        self.text += text
        self.english += english
        self.sources.append(f"{name} ({len(text)})")


def parallel(
    code: str, *, flores200: Path | None = None, flores_v1: Path | None = None, tatoeba: Path | None = None
) -> Parallel:
    """The parallel text of ``code`` against English from the sources given (NTREX always)."""
    found = Parallel()
    found.add(
        "NTREX-128 newstest2019", lines(NTREX / f"newstest2019-ref.{languages.get(code).mt_codes['opus']}.txt"),
        lines(NTREX / "newstest2019-src.eng.txt"),
    )
    if flores200 is not None:
        found.add(
            "FLORES-200 devtest", lines(flores200 / f"{languages.get(code).mt_codes['nllb']}.devtest"),
            lines(flores200 / "eng_Latn.devtest"),
        )
    if flores_v1 is not None and code == "km":
        found.add(
            "FLoRes v1 km-en devtest", lines(flores_v1 / "wikipedia.devtest.km-en.khm"),
            lines(flores_v1 / "wikipedia.devtest.km-en.eng"),
        )
    if tatoeba is not None:
        tag = TATOEBA_CODES[code]
        stem = tatoeba / f"eng-{tag}" / "tatoeba-test-v2021-08-07"
        text, english = lines(stem.with_suffix(f".{tag}")), lines(stem.with_suffix(".eng"))
        labels_path = stem.with_suffix(f".{tag}.labels")
        if labels_path.exists():
            labels = lines(labels_path)
            if len(labels) != len(text):
                raise SystemExit(f"{labels_path}: {len(labels)} labels for {len(text)} lines")
            kept = [i for i, label in enumerate(labels) if label.strip() == tag]
            text, english = [text[i] for i in kept], [english[i] for i in kept]
        found.add("Tatoeba test v2021-08-07", text, english)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flores200", type=Path, help="folder of the FLORES-200 devtest files")
    parser.add_argument("--flores-v1", type=Path, help="folder of the FLoRes v1 km-en devtest files")
    parser.add_argument("--tatoeba", type=Path, help="folder of the Tatoeba test v2021-08-07 sets (eng-khm/ …)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for code in languages.NON_PIVOT:
        text = parallel(code, flores200=args.flores200, flores_v1=args.flores_v1, tatoeba=args.tatoeba)
        pairs = [
            p for p in induce(code, text.text, languages.PIVOT, text.english, min_count=MIN_COUNT) if p.src != p.tgt
        ]
        licence = "CC BY-SA 4.0" + (" (Tatoeba sentences: CC BY 2.0 FR)" if args.tatoeba else "")
        with open(OUT / f"{code}-en.tsv", "w", encoding="utf-8") as fh:
            fh.write(f"# {code}–en word pairs induced from {' + '.join(text.sources)} ({len(text.text)} sentence\n")
            fh.write(f"# pairs) by tools/induce_lexicons.py (IBM Model 1, both directions intersected); {licence}\n")
            for p in sorted(pairs, key=lambda p: (p.src, p.tgt)):
                fh.write(f"{code}\t{p.src}\t{p.tgt}\t{p.score:.4f}\n")
        print(f"{code}: {len(pairs)} pairs from {len(text.text)} sentence pairs")


if __name__ == "__main__":
    main()
