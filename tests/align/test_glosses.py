"""Glosses in the text link a native term to its Latin/English form (sentences written for
these tests)."""

from termalign import lang
from termalign.align import Node, propose
from termalign.align.attest import Attestation
from termalign.align.glosses import find_glosses, glossed_term, latin_parts
from termalign.lexicon import Gloss, Lexicon


def node(code, text, rank=1, kind="term"):
    return Node(code, lang.get(code).key(text), text, kind, 1.0, rank)


def test_parenthesis_and_or_glosses_in_all_four_languages():
    cases = [
        ("km", "ក្រសួងបានដាក់ចេញសន្ទស្សន៍ទឹកស្អាត (CWI) ថ្មី។", ("CWI",), "parenthesis"),
        ("th", "กระทรวงเผยแพร่ดัชนีน้ำสะอาด (Clean Water Index: CWI) ฉบับใหม่", ("Clean Water Index", "CWI"), "parenthesis"),
        (
            "vi",
            "Bộ công bố Chỉ số Nước sạch (Clean Water Index - CWI) mới.",
            ("Clean Water Index", "CWI"),
            "parenthesis",
        ),
        ("km", "ទឹកស្អាត ឬ Clean Water គឺជាអាទិភាព។", ("Clean Water",), "or"),
        ("en", "The ministry published the Clean Water Index (CWI) today.", ("CWI",), "parenthesis"),
    ]
    for code, text, parts, how in cases:
        (gloss,) = find_glosses(code, text)
        assert (gloss.parts, gloss.how) == (parts, how), text


def test_asides_numbers_and_lower_case_text_are_no_glosses():
    assert find_glosses("en", "about 65 km (40 miles) south") == []
    assert latin_parts("in the north, as usual") == ()
    assert find_glosses("en", "water or Power") == []  # "or" in English joins any two words


def test_an_or_gloss_in_vietnamese_is_a_whole_latin_name_not_the_next_word():
    # Vietnamese is written in Latin letters: "hoặc mẹ" (or mother) holds no gloss "m",
    # "hoặc con" (or child) none "con"; a capitalized name after hoặc is one.
    assert find_glosses("vi", "Tiền được gửi vào tài khoản của cha hoặc mẹ.") == []
    assert find_glosses("vi", "Cha hoặc con đều có thể đăng ký.") == []
    (gloss,) = find_glosses("vi", "Nước sạch hoặc Clean Water là ưu tiên.")
    assert gloss.parts == ("Clean Water",)


def test_the_glossed_term_is_a_whole_candidate_ending_at_the_gloss():
    text = "ក្រសួងបានដាក់ចេញសន្ទស្សន៍ទឹកស្អាត (CWI) ថ្មី។"
    (gloss,) = find_glosses("km", text)
    keys = [lang.get("km").key(t) for t in ("ទឹកស្អាត", "សន្ទស្សន៍ទឹកស្អាត", "ថ្មី")]
    assert glossed_term("km", text, gloss, keys) == lang.get("km").key("សន្ទស្សន៍ទឹកស្អាត")
    en = "the National Clean Water Index (CWI)"
    (gloss,) = find_glosses("en", en)
    assert glossed_term("en", en, gloss, ["clean water index", "ional clean water index"]) == "clean water index"


def test_a_gloss_links_native_terms_through_the_acronym_and_gives_attested_english():
    km, th = node("km", "សន្ទស្សន៍ទឹកស្អាត"), node("th", "ดัชนีน้ำสะอาด", rank=2)
    km_cwi, th_cwi = node("km", "CWI", kind="anchor"), node("th", "CWI", kind="anchor")
    raw = {
        "km": ["ក្រសួងបានដាក់ចេញសន្ទស្សន៍ទឹកស្អាត (CWI) ថ្មី។"],
        "th": ["กระทรวงเผยแพร่ดัชนีน้ำสะอาด (Clean Water Index: CWI) ฉบับใหม่"],
    }
    concepts = propose([km, th, km_cwi, th_cwi], Lexicon(), attestation=Attestation(raw=raw))
    (concept,) = [c for c in concepts if c.terms_in("km") and c.terms_in("th")]
    texts = {(t.lang, t.text, t.source) for t in concept.terms}
    assert {("km", "សន្ទស្សន៍ទឹកស្អាត", "corpus"), ("th", "ดัชนีน้ำสะอาด", "corpus")} <= texts
    # the English long form the Thai text writes is attested by that text
    assert ("en", "Clean Water Index", "gloss:th") in texts
    assert "gloss" in {e.signal for e in concept.evidence}
    # no gloss, no link: the same nodes without the text stay apart
    apart = propose([km, th, km_cwi, th_cwi], Lexicon(), attestation=Attestation())
    assert not [
        c
        for c in apart
        if c.terms_in("km")
        and c.terms_in("th")
        and len(c.terms_in("km")) == 1
        and c.terms_in("km")[0].text == "សន្ទស្សន៍ទឹកស្អាត"
    ]


