"""XLIFF 1.2 output for post-editing: valid against the OASIS schema, read back by
translate-toolkit, the term report carried as notes, resumable like the other formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from mt_modelkit import PAIRS

from termalign.cli import main
from termalign.export import write_termbase
from termalign.store.concepts import Concept, Term

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "xliff"
XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"
#: The location the OASIS schema imports the xml: namespace schema from (never fetched).
XML_XSD = "http://www.w3.org/2001/xml.xsd"


class _Local(etree.Resolver):
    def resolve(self, system_url, public_id, context):
        if system_url == XML_XSD:
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        if "://" in system_url:
            raise AssertionError(f"the schema asks for {system_url}: nothing may be fetched")
        return None


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), parser))


@pytest.fixture
def glossary(tmp_path) -> Path:
    """One term the model writes unaided, one it cannot spell (reported missing), one forbidden."""
    concepts = [
        Concept(terms=[Term("km", "សង្គម", "preferred"), Term("en", "community", "preferred")], status="approved", id=1),
        Concept(
            terms=[Term("km", "ហេដ្ឋារចនាសម្ព័ន្ធ", "preferred"), Term("en", "network", "preferred")],
            status="approved",
            id=2,
        ),
        Concept(
            terms=[
                Term("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"),
                Term("en", "digital transition", "preferred"),
                Term("en", "digital transformation", "deprecated"),
            ],
            status="approved",
            id=3,
        ),
    ]
    path = tmp_path / "g.tsv"
    with path.open("wb") as fh:
        write_termbase(concepts, fh, "tsv")
    return path


def _translate(model: Path, inputs: list[Path], out: Path, glossary: Path, *more: str) -> int:
    args = ["translate", "--src", "km", "--tgt", "en", "--model", str(model), "--glossary", str(glossary)]
    return main([*args, *(str(i) for i in inputs), "-o", str(out), "--json", *more])


def test_xliff_output_is_valid_xliff_12_and_translate_toolkit_reads_it(
    nomask_marian, glossary, tmp_path, schema, capsys
):
    a = tmp_path / "a.txt"
    a.write_text("សង្គមឌីជីថល\nហេដ្ឋារចនាសម្ព័ន្ធទូរគមនាគមន៍\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("ការផ្លាស់ប្តូរឌីជីថល\n", encoding="utf-8")
    out = tmp_path / "post-edit.xlf"
    assert _translate(nomask_marian, [a, b], out, glossary) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["format"] == "xliff"  # chosen by the .xlf extension

    tree = etree.parse(str(out))
    schema.assertValid(tree)
    root = tree.getroot()
    assert root.tag == f"{XLIFF}xliff" and root.get("version") == "1.2"
    files = root.findall(f"{XLIFF}file")
    assert [Path(f.get("original")).name for f in files] == ["a.txt", "b.txt"]  # one <file> per document
    assert {(f.get("source-language"), f.get("target-language")) for f in files} == {("km", "en")}
    units = [u for f in files for u in f.iter(f"{XLIFF}trans-unit")]
    assert [u.findtext(f"{XLIFF}source") for u in units] == [
        "សង្គមឌីជីថល",
        "ហេដ្ឋារចនាសម្ព័ន្ធទូរគមនាគមន៍",
        "ការផ្លាស់ប្តូរឌីជីថល",
    ]
    notes = [[n.text for n in u.findall(f"{XLIFF}note")] for u in units]
    assert notes[0] == ["required term: សង្គម → community: found"]
    assert notes[1] == ["required term: ហេដ្ឋារចនាសម្ព័ន្ធ → network: missing"]
    assert units[1].find(f"{XLIFF}note").get("priority") == "1"
    assert notes[2] == ["required term: ការផ្លាស់ប្តូរឌីជីថល → digital transition: found"]
    assert "digital transformation" not in units[2].findtext(f"{XLIFF}target")

    # translate-toolkit (Weblate's reader) reads it back: sources, targets and notes
    from translate.storage import factory
    from translate.storage.xliff import xlifffile

    store = factory.getobject(str(out))
    assert isinstance(store, xlifffile)
    read = [u for u in store.units if not u.isheader()]
    assert [u.source for u in read] == [u.findtext(f"{XLIFF}source") for u in units]
    assert [u.target for u in read] == [u.findtext(f"{XLIFF}target") for u in units]
    assert "community" in read[0].target
    assert "network: missing" in read[1].getnotes()
    assert store.getfilenames() == [f.get("original") for f in files]
    assert store.getsourcelanguage() == "km" and store.gettargetlanguage() == "en"


def test_a_failed_segment_has_no_target_and_an_error_note(nomask_marian, glossary, tmp_path, schema, monkeypatch):
    import ctranslate2

    from termalign.translate.engine import Translator

    real = ctranslate2.Translator(str(nomask_marian), intra_threads=1)
    poison = Translator(nomask_marian).model.encode("សេដ្ឋកិច្ចឌីជីថល")

    class Refusing:
        """CTranslate2 refusing one segment's source, translating the others."""

        def translate_batch(self, sources, *args, **kwargs):
            if any(s[: len(poison)] == poison for s in sources):
                raise RuntimeError("No position encodings are defined for positions >= 64")
            return real.translate_batch(sources, *args, **kwargs)

        def score_batch(self, sources, *args, **kwargs):
            return real.score_batch(sources, *args, **kwargs)

    monkeypatch.setattr(Translator, "ct2", property(lambda self: Refusing()))
    a = tmp_path / "a.txt"
    a.write_text("សង្គមឌីជីថល\nសេដ្ឋកិច្ចឌីជីថល\n", encoding="utf-8")
    out = tmp_path / "o.xliff"
    assert _translate(nomask_marian, [a], out, glossary) == 6
    tree = etree.parse(str(out))
    schema.assertValid(tree)
    good, bad = tree.getroot().iter(f"{XLIFF}trans-unit")
    assert good.findtext(f"{XLIFF}target") == "digital community"
    assert bad.find(f"{XLIFF}target") is None
    note = bad.find(f"{XLIFF}note")
    assert note.text.startswith("not translated: ") and "position encodings" in note.text
    assert note.get("priority") == "1"


