"""The MT signal of the aligner, with the tiny model the MT tests build (cached)."""

import sys
from pathlib import Path

import pytest

from termalign import lang
from termalign.align import Node, align, propose
from termalign.cli import main
from termalign.lexicon import Lexicon
from termalign.store import open_store, transaction

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "translate"))


@pytest.fixture(scope="module")
def model_dir() -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from mt_modelkit import Recipe, build

    return build(Recipe("marian"))


def node(code, text, rank=1):
    return Node(code, lang.get(code).key(text), text, "term", 1.0, rank)


def test_mt_aligns_a_pair_no_other_signal_reads(model_dir):
    from termalign.align import mt_readings
    from termalign.cli.align import mt_translator

    km, en, other = node("km", "គណៈកម្មាធិការប្រជាជន"), node("en", "people's committee"), node("en", "steering board", 2)
    assert propose([km, en, other], Lexicon()) == [] or all(len(c.languages()) < 2 for c in propose([km, en, other], Lexicon()))
    readings = mt_readings(mt_translator(model_dir), [km, en, other])
    assert readings == {km: "People's Committee"}
    (concept,) = [c for c in propose([km, en, other], Lexicon(), mt=readings, model="tiny") if len(c.languages()) > 1]
    assert {(t.lang, t.text) for t in concept.terms} == {("km", "គណៈកម្មាធិការប្រជាជន"), ("en", "people's committee")}
    (evidence,) = [e for e in concept.evidence if e.signal == "mt"]
    assert evidence.detail["gloss"] == "People's Committee" and evidence.detail["model"] == "tiny"


def test_align_with_a_model_stores_mt_suggestions(model_dir, tmp_path, capsys):
    conn = open_store(tmp_path / "a.db")
    with transaction(conn):
        for i, text in enumerate(["សង្គមឌីជីថល", "សេដ្ឋកិច្ចឌីជីថល"], 1):
            conn.execute(
                "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity, unithood, "
                "termhood, rank) VALUES ('km',?,?,'term',2,2,1,1,1,1,1,?)",
                (lang.get("km").key(text), text, i),
            )
    conn.close()
    assert main(["align", "--db", str(tmp_path / "a.db"), "--model", str(model_dir), "--json"]) == 0
    conn = open_store(tmp_path / "a.db")
    rows = dict(conn.execute("SELECT source_text, text FROM mt_suggestions"))
    assert rows == {"សង្គមឌីជីថល": "digital society", "សេដ្ឋកិច្ចឌីជីថល": "digital economy"}
    assert conn.execute("SELECT count(*) FROM evidence WHERE signal IN ('compositional', 'lexicon')").fetchone()[0] >= 2
