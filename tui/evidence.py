"""Evidence a person can read: one line per piece of evidence, grouped by signal.

Alignment stores each signal's findings as a JSON ``detail`` (glossary pieces, skeletons,
cosines). A reviewer needs one sentence per finding — ``glossary: ឌីជីថល = digital
(termalign-curated)`` — not the dump, and one line where the store holds near-duplicates
(the same term composed with two glosses of one piece). Each signal is one :class:`Signal`
with its own describer; a signal this module does not know is shown by its fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PureWindowsPath

from termalign import lang as languages
from termalign.store.concepts import Evidence


@dataclass(frozen=True)
class Signal:
    """How one alignment signal is shown: its code in the table, its name, what it means."""

    code: str
    label: str
    meaning: str
    describe: Callable[[dict], str]


@dataclass(frozen=True)
class EvidenceLine:
    """One readable finding: its signal, best score, language pair and text."""

    signal: Signal
    score: float
    pair: str
    text: str


def _pieces(detail: dict) -> str:
    """`` (termalign-curated: ការ+ផ្លាស់ប្តូរ+ឌីជីថល)``: where the glosses come from, then the
    parts (the least needed, so last where a narrow pane cuts the line)."""
    pieces = [p for p in detail.get("pieces") or [] if p]
    names = sorted({str(p[2]).removeprefix("base:") for p in pieces if len(p) > 2 and p[2] and p[2] != "nominalizer"})
    parts = "+".join(str(p[0]) for p in pieces) if len(pieces) > 1 else ""
    inside = ": ".join(x for x in (", ".join(names), parts) if x)
    return f" ({inside})" if inside else ""


def _gloss(detail: dict) -> str:
    if "entry" in detail:
        return str(detail["entry"]) + _source(detail)
    term = detail.get("term", "")
    return f"{term} = {detail.get('gloss', '?')}{_pieces(detail)}{_source(detail)}"


def _source(detail: dict) -> str:
    return f" ({detail['source']})" if detail.get("source") else ""


def _pair_of(detail: dict) -> str:
    """``ការ ~ การ``: the terms a detail names by language code, in registry order."""
    return " ~ ".join(str(detail[code]) for code in languages.CODES if code in detail) or "?"


def _documents(detail: dict) -> str:
    """``  in a_km.txt ~ a_th.txt``: the linked articles (same story) the two terms occur in."""
    # PureWindowsPath takes the name after either separator, wherever the store was built.
    names = [PureWindowsPath(str(p)).name for p in detail.get("documents") or []]
    return f"  in {' ~ '.join(names)}" if names else ""


def _cognate(detail: dict) -> str:
    extra = [f"skeleton {detail['skeleton']}"] if detail.get("skeleton") else []
    if "similarity" in detail:
        extra.append(f"similarity {float(detail['similarity']):.2f}")
    return _pair_of(detail) + (f"  {', '.join(extra)}" if extra else "") + _documents(detail)


def _contexts(detail: dict) -> str:
    langs = [k for k in detail if k not in {"cosine", "documents"}]
    pair = " ~ ".join(str(detail[k]) for k in langs)
    cosine = f"  cosine {float(detail['cosine']):.2f}" if "cosine" in detail else ""
    return pair + cosine + _documents(detail)


def _mt(detail: dict) -> str:
    rank = f"  (rank {detail['rank']})" if "rank" in detail else ""
    return f"{detail.get('hyp') or detail.get('text') or '?'}{rank}{_source(detail)}"


def _anchor(detail: dict) -> str:
    return str(detail.get("token") or detail.get("text") or "?")


def _calibration(detail: dict) -> str:
    """``score 0.62 (the rule's 0.80), refit on 57 decisions, 31 approved``."""
    try:
        return (
            f"score {float(detail['score']):.2f} (the rule's {float(detail['raw']):.2f}), "
            f"refit on {int(detail['decisions'])} decisions, {int(detail['approved'])} approved"
        )
    except (KeyError, TypeError, ValueError):
        return _fields(detail)


def _fields(detail: dict) -> str:
    def show(value: object) -> str:
        if isinstance(value, list | tuple):
            return "+".join(show(v) for v in value)
        return str(value)

    return ", ".join(f"{k} {show(v)}" for k, v in sorted(detail.items()))


SIGNALS: dict[str, Signal] = {
    s.code: s
    for s in (
        Signal("lex", "glossary", "a glossary or lexicon entry translates the term", _gloss),
        Signal("glo", "gloss in text", "an article explains the term in another language, e.g. in brackets", _gloss),
        Signal("com", "composed", "the term's parts, translated by the glossary, make the other term", _gloss),
        Signal("ind", "induced", "word pairs learned from parallel text (NTREX, FLORES) translate the term", _gloss),
        Signal("loa", "loanword", "a part is an English word written in Khmer or Thai letters", _gloss),
        Signal("cog", "cognate", "the Khmer and Thai words share their consonants (Pali/Sanskrit loans)", _cognate),
        Signal("dis", "same contexts", "the terms occur among words that translate each other", _contexts),
        Signal("anc", "same token", "the same name, acronym or number stands in both", _anchor),
        Signal("mt", "MT", "a translation model turns one term into the other", _mt),
        Signal("cal", "calibrated", "the score refit on reviewers' decisions: the share of such proposals approved",
               _calibration),
    )
}


def signal(name: str) -> Signal:
    """The :class:`Signal` of a stored signal name (``lexicon``, ``compositional``…); the
    table shows its first three letters."""
    code = name[:3]
    return SIGNALS.get(code) or Signal(code, name, "", _fields)


def readable(evidence: Iterable[Evidence]) -> list[list[EvidenceLine]]:
    """The evidence as groups of lines, one group per signal (best group first), one line
    per distinct finding (near-duplicates merged: their glosses joined, best score kept)."""
    merged: dict[tuple[str, str, str], EvidenceLine] = {}
    glosses: dict[tuple[str, str, str], list[str]] = {}
    for e in evidence:
        sig = signal(e.signal)
        pair = f"{e.lang_a}–{e.lang_b}" if e.lang_a and e.lang_b else (e.lang_a or "")
        detail = e.detail if isinstance(e.detail, dict) else {"value": e.detail}
        # one finding per (signal, pair, term): a term composed twice is one line
        item = str(detail.get("term") or sig.describe(detail))
        key = (sig.code, pair, item)
        if "term" in detail and "gloss" in detail:
            seen = glosses.setdefault(key, [])
            if str(detail["gloss"]) not in seen:
                seen.append(str(detail["gloss"]))
            detail = {**detail, "gloss": " / ".join(seen)}
        text = sig.describe(detail)
        best = max(e.score, merged[key].score) if key in merged else e.score
        merged[key] = EvidenceLine(sig, best, pair, text)
    groups: dict[str, list[EvidenceLine]] = {}
    for line in merged.values():
        groups.setdefault(line.signal.code, []).append(line)
    ordered = [sorted(lines, key=lambda x: -x.score) for lines in groups.values()]
    return sorted(ordered, key=lambda lines: -lines[0].score)


__all__ = ["SIGNALS", "EvidenceLine", "Signal", "readable", "signal"]
