"""TBX export: content, validity against the official schemas, determinism, v2."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from termalign.errors import FormatError
from termalign.export import export_termbase, read_termbase
from termalign.export.tbx import NS, entry_xml, write_tbx
from termalign.store.concepts import Concept, Term

from .conftest import add_concepts
from .tbx_validation import relaxng_errors, schematron_findings, tbx_basic_errors

T = {"t": NS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def entry_element(concept: Concept) -> etree._Element | None:
    xml = entry_xml(concept)
    return None if xml is None else etree.fromstring(xml)


def export_bytes(conn, **kw) -> bytes:
    out = io.BytesIO()
    export_termbase(conn, out, "tbx", **kw)
    return out.getvalue()


def test_seed_export_is_valid_tbx_basic(seed_store, tmp_path):
    path = tmp_path / "seed.tbx"
    assert export_termbase(seed_store, path) == 5
    assert relaxng_errors(path, "core") == []
    assert relaxng_errors(path, "basic-integrated") == []
    assert schematron_findings(path, "basic-dca") == []


def test_seed_export_with_proposals_is_valid(seed_store, tmp_path):
    path = tmp_path / "all.tbx"
    assert export_termbase(seed_store, path, include_unreviewed=True) == 6
    assert tbx_basic_errors(path) == []


def test_root_and_languages(seed_store):
    root = etree.fromstring(export_bytes(seed_store))
    assert root.tag == f"{{{NS}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    first = root.find("t:text/t:body/t:conceptEntry", T)
    assert [ls.get(XML_LANG) for ls in first.findall("t:langSec", T)] == ["km", "th", "vi", "en"]


def test_entry_carries_statuses_pos_contexts_provenance(seed_store):
    root = etree.fromstring(export_bytes(seed_store))
    entry = root.find("t:text/t:body/t:conceptEntry", T)
    assert entry.get("id") == "c1"
    assert entry.findtext("t:descrip[@type='subjectField']", namespaces=T) == "e-government"
    assert entry.findtext("t:note", namespaces=T) == "Seen in VOV & Chinhphu.vn <news> articles"
    modification = entry.xpath("t:transacGrp[t:transac='modification']", namespaces=T)[0]
    assert modification.findtext("t:transacNote[@type='responsibility']", namespaces=T) == "sokha"
    assert modification.findtext("t:date", namespaces=T) == "2024-03-02"
    assert modification.findtext("t:note", namespaces=T) == "termalign review status: approved"
    th = entry.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='th']", T)
    statuses = [
        (ts.findtext("t:term", namespaces=T), ts.findtext("t:termNote[@type='administrativeStatus']", namespaces=T))
        for ts in th.findall("t:termSec", T)
    ]
    assert statuses == [
        ("การเปลี่ยนแปลงทางดิจิทัล", "preferredTerm-admn-sts"),
        ("การเปลี่ยนผ่านสู่ดิจิทัล", "admittedTerm-admn-sts"),
        ("ดิจิทัลทรานส์ฟอร์เมชัน", "deprecatedTerm-admn-sts"),
    ]
    km = entry.find("t:langSec/t:termSec", T)
    assert km.findtext("t:termNote[@type='partOfSpeech']", namespaces=T) == "noun"
    group = km.find("t:descripGrp", T)
    assert "ការផ្លាស់ប្តូរឌីជីថល" in group.findtext("t:descrip[@type='context']", namespaces=T)
    assert group.findtext("t:admin[@type='source']", namespaces=T).startswith("seeds/")
    vi = entry.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='vi']/t:termSec", T)
    assert vi.findtext("t:termNote[@type='partOfSpeech']", namespaces=T) == "noun"  # NOUN mapped


def test_only_approved_by_default_never_rejected(seed_store):
    default = etree.fromstring(export_bytes(seed_store))
    everything = etree.fromstring(export_bytes(seed_store, include_unreviewed=True))
    ids = lambda root: [e.get("id") for e in root.iter(f"{{{NS}}}conceptEntry")]
    assert ids(default) == ["c1", "c2", "c3", "c4", "c5"]
    assert ids(everything) == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert b"unreviewed" not in export_bytes(seed_store).split(b"</tbxHeader>")[1]
    assert "termalign review status: unreviewed" in etree.tostring(everything, encoding="unicode")


def test_export_is_deterministic_and_atomic(seed_store, tmp_path):
    a, b = tmp_path / "a.tbx", tmp_path / "b.tbx"
    export_termbase(seed_store, a)
    export_termbase(seed_store, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() == export_bytes(seed_store)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_xml_special_characters_are_escaped_and_valid(empty_store):
    add_concepts(empty_store, [Concept(
        terms=[Term("en", "R&D <pilot> \"one\" 'two'", "preferred"), Term("km", "ក&ខ", "preferred")],
        status="approved", subject_field="A & B",
    )])
    data = export_bytes(empty_store)
    assert b"R&amp;D &lt;pilot&gt;" in data
    assert tbx_basic_errors(data) == []
    (concept,) = read_termbase_bytes(data)
    assert {t.text for t in concept.terms} == {"R&D <pilot> \"one\" 'two'", "ក&ខ"}
    assert concept.subject_field == "A & B"


def read_termbase_bytes(data: bytes, tmp=None):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.tbx"
        path.write_bytes(data)
        return read_termbase(path)


def test_characters_xml_cannot_carry_are_dropped(empty_store):
    add_concepts(empty_store, [Concept(terms=[Term("en", "bad\x00\x0bterm\nwith  spaces", "preferred")], status="approved")])
    (concept,) = read_termbase_bytes(export_bytes(empty_store))
    assert concept.terms[0].text == "badterm with spaces"


def test_concept_without_terms_is_not_written_and_empty_body_is_valid(empty_store):
    assert entry_element(Concept(terms=[Term("en", "  ")])) is None
    out = io.BytesIO()
    assert write_tbx([Concept(terms=[])], out) == 0
    assert b"<body" not in out.getvalue()
    assert relaxng_errors(out.getvalue()) == []


def test_unknown_pos_becomes_other_and_known_tags_map():
    entry = entry_element(Concept(id=1, terms=[
        Term("en", "a", pos="ADJ"), Term("en", "b", pos="weird-tag"), Term("en", "c", pos="VERB"), Term("en", "d"),
    ]))
    pos = [ts.findtext("termNote[@type='partOfSpeech']") for ts in entry.iter("termSec")]
    assert pos == ["adjective", "other", "verb", None]


def test_duplicate_keys_after_normalization_are_written_once():
    # "a\tb" and "a b" differ in the store but are the same term in a file.
    entry = entry_element(Concept(id=1, terms=[Term("en", "a\tb", "preferred"), Term("en", "a b")]))
    assert [t.text for t in entry.iter("term")] == ["a b"]


def test_tbx_v2_martif_structure(seed_store):
    root = etree.fromstring(export_bytes(seed_store, tbx_version=2))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic" and root.get(XML_LANG) == "en"
    assert root.findtext("martifHeader/encodingDesc/p[@type='XCSURI']") == "TBXBasicXCSV02.xcs"
    entries = root.findall("text/body/termEntry")
    assert [e.get("id") for e in entries] == ["c1", "c2", "c3", "c4", "c5"]
    tig = entries[0].find("langSet/tig")
    # TBX v2 core structure: term first, then termNotes, then auxiliary information.
    assert [child.tag for child in tig] == ["term", "termNote", "termNote", "descripGrp", "admin"]
    for entry in entries:
        tags = [child.tag for child in entry]
        first_lang = tags.index("langSet")
        assert all(tag == "langSet" for tag in tags[first_lang:])


def test_tbx_v2_and_v3_read_back_to_the_same_concepts(seed_store, tmp_path):
    export_termbase(seed_store, tmp_path / "v3.tbx", include_unreviewed=True)
    export_termbase(seed_store, tmp_path / "v2.tbx", tbx_version=2, include_unreviewed=True)
    assert read_termbase(tmp_path / "v3.tbx") == read_termbase(tmp_path / "v2.tbx")


def test_unknown_version_and_format_are_errors(seed_store, tmp_path):
    with pytest.raises(FormatError, match="TBX version 4"):
        export_termbase(seed_store, tmp_path / "x.tbx", tbx_version=4)
    with pytest.raises(FormatError, match="unknown file type '.docx'"):
        export_termbase(seed_store, tmp_path / "x.docx")