def test_an_interrupted_xliff_run_resumes_into_one_valid_document(nomask_marian, glossary, tmp_path, schema):
    docs = []
    for i, (km, _) in enumerate(PAIRS[:3]):
        docs.append(tmp_path / f"d{i}.txt")
        docs[-1].write_text(km + "\n", encoding="utf-8")
    whole = tmp_path / "whole.xlf"
    assert _translate(nomask_marian, docs, whole, glossary) == 0
    # the same run cut after the first document (as kill -9 leaves it), then started again
    part = tmp_path / "part.xlf"
    assert _translate(nomask_marian, docs[:1], part, glossary) == 0
    sidecar = part.with_name(part.name + ".progress")
    header, first = sidecar.read_text(encoding="utf-8").splitlines()
    part.write_bytes(part.read_bytes()[: json.loads(first)["offset"]])  # no </xliff>: killed
    assert _translate(nomask_marian, docs, part, glossary) == 0
    assert part.read_bytes() == whole.read_bytes()
    schema.assertValid(etree.parse(str(part)))
    # a finished run started again changes nothing
    assert _translate(nomask_marian, docs, part, glossary) == 0
    assert part.read_bytes() == whole.read_bytes()


def test_the_schema_rejects_what_xliff_12_forbids(schema, nomask_marian, glossary, tmp_path):
    """The validation can fail: a trans-unit without its id is refused."""
    a = tmp_path / "a.txt"
    a.write_text("សង្គមឌីជីថល\n", encoding="utf-8")
    out = tmp_path / "o.xlf"
    assert _translate(nomask_marian, [a], out, glossary) == 0
    tree = etree.parse(str(out))
    del tree.getroot().find(f".//{XLIFF}trans-unit").attrib["id"]
    assert not schema.validate(tree)
