"""Each export profile read back by the tool it is for: OmegaT 3.6's own glossary readers (a
small Java driver against Debian's OmegaT.jar), translate-toolkit (which Weblate uses), and
memoQ's documented table layout; and every profile imported back by termalign.

Without OmegaT installed the OmegaT tests skip, naming the Debian package; with ``CI=true``
a missing tool is a failure (``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tbx as ttk_tbx

from termalign.export import export_termbase, import_termbase, read_termbase
from termalign.export.memoq import ENTRY_COLUMNS
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Note, Term, insert_concept

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
DRIVER = Path(__file__).parent / "omegat" / "ReadGlossary.java"
PAIRS = [("en", "km"), ("km", "th"), ("vi", "en")]

CONCEPTS = [
    Concept(status="approved", subject_field="e-government", notes=[Note("[en] definition: the use of digital tools by a state")],
            terms=[
                Term("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred", "noun"), Term("km", "បរិវត្តកម្មឌីជីថល", "admitted"),
                Term("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"), Term("th", "ดิจิทัลทรานส์ฟอร์เมชัน", "deprecated"),
                Term("vi", "chuyển đổi số", "preferred"), Term("en", "digital transformation", "preferred", "noun"),
                Term("en", "digitalization", "admitted"),
            ]),
    Concept(status="approved", terms=[
        Term("km", "សេដ្ឋកិច្ចឌីជីថល", "preferred"), Term("th", "เศรษฐกิจดิจิทัล", "preferred"),
        Term("vi", "kinh tế số", "preferred"), Term("en", "digital economy", "preferred"),
        Term("vi", "kinh tế kỹ thuật số", "deprecated"),
    ]),
    Concept(status="approved", notes=[Note("[en] VNeID: term type: acronym")], terms=[
        Term("km", "VNeID", "preferred"), Term("th", "VNeID", "preferred"), Term("vi", "VNeID", "preferred"),
        Term("en", "VNeID", "preferred"),
    ]),
    Concept(status="unreviewed", terms=[
        Term("km", "ពលរដ្ឋឌីជីថល", "preferred"), Term("th", "พลเมืองดิจิทัล", "preferred"),
        Term("vi", "công dân số", "preferred"), Term("en", "digital citizen", "preferred"),
    ]),
    # A term a spreadsheet would run as a formula.
    Concept(status="approved", terms=[Term("en", "=HYPERLINK(evil)", "preferred"), Term("km", "តំណ", "preferred"),
                                      Term("th", "ลิงก์", "preferred"), Term("vi", "liên kết", "preferred")]),
]


@pytest.fixture
def store(tmp_path):
    conn = open_store(tmp_path / "interop.db")
    with transaction(conn):
        for concept in CONCEPTS:
            insert_concept(conn, Concept(**{**concept.__dict__, "terms": [Term(**t.__dict__) for t in concept.terms]}))
    yield conn
    conn.close()


def _missing(tool: str, package: str) -> None:
    message = f"{tool} is not installed (Debian package {package!r}: apt-get install -y {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def omegat(tmp_path_factory):
    """Runs OmegaT's glossary readers: ``omegat(kind, path, source, target)`` → [(src, tgt, comment)]."""
    if not OMEGAT_JAR.exists() or shutil.which("javac") is None:
        _missing("OmegaT", "omegat")
    classes = tmp_path_factory.mktemp("omegat-driver")
    subprocess.run(["javac", "-nowarn", "-cp", str(OMEGAT_JAR), "-d", str(classes), str(DRIVER)], check=True)

    def read(kind: str, path: Path, source: str, target: str, *, fails: bool = False):
        proc = subprocess.run(
            ["java", "-Djava.awt.headless=true", "-cp", f"{OMEGAT_JAR}:{classes}", "ReadGlossary", kind, str(path),
             source, target],
            capture_output=True, timeout=120,
        )
        if fails:  # the error OmegaT reports, for a file it must refuse
            assert proc.returncode != 0
            return proc.stderr.decode(errors="replace")
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")[:2000]
        return [tuple(line.split("\t")) for line in proc.stdout.decode("utf-8").splitlines()]

    return read


