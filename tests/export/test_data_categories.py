"""Part of speech, definitions and term types carried both ways (TBX v3, v2, CSV/TSV), and
language tags checked against BCP 47."""

from __future__ import annotations

import pytest
from lxml import etree

from termalign.errors import FormatError
from termalign.export import export_termbase, import_termbase, read_termbase
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Note, Term, insert_concept, iter_concepts

from .tbx_validation import tbx_basic_errors

CONCEPT = Concept(
    status="approved",
    notes=[Note("definition: a national digital identity"), Note("[km] definition: អត្តសញ្ញាណឌីជីថលជាតិ"),
           Note("[en] VNeID: term type: acronym"), Note("[en] Vietnam electronic identification: term type: fullForm")],
    terms=[
        Term("km", "អត្តសញ្ញាណឌីជីថល", "preferred", "noun"), Term("en", "VNeID", "preferred", "PROPN"),
        Term("en", "Vietnam electronic identification", "admitted", "noun"), Term("en", "e-ID", "deprecated", "noun"),
        Term("vi", "định danh điện tử", "preferred", "verb"),
    ],
)


def shape(concepts) -> list:
    return [
        (sorted((t.lang, t.text, t.status, t.pos) for t in c.terms), sorted(n.text for n in c.notes)) for c in concepts
    ]


@pytest.fixture
def store(tmp_path):
    conn = open_store(tmp_path / "cat.db")
    with transaction(conn):
        insert_concept(conn, Concept(**{**CONCEPT.__dict__, "terms": [Term(**t.__dict__) for t in CONCEPT.terms]}))
    yield conn
    conn.close()


@pytest.mark.parametrize(("fmt", "version", "suffix"), [("tbx", 3, "tbx"), ("tbx", 2, "tbx"), ("csv", 3, "csv"),
                                                        ("tsv", 3, "tsv")])
def test_pos_definitions_and_term_types_survive_a_round_trip(fmt, version, suffix, store, tmp_path):
    path = tmp_path / f"out.{suffix}"
    export_termbase(store, path, fmt, tbx_version=version)
    fresh = open_store(tmp_path / "fresh.db")
    import_termbase(fresh, path, reviewer="ana")
    expected = shape(iter_concepts(store))
    if fmt == "tbx":  # TBX carries TBX-Basic's picklist: PROPN is a noun there
        expected = [([(*t[:3], {"PROPN": "noun"}.get(t[3], t[3])) for t in terms], notes) for terms, notes in expected]
    assert shape(iter_concepts(fresh)) == expected
    fresh.close()


def test_tbx_writes_the_tbx_basic_data_categories(store, tmp_path):
    path = tmp_path / "v3.tbx"
    export_termbase(store, path)
    assert tbx_basic_errors(path) == []
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    root = etree.parse(str(path)).getroot()
    entry = root.find(".//t:conceptEntry", ns)
    assert entry.findtext("t:descrip[@type='definition']", namespaces=ns) == "a national digital identity"
    km = entry.find("t:langSec[@xml:lang='km']", {**ns, "xml": "http://www.w3.org/XML/1998/namespace"})
    assert km.findtext("t:descrip[@type='definition']", namespaces=ns) == "អត្តសញ្ញាណឌីជីថលជាតិ"
    types = {ts.findtext("t:term", namespaces=ns): ts.findtext("t:termNote[@type='termType']", namespaces=ns)
             for ts in entry.iter("{urn:iso:std:iso:30042:ed-2}termSec")}
    assert types["VNeID"] == "acronym" and types["Vietnam electronic identification"] == "fullForm"
    pos = [n.text for n in entry.iter("{urn:iso:std:iso:30042:ed-2}termNote") if n.get("type") == "partOfSpeech"]
    assert pos == ["noun", "verb", "noun", "noun", "noun"]  # km, vi, then the English terms
    assert not any("definition:" in (n.text or "") or "term type:" in (n.text or "") for n in entry.iter("{*}note"))


def test_third_party_tbx_definitions_and_term_types_are_imported(tmp_path):
    path = tmp_path / "partner.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body>'
        '<termEntry id="x1"><descrip type="definition">the state online</descrip>'
        '<langSet xml:lang="en"><descripGrp><descrip type="definition">government services online</descrip></descripGrp>'
        '<tig><term>e-government</term><termNote type="partOfSpeech">noun</termNote>'
        '<termNote type="termType">fullForm</termNote></tig>'
        '<tig><term>eGov</term><termNote type="termType">shortForm</termNote></tig></langSet>'
        '<langSet xml:lang="km-KH"><tig><term>រដ្ឋាភិបាលអេឡិចត្រូនិក</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    (concept,) = read_termbase(path)
    assert sorted(n.text for n in concept.notes) == [
        "[en] definition: government services online", "[en] e-government: term type: fullForm",
        "[en] eGov: term type: shortForm", "definition: the state online",
    ]
    assert [(t.lang, t.text, t.pos) for t in concept.terms] == [
        ("en", "e-government", "noun"), ("en", "eGov", None), ("km", "រដ្ឋាភិបាលអេឡិចត្រូនិក", None),
    ]