def test_a_latin_name_in_a_km_text_is_one_concept_with_the_english_term():
    km_name = node("km", "Clean Water Services", kind="anchor")
    en = node("en", "clean water service", rank=2)
    lx = Lexicon()
    lx.add_concept({"en": ["clean water service"]}, "test")
    concepts = propose([km_name, en], lx)
    assert any({t.lang for t in c.terms} == {"km", "en"} for c in concepts)


def test_the_glossed_term_holds_about_as_many_words_as_its_gloss():
    # The longest candidate ending at the gloss takes words before the term; an acronym has
    # a word per capital, a long form as many content words as it has.
    en = "The hospital is moving to electronic medical records (EMR) this year."
    (gloss,) = find_glosses("en", en)
    keys = ["moving to electronic medical records", "electronic medical records", "medical records"]
    assert glossed_term("en", en, gloss, keys) == "electronic medical records"
    th = "ผู้ป่วยเข้าถึงความครอบคลุมของหลักประกันสุขภาพถ้วนหน้า (Universal Health Coverage) แล้ว"
    (gloss,) = find_glosses("th", th)
    keys = [lang.get("th").key(t) for t in ("ความครอบคลุมของหลักประกันสุขภาพถ้วนหน้า", "หลักประกันสุขภาพถ้วนหน้า", "ถ้วนหน้า")]
    assert glossed_term("th", th, gloss, keys) == lang.get("th").key("หลักประกันสุขภาพถ้วนหน้า")
    # every candidate longer than the gloss calls for: the longest, as before
    assert glossed_term("en", en, gloss_of("en", en), ["moving to electronic medical records"]) == (
        "moving to electronic medical records"
    )


def gloss_of(code, text):
    (gloss,) = find_glosses(code, text)
    return gloss


