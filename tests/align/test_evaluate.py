"""The alignment evaluation: p@1 over terms and over suggestions, and the calibration table."""

import json

import pytest

from termalign.align.evaluate import calibration, evaluate_alignment, judge, wilson_lower
from termalign.cli import main
from termalign.gold import GoldConcept
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Term, insert_concept
from termalign.store.suggestions import TermSuggestion, insert_suggestions


def test_wilson_lower_bound_matches_the_formula():
    assert wilson_lower(9, 10) == pytest.approx(0.5958, abs=1e-4)
    assert wilson_lower(0, 0) == 0.0
    assert wilson_lower(50, 50) == pytest.approx(0.9287, abs=1e-4)


def test_calibration_bins_hold_each_score_once():
    rows = calibration([(0.1, False), (0.85, True), (0.9, False), (1.0, True)])
    assert [r["n"] for r in rows] == [1, 0, 0, 0, 3]
    assert rows[-1]["share_correct"] == pytest.approx(2 / 3, abs=1e-4)


def gold():
    return [
        GoldConcept("g1", {"km": ["គុណភាពទឹក"], "th": ["คุณภาพน้ำ"], "en": ["water quality"]}),
        GoldConcept("g2", {"km": ["ស្ពានដែក"], "th": ["สะพานเหล็ก"], "en": ["iron bridge"]}),
    ]


def test_a_proposal_pairing_terms_of_two_gold_concepts_is_judged_wrong():
    from termalign import lang
    from termalign.lexicon.english import english_bag

    def k(code, text):
        return (code, english_bag(text) if code == "en" else lang.get(code).key(text))

    members = {
        1: {k("km", "គុណភាពទឹក"), k("th", "คุณภาพน้ำ")},
        2: {k("km", "ស្ពានដែក"), k("th", "คุณภาพน้ำ")},
        3: {k("km", "ស្ពានដែក")},
    }
    assert sorted(judge(members, {1: 0.9, 2: 0.5, 3: 0.99}, gold())) == [(0.5, False), (0.9, True)]


def test_a_gold_term_paired_with_a_term_the_reference_does_not_give_is_judged_wrong():
    from termalign import lang

    def k(code, text):
        return (code, lang.get(code).key(text))

    # The Thai side is some other word: wrong, though the reference does not list it.
    members = {1: {k("km", "គុណភាពទឹក"), k("th", "สะพาน")}, 2: {k("km", "ស្ពានដែក"), k("th", "ทอง")}}
    present = {k("km", "គុណភាពទឹក"), k("th", "คุณภาพน้ำ"), k("km", "ស្ពានដែក"), k("th", "ทอง")}
    # g2's Thai term is not in the corpus: proposal 2 cannot be checked in Thai.
    assert judge(members, {1: 0.9, 2: 0.8}, gold(), present) == [(0.9, False)]


def test_evaluation_counts_suggestions_only_when_asked(tmp_path, capsys):
    db = tmp_path / "e.db"
    conn = open_store(db)
    with transaction(conn):
        cid = insert_concept(
            conn, Concept(terms=[Term("km", "គុណភាពទឹក", "preferred"), Term("th", "คุณภาพน้ำ", "preferred")], score=0.9)
        )
        insert_suggestions(conn, cid, [TermSuggestion("en", "water quality", "compositional")])
    terms = evaluate_alignment(conn, gold())
    both = evaluate_alignment(conn, gold(), with_suggestions=True)
    assert terms["pairs"]["km-th"] == {"p@1": 0.5, "n": 2}
    assert terms["pairs"]["km-en"]["p@1"] == 0.0 and both["pairs"]["km-en"]["p@1"] == 0.5
    assert terms["calibration"][-1]["n"] == 1 and terms["calibration"][-1]["share_correct"] == 1.0
    gold_file = tmp_path / "g.tsv"
    gold_file.write_text("id\ten\tvi\tkm\tth\ng1\twater quality\t\tគុណភាពទឹក\tคุณภาพน้ำ\n", encoding="utf-8")
    assert main(["evaluate", "alignment", "--gold", str(gold_file), "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["terms"]["pairs"]["km-en"]["p@1"] == 0.0 and out["suggestions"]["pairs"]["km-en"]["p@1"] == 1.0
    assert {"bin", "n", "share_correct", "wilson_lower"} <= set(out["suggestions"]["calibration"][0])
