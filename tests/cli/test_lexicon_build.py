"""`termalign lexicon build` on parallel text written for this test."""

import json

import pytest

from termalign import lang
from termalign.align.induce import induce
from termalign.errors import InputError
from termalign.cli import main
from termalign.lexicon import build_lexicon
from termalign.lexicon.compose import compose

KM = [
    "ស្ពាន នៅ ភូមិ ។",
    "ដែក នៅ ផ្សារ ។",
    "ស្ពាន ធំ ។",
    "ដែក ធំ ។",
    "ស្ពាន ថ្មី ។",
    "ដែក ថ្មី ។",
    "ផ្សារ ធំ ។",
    "ភូមិ ថ្មី ។",
]
EN = [
    "bridge in village .",
    "iron in market .",
    "bridge big .",
    "iron big .",
    "bridge new .",
    "iron new .",
    "market big .",
    "village new .",
]


def test_induced_lexicon_lets_the_aligner_compose_an_unknown_term(tmp_path, capsys):
    (tmp_path / "p.km").write_text("\n".join(KM) + "\n", encoding="utf-8")
    (tmp_path / "p.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    out = tmp_path / "lex.tsv"
    code = main(["lexicon", "build", "--parallel", str(tmp_path / "p.km"), str(tmp_path / "p.en"), "-o", str(out), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["pairs"] >= 2
    rows = {tuple(line.split("\t")[:3]) for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")}
    assert ("km", "ស្ពាន", "bridge") in rows and ("km", "ដែក", "iron") in rows
    key = lang.get("km").key("ស្ពានដែក")
    assert not [h for h in compose(build_lexicon(induced=False), "km", key) if "bridge" in h.en]
    (hyp,) = compose(build_lexicon(user_lexicons=[out], induced=False), "km", key)
    assert hyp.en == "iron bridge" and hyp.curated


def test_eflomal_links_find_the_same_word_pairs(tmp_path, capsys):
    """The eflomal aligner (the ``align`` extra) reads the same parallel text into the same
    obvious pairs, through the CLI, with a Vietnamese word of two syllables kept whole."""
    pytest.importorskip("eflomal")
    km = tmp_path / "p.km"
    km.write_text("\n".join(KM * 3) + "\n", encoding="utf-8")
    (tmp_path / "p.en").write_text("\n".join(EN * 3) + "\n", encoding="utf-8")
    out = tmp_path / "lex.tsv"
    args = ["lexicon", "build", "--parallel", str(km), str(tmp_path / "p.en"), "-o", str(out), "--aligner", "eflomal"]
    assert main(args) == 0
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# termalign lexicon induced from p.km and p.en (eflomal links, intersection)")
    rows = {tuple(line.split("\t")[:3]) for line in text.splitlines() if not line.startswith("#")}
    assert {("km", "ស្ពាន", "bridge"), ("km", "ដែក", "iron"), ("km", "ផ្សារ", "market")} <= rows
    vi = ["chính phủ mới .", "chính phủ lớn .", "cây cầu mới .", "cây cầu lớn ."] * 3
    en = ["government new .", "government big .", "bridge new .", "bridge big ."] * 3
    pairs = {(p.src, p.tgt) for p in induce("vi", vi, "en", en, min_count=2, aligner="eflomal")}
    assert ("chính phủ", "government") in pairs and ("mới", "new") in pairs


def test_an_unknown_aligner_is_refused(tmp_path, capsys):
    (tmp_path / "p.km").write_text("ស្ពាន\n", encoding="utf-8")
    (tmp_path / "p.en").write_text("bridge\n", encoding="utf-8")
    args = ["lexicon", "build", "--parallel", str(tmp_path / "p.km"), str(tmp_path / "p.en"), "-o", str(tmp_path / "x.tsv")]
    assert main([*args, "--aligner", "giza"]) == 2
    assert "giza" in capsys.readouterr().err
    with pytest.raises(InputError, match="no aligner 'giza'"):
        induce("km", ["ស្ពាន"], "en", ["bridge"], aligner="giza")


def test_the_shipped_induced_pairs_link_terms_but_vouch_for_none():
    from termalign.align import Node, propose
    from termalign.extract import lexicon_reader

    # The shipped pairs (NTREX-128/FLORES-200) read ស្ពាន bridge and ដែក iron: general words.
    key = lang.get("km").key("ស្ពានដែក")
    (hyp,) = [h for h in compose(build_lexicon(), "km", key) if h.en == "iron bridge"]
    assert not hyp.curated and {p[2] for p in hyp.pieces} == {"induced:ntrex-flores"}
    assert not lexicon_reader(lexicon=build_lexicon())("km", key)  # no evidence of termhood
    # Alone, an induced reading makes no proposal; with an attested English term it links them.
    km = Node("km", key, "ស្ពានដែក", "term", 1.0, 1)
    en = Node("en", "iron bridge", "iron bridge", "term", 1.0, 2)
    assert propose([km], build_lexicon()) == []
    (linked,) = propose([km, en], build_lexicon())
    assert {t.text for t in linked.terms} == {"ស្ពានដែក", "iron bridge"}
    assert "induced" in {e.signal for e in linked.evidence}
    # Without the shipped pairs nothing links them.
    unlinked = propose([km, en], build_lexicon(induced=False))
    assert not any({t.lang for t in p.terms} == {"km", "en"} for p in unlinked)


def test_lexicon_build_rejects_misaligned_files(tmp_path, capsys):
    (tmp_path / "p.km").write_text("ស្ពាន\nដែក\n", encoding="utf-8")
    (tmp_path / "p.en").write_text("bridge\n", encoding="utf-8")
    code = main(["lexicon", "build", "--parallel", str(tmp_path / "p.km"), str(tmp_path / "p.en"), "-o", str(tmp_path / "x.tsv")])
    assert code == 2
    assert "line-aligned" in capsys.readouterr().err


def test_the_tico19_part_of_the_base_glossary_can_be_left_out(tmp_path, capsys):
    with_tico, without = build_lexicon(), build_lexicon(tico=False)
    sources = {src for concept in without.concepts.values() for terms in concept.values() for _, src in terms}
    assert "base:tico19" in {src for c in with_tico.concepts.values() for terms in c.values() for _, src in terms}
    assert "base:tico19" not in sources and 0 < without.size() < with_tico.size()
    text = "The province opened a public service portal. Public service is online.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["build", str(tmp_path / "a.txt"), "--db", str(db), "-o", str(tmp_path / "o"), "--json",
                 "--no-tico-glossary"]) == 0
    assert "tico-glossary:off" in json.loads(capsys.readouterr().out)["signature"]