def tbx_pairs(path: Path, source: str, target: str) -> set[tuple[str, str]]:
    """Every (source term, target term) of the same entry, read from the file with lxml."""
    out = set()
    for entry in etree.parse(str(path)).iter("termEntry"):
        def terms(code, entry=entry):
            return [t.text for ls in entry.iter("langSet") if ls.get("{http://www.w3.org/XML/1998/namespace}lang") == code
                    for t in ls.iter("term")]
        out |= {(s, t) for s in terms(source) for t in terms(target)}
    return out


def glossary_lines(path: Path) -> list[tuple[str, str, str]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [tuple(line.split("\t")) for line in lines if not line.startswith("#")]  # type: ignore[misc]


def test_a_missing_tool_skips_with_its_package_or_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y omegat"):
        _missing("OmegaT", "omegat")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="Debian package 'omegat'"):
        _missing("OmegaT", "omegat")


# -- OmegaT -------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "target"), PAIRS)
@pytest.mark.parametrize("suffix", [".txt", ".utf8"])
def test_omegat_reads_every_pair_of_its_glossary(source, target, suffix, store, tmp_path, omegat):
    path = tmp_path / f"{source}-{target}{suffix}"
    count = export_termbase(store, path, "omegat", pair=(source, target), include_unreviewed=True)
    assert count == 5
    written = glossary_lines(path)
    read = omegat("tsv", path, source, target)
    assert sorted(read) == sorted(written)
    assert len(written) >= 5
    # Deprecated target terms are not offered; unreviewed entries are flagged.
    by_source = {(s, t): c for s, t, c in read}
    if target == "th":
        assert not any(t == "ดิจิทัลทรานส์ฟอร์เมชัน" for _, t, _ in read)
        assert "do not use: ดิจิทัลทรานส์ฟอร์เมชัน" in by_source[("ការផ្លាស់ប្តូរឌីជីថល", "การเปลี่ยนแปลงทางดิจิทัล")]
    unreviewed = [c for s, t, c in read if "digital citizen" in (s, t) or "ពលរដ្ឋឌីជីថល" in (s, t) or "công dân số" in (s, t)]
    assert unreviewed and all(c.startswith("unreviewed") for c in unreviewed)
    assert any(s == "=HYPERLINK(evil)" or t == "=HYPERLINK(evil)" for s, t, _ in read) == ("en" in (source, target))


def test_omegat_glossary_holds_approved_concepts_by_default(store, tmp_path):
    path = tmp_path / "en-km.txt"
    assert export_termbase(store, path, "omegat", pair=("en", "km")) == 4
    assert not any("digital citizen" in line for line in glossary_lines(path))


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_omegat_reads_every_pair_of_the_tbx_v2_export(source, target, store, tmp_path, omegat):
    path = tmp_path / "v2.tbx"
    export_termbase(store, path, "tbx", tbx_version=2)
    read = {(s, t) for s, t, _ in omegat("tbx", path, source, target)}
    expected = tbx_pairs(path, source, target)
    assert expected and read == expected


def test_omegat_does_not_read_tbx_v3(store, tmp_path, omegat):
    path = tmp_path / "v3.tbx"
    export_termbase(store, path, "tbx", tbx_version=3)
    error = omegat("tbx", path, "en", "km", fails=True)
    assert 'unexpected element (uri:"urn:iso:std:iso:30042:ed-2", local:"tbx")' in error


# -- translate-toolkit (Weblate's reader) ---------------------------------------------------

def ttk_pairs(data: bytes, source: str, target: str) -> set[tuple[str, str]]:
    store = ttk_tbx.tbxfile.parsestring(data, sourcelanguage=source, targetlanguage=target)
    return {(s.text, t.text) for u in store.units for s in u.get_source_terms() for t in u.get_target_terms(target)}


@pytest.mark.parametrize(("source", "target"), PAIRS)
@pytest.mark.parametrize("fmt", ["tbx", "weblate"])
def test_translate_toolkit_reads_every_pair(source, target, fmt, store, tmp_path):
    path = tmp_path / "out.tbx"
    export_termbase(store, path, fmt, tbx_version=2)
    expected = tbx_pairs(path, source, target)
    assert expected and ttk_pairs(path.read_bytes(), source, target) == expected


