"""Glossary enforcement on models never taught to copy placeholders.

The models: the suite's *no-mask* test models of each family (``Recipe(family,
masked=False)``, built and cached by ``tests/translate/mt_modelkit.py``): trained on the test
pairs only, like a real NLLB-200, M2M-100 or OPUS-MT model they have never seen a
placeholder. The glossary gives each of their source words a target term the models never
produce unaided (``community`` for សង្គម where the model says ``society``), and forbids one
translation the model does produce (``digital transformation``). The default strategies
(``nbest,align,bias,prefix``; no masking) are measured against the unaided model:

* **presence** — each required term found exactly once, and *at the position its source term
  aligns to*: the model's own attention over the final output (CTranslate2, the output
  forced as target prefix) puts at least one of the term's tokens on the source term;
* **non-term chrF** — chrF of the output with the glossary term and the word it replaces
  taken out, against the reference treated alike, enforced minus unaided: a hard bound of
  −2 points (the script exits 1 below it);
* **forbidden** — segments free of the forbidden term.

    .venv/bin/python bench/bench_mt_terms.py [--families marian m2m100 nllb]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from sacrebleu.metrics import CHRF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "translate"))

from mt_modelkit import PAIRS, Recipe, build  # noqa: E402

from termalign import Translator  # noqa: E402
from termalign.store.concepts import Concept, Term  # noqa: E402
from termalign.translate.engine import SPM_SPACE  # noqa: E402

#: (Khmer source term, the English word the models produce for it, the glossary's term).
#: Every term is spelt with letters of the training text, so a model can write it.
GLOSSARY = [
    ("សង្គម", "society", "community"),
    ("រដ្ឋាភិបាល", "government", "administration"),
    ("សេដ្ឋកិច្ច", "economy", "commerce"),
    ("ពលរដ្ឋ", "citizens", "residents"),
    ("ហេដ្ឋារចនាសម្ព័ន្ធ", "infrastructure", "facilities"),
    ("គណៈកម្មាធិការ", "Committee", "Council"),
]
FORBIDDEN = ("ការផ្លាស់ប្តូរឌីជីថល", "digital transformation", "digital transition")
#: The non-term chrF of enforced output may fall at most this far below the unaided one.
CHRF_BOUND = -2.0


def glossary() -> list[Concept]:
    concepts = [
        Concept(id=i, status="approved", terms=[Term("km", km, "preferred"), Term("en", term, "preferred")])
        for i, (km, _, term) in enumerate(GLOSSARY, start=1)
    ]
    km, old, new = FORBIDDEN
    concepts.append(
        Concept(
            id=len(concepts) + 1,
            status="approved",
            terms=[Term("km", km, "preferred"), Term("en", new, "preferred"), Term("en", old, "deprecated")],
        )
    )
    return concepts


def reference(en: str) -> str:
    """The test pair's English with each glossary term in place of the usual word."""
    for _, usual, term in GLOSSARY:
        en = re.sub(rf"\b{re.escape(usual)}\b", term, en)
    return en.replace(FORBIDDEN[1], FORBIDDEN[2])


def non_term(text: str) -> str:
    """``text`` without glossary terms and the words they replace."""
    for _, usual, term in GLOSSARY:
        text = re.sub(rf"\b(?:{re.escape(usual)}|{re.escape(term)})\b", " ", text)
    for phrase in FORBIDDEN[1:]:
        text = text.replace(phrase, " ")
    return " ".join(text.split())


