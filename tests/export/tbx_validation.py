"""Validation of TBX files against the official TBX v3 schemas (``tests/data/tbx/schemas``).

Two layers, as the TBX stewards define them: RELAX NG for structure (lxml) and Schematron for
the dialect's data-category rules. The Schematron files declare ``queryBinding="xslt2"``; they
are compiled to XSLT 3.0 by SchXslt2 (``schxslt2/transpile.xsl``, an ISO Schematron
implementation, MIT) and run with Saxon (``saxonche``, a test dependency).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "data" / "tbx" / "schemas"
TRANSPILER = Path(__file__).resolve().parent / "schxslt2" / "transpile.xsl"
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


@dataclass(frozen=True)
class Finding:
    """One failed assertion or successful report of a Schematron rule (from the SVRL report)."""

    kind: str  # failed-assert | successful-report
    pattern: str
    test: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.pattern}: {self.test}]"


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / SCHEMAS[name]


def _parse(doc) -> etree._ElementTree:
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


@cache
def _saxon() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@cache
def _transpiler():
    return _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(TRANSPILER))


def compile_schematron(schema_text: str):
    """The validation stylesheet SchXslt2 makes of a Schematron schema, compiled by Saxon."""
    stylesheet = _transpiler().transform_to_string(xdm_node=_saxon().parse_xml(xml_text=schema_text))
    return _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_text=stylesheet)


@cache
def _validator(name: str):
    return compile_schematron(schema_path(name).read_text(encoding="utf-8-sig"))


def svrl_report(doc, validator) -> etree._Element:
    """The SVRL report of a compiled validation stylesheet on ``doc``."""
    text = etree.tostring(_parse(doc), encoding="unicode")
    result = validator.transform_to_string(xdm_node=_saxon().parse_xml(xml_text=text))
    return etree.fromstring(result.encode("utf-8"))


def findings(report: etree._Element) -> list[Finding]:
    """Failed assertions and successful reports of an SVRL report, in document order."""
    out, pattern = [], ""
    for el in report:
        kind = etree.QName(el).localname
        if kind == "active-pattern":
            pattern = el.get("id") or el.get("name") or ""
        elif kind in ("failed-assert", "successful-report"):
            text = el.find(f"{{{SVRL}}}text")
            message = " ".join("".join(text.itertext()).split()) if text is not None else ""
            out.append(Finding(kind, pattern, el.get("test", ""), el.get("location", ""), message))
    return out


def schematron_findings(doc, schema: str = "basic-dca") -> list[Finding]:
    """Failed assertions and successful reports of ``doc`` against a shipped Schematron."""
    return findings(svrl_report(doc, _validator(schema)))


def tbx_basic_errors(doc) -> list[str]:
    """Every error of a TBX-Basic (DCA) file: core RELAX NG, then the dialect's Schematron."""
    tree = _parse(doc)
    return relaxng_errors(tree, "core") + [str(f) for f in schematron_findings(tree, "basic-dca")]
