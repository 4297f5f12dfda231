"""Placeholders: what must pass through translation unchanged or as the glossary says.

Latin-script anchors (VNeID, Lang Son, 4.0), numbers and glossary terms can be *masked*: cut
out of the source and replaced by a placeholder token the model has never seen, so that it
reaches the model as ``<unk>``. A model that copies unknown tokens emits ``<unk>`` where
the placeholder belongs; the decoder's attention says which placeholder each ``<unk>`` copies,
and the placeholder is filled with the anchor itself or the approved target term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from termalign.lang import Language, Span

#: Anchors in a language written in another script: runs of Latin letters and digits.
_FOREIGN_LATIN_RE = re.compile(
    r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.'&/\-]*"
    r"(?:[ ]+[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.'&/\-]*)*"
)
#: Numbers in any script (Khmer ០-៩, Thai ๐-๙, ASCII), with inner separators.
_NUMBER_RE = re.compile(r"\d+(?:[.,:/]\d+)*%?")
#: Anchors in a Latin-script language: acronyms and mixed-case names (VNeID, OCOP, GovTech).
_ACRONYM_RE = re.compile(r"(?<!\w)(?:[A-Z][a-z]*[A-Z][A-Za-z0-9]*|[A-Z]{2,}[0-9]*)(?!\w)")


@dataclass(frozen=True)
class Mask:
    """A span of the source replaced by ``token`` and filled in the target with ``target``."""

    start: int
    end: int
    token: str
    target: str
    kind: str  # "term" | "anchor"


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits (``២០២២`` → ``2022``)."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


def find_anchors(text: str, language: Language) -> list[Span]:
    """Spans of ``text`` that every language writes alike: numbers, and Latin-script names
    (in a language of another script) or acronyms (in a Latin-script language)."""
    # ``spaced`` marks the Latin-script languages, as in ``Language.tokenize``.
    pattern = _ACRONYM_RE if language.spaced else _FOREIGN_LATIN_RE
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    spans += [(m.start(), m.end()) for m in _NUMBER_RE.finditer(text)]
    spans = [_strip_span(text, s, e) for s, e in spans]
    return _non_overlapping([s for s in spans if s[1] > s[0]])


def _strip_span(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1] in ".,'-/&":
        end -= 1
    return start, end


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Longest first, then left to right; overlaps dropped."""
    chosen: list[Span] = []
    for s, e in sorted(spans, key=lambda sp: (-(sp[1] - sp[0]), sp[0])):
        if all(e <= cs or s >= ce for cs, ce in chosen):
            chosen.append((s, e))
    return sorted(chosen)


def placeholder(kind: str, index: int, vocabulary: frozenset[str] | set[str]) -> str:
    """A placeholder token outside the model's vocabulary (so it reaches the model as ``<unk>``)."""
    for left, right in (("｟", "｠"), ("⟦", "⟧"), ("⦅", "⦆")):
        token = f"{left}{kind[0].upper()}{index}{right}"
        if token not in vocabulary:
            return token
    raise ValueError("no placeholder outside the vocabulary")


def masked_pieces(text: str, masks: Sequence[Mask], encode: Callable[[str], list[str]]) -> list[str]:
    """Pieces of ``text`` with each masked span replaced by its placeholder token.

    The text between placeholders is encoded chunk by chunk, each chunk stripped.
    """
    pieces: list[str] = []
    cursor = 0
    for mask in sorted(masks, key=lambda m: m.start):
        chunk = text[cursor : mask.start].strip()
        if chunk:
            pieces.extend(encode(chunk))
        pieces.append(mask.token)
        cursor = mask.end
    chunk = text[cursor:].strip()
    if chunk:
        pieces.extend(encode(chunk))
    return pieces


def assign_unknowns(
    tokens: list[str],
    unk: str,
    source: list[str],
    attention: list[list[float]] | None,
    candidates: Sequence[str] = (),
    framing: set[str | None] | frozenset[str | None] = frozenset(),
) -> list[str]:
    """Replace each ``unk`` in ``tokens`` by a source token, as CTranslate2's
    ``replace_unknowns`` does, but choosing among ``candidates`` (the placeholders) when there
    are any, each used once: the one the decoder attended to most at that step.

    CTranslate2 picks the most attended source token of all, which in a small model is
    often a neighbour of the placeholder. Without candidates an ``unk`` becomes the most
    attended source token other than the ``framing`` tokens (language codes, ``</s>``). An
    ``unk`` with nothing left to copy is dropped.
    """
    if candidates:
        positions = [i for i, t in enumerate(source) if t in candidates]
    else:
        positions = [i for i, t in enumerate(source) if t not in framing]
    used: set[int] = set()
    out: list[str] = []
    for step, token in enumerate(tokens):
        if token != unk:
            out.append(token)
            continue
        free = [p for p in positions if p not in used] if candidates else positions
        if not free:
            continue
        row = attention[step] if attention and step < len(attention) else None
        best = max(free, key=lambda p: row[p] if p < len(row) else 0.0) if row else free[0]
        used.add(best)
        out.append(source[best])
    return out


def fill(
    tokens: list[str],
    masks: Sequence[Mask],
    decode: Callable[[list[str]], str],
    is_piece: Callable[[str], bool],
    spaced: bool,
    word_start: str = "\u2581",
) -> str:
    """Target text from pieces that may hold placeholders and copied source tokens.

    Runs of target pieces are decoded; a placeholder becomes its mask's target text; any
    other token outside the target vocabulary (a source token copied for ``<unk>``) is
    kept as written. A run starts with a space when its first piece carries the
    sentencepiece word mark; a placeholder is set off by spaces in a spaced target
    language, and in others only when it is Latin-script text (a name inside Khmer or Thai).
    """
    by_token = {m.token: m for m in masks}
    parts: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            text = decode(run)
            if parts and run[0].startswith(word_start) and text:
                parts.append(" ")
            parts.append(text)
            run.clear()

    for token in tokens:
        mask = by_token.get(token)
        if mask is None and is_piece(token):
            run.append(token)
            continue
        flush()
        if mask is not None:
            if parts and (spaced or mask.target[:1].isascii()):
                parts.append(" ")
            parts.append(mask.target)
        else:
            if parts and token.startswith(word_start):
                parts.append(" ")
            parts.append(token.replace(word_start, " ").strip())
    flush()
    return re.sub(r" {2,}", " ", "".join(parts)).strip()