def test_weblate_conventions_as_translate_toolkit_reads_them(store, tmp_path):
    path = tmp_path / "weblate.tbx"
    export_termbase(store, path, "weblate")
    units = ttk_tbx.tbxfile.parsestring(path.read_bytes(), sourcelanguage="en", targetlanguage="th").units
    statuses = {t.text: t.administrative_status for u in units for t in u.get_target_terms("th")}
    assert statuses["ดิจิทัลทรานส์ฟอร์เมชัน"] == "forbidden"
    assert statuses["เศรษฐกิจดิจิทัล"] == "preferredTerm-admn-sts"
    translatable = {u.source: u.istranslatable() for u in units}
    assert translatable["VNeID"] is False and translatable["digital economy"] is True
    # termalign reads Weblate's forbidden back as deprecated.
    concepts = read_termbase(path)
    assert ("th", "ดิจิทัลทรานส์ฟอร์เมชัน", "deprecated") in {(t.lang, t.text, t.status) for c in concepts for t in c.terms}


def test_translate_toolkit_does_not_read_tbx_v3(store, tmp_path):
    path = tmp_path / "v3.tbx"
    export_termbase(store, path, "tbx")
    with pytest.raises(AssertionError):
        ttk_pairs(path.read_bytes(), "en", "km")


# -- memoQ ----------------------------------------------------------------------------------

def memoq_rows(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).worksheets[0]
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.value is None or cell.data_type in ("s", "inlineStr"), cell.coordinate
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8, marked for spreadsheet programs
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("fmt", ["memoq-csv", "memoq-xlsx"])
def test_memoq_table_follows_memoqs_layout(fmt, store, tmp_path):
    path = tmp_path / ("termbase.xlsx" if fmt == "memoq-xlsx" else "termbase.csv")
    assert export_termbase(store, path, fmt, include_unreviewed=True) == 5
    header, *rows = memoq_rows(path)
    assert tuple(header[: len(ENTRY_COLUMNS)]) == ENTRY_COLUMNS
    # Per language: its language-level field, then its term columns (two English terms at most).
    assert header[len(ENTRY_COLUMNS) :] == [
        "Khmer_Def", "Khmer", "Khmer", "Thai_Def", "Thai", "Vietnamese_Def", "Vietnamese",
        "English_Def", "English", "English",
    ]
    assert len(rows) == 5 and all(len(r) == len(header) for r in rows)
    first = dict(zip(header, rows[0]))
    assert first["Entry_Subject"] == "e-government" and first["English_Def"] == "the use of digital tools by a state"
    assert "do not use (Thai): ดิจิทัลทรานส์ฟอร์เมชัน" in first["Entry_Note"]
    assert rows[0][header.index("Thai")] == "การเปลี่ยนแปลงทางดิจิทัล"
    assert "termalign review status: unreviewed" in dict(zip(header, rows[3]))["Entry_Note"]
    cells = [c for r in rows for c in r]
    assert "'=HYPERLINK(evil)" in cells and not any(c.startswith(("=", "+", "@")) for c in cells)
    # memoQ's dates: M/d/yyyy h:mm:ss tt.
    assert first["Entry_Created"].count("/") == 2 and first["Entry_Created"].endswith(("AM", "PM"))


def _content(conn) -> list:
    concepts = read_back(conn)
    return [
        (c.status, c.subject_field, sorted((t.lang, t.text, t.status) for t in c.terms), sorted(n.text for n in c.notes))
        for c in concepts
    ]


def read_back(conn) -> list[Concept]:
    from termalign.store.concepts import iter_concepts

    return list(iter_concepts(conn))


@pytest.mark.parametrize("fmt", ["memoq-csv", "memoq-xlsx"])
def test_memoq_table_imports_back_losslessly(fmt, store, tmp_path):
    path = tmp_path / ("termbase.xlsx" if fmt == "memoq-xlsx" else "termbase.csv")
    export_termbase(store, path, fmt, include_unreviewed=True)
    fresh = open_store(tmp_path / "fresh.db")
    report = import_termbase(fresh, path, reviewer="ana")
    assert report.added == 5 and report.conflicts == []
    assert _content(fresh) == _content(store)
    again = tmp_path / ("again.xlsx" if fmt == "memoq-xlsx" else "again.csv")
    export_termbase(fresh, again, fmt, include_unreviewed=True)
    assert memoq_rows(again) == memoq_rows(path)
    fresh.close()