def aligned(translator: Translator, source: str, term: str, output: str, term_source: str) -> bool:
    """The model's attention over ``output`` (forced) puts a token of ``term`` on ``term_source``."""
    model = translator.model
    d = translator.direction("km", "en")
    pieces = model.encode(source)
    src_tokens = model.source_tokens(pieces, d.src_token, d.tgt_token)
    start = source.find(term_source)
    if start < 0:
        return False
    at, inside = 0, []
    for i, piece in enumerate(pieces):
        size = len(piece.replace(SPM_SPACE, " ")) - (1 if i == 0 and piece.startswith(SPM_SPACE) else 0)
        if at < start + len(term_source) and start < at + size and size:
            inside.append(d.lead + i)
        at += size
    out_pieces = model.target_pieces(output)
    term_pieces = model.target_pieces(term)
    where = next((j for j in range(len(out_pieces)) if out_pieces[j : j + len(term_pieces)] == term_pieces), None)
    if where is None:
        # the term mid-sentence may lose or gain the word mark of its first piece
        stripped = [p.lstrip(SPM_SPACE) for p in out_pieces]
        bare = [p.lstrip(SPM_SPACE) for p in term_pieces]
        where = next((j for j in range(len(stripped)) if stripped[j : j + len(bare)] == bare), None)
        if where is None:
            return False
    forced = [*d.frame_prefix, *out_pieces]
    result = translator.ct2.translate_batch(
        [src_tokens],
        target_prefix=[forced],
        max_decoding_length=len(forced) + 1,
        beam_size=1,
        return_attention=True,
    )[0]
    rows = result.attention[0][len(d.frame_prefix) :]
    for j in range(where, min(where + len(term_pieces), len(rows))):
        row = rows[j]
        if max(range(len(row)), key=row.__getitem__) in inside:
            return True
    return False


def measure(family: str) -> dict:
    model = build(Recipe(family, masked=False))
    concepts = glossary()
    unaided = Translator(model, glossary=concepts, enforce=(), intra_threads=1)
    enforced = Translator(model, glossary=concepts, intra_threads=1)
    sources = [km for km, _ in PAIRS]
    started = time.perf_counter()
    plain = unaided.translate_sentences(sources, "km", "en")
    forced = enforced.translate_sentences(sources, "km", "en")
    seconds = time.perf_counter() - started
    chrf = CHRF()
    refs = [non_term(reference(en)) for _, en in PAIRS]
    required = found_unaided = found_once = at_place = 0
    forbidden_free = forbidden_segments = 0
    strategies: dict[str, int] = {}
    for source, p, f in zip(sources, plain, forced, strict=True):
        strategies[f.strategy] = strategies.get(f.strategy, 0) + 1
        for check_p, check_f in zip(p.terms, f.terms, strict=True):
            required += 1
            found_unaided += check_p.found
            if check_f.found and check_f.count == 1:
                found_once += 1
                at_place += aligned(enforced, source, check_f.form or check_f.target, f.target, check_f.source)
        if FORBIDDEN[0] in source:
            forbidden_segments += 1
            forbidden_free += not f.forbidden
    chrf_plain = chrf.corpus_score([non_term(p.target) for p in plain], [refs]).score
    chrf_forced = chrf.corpus_score([non_term(f.target) for f in forced], [refs]).score
    return {
        "family": family,
        "model": model.name,
        "segments": len(sources),
        "required": required,
        "unaided": found_unaided,
        "once": found_once,
        "once_aligned": at_place,
        "chrf_nonterm_unaided": chrf_plain,
        "chrf_nonterm_enforced": chrf_forced,
        "forbidden_free": forbidden_free,
        "forbidden_segments": forbidden_segments,
        "strategies": strategies,
        "seconds": seconds,
        "examples": [(p.target, f.target) for p, f in zip(plain, forced, strict=True)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", nargs="+", default=["marian", "m2m100", "nllb"])
    args = parser.parse_args()
    failed = False
    for family in args.families:
        r = measure(family)
        pct = lambda n, d: f"{100 * n / d:.1f} %" if d else "n/a"  # noqa: E731
        delta = r["chrf_nonterm_enforced"] - r["chrf_nonterm_unaided"]
        print(
            f"{r['family']} ({r['model']}): {r['segments']} segments, {r['required']} required terms, "
            f"{r['seconds']:.2f} s"
        )
        print(f"  unaided: terms present {pct(r['unaided'], r['required'])}")
        print(
            f"  enforced: present once {pct(r['once'], r['required'])}, "
            f"once at the aligned position {pct(r['once_aligned'], r['required'])}"
        )
        print(
            f"  non-term chrF: unaided {r['chrf_nonterm_unaided']:.1f}, enforced {r['chrf_nonterm_enforced']:.1f} "
            f"({delta:+.1f}; bound {CHRF_BOUND:+.1f}: {'ok' if delta >= CHRF_BOUND else 'BROKEN'})"
        )
        print(f"  forbidden absent: {r['forbidden_free']}/{r['forbidden_segments']} segments")
        print(f"  strategies: {r['strategies']}")
        for p, f in r["examples"]:
            print(f"    {p!r} -> {f!r}")
        failed |= delta < CHRF_BOUND
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
