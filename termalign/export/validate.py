"""Validation of TBX files against the official TBX v3 schemas shipped in ``termalign/data/tbx``.

Two layers, as the TBX stewards define them: RELAX NG for structure (lxml) and Schematron for
the dialect's data-category rules. The Schematron files declare ``queryBinding="xslt2"``, which
lxml's ``isoschematron`` (XSLT 1.0) cannot run and whose ISO skeleton is not shipped; this
module compiles them to XSLT 3.0 itself (:func:`compile_schematron`) and runs them with Saxon
(``saxonche``, an optional test dependency).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from termalign.errors import TermalignError

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
#: Namespace of the report the compiled stylesheet writes (a small subset of SVRL).
SVRL = "http://purl.oclc.org/dsdl/svrl"

#: Schemas by name: ``core`` and ``basic-integrated`` are RELAX NG; the rest Schematron.
SCHEMAS = {
    "core": "TBXcoreStructV03.rng",
    "basic-integrated": "TBXcoreStructV03_TBX-Basic_integrated.rng",
    "basic-dca": "TBX-Basic_DCA.sch",
    "basic-dct": "TBX-Basic_DCT.sch",
    "basic-module": "Basic-module.sch",
    "min-module": "Min-module.sch",
}


class SchematronError(TermalignError):
    """A Schematron file uses a construct this compiler does not implement."""


@dataclass(frozen=True)
class Finding:
    """One failed assertion or successful report of a Schematron rule."""

    kind: str  # failed-assert | successful-report
    pattern: str
    test: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.pattern}: {self.test}]"


def schema_path(name: str) -> Path:
    """Path of a shipped schema by its name in :data:`SCHEMAS`."""
    return Path(str(resources.files("termalign") / "data" / "tbx" / SCHEMAS[name]))


def _parse(doc: etree._ElementTree | etree._Element | str | Path | bytes) -> etree._ElementTree:
    if isinstance(doc, etree._ElementTree):
        return doc
    if isinstance(doc, etree._Element):
        return doc.getroottree()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    if isinstance(doc, bytes):
        return etree.ElementTree(etree.fromstring(doc, parser))
    return etree.parse(str(doc), parser)


@cache
def _relaxng(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(schema_path(name))))


def relaxng_errors(doc, schema: str = "core") -> list[str]:
    """RELAX NG errors of ``doc`` (a path, bytes or lxml tree); empty when valid."""
    rng = _relaxng(schema)
    if rng.validate(_parse(doc)):
        return []
    return [f"line {e.line}: {e.message}" for e in rng.error_log]


# -- Schematron -> XSLT ------------------------------------------------------------------

def _sch(tag: str) -> str:
    return f"{{{SCH}}}{tag}"


def _xsl(parent: etree._Element, tag: str, **attrib: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{XSL}}}{tag}", {k.replace("_", "-"): v for k, v in attrib.items()})


def _instantiate(pattern: etree._Element, abstract: dict[str, etree._Element]) -> etree._Element:
    """An ``is-a`` pattern becomes a copy of its abstract pattern with ``$param`` replaced."""
    base = abstract.get(pattern.get("is-a", ""))
    if base is None:
        raise SchematronError(f"pattern {pattern.get('id')!r} is-a unknown abstract pattern {pattern.get('is-a')!r}")
    params = {p.get("name"): p.get("value") for p in pattern.iter(_sch("param"))}
    # Longest names first so that $ab is not replaced by the value of $a.
    names = sorted(params, key=len, reverse=True)
    subst = re.compile("|".join(rf"\${re.escape(n)}\b" for n in names)) if names else None
    out = copy.deepcopy(base)
    out.attrib.pop("abstract", None)
    out.set("id", pattern.get("id", base.get("id", "")))
    if subst is not None:
        for el in out.iter():
            for attr in ("context", "test", "select", "value"):
                if attr in el.attrib:
                    el.set(attr, subst.sub(lambda m: params[m.group()[1:]], el.get(attr)))
    return out


def _message(parent: etree._Element, node: etree._Element) -> None:
    """Copy an assertion's text, turning ``<name/>`` and ``<value-of/>`` into XSLT."""
    if node.text:
        _xsl(parent, "text").text = node.text
    for child in node:
        if child.tag == _sch("name"):
            _xsl(parent, "value-of", select=f"name({child.get('path', '.')})")
        elif child.tag == _sch("value-of"):
            _xsl(parent, "value-of", select=child.get("select"))
        elif isinstance(child.tag, str):
            _message(parent, child)
        if child.tail:
            _xsl(parent, "text").text = child.tail


