"""Scoring translations: sacrebleu BLEU, chrF++ and TER, and terminology metrics.

Files are line-aligned (FLORES style): line *i* of the hypothesis translates line *i* of
the source and is compared with line *i* of the reference. Every score carries the
signature that reproduces it.

Term metrics (exact match of normalized keys, WMT terminology-task style):

* *term accuracy* — of the required target terms, the share found in the hypothesis;
* *segments with every term* — of the segments that require a term, the share where the
  hypothesis has them all.

A term is required in a segment when its source term occurs in the source line (given a
source file), or else when one of its accepted target terms occurs in the reference line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from termalign import __version__
from termalign import lang as languages
from termalign.errors import InputError, TermalignError
from termalign.ingest.readers import decode, read_bytes
from termalign.translate.glossary import Glossary, check_terms, contains


def read_lines(path: str | Path) -> list[str]:
    """The lines of a UTF-8 text file (a final newline does not make an extra line)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, not a text file", path=str(path))
    text = decode(read_bytes(path), str(path))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def bleu_tokenizer(tgt: str) -> str:
    """sacrebleu's tokenizer for a target language: ``13a`` where words are spaced,
    characters where they are not (Khmer, Thai)."""
    return "13a" if languages.get(tgt).spaced else "char"


def mt_scores(hypotheses: Sequence[str], references: Sequence[str], tgt: str) -> dict[str, dict[str, Any]]:
    """Corpus BLEU, chrF++ (``word_order=2``) and TER, each with its sacrebleu signature."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    out = {}
    for name, metric in (
        ("bleu", BLEU(tokenize=bleu_tokenizer(tgt))),
        ("chrf++", CHRF(word_order=2)),
        ("ter", TER()),
    ):
        score = metric.corpus_score(list(hypotheses), [list(references)])
        out[name] = {"score": round(score.score, 4), "signature": str(metric.get_signature())}
    return out


def term_scores(
    hypotheses: Sequence[str],
    references: Sequence[str],
    glossary: Glossary,
    tgt: str,
    *,
    sources: Sequence[str] | None = None,
    src: str | None = None,
) -> dict[str, Any]:
    """Exact-match term accuracy and the share of segments with every required term."""
    target = languages.get(tgt)
    if sources is not None:
        if src is None:
            raise InputError("term accuracy from a source file needs the source language (--src)")
        index = glossary.direction(src, tgt)
        required = [[(m.text, m.entry) for m in index.find(s)] for s in sources]
        mode = "source"
    else:
        entries = glossary.targets(tgt)
        keyed = [(e, [target.key(f) for f in e.accepted]) for e in entries]
        required = []
        for ref in references:
            ref_key = target.key(ref)
            required.append([(e.target, e) for e, keys in keyed if any(contains(ref_key, k, target) for k in keys)])
        mode = "reference"
    total = found = with_terms = all_found = 0
    for hyp, needed in zip(hypotheses, required, strict=True):
        if not needed:
            continue
        checks = check_terms(hyp, needed, target)
        with_terms += 1
        total += len(checks)
        hits = sum(c.found for c in checks)
        found += hits
        all_found += hits == len(checks)
    version = glossary.version(src if sources is not None else None, tgt)
    return {
        "accuracy": round(found / total, 4) if total else None,
        "segments_all_terms": round(all_found / with_terms, 4) if with_terms else None,
        "required": total,
        "found": found,
        "segments_with_terms": with_terms,
        "signature": f"terms:exact-key|required:{mode}|glossary:{len(glossary)}@{version}|version:{__version__}",
    }


def evaluate_files(
    ref: str | Path,
    hyp: str | Path,
    *,
    tgt: str | None = None,
    glossary: Glossary | None = None,
    source: str | Path | None = None,
    src: str | None = None,
) -> dict[str, Any]:
    """Scores for line-aligned files; ``tgt`` is identified from the reference if not given."""
    references, hypotheses = read_lines(ref), read_lines(hyp)
    if len(references) != len(hypotheses):
        raise InputError(
            f"{len(hypotheses)} hypothesis lines but {len(references)} reference lines; files must be line-aligned",
            path=str(hyp),
        )
    sources = read_lines(source) if source is not None else None
    if sources is not None and len(sources) != len(references):
        raise InputError(f"{len(sources)} source lines but {len(references)} reference lines", path=str(source))
    if tgt is None:
        tgt = languages.identify(" ".join(references[:200]))
        if tgt is None:
            raise InputError("cannot tell the reference's language; give --tgt", path=str(ref))
    else:
        _known(tgt)
    if src is not None:
        _known(src)
    elif sources is not None:
        src = languages.identify(" ".join(sources[:200]))
    result: dict[str, Any] = {"segments": len(references), "tgt": tgt, **mt_scores(hypotheses, references, tgt)}
    if glossary is not None:
        result["terms"] = term_scores(hypotheses, references, glossary, tgt, sources=sources, src=src)
    return result


def _known(code: str) -> None:
    try:
        languages.get(code)
    except TermalignError as exc:
        raise InputError(exc.message) from None
