"""XLIFF 1.2 output, for post-editing in a CAT tool.

XLIFF 1.2 (OASIS, ``urn:oasis:names:tc:xliff:document:1.2``) is the version the widest range
of CAT tools reads (memoQ, Trados, OmegaT through Okapi, Phrase, Weblate/translate-toolkit).
A run writes one ``<xliff>`` document, one ``<file>`` per translated document, streamed: the
root's start tag first, then each ``<file>`` as its document is done, the end tag at the end
(a resumed run cuts the output back to the last finished ``<file>`` and goes on)::

    <xliff version="1.2">
      <file original="DOC ID" source-language="km" target-language="en" datatype="plaintext">
        <header><tool tool-id="termalign" …/><note from="termalign">signature: …</note></header>
        <body>
          <trans-unit id="1">                        one per segment, in order (id: its index + 1)
            <source>…</source>
            <target state="needs-review-translation" state-qualifier="mt-suggestion">…</target>
            <context-group purpose="location">       the segment's line in the document
              <context context-type="linenumber">3</context>
            </context-group>
            <note from="termalign" annotates="target">term note (one per required, do-not-translate
                                                      or forbidden term; issues; the error)</note>
          </trans-unit>

A segment the model could not translate has no ``<target>`` and a note (priority 1) with its
error. Missing required or do-not-translate terms and forbidden terms present are notes of
priority 1, found terms of priority 5. Language codes are BCP 47 (``km``, ``th``, ``vi``, ``en``).
Characters XML 1.0 cannot carry (most C0 controls) are written as U+FFFD.
"""

from __future__ import annotations

import re

import langcodes
from lxml import etree

from termalign.translate.engine import DocumentTranslation, Segment
from termalign.translate.glossary import TermCheck

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
#: The root's start tag: written once, before the first ``<file>``.
HEADER = f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NAMESPACE}" version="1.2">\n'
#: The root's end tag, written when the run stops.
FOOTER = "</xliff>\n"
TOOL_ID = "termalign"
#: XLIFF note priorities (1 highest … 10 lowest): what a post-editor must act on first.
PRIORITY_PROBLEM = "1"
PRIORITY_INFO = "5"

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def language_tag(code: str) -> str:
    """The BCP 47 tag of a language code (``km`` → ``km``; ``zh_Hant`` → ``zh-Hant``)."""
    return langcodes.standardize_tag(code)


def file_element(doc: DocumentTranslation, signature: str | None = None) -> bytes:
    """One document as an XLIFF ``<file>`` element (UTF-8, ending in a newline)."""
    file = etree.Element(
        _q("file"),
        nsmap={None: NAMESPACE},
        original=_text(doc.id),
        datatype="plaintext",
        attrib={"source-language": language_tag(doc.src), "target-language": language_tag(doc.tgt)},
    )
    header = etree.SubElement(file, _q("header"))
    etree.SubElement(header, _q("tool"), attrib={"tool-id": TOOL_ID, "tool-name": "termalign"})
    if signature:
        _note(header, f"signature: {signature}", PRIORITY_INFO)
    body = etree.SubElement(file, _q("body"))
    for segment in doc.segments:
        body.append(trans_unit(segment))
    etree.indent(file, space="  ", level=1)
    return b"  " + etree.tostring(file, encoding="utf-8") + b"\n"


def trans_unit(segment: Segment) -> etree._Element:
    """The ``<trans-unit>`` of one segment with its term notes."""
    unit = etree.Element(_q("trans-unit"), id=str(segment.index + 1))
    etree.SubElement(unit, _q("source")).text = _text(segment.source)
    if segment.error is None:
        target = etree.SubElement(
            unit, _q("target"), state="needs-review-translation", attrib={"state-qualifier": "mt-suggestion"}
        )
        target.text = _text(segment.target)
    group = etree.SubElement(unit, _q("context-group"), purpose="location")
    etree.SubElement(group, _q("context"), attrib={"context-type": "linenumber"}).text = str(segment.line)
    for text, priority in term_notes(segment):
        _note(unit, text, priority, annotates="target")
    return unit


def term_notes(segment: Segment) -> list[tuple[str, str]]:
    """The notes of a segment as (text, priority): its error, each term checked, each
    forbidden term present, each issue."""
    notes: list[tuple[str, str]] = []
    if segment.error is not None:
        notes.append((f"not translated: {segment.error}", PRIORITY_PROBLEM))
    for check in segment.terms:
        notes.append(_term_note(check))
    notes.extend((f"forbidden term present: {form}", PRIORITY_PROBLEM) for form in segment.forbidden)
    notes.extend((f"issue: {issue}", PRIORITY_INFO) for issue in segment.issues)
    return notes


def _term_note(check: TermCheck) -> tuple[str, str]:
    kind = "do-not-translate term" if check.keep else "required term"
    concept = f" (concept {check.concept_id})" if check.concept_id is not None else ""
    if check.found:
        times = f", {check.count} times" if check.count > 1 else ""
        return f"{kind}{concept}: {check.source} → {check.form}: found{times}", PRIORITY_INFO
    return f"{kind}{concept}: {check.source} → {check.target}: missing", PRIORITY_PROBLEM


def _note(parent: etree._Element, text: str, priority: str, annotates: str | None = None) -> None:
    attrib = {"from": TOOL_ID, "priority": priority}
    if annotates:
        attrib["annotates"] = annotates
    etree.SubElement(parent, _q("note"), attrib=attrib).text = _text(text)


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
