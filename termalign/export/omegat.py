"""OmegaT's tab-separated glossary: ``source⇥target⇥comment``, one language pair per file.

OmegaT reads a ``.txt`` (encoding detected; a UTF-8 BOM makes it certain) or ``.utf8`` file
from a project's ``glossary/`` folder. Each line pairs one source term with one target term;
lines starting with ``#`` are comments. What a concept becomes:

* every source term (preferred, admitted and deprecated: a deprecated source term still occurs
  in source texts) × every target term that may be used (preferred, then admitted);
* a deprecated target term is never offered as a translation: the comment says
  ``do not use: …``;
* the comment also carries ``unreviewed`` (when proposals are included), the subject field,
  and a note that the source term is deprecated.

This is not a spreadsheet format: cells are written as they are (no formula neutralization).
A source term starting with ``#`` would read as a comment line and is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from termalign import __version__
from termalign.export.base import export_terms, text_of
from termalign.store.concepts import Concept

SUFFIXES = (".txt", ".utf8")
UNREVIEWED_FLAG = "unreviewed"


def pairs(concept: Concept, source: str, target: str) -> list[tuple[str, str, str]]:
    """The (source term, target term, comment) lines of one concept."""
    by_lang = dict(export_terms(concept))
    sources = by_lang.get(source, [])
    usable = [t for t in by_lang.get(target, []) if t.status != "deprecated"]
    forbidden = [t.text for t in by_lang.get(target, []) if t.status == "deprecated"]
    shared = []
    if concept.status == "unreviewed":
        shared.append(UNREVIEWED_FLAG)
    if text_of(concept.subject_field):
        shared.append(text_of(concept.subject_field))
    if forbidden:
        shared.append("do not use: " + ", ".join(text_of(t) for t in forbidden))
    lines = []
    for src in sources:
        text = text_of(src.text)
        if text.startswith("#"):
            continue
        notes = [*shared, "deprecated source term"] if src.status == "deprecated" else shared
        for tgt in usable:
            lines.append((text, text_of(tgt.text), "; ".join(notes)))
    return lines


def write_glossary(concepts: Iterable[Concept], out: TextIO, *, source: str, target: str) -> int:
    """Write the ``source``→``target`` glossary; returns the number of concepts with a line."""
    out.write(f"# termalign {__version__}: glossary {source} → {target} (OmegaT: source, target, comment)\n")
    count = 0
    for concept in concepts:
        lines = pairs(concept, source, target)
        for line in lines:
            out.write("\t".join(line) + "\n")
        count += bool(lines)
    return count
