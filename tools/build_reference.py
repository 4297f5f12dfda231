"""Build the general-language word frequency tables that termhood compares against.

Reads the NTREX-128 news text kept in ``corpora/ntrex128`` (CC BY-SA 4.0), segments it with
termalign's own segmenters and writes ``termalign/data/reference/{lang}.tsv``
(normalized word key, count). Run it again whenever a segmenter or a key changes:

    python tools/build_reference.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from termalign import lang as languages

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "en": "newstest2019-src.eng.txt",
    "km": "newstest2019-ref.khm.txt",
    "th": "newstest2019-ref.tha.txt",
    "vi": "newstest2019-ref.vie.txt",
}


def main() -> None:
    out_dir = ROOT / "termalign" / "data" / "reference"
    out_dir.mkdir(parents=True, exist_ok=True)
    for code, name in FILES.items():
        language = languages.get(code)
        counts: Counter[str] = Counter()
        text = (ROOT / "corpora" / "ntrex128" / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            for token in language.tokenize(line.strip()):
                if token.kind in ("word", "latin"):
                    counts[language.key(token.text)] += 1
        total = sum(counts.values())
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        with open(out_dir / f"{code}.tsv", "w", encoding="utf-8") as fh:
            fh.write(f"# NTREX-128 {name} (CC BY-SA 4.0), segmented by termalign; tokens={total}\n")
            for key, count in rows:
                fh.write(f"{key}\t{count}\n")
        print(f"{code}: {total} tokens, {len(rows)} types")


if __name__ == "__main__":
    main()
