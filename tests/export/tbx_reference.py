"""The TBX writer as it stood at commit 00e7495 (an lxml tree per entry, indented, written
with ``xmlfile``), kept frozen: the writer of :mod:`termalign.export.tbx` must produce the
same bytes. Do not change it to follow the writer; a change of the output is a change of the
file format, decided on its own."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import BinaryIO

from lxml import etree

from termalign import __version__
from termalign import lang as languages
from termalign.errors import FormatError
from termalign.export.base import (
    ADMIN_STATUS,
    TERM_STATUS_RANK,
    date_of,
    definition_of,
    pos_value,
    status_note,
    term_type_of,
    text_of,
)
from termalign.export.tbx import LAYOUTS, NS, V3, XML_LANG, Layout
from termalign.store.concepts import Concept, Term


def export_terms(concept: Concept) -> list[tuple[str, list[Term]]]:
    """The terms a file carries, per language in registry order (km th vi en).

    Preferred terms first, then admitted, then deprecated, each in store order. A term whose
    text is empty or whose key repeats one already listed in its language is left out: a
    file can hold each (language, key) of a concept once, as the store does.
    """
    out = []
    for code in languages.CODES:
        ranked = sorted(
            (t for t in concept.terms_in(code) if text_of(t.text)), key=lambda t: TERM_STATUS_RANK.get(t.status, 1)
        )
        if len(ranked) > 1:  # one term cannot repeat a key; skip the (costly) keys then
            key = languages.get(code).key
            seen: set[str] = set()
            unique = []
            for term in ranked:
                k = key(text_of(term.text))
                if k not in seen:
                    seen.add(k)
                    unique.append(term)
            ranked = unique
        if ranked:
            out.append((code, ranked))
    return out


def _sub(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrib)
    el.text = text
    return el


def _transaction(parent: etree._Element, kind: str, date: str | None, who: str | None, note: str | None) -> None:
    grp = etree.SubElement(parent, "transacGrp")
    _sub(grp, "transac", kind, type="transactionType")
    if day := date_of(date):
        _sub(grp, "date", day)
    if text_of(who):
        _sub(grp, "transacNote", text_of(who), type="responsibility")
    if note:
        _sub(grp, "note", note)


#: Weblate's ``administrativeStatus`` for a forbidden translation.
WEBLATE_FORBIDDEN = "forbidden"


def _untranslatable(languages: list[tuple[str, list[Term]]]) -> bool:
    """True when every language of the concept has the same single usable text (``VNeID``)."""
    texts = {text_of(t.text) for _, terms in languages for t in terms if t.status != "deprecated"}
    return len(languages) > 1 and len(texts) == 1


def entry_element(concept: Concept, layout: Layout = V3, *, weblate: bool = False) -> etree._Element | None:
    """The TBX entry of one concept, without namespace (the document's default applies);
    ``None`` when the concept has no term a file can carry."""
    languages = export_terms(concept)
    if not languages:
        return None
    entry = etree.Element(layout.entry, id=f"c{concept.id}")
    _transaction(entry, "origination", concept.created_at, None, None)
    _transaction(entry, "modification", concept.updated_at, concept.updated_by, status_note(concept.status))
    if text_of(concept.subject_field):
        _sub(entry, "descrip", text_of(concept.subject_field), type="subjectField")
    if weblate and _untranslatable(languages):
        _sub(entry, "descrip", "No", type="Translation needed")
    definitions: dict[str | None, list[str]] = {}
    term_types: dict[tuple[str, str], str] = {}
    notes = []
    for note in concept.notes:
        text = text_of(note.text)
        if not text:
            continue
        if (definition := definition_of(text)) is not None:
            definitions.setdefault(definition[0], []).append(definition[1])
        elif (typed := term_type_of(text)) is not None:
            term_types.setdefault((typed[0], typed[1]), typed[2])
        else:
            notes.append(text)
    for text in definitions.get(None, []):
        _sub(entry, "descrip", text, type="definition")
    for text in notes:
        _sub(entry, "note", text)
    for code, terms in languages:
        lang_sec = etree.SubElement(entry, layout.lang_sec, {XML_LANG: code})
        for text in definitions.get(code, []):
            _sub(lang_sec, "descrip", text, type="definition")
        for term in terms:
            term_sec = etree.SubElement(lang_sec, layout.term_sec)
            _sub(term_sec, "term", text_of(term.text))
            status = ADMIN_STATUS.get(term.status, ADMIN_STATUS["admitted"])
            if weblate and term.status == "deprecated":
                status = WEBLATE_FORBIDDEN
            _sub(term_sec, "termNote", status, type="administrativeStatus")
            if pos := pos_value(term.pos):
                _sub(term_sec, "termNote", pos, type="partOfSpeech")
            if term_type := term_types.get((code, text_of(term.text))):
                _sub(term_sec, "termNote", term_type, type="termType")
            for context in term.contexts:
                if not text_of(context.text):
                    continue
                if text_of(context.source):
                    grp = etree.SubElement(term_sec, "descripGrp")
                    _sub(grp, "descrip", text_of(context.text), type="context")
                    _sub(grp, "admin", text_of(context.source), type="source")
                else:
                    _sub(term_sec, "descrip", text_of(context.text), type="context")
            if text_of(term.source):
                _sub(term_sec, "admin", text_of(term.source), type="source")
    return entry


def _header(layout: Layout, description: str) -> etree._Element:
    header = etree.Element(layout.header)
    file_desc = etree.SubElement(header, "fileDesc")
    _sub(etree.SubElement(file_desc, "sourceDesc"), "p", description)
    if layout.version == 2:
        _sub(etree.SubElement(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    return header


def write_tbx(
    concepts: Iterable[Concept], out: BinaryIO, *, version: int = 3, description: str = "", weblate: bool = False
) -> int:
    """Stream concepts to ``out`` as TBX-Basic; returns how many entries were written.

    Memory stays bounded: each entry is built, written and dropped (lxml ``xmlfile``). The
    output depends only on the concepts and the arguments, never on the clock.
    """
    layout = LAYOUTS.get(version)
    if layout is None:
        raise FormatError(f"unknown TBX version {version} (termalign writes 3 and 2)")
    description = description or f"termalign {__version__}: TBX-Basic, TBX v{version}"
    ns = f"{{{NS}}}" if version == 3 else ""
    # "xml:lang" written literally: xmlfile would otherwise bind the xml namespace to a prefix.
    attrib = {"type": "TBX-Basic", "xml:lang": "en"}
    if version == 3:
        attrib = {"type": "TBX-Basic", "style": "dca", "xml:lang": "en"}
    if weblate:  # "Translation needed" and "forbidden" are not TBX-Basic: the file is plain TBX
        attrib["type"] = "TBX"
    if weblate and version != 2:
        raise FormatError("Weblate's conventions are written in TBX v2")
    entries = (e for e in (entry_element(c, layout, weblate=weblate) for c in concepts) if e is not None)
    first = next(entries, None)
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(ns + layout.root, attrib, nsmap={None: NS} if version == 3 else None):
            header = _header(layout, description)
            etree.indent(header, space="  ", level=1)
            xf.write("\n  ", header, "\n  ")
            with xf.element(ns + "text"):
                if first is not None:
                    xf.write("\n    ")
                    with xf.element(ns + "body"):
                        for entry in chain([first], entries):
                            etree.indent(entry, space="  ", level=3)
                            xf.write("\n      ", entry)
                            count += 1
                        xf.write("\n    ")
                xf.write("\n  ")
            xf.write("\n")
    out.write(b"\n")
    return count