# Pontoon's TBX exports (pontoon/terminology/utils.py: build_tbx_v2_file, build_tbx_v3_file), one entry each.
PONTOON_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US"><martifHeader><fileDesc><sourceDesc><p>Pontoon</p></sourceDesc></fileDesc>
<encodingDesc><p type="XCSURI">TBXXCSV02.xcs</p></encodingDesc></martifHeader><text><body>
<termEntry id="c12"><descrip type="context">Open the add-ons page</descrip>
<langSet xml:lang="en-US"><ntig><termGrp><term>add-on</term><termNote type="partOfSpeech">noun</termNote></termGrp></ntig>
<descripGrp><descrip type="definition">a program that extends a browser</descrip></descripGrp></langSet>
<langSet xml:lang="km"><ntig><termGrp><term>កម្មវិធីបន្ថែម</term></termGrp></ntig></langSet>
</termEntry></body></text></martif>"""
PONTOON_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc>
<p>Pontoon</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="c12"><langSec xml:lang="en-US"><termSec><term>add-on</term>
<termNote type="partOfSpeech">noun</termNote><descripGrp><descrip type="definition">a program that extends a browser</descrip>
<descrip type="context">Open the add-ons page</descrip></descripGrp></termSec></langSec>
<langSec xml:lang="th"><termSec><term>ส่วนเสริม</term></termSec></langSec></conceptEntry></body></text></tbx>"""


@pytest.mark.parametrize(("content", "other"), [(PONTOON_V2, ("km", "កម្មវិធីបន្ថែម")), (PONTOON_V3, ("th", "ส่วนเสริม"))])
def test_pontoon_exports_import_with_definition_and_part_of_speech(content, other, tmp_path):
    path = tmp_path / "pontoon.tbx"
    path.write_text(content, encoding="utf-8")
    (concept,) = read_termbase(path)
    assert [(t.lang, t.text, t.pos) for t in concept.terms] == [("en", "add-on", "noun"), (*other, None)]
    assert "[en] definition: a program that extends a browser" in [n.text for n in concept.notes]


def test_csv_definition_and_pos_columns_of_other_tools(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_text("en,km,definition,en_pos\ndigital economy,សេដ្ឋកិច្ចឌីជីថល,an economy on networks,noun\n",
                    encoding="utf-8")
    (concept,) = read_termbase(path)
    assert [n.text for n in concept.notes] == ["definition: an economy on networks"]
    assert concept.terms[1].pos == "noun" and concept.terms[1].lang == "en"


# -- language tags -------------------------------------------------------------------------

def tbx_with_lang(tag: str) -> str:
    return (
        '<?xml version="1.0"?>\n<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body><termEntry id="c1">'
        f'<langSet xml:lang="en"><tig><term>tax</term></tig></langSet>\n<langSet xml:lang="{tag}"><tig><term>ពន្ធ</term>'
        "</tig></langSet></termEntry></body></text></martif>"
    )


@pytest.mark.parametrize(("tag", "code"), [("km-KH", "km"), ("km-Khmr-KH", "km"), ("KM", "km"), ("th-TH", "th")])
def test_region_and_script_variants_map_to_the_language(tag, code, tmp_path):
    path = tmp_path / "t.tbx"
    path.write_text(tbx_with_lang(tag), encoding="utf-8")
    (concept,) = read_termbase(path)
    assert concept.terms[1].lang == code


@pytest.mark.parametrize("tag", ["zz", "english", "k", "en--US"])
def test_a_tag_that_is_not_bcp47_is_refused(tag, tmp_path, empty_store):
    path = tmp_path / "t.tbx"
    path.write_text(tbx_with_lang(tag), encoding="utf-8")
    with pytest.raises(FormatError) as info:
        import_termbase(empty_store, path, reviewer="ana")
    assert str(info.value) == f"{path}: line 3: xml:lang {tag!r} is not a valid BCP 47 language tag"


def test_other_valid_languages_are_counted_not_refused(tmp_path):
    path = tmp_path / "t.tbx"
    path.write_text(tbx_with_lang("fr-CA"), encoding="utf-8")
    (concept,) = read_termbase(path)
    assert [t.lang for t in concept.terms] == ["en"]