def compile_schematron(schema: etree._ElementTree | str | Path) -> etree._ElementTree:
    """Compile an ISO Schematron schema to an XSLT 3.0 stylesheet.

    Covered: ``ns``, ``let`` (schema, pattern and rule level), ``pattern``, ``rule``,
    ``assert``, ``report``, ``name``, ``value-of``, abstract rules with ``extends`` and abstract
    patterns with ``is-a``/``param``. As Schematron requires, a node is checked by the first
    rule of a pattern whose context matches it (and by no later rule of that pattern).
    ``phase`` is ignored (every pattern runs); ``include`` and ``diagnostics`` are refused.
    """
    root = _parse(schema).getroot()
    if root.tag != _sch("schema"):
        raise SchematronError(f"not an ISO Schematron schema (root {root.tag})")
    binding = root.get("queryBinding", "xslt")
    if binding not in ("xslt", "xslt2", "xslt3", "xpath2", "xpath31"):
        raise SchematronError(f"unsupported queryBinding {binding!r}")
    for unsupported in ("include", "extends[@href]", "diagnostics"):
        if root.find(f".//{{{SCH}}}{unsupported}") is not None:
            raise SchematronError(f"Schematron <{unsupported}> is not supported by this compiler")

    nsmap = {"xsl": XSL, "svrl": SVRL}
    nsmap.update({ns.get("prefix"): ns.get("uri") for ns in root.findall(_sch("ns"))})
    sheet = etree.Element(f"{{{XSL}}}stylesheet", version="3.0", nsmap=nsmap)
    _xsl(sheet, "output", method="xml", indent="no")
    for let in root.findall(_sch("let")):
        _xsl(sheet, "variable", name=let.get("name"), select=let.get("value"))

    abstract_rules = {r.get("id"): r for r in root.iter(_sch("rule")) if r.get("abstract") == "true"}
    abstract_patterns = {p.get("id"): p for p in root.findall(_sch("pattern")) if p.get("abstract") == "true"}
    patterns = [
        _instantiate(p, abstract_patterns) if p.get("is-a") else p
        for p in root.findall(_sch("pattern"))
        if p.get("abstract") != "true"
    ]

    start = _xsl(sheet, "template", match="/")
    report = etree.SubElement(start, f"{{{SVRL}}}schematron-output")
    for n, pattern in enumerate(patterns):
        mode = f"p{n}"
        pid = pattern.get("id", mode)
        for let in pattern.findall(_sch("let")):
            _xsl(sheet, "variable", name=let.get("name"), select=let.get("value"))
        _xsl(report, "apply-templates", select="/", mode=mode)
        rules = [r for r in pattern.findall(_sch("rule")) if r.get("abstract") != "true"]
        for i, rule in enumerate(rules):
            template = _xsl(sheet, "template", match=rule.get("context"), priority=str(1000 - i), mode=mode)
            for let in rule.findall(_sch("let")):
                _xsl(template, "variable", name=let.get("name"), select=let.get("value"))
            checks = []
            for child in rule:
                if child.tag == _sch("extends"):
                    base = abstract_rules.get(child.get("rule"))
                    if base is None:
                        raise SchematronError(f"rule extends unknown abstract rule {child.get('rule')!r}")
                    checks.extend(c for c in base if c.tag in (_sch("assert"), _sch("report")))
                elif child.tag in (_sch("assert"), _sch("report")):
                    checks.append(child)
            for check in checks:
                is_assert = check.tag == _sch("assert")
                test = check.get("test")
                cond = _xsl(template, "if", test=f"not({test})" if is_assert else test)
                kind = "failed-assert" if is_assert else "successful-report"
                out = etree.SubElement(cond, f"{{{SVRL}}}{kind}", test=test, pattern=pid)
                _xsl(out, "attribute", name="location", select="path(.)")
                _message(etree.SubElement(out, f"{{{SVRL}}}text"), check)
            _xsl(template, "apply-templates", select="@*|node()", mode=mode)
        _xsl(sheet, "template", match="text()", priority="-1", mode=mode)
        fallback = _xsl(sheet, "template", match="/|@*|node()", priority="-2", mode=mode)
        _xsl(fallback, "apply-templates", select="@*|node()", mode=mode)
    return etree.ElementTree(sheet)


@cache
def _saxon():
    try:
        from saxonche import PySaxonProcessor
    except ImportError:  # pragma: no cover - saxonche is a test dependency
        raise TermalignError("Schematron validation needs saxonche (pip install 'termalign[test]')") from None
    return PySaxonProcessor(license=False)


@cache
def _compiled(name: str):
    proc = _saxon()
    xslt = etree.tostring(compile_schematron(schema_path(name)), encoding="unicode")
    return proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=xslt)


def schematron_findings(doc, schema: str = "basic-dca") -> list[Finding]:
    """Failed assertions and successful reports of ``doc`` against a shipped Schematron."""
    proc = _saxon()
    text = etree.tostring(_parse(doc), encoding="unicode")
    result = _compiled(schema).transform_to_string(xdm_node=proc.parse_xml(xml_text=text))
    report = etree.fromstring(result.encode("utf-8"))
    return [
        Finding(
            etree.QName(el).localname, el.get("pattern", ""), el.get("test", ""), el.get("location", ""),
            " ".join("".join(el.itertext()).split()),
        )
        for el in report
    ]


def tbx_basic_errors(doc) -> list[str]:
    """Every error of a TBX-Basic (DCA) file: core RELAX NG, then the dialect's Schematron."""
    tree = _parse(doc)
    return relaxng_errors(tree, "core") + [str(f) for f in schematron_findings(tree, "basic-dca")]
