"""CSV and TSV: layout, escaping, statuses, the shipped glossary's layout."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from termalign.export import export_termbase, import_termbase, read_termbase
from termalign.export.tabular import COLUMNS, join_cell, split_cell
from termalign.store.concepts import load_concept

ROOT_GLOSSARY_HEADER = "id\ten\tvi\tkm\tth\tstatus\tsource"


def test_csv_layout(seed_store):
    out = io.BytesIO()
    export_termbase(seed_store, out, "csv")
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read Khmer and Thai right
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == (
        "1,approved,e-government,ការផ្លាស់ប្តូរឌីជីថល | បរិវត្តកម្មឌីជីថល | ការបំប្លែងឌីជីថល,"
        "การเปลี่ยนแปลงทางดิจิทัล | การเปลี่ยนผ่านสู่ดิจิทัล,chuyển đổi số,digital transformation,"
        ",ดิจิทัลทรานส์ฟอร์เมชัน,,,Seen in VOV & Chinhphu.vn <news> articles,"
        "[km] ការផ្លាស់ប្តូរឌីជីថល: noun | [km] បរិវត្តកម្មឌីជីថល: noun | [th] การเปลี่ยนแปลงทางดิจิทัล: noun"
        " | [vi] chuyển đổi số: NOUN | [en] digital transformation: noun"
    )
    assert lines[4] == "4,approved,public administration,គណៈកម្មាធិការប្រជាជន,คณะกรรมการประชาชน,Ủy ban nhân dân,People's Committee,,,,,,[en] People's Committee: PROPN"
    assert len(lines) == 7 and lines[-1] == ""  # 5 approved concepts


def test_tsv_layout(seed_store):
    out = io.BytesIO()
    assert export_termbase(seed_store, out, "tsv", include_unreviewed=True) == 6
    lines = out.getvalue().decode("utf-8").split("\n")
    assert lines[0] == "\t".join(COLUMNS)
    assert lines[6] == "6\tunreviewed\t\t\tOCOP\t\tOCOP\t\t\t\t\t\t"


def test_preferred_first_and_deprecated_columns_round_trip(seed_store, empty_store, tmp_path):
    export_termbase(seed_store, tmp_path / "a.csv")
    import_termbase(empty_store, tmp_path / "a.csv", reviewer="ana")
    concept = load_concept(empty_store, 1)
    assert [(t.text, t.status) for t in concept.terms_in("th")] == [
        ("การเปลี่ยนแปลงทางดิจิทัล", "preferred"), ("การเปลี่ยนผ่านสู่ดิจิทัล", "admitted"),
        ("ดิจิทัลทรานส์ฟอร์เมชัน", "deprecated"),
    ]
    export_termbase(empty_store, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_pipes_and_backslashes_in_terms_survive(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("en,note\nA\\|B | C\\\\D,x | y\n", encoding="utf-8")
    (concept,) = read_termbase(path)
    assert [(t.text, t.status) for t in concept.terms] == [("A|B", "preferred"), ("C\\D", "admitted")]
    assert [n.text for n in concept.notes] == ["x", "y"]


def test_reads_the_shipped_glossary_layout(tmp_path):
    path = tmp_path / "base.tsv"
    path.write_text(
        "# comment line\n# another\n" + ROOT_GLOSSARY_HEADER + "\n"
        "w005\tpeople | citizens\tnhân dân\tប្រជាជន | ប្រជាពលរដ្ឋ\tประชาชน\tunreviewed\ttermalign-curated\n",
        encoding="utf-8",
    )
    (concept,) = read_termbase(path)
    assert concept.status == "unreviewed"
    assert [(t.lang, t.text, t.status, t.source) for t in concept.terms][:3] == [
        ("km", "ប្រជាជន", "preferred", "termalign-curated"),
        ("km", "ប្រជាពលរដ្ឋ", "admitted", "termalign-curated"),
        ("th", "ประชาชน", "preferred", "termalign-curated"),
    ]


def test_blank_rows_are_skipped_and_header_is_case_insensitive(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("ID,EN,Status\n\n,,\nc7,smart city,UNREVIEWED\n", encoding="utf-8")
    (concept,) = read_termbase(path)
    assert (concept.status, concept.terms[0].text) == ("unreviewed", "smart city")


@given(st.lists(st.text(alphabet=st.sampled_from("ab |\\ ក\u0e01\t"), max_size=8), max_size=4))
def test_split_inverts_join(values):
    from termalign.export.base import text_of

    assert split_cell(join_cell(values)) == [text_of(v) for v in values if text_of(v)]
