"""The validators themselves: official samples pass or fail as their authors intend, and the
Schematron implementation (SchXslt2 on Saxon) follows Schematron's semantics."""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import etree

from .tbx_validation import (
    compile_schematron,
    findings,
    relaxng_errors,
    schematron_findings,
    svrl_report,
    tbx_basic_errors,
)

DCT = ("basic-dct", "basic-module", "min-module")


def findings_by_message(path, schema="basic-dca") -> Counter:
    return Counter(f.message.split(":")[0] for f in schematron_findings(path, schema))


def test_official_dca_sample_is_valid(tbx_data):
    path = tbx_data / "Example_Astronomy_DCA_VALID.tbx"
    assert relaxng_errors(path, "core") == []
    assert relaxng_errors(path, "basic-integrated") == []
    assert schematron_findings(path, "basic-dca") == []


def test_official_dct_sample_is_valid(tbx_data):
    path = tbx_data / "Example_Astronomy_DCT_VALID.tbx"
    assert relaxng_errors(path, "core") == []
    for schema in DCT:
        assert schematron_findings(path, schema) == [], schema


def test_dca_and_dct_rules_reject_the_other_style(tbx_data):
    dca = schematron_findings(tbx_data / "Example_Astronomy_DCT_VALID.tbx", "basic-dca")
    assert any("DCT style elements are not permitted" in f.message for f in dca)
    dct = schematron_findings(tbx_data / "Example_Astronomy_DCA_VALID.tbx", "basic-dct")
    assert any("should be declared as 'dct'" in f.message for f in dct)


def test_basic_bad_is_rejected_with_the_errors_it_announces(tbx_data):
    good = findings_by_message(tbx_data / "basic_good.tbx")
    bad = findings_by_message(tbx_data / "basic_bad.tbx")
    # basic_good predates v1.2.1: only its usageStatus term notes are flagged.
    assert set(good) == {"Permitted type value(s)"}
    assert good["Permitted type value(s)"] == 32
    new = bad - good
    assert new["Permitted type value(s)"] == 2  # transac theWrongType, transacNote wrongType
    assert new["/partOfSpeech/ type may be"] == 1  # "nominal"
    assert new["/definition/ may only appear at level(s)"] == 1  # definition inside termSec
    assert tbx_basic_errors(tbx_data / "basic_bad.tbx") != []


def test_core_structure_files(tbx_data):
    assert relaxng_errors(tbx_data / "core_structure_good.tbx", "core") == []
    errors = relaxng_errors(tbx_data / "core_structure_bad.tbx", "core")
    assert any("sourceDesc" in e for e in errors)
    assert any("admin" in e for e in errors)


def test_poorly_formed_file_is_not_xml(tbx_data):
    with pytest.raises(etree.XMLSyntaxError):
        relaxng_errors(tbx_data / "poorly_formed_xml.tbx")


SCH = "http://purl.oclc.org/dsdl/schematron"


def sch(body: str) -> bytes:
    return f'<schema xmlns="{SCH}" queryBinding="xslt2"><ns prefix="x" uri="urn:x"/>{body}</schema>'.encode()


def run(schema_xml: bytes, doc: str) -> list:
    """Compile a Schematron given as bytes with SchXslt2 and run it on ``doc`` with Saxon."""
    report = findings(svrl_report(doc.encode(), compile_schematron(schema_xml.decode())))
    return [(f.kind, f.message, f.location) for f in report]


DOC = '<x:r xmlns:x="urn:x"><x:a n="1">one</x:a><x:a n="2">two</x:a><x:b/></x:r>'


def test_first_matching_rule_of_a_pattern_wins():
    schema = sch(
        '<pattern><rule context="x:a[@n=\'1\']"><assert test="false()">first</assert></rule>'
        '<rule context="x:a"><assert test="false()">second <value-of select="@n"/></assert></rule></pattern>'
        '<pattern><rule context="x:a"><report test="@n = \'1\'">other pattern sees <name/></report></rule></pattern>'
    )
    out = run(schema, DOC)
    # Schematron fixes no order of the report: compare as a set.
    assert sorted((k, m, loc) for k, m, loc in out) == [
        ("failed-assert", "first", "/Q{urn:x}r[1]/Q{urn:x}a[1]"),
        ("failed-assert", "second 2", "/Q{urn:x}r[1]/Q{urn:x}a[2]"),
        ("successful-report", "other pattern sees x:a", "/Q{urn:x}r[1]/Q{urn:x}a[1]"),
    ]


def test_attribute_contexts_lets_and_xpath2():
    schema = sch(
        '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/><let name="limit" value="1"/>'
        '<pattern><rule context="x:a/@n"><let name="v" value="xs:integer(.)"/>'
        '<assert test="$v le $limit">n=<value-of select="."/> too big</assert></rule>'
        '<rule context="x:b"><assert test="matches(string(.), \'^.+$\')">empty b</assert></rule></pattern>'
    )
    assert [m for _, m, _ in run(schema, DOC)] == ["n=2 too big", "empty b"]


def test_abstract_rules_and_patterns():
    schema = sch(
        '<pattern abstract="true" id="has"><rule context="$el"><assert test="$cond">missing in <name/></assert></rule></pattern>'
        '<pattern is-a="has" id="b-has-text"><param name="el" value="x:b"/><param name="cond" value="string(.)"/></pattern>'
        '<pattern><rule abstract="true" id="texty"><assert test="string-length(.) gt 3">short</assert></rule>'
        '<rule context="x:a"><extends rule="texty"/></rule></pattern>'
    )
    assert sorted(m for _, m, _ in run(schema, DOC)) == ["missing in x:b", "short", "short"]