def test_the_glosses_command_lists_each_gloss_with_its_spans(tmp_path, capsys):
    import json

    from termalign.cli import main

    text = "ក្រសួងបានដាក់ចេញសន្ទស្សន៍ទឹកស្អាត (CWI) ថ្មី។ សន្ទស្សន៍ទឹកស្អាត ជួយប្រជាជន។ សន្ទស្សន៍ទឹកស្អាត ល្អ។\n"
    (tmp_path / "water_km.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["build", str(tmp_path / "water_km.txt"), "--db", str(db), "-o", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    assert main(["glosses", "--db", str(db), "--json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)["glosses"]
    assert (found["lang"], found["how"], found["gloss"]) == ("km", "parenthesis", "CWI")
    stored = text  # the file as ingested (no residue to strip)
    assert stored[found["native_start"]:found["native_end"]] == found["native"]
    assert stored[found["gloss_start"]:found["gloss_end"]] == "CWI"
    assert found["native"] == "សន្ទស្សន៍ទឹកស្អាត"  # three words for three capitals
    assert main(["glosses", "--db", str(db), "--lang", "th", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["glosses"] == []


def test_an_abbreviation_in_native_letters_glosses_the_long_name_it_spells():
    # Thai and Khmer abbreviate the names of public bodies in their own letters (written for
    # this test: a water authority, สำนักงานน้ำสะอาดแห่งชาติ, สนส.).
    th = "ประชาชนร้องเรียนต่อสำนักงานน้ำสะอาดแห่งชาติ (สนส.) เมื่อวานนี้"
    (gloss,) = find_glosses("th", th)
    assert gloss.parts == ("สนส.",)
    keys = [lang.get("th").key(t) for t in ("ร้องเรียนต่อสำนักงานน้ำสะอาดแห่งชาติ", "สำนักงานน้ำสะอาดแห่งชาติ", "แห่งชาติ")]
    assert glossed_term("th", th, gloss, keys) == lang.get("th").key("สำนักงานน้ำสะอาดแห่งชาติ")
    km = "ថ្ងៃនេះ អាជ្ញាធរទឹកស្អាតជាតិ (អ.ទ.ស) បានប្រកាស។"
    (gloss,) = find_glosses("km", km)
    assert gloss.parts == ("អ.ទ.ស",)
    # four words for three letters: the long form is the one that spells the abbreviation
    keys = [lang.get("km").key(t) for t in ("អាជ្ញាធរទឹកស្អាតជាតិ", "ទឹកស្អាតជាតិ", "ជាតិ")]
    assert glossed_term("km", km, gloss, keys) == lang.get("km").key("អាជ្ញាធរទឹកស្អាតជាតិ")
    assert find_glosses("th", "ผู้คน (ประชาชน) มาก") == []  # a word in brackets is no abbreviation


def test_an_english_acronym_takes_the_long_form_that_spells_it():
    en = "the president's National Security Advisor (NSA) said"
    (gloss,) = find_glosses("en", en)
    keys = ["president's national security advisor", "national security advisor", "security advisor"]
    assert glossed_term("en", en, gloss, keys) == "national security advisor"


def test_a_same_language_abbreviation_links_but_does_not_raise_a_cross_language_score():
    long_th, short_th = node("th", "สำนักงานน้ำสะอาดแห่งชาติ"), node("th", "สนส.")
    km = node("km", "ការិយាល័យទឹកស្អាតជាតិ")
    lx = Lexicon()
    lx.add("km", km.key, Gloss("national clean water office", "test glossary"))
    lx.add("th", long_th.key, Gloss("national clean water office", "test glossary"))
    raw = {"th": ["ประชาชนร้องเรียนต่อสำนักงานน้ำสะอาดแห่งชาติ (สนส.) เมื่อวานนี้"]}
    with_gloss = propose([km, long_th, short_th], lx, attestation=Attestation(raw=raw))
    (linked,) = [c for c in with_gloss if c.terms_in("km")]
    assert {t.text for t in linked.terms_in("th")} == {"สำนักงานน้ำสะอาดแห่งชาติ", "สนส."}
    assert "gloss" in {e.signal for e in linked.evidence}
    (plain,) = [c for c in propose([km, long_th], lx, attestation=Attestation(raw=raw)) if c.terms_in("km")]
    assert linked.score == plain.score  # the abbreviation says nothing of km–th


def test_a_latin_gloss_with_a_curly_apostrophe_is_english_not_an_abbreviation():
    km = node("km", "ធនាគារប្រជាជន")
    raw = {"km": ["ការបើកធនាគារប្រជាជន (People’s Bank) ថ្មី។"]}
    (gloss,) = find_glosses("km", raw["km"][0])
    assert gloss.parts == ("People’s Bank",)
    linked = [c for c in propose([km], Lexicon(), attestation=Attestation(raw=raw)) if c.terms_in("km")]
    assert [(t.lang, t.text) for t in linked[0].terms if t.lang == "en"] == [("en", "People’s Bank")]
    assert not any(e.detail.get("abbreviation") for e in linked[0].evidence)


def test_a_name_with_a_one_letter_prefix_is_a_gloss_in_lower_case_too():
    # Written for this test: e-/m- names of services are names however they are cased.
    (gloss,) = find_glosses("vi", "Cổng thuế điện tử (thuế điện tử, e-tax) đã mở.")
    assert gloss.parts == ("e-tax",)
    (gloss,) = find_glosses("th", "ระบบภาษีออนไลน์ (e-Tax) เปิดแล้ว")
    assert gloss.parts == ("e-Tax",)
    # A lower-case word that only begins like one is still an aside.
    assert latin_parts("e.g. online") == () and latin_parts("ex-officio members") == ()


def test_a_capitalized_english_name_glossed_by_its_acronym_is_the_long_form(tmp_path, capsys):
    # In English text a run of capitalized words is an anchor: it is still the long form an
    # acronym glosses (in Khmer or Thai text a Latin anchor is the gloss, never the term).
    import json

    from termalign.align.glosses import glossable
    from termalign.cli import main

    text = (
        "Hanoi Water Supply Authority (HWSA) opened a new plant.\n\n"
        "The plant was built by Hanoi Water Supply Authority with city funds.\n"
    )
    (tmp_path / "water_en.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["build", str(tmp_path / "water_en.txt"), "--db", str(db), "-o", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    assert main(["glosses", "--db", str(db), "--json"]) == 0
    found = {(g["native"], g["gloss"]) for g in json.loads(capsys.readouterr().out)["glosses"]}
    assert found == {("Hanoi Water Supply Authority", "HWSA")}
    assert glossable("en", "anchor") and glossable("vi", "anchor") and not glossable("th", "anchor")
