"""TBX-Basic: a streaming writer and a safe streaming reader for TBX v3 and TBX v2.

TBX v3 (ISO 30042:2019, namespace ``urn:iso:std:iso:30042:ed-2``) nests
``conceptEntry/langSec/termSec``; TBX v2 (ISO 30042:2008, ``martif``) nests
``termEntry/langSet/tig`` without a namespace. Both carry the same TBX-Basic data categories,
so one :class:`Layout` per version names the elements and everything else is shared.

What a concept becomes::

    <conceptEntry id="c12">                      store id
      <transacGrp> origination + date            created_at
      <transacGrp> modification + date           updated_at
                   + responsibility + note        updated_by (who approved), review status
      <descrip type="subjectField">              subject_field
      <descrip type="definition">                a note "definition: …"
      <note>                                     notes
      <langSec xml:lang="km">                    km th vi en, in that order
        <descrip type="definition">              a note "[km] definition: …"
        <termSec>
          <term>                                 text
          <termNote type="administrativeStatus"> preferred / admitted / deprecated
          <termNote type="partOfSpeech">         pos (mapped onto TBX-Basic's picklist)
          <termNote type="termType">             a note "[km] <term>: term type: acronym"
          <descripGrp> context + admin source    context sentences with their source
          <admin type="source">                  where the term came from

With ``weblate=True`` (TBX v2 only) the file follows Weblate's glossary conventions: a
deprecated term's ``administrativeStatus`` is ``forbidden`` (Weblate's forbidden translation),
and a concept whose terms are the same text in every language it has (``VNeID``) carries
``<descrip type="Translation needed">No</descrip>`` (Weblate's untranslatable term).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO

from lxml import etree

from termalign import __version__
from termalign.errors import FormatError
from termalign.export.base import (
    ADMIN_STATUS,
    TERM_STATUS_OF,
    TERM_TYPES,
    Entry,
    TermbaseReader,
    concept_number,
    date_of,
    definition_note,
    definition_of,
    export_terms,
    is_xml_text,
    lang_code,
    letterless,
    pos_value,
    status_from_note,
    status_note,
    term_type_note,
    term_type_of,
    text_of,
)
from termalign.store.concepts import Concept, Context, Note, Term

NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
#: Namespaces of DCT-style TBX v3 (data categories as elements, ``<min:partOfSpeech>``).
DCT_NAMESPACES = ("http://www.tbxinfo.net/ns/min", "http://www.tbxinfo.net/ns/basic")

#: Dialects whose data categories termalign understands (TBX-Min and TBX-Core are subsets).
V3_DIALECTS = ("TBX-Basic", "TBX-Min", "TBX-Core")
V2_DIALECTS = ("TBX-Basic", "TBX", "TBX-Default", "TBX-Min")


@dataclass(frozen=True)
class Layout:
    """The element names of one TBX version."""

    version: int
    root: str
    header: str
    entry: str
    lang_sec: str
    term_sec: str


V3 = Layout(3, "tbx", "tbxHeader", "conceptEntry", "langSec", "termSec")
V2 = Layout(2, "martif", "martifHeader", "termEntry", "langSet", "tig")
LAYOUTS = {3: V3, 2: V2}


# -- writing -----------------------------------------------------------------------------
#
# Each entry is written as text, in the bytes lxml's ``xmlfile`` wrote for an indented tree:
# building, indenting and serializing an lxml tree per entry was most of an export's time.
# Tests compare the output byte for byte with an lxml writer.

#: Line breaks with the indentation of each level of the document (two spaces a level).
_LEVEL = tuple("\n" + "  " * level for level in range(8))
#: Levels inside ``<text><body>``: entries, their children, and three levels below.
_ENTRY, _IN_ENTRY, _IN_LANG, _IN_TERM, _IN_GROUP = _LEVEL[3:8]
#: Entries joined into one write to the output.
ENTRIES_PER_WRITE = 256


def _escape(text: str) -> str:
    """Character content as libxml2 writes it. ``text`` has passed through :func:`text_of`:
    it holds no carriage return nor any character XML cannot carry."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _checked(text: str) -> str:
    """Content that has not passed through :func:`text_of` (a review status, the file's
    description): refused as lxml refuses it when XML cannot carry it, escaped as libxml2
    escapes it."""
    if not is_xml_text(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return _escape(text).replace("\r", "&#13;")


def _transaction(add, kind: str, date: str | None, who: str | None, note: str | None) -> None:
    add(f"{_IN_ENTRY}<transacGrp>{_IN_LANG}<transac type=\"transactionType\">{kind}</transac>")
    if day := date_of(date):
        add(f"{_IN_LANG}<date>{day}</date>")
    if who := text_of(who):
        add(f"{_IN_LANG}<transacNote type=\"responsibility\">{_escape(who)}</transacNote>")
    if note:
        add(f"{_IN_LANG}<note>{note}</note>")
    add(f"{_IN_ENTRY}</transacGrp>")


#: Weblate's ``administrativeStatus`` for a forbidden translation.
WEBLATE_FORBIDDEN = "forbidden"


def _untranslatable(languages: list[tuple[str, list[Term]]]) -> bool:
    """True when every language of the concept has the same single usable text (``VNeID``)."""
    texts = {text_of(t.text) for _, terms in languages for t in terms if t.status != "deprecated"}
    return len(languages) > 1 and len(texts) == 1


def entry_xml(concept: Concept, layout: Layout = V3, *, weblate: bool = False) -> str | None:
    """The TBX entry of one concept as XML, indented for its place in the document (inside
    ``<text><body>``) and without namespace (the document's default applies); ``None`` when
    the concept has no term a file can carry."""
    languages = export_terms(concept)
    if not languages:
        return None
    parts = [f'<{layout.entry} id="c{concept.id}">']
    add = parts.append
    _transaction(add, "origination", concept.created_at, None, None)
    _transaction(add, "modification", concept.updated_at, concept.updated_by, _checked(status_note(concept.status)))
    if subject := text_of(concept.subject_field):
        add(f'{_IN_ENTRY}<descrip type="subjectField">{_escape(subject)}</descrip>')
    if weblate and _untranslatable(languages):
        add(f'{_IN_ENTRY}<descrip type="Translation needed">No</descrip>')
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
        add(f'{_IN_ENTRY}<descrip type="definition">{_escape(text)}</descrip>')
    for text in notes:
        add(f"{_IN_ENTRY}<note>{_escape(text)}</note>")
    lang_sec, term_sec = layout.lang_sec, layout.term_sec
    for code, terms in languages:
        add(f'{_IN_ENTRY}<{lang_sec} xml:lang="{code}">')
        for text in definitions.get(code, []):
            add(f'{_IN_LANG}<descrip type="definition">{_escape(text)}</descrip>')
        for term in terms:
            text = text_of(term.text)
            status = ADMIN_STATUS.get(term.status, ADMIN_STATUS["admitted"])
            if weblate and term.status == "deprecated":
                status = WEBLATE_FORBIDDEN
            add(
                f"{_IN_LANG}<{term_sec}>{_IN_TERM}<term>{_escape(text)}</term>"
                f'{_IN_TERM}<termNote type="administrativeStatus">{status}</termNote>'
            )
            if pos := pos_value(term.pos):
                add(f'{_IN_TERM}<termNote type="partOfSpeech">{_escape(pos)}</termNote>')
            if (term_type := term_types.get((code, text))):
                add(f'{_IN_TERM}<termNote type="termType">{term_type}</termNote>')
            for context in term.contexts:
                if not (sentence := text_of(context.text)):
                    continue
                if source := text_of(context.source):
                    add(
                        f'{_IN_TERM}<descripGrp>{_IN_GROUP}<descrip type="context">{_escape(sentence)}</descrip>'
                        f'{_IN_GROUP}<admin type="source">{_escape(source)}</admin>{_IN_TERM}</descripGrp>'
                    )
                else:
                    add(f'{_IN_TERM}<descrip type="context">{_escape(sentence)}</descrip>')
            if source := text_of(term.source):
                add(f'{_IN_TERM}<admin type="source">{_escape(source)}</admin>')
            add(f"{_IN_LANG}</{term_sec}>")
        add(f"{_IN_ENTRY}</{lang_sec}>")
    add(f"{_ENTRY}</{layout.entry}>")
    return "".join(parts)


def _header(layout: Layout, description: str) -> str:
    encoding = ""
    if layout.version == 2:
        encoding = (
            f'{_LEVEL[2]}<encodingDesc>{_LEVEL[3]}<p type="XCSURI">TBXBasicXCSV02.xcs</p>{_LEVEL[2]}</encodingDesc>'
        )
    return (
        f"<{layout.header}>{_LEVEL[2]}<fileDesc>{_LEVEL[3]}<sourceDesc>"
        f"{_LEVEL[4]}<p>{_checked(description)}</p>{_LEVEL[3]}</sourceDesc>{_LEVEL[2]}</fileDesc>{encoding}{_LEVEL[1]}</{layout.header}>"
    )


def write_tbx(
    concepts: Iterable[Concept], out: BinaryIO, *, version: int = 3, description: str = "", weblate: bool = False
) -> int:
    """Stream concepts to ``out`` as TBX-Basic; returns how many entries were written.

    Memory stays bounded: entries are written a few hundred at a time. The output depends
    only on the concepts and the arguments, never on the clock.
    """
    layout = LAYOUTS.get(version)
    if layout is None:
        raise FormatError(f"unknown TBX version {version} (termalign writes 3 and 2)")
    if weblate and version != 2:
        raise FormatError("Weblate's conventions are written in TBX v2")
    description = description or f"termalign {__version__}: TBX-Basic, TBX v{version}"
    # "Translation needed" and "forbidden" are not TBX-Basic: a Weblate file is plain TBX.
    dialect = "TBX" if weblate else "TBX-Basic"
    namespace = f' xmlns="{NS}"' if version == 3 else ""
    style = ' style="dca"' if version == 3 else ""
    parts = [
        f"<?xml version='1.0' encoding='UTF-8'?>\n<{layout.root}{namespace} type=\"{dialect}\"{style} xml:lang=\"en\">"
        f"{_LEVEL[1]}{_header(layout, description)}{_LEVEL[1]}<text>"
    ]
    count = 0
    for concept in concepts:
        entry = entry_xml(concept, layout, weblate=weblate)
        if entry is None:
            continue
        if not count:
            parts.append(f"{_LEVEL[2]}<body>")
        parts.append(_ENTRY)
        parts.append(entry)
        count += 1
        if len(parts) >= 2 * ENTRIES_PER_WRITE:
            out.write("".join(parts).encode())
            parts.clear()
    if count:
        parts.append(f"{_LEVEL[2]}</body>")
    parts.append(f"{_LEVEL[1]}</text>\n</{layout.root}>\n")
    out.write("".join(parts).encode())
    return count


# -- reading -----------------------------------------------------------------------------

@cache
def _split(tag) -> tuple[str | None, str]:
    """(namespace, local name) of an element's tag (few distinct tags: cached)."""
    if not isinstance(tag, str):  # an entity reference or similar node: no element
        return None, ""
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return None, tag


def _local(el: etree._Element) -> str:
    return _split(el.tag)[1]


def _category(el: etree._Element) -> tuple[str, str]:
    """(element kind, data category) for DCA (``<termNote type="partOfSpeech">``) and DCT
    (``<min:partOfSpeech>``) alike."""
    ns, local = _split(el.tag)
    if ns in DCT_NAMESPACES:
        return "dct", local
    return local, el.get("type", "")


#: ``lang_code`` of the few ``xml:lang`` tags a file has.
_lang_code = cache(lang_code)


def _text(el: etree._Element) -> str:
    if not len(el):
        return text_of(el.text)
    # Inline markup (<hi>, <ph/>, <sc/>) is dropped, its text kept.
    return text_of("".join(el.itertext()))


#: Bytes fed at a time while looking for the root element: small, so that parsing stops at
#: the root's start tag before the content that follows it is parsed.
PROLOG_CHUNK_BYTES = 256

#: lxml parser settings for every file termalign reads: no DTD, no entities, no network.
SAFE_PARSING = {
    "resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
    "remove_comments": True, "remove_pis": True,
}


class TbxReader(TermbaseReader):
    """Reads TBX v3 (DCA or DCT style) and TBX v2 safely.

    No DTD is loaded, no entity expanded, nothing fetched from the network; a DOCTYPE that
    declares entities (the shape of XXE and billion-laughs attacks) is refused outright.
    The file is read twice: the prolog and root first (refused before any content is
    parsed), then the entries as a stream, each dropped once converted.
    """

    version: int | None = None

    def __iter__(self) -> Iterator[Entry]:
        try:
            layout = self._check_root(self._root())
            tag = f"{{{NS}}}{layout.entry}" if layout.version == 3 else layout.entry
            for _, el in etree.iterparse(self.path, events=("end",), tag=tag, **SAFE_PARSING):
                self._check_entities(el)
                entry = self._entry(el, layout)
                if entry is not None:
                    yield entry
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
        except etree.XMLSyntaxError as exc:
            # The first error logged for this file is the cause; the exception's own message
            # can be a consequence ("no element found"), and the log can hold older entries.
            errors = [e for e in exc.error_log.filter_from_errors() if e.filename == self.path]
            message, line = (errors[0].message, errors[0].line) if errors else (exc.msg, exc.lineno)
            where = f"line {line}: " if line else ""
            raise FormatError(f"{where}not well-formed XML: {message}", path=self.path) from None
        except OSError as exc:
            raise FormatError(f"cannot read: {exc.strerror or exc}", path=self.path) from None

    def _root(self) -> etree._Element:
        # A pull parser fed in small pieces stops at the root's start tag, whatever chunk size
        # the installed lxml reads with; its DOCTYPE is then checked before any content counts.
        parser = etree.XMLPullParser(events=("start",), **SAFE_PARSING)
        with open(self.path, "rb") as stream:
            while chunk := stream.read(PROLOG_CHUNK_BYTES):
                try:
                    parser.feed(chunk)
                except etree.XMLSyntaxError:
                    # libxml2 can reject content of the same piece (an entity bomb's reference
                    # right after the root tag) before the event is read; the start event is
                    # kept all the same, and the DOCTYPE check names the attack. With no root
                    # yet, the streaming pass reports the error with its file and line.
                    for _, root in parser.read_events():
                        return root
                    break
                for _, root in parser.read_events():
                    return root
        for _, root in etree.iterparse(self.path, events=("start",), **SAFE_PARSING):
            return root
        raise FormatError("empty file", path=self.path)

    def _fail(self, message: str, el: etree._Element | None = None) -> FormatError:
        where = f"line {el.sourceline}: " if el is not None and el.sourceline else ""
        return FormatError(where + message, path=self.path)

    def _check_root(self, root: etree._Element) -> Layout:
        dtd = root.getroottree().docinfo.internalDTD
        entities = [e.name for e in dtd.iterentities()] if dtd is not None else []
        if entities:
            raise self._fail(
                f"refused: the DOCTYPE declares entities ({', '.join(entities[:3])}"
                f"{', …' if len(entities) > 3 else ''}); termalign never expands entities (XXE, billion laughs)"
            )
        namespace, local = _split(root.tag)
        dialect = root.get("type")
        if local == "tbx":
            if namespace != NS:
                raise self._fail(f"wrong namespace {namespace or '(none)'!r} on <tbx>: TBX v3 uses {NS!r}", root)
            if dialect not in V3_DIALECTS:
                raise self._fail(f"unknown TBX dialect {dialect!r} (termalign reads {', '.join(V3_DIALECTS)})", root)
            self.version = 3
            return V3
        if local == "martif":
            if namespace:
                raise self._fail(f"wrong namespace {namespace!r} on <martif>: TBX v2 has no namespace", root)
            if dialect not in V2_DIALECTS:
                raise self._fail(f"unknown TBX dialect {dialect!r} (termalign reads {', '.join(V2_DIALECTS)})", root)
            self.version = 2
            return V2
        raise self._fail(f"not a TBX file: root element <{local}> (expected <tbx> or <martif>)", root)

    def _check_entities(self, el: etree._Element) -> None:
        # An entity the file does not declare (lxml keeps it as a node when the DOCTYPE names an
        # external DTD it may come from) is never fetched nor kept as text: the file is refused.
        for ref in el.iter(etree.Entity):
            raise self._fail(
                f"refused: entity reference {ref.text} is not declared in the file "
                "(termalign loads no external DTD and expands no entity)",
                ref.getparent(),
            )

    def _ignore(self, category: str) -> None:
        self.stats.ignored_categories[category] += 1

    def _entry(self, el: etree._Element, layout: Layout) -> Entry | None:
        concept = Concept(status=self.default_status, origin="import")
        raw_id = el.get("id", "")
        for child in el:
            kind, cat = _category(child)
            if kind == "transacGrp":
                self._transaction(child, concept)
            elif cat == "subjectField":
                concept.subject_field = _text(child) or None
            elif cat == "definition" and kind in ("descrip", "dct"):
                if text := _text(child):
                    concept.notes.append(Note(definition_note(text)))
            elif kind == "note":
                text = _text(child)
                if text:
                    concept.notes.append(Note(text))
            elif kind == layout.lang_sec:
                self._lang_sec(child, layout, concept)
            elif kind == "descripGrp":
                self._group(child, concept, None)
            else:
                self._ignore(cat or kind)
        if not concept.terms:
            self.stats.skipped_entries += 1
            return None
        return Entry(concept, f"line {el.sourceline}" + (f" ({raw_id})" if raw_id else ""), concept_number(raw_id))

    def _group(
        self, grp: etree._Element, concept: Concept, term: Term | None, entry_level: bool = True,
        code: str | None = None,
    ) -> None:
        """A descripGrp: subject field or definition at entry level, definition at language
        level, context (+ source) at term level."""
        items = [(_category(c), c) for c in grp]
        for (kind, cat), child in items:
            if cat == "subjectField" and term is None and entry_level:
                concept.subject_field = _text(child) or None
            elif cat == "definition":
                # Pontoon's TBX v3 puts a term's definition in its termSec: kept for the language.
                where = term.lang if term is not None else None if entry_level else code
                if text := _text(child):
                    concept.notes.append(Note(definition_note(text, where)))
            elif cat == "context" and term is not None:
                source = next((_text(c) for (k, s), c in items if s == "source"), None)
                if context := _text(child):
                    term.contexts.append(Context(context, source or None))
            elif cat != "source":
                self._ignore(cat or kind)

    def _transaction(self, grp: etree._Element, concept: Concept) -> None:
        kind = date = who = None
        for child in grp:
            local, cat = _category(child)
            if cat == "transactionType":
                kind = _text(child)
            elif local == "date":
                date = _text(child)
            elif cat == "responsibility":
                who = _text(child)
            elif local == "note" and (status := status_from_note(_text(child))):
                concept.status = status
        # A date that is not an xsd:date(Time) is dropped (the store then stamps the import).
        date = date if date_of(date) else None
        if kind in ("origination", "creation"):
            concept.created_at = date or concept.created_at
        elif kind == "modification":
            concept.updated_at = date or concept.updated_at
            concept.updated_by = who or concept.updated_by

    def _lang_sec(self, lang_sec: etree._Element, layout: Layout, concept: Concept) -> None:
        tag = lang_sec.get(XML_LANG)
        if not tag:
            raise self._fail(f"<{layout.lang_sec}> without xml:lang", lang_sec)
        try:
            code = _lang_code(tag)
        except ValueError:
            raise self._fail(f"xml:lang {tag!r} is not a valid BCP 47 language tag", lang_sec) from None
        if code is None:
            self.stats.ignored_languages[tag] += sum(_local(c) in (layout.term_sec, "ntig") for c in lang_sec)
            return
        for child in lang_sec:
            kind, cat = _category(child)
            if kind in (layout.term_sec, "ntig"):
                term = self._term(child, code, concept)
                if term is not None:
                    concept.terms.append(term)
            elif kind == "note" and (text := _text(child)):
                concept.notes.append(Note(f"[{code}] {text}"))
            elif cat == "definition" and kind in ("descrip", "dct"):
                if text := _text(child):
                    concept.notes.append(Note(definition_note(text, code)))
            elif kind == "descripGrp":
                self._group(child, concept, None, entry_level=False, code=code)
            elif kind != "transacGrp":
                self._ignore(cat or kind)

    def _term(self, term_sec: etree._Element, code: str, concept: Concept) -> Term | None:
        # (namespace, local name, element) of the children; TBX v2's ntig wraps term and
        # termNotes in a termGrp, flattened here.
        children: list[tuple[str | None, str, etree._Element]] = []
        for c in term_sec:
            ns, local = _split(c.tag)
            if local == "termGrp":
                children.extend((*_split(g.tag), g) for g in c)
            else:
                children.append((ns, local, c))
        term_el = next((el for _, local, el in children if local == "term"), None)
        text = _text(term_el) if term_el is not None else ""
        if not text:
            return None
        if letterless(text):
            raise self._fail(f"{code} term {text!r} has no letter (a number or a formula is not a term)", term_el)
        term = Term(code, text, "admitted")
        for ns, local, child in children:
            kind, cat = ("dct", local) if ns in DCT_NAMESPACES else (local, child.get("type", ""))
            if kind == "term":
                continue
            if cat in ("administrativeStatus", "usageStatus"):
                term.status = TERM_STATUS_OF.get(_text(child).lower(), term.status)
            elif cat == "partOfSpeech":
                term.pos = _text(child) or None
            elif cat == "termType" and (term_type := _text(child)) in TERM_TYPES:
                concept.notes.append(Note(term_type_note(code, text, term_type)))
            elif cat == "context":
                if context := _text(child):
                    term.contexts.append(Context(context))
            elif kind == "descripGrp":
                self._group(child, concept, term)
            elif cat == "source" and kind in ("admin", "dct"):
                term.source = _text(child) or None
            elif kind == "note" and (note := _text(child)):
                concept.notes.append(Note(f"[{code}] {text}: {note}"))
            elif kind != "transacGrp":
                self._ignore(cat or kind)
        return term
