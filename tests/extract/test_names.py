"""Names of public bodies, on sentences written for these tests (not from the seeds).

A name is an institution head (ministry, committee, department) with its modifiers and at
most two links (and, of), closed on the right. Names are terms of any e-government
termbase however rarely they occur, so one seen once must outrank a general phrase seen
once; a link followed by another head joins two names and is neither name nor candidate.
"""

import pytest

from termalign import lang
from termalign.extract import extract
from termalign.lexicon import Lexicon
from termalign.lexicon.compose import compose

from .test_extract import build_store, rank_of


def kinds(conn, code: str) -> dict[str, str]:
    return dict(conn.execute("SELECT key, kind FROM candidates WHERE lang = ?", (code,)))


def kind_of(conn, code: str, text: str) -> str | None:
    return kinds(conn, code).get(lang.get(code).key(text))


#: Word-level entries for the composition tests (not from the base glossary).
WORDS = {
    "ministry": {"km": ["ក្រសួង"], "th": ["กระทรวง"], "vi": ["bộ"]},
    "water": {"km": ["ទឹក"], "th": ["น้ำ"], "vi": ["nước"]},
    "fire": {"km": ["ភ្លើង"], "th": ["ไฟ"], "vi": ["lửa"]},
    "clean": {"km": ["ស្អាត"], "th": ["สะอาด"], "vi": ["sạch"]},
    "bank": {"km": ["ធនាគារ"], "th": ["ธนาคาร"], "vi": ["ngân hàng"]},
    "national": {"km": ["ជាតិ"], "th": ["แห่งชาติ"], "vi": ["quốc gia"]},
    "Cambodia": {"km": ["កម្ពុជា"], "th": ["กัมพูชา"], "vi": ["Campuchia"]},
}


def toy_lexicon(*english: str) -> Lexicon:
    lx = Lexicon()
    for en in english:
        lx.add_concept({"en": [en], **WORDS[en]}, "test")
    return lx


KM_ARTICLE = (
    "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈបានប្រកាសកម្មវិធីថ្មីសម្រាប់យុវជន។ "
    "ប្រជាជនបានទៅផ្សារ និងទិញបន្លែនៅព្រឹកនេះ។ "
    "ក្រសួងសុខាភិបាល និងក្រសួងអប់រំបានចុះហត្ថលេខាលើអនុស្សរណៈ។ "
    "អគ្គនាយកដ្ឋានគយបានបើកប្រព័ន្ធថ្មី។"
)


def test_khmer_coordinated_name_is_one_candidate_and_outranks_a_general_coordination(tmp_path):
    conn = build_store(tmp_path, {"km.txt": KM_ARTICLE})
    extract(conn, use_lexicon=False)
    name = "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ"
    # the space before និង and the verb-tagged បណ្តុះបណ្តាល do not cut the name
    assert kind_of(conn, "km", name) == "name"
    general = "ផ្សារ និងទិញបន្លែ"  # "market and buy vegetables": same shape, same frequency
    assert kind_of(conn, "km", general) == "term"
    freq = dict(conn.execute("SELECT kind, max(freq) FROM candidates WHERE lang = 'km' GROUP BY kind"))
    assert freq["name"] == 1
    assert rank_of(conn, "km", name) < rank_of(conn, "km", general)
    # the first conjunct alone is no name where the full name stands
    assert kind_of(conn, "km", "ក្រសួងការងារ") == "term"
    assert rank_of(conn, "km", name) < rank_of(conn, "km", "ក្រសួងការងារ")
    # two ministries joined by និង are two names, and the pair is no candidate at all
    assert kind_of(conn, "km", "ក្រសួងសុខាភិបាល") == "name"
    assert kind_of(conn, "km", "ក្រសួងអប់រំ") == "name"
    assert kind_of(conn, "km", "ក្រសួងសុខាភិបាល និងក្រសួងអប់រំ") is None
    assert kind_of(conn, "km", "សុខាភិបាល និងក្រសួង") is None
    # a name ends before its predicate
    assert kind_of(conn, "km", "ក្រសួងអប់រំបាន") is None
    # a head the segmenter cut in two (អគ្គ|នាយកដ្ឋាន) starts one name, not two
    assert kind_of(conn, "km", "អគ្គនាយកដ្ឋានគយ") == "name"
    assert kind_of(conn, "km", "នាយកដ្ឋានគយ") != "name"


def test_thai_names_end_before_the_predicate_and_never_join_two_bodies(tmp_path):
    text = (
        "สำนักงานคณะกรรมการการเลือกตั้งเปิดระบบลงทะเบียนออนไลน์ให้ประชาชน\n"
        "กระทรวงพาณิชย์และกระทรวงการคลังลงนามข้อตกลงความร่วมมือ\n"
        "ชาวบ้านไปตลาดและซื้อผักทุกเช้า\n"
    )
    conn = build_store(tmp_path, {"th.txt": text})
    extract(conn, use_lexicon=False)
    # a head followed by a head (the office of a commission) is one name, cut at the verb
    assert kind_of(conn, "th", "สำนักงานคณะกรรมการการเลือกตั้ง") == "name"
    assert kind_of(conn, "th", "สำนักงานคณะกรรมการการเลือกตั้งเปิด") != "name"
    # the segmenter keeps these names whole: one word that begins with a head
    assert kind_of(conn, "th", "กระทรวงพาณิชย์") == "name"
    assert kind_of(conn, "th", "กระทรวงการคลัง") == "name"
    assert kind_of(conn, "th", "กระทรวงพาณิชย์และกระทรวงการคลัง") is None
    assert kind_of(conn, "th", "ตลาดและซื้อผัก") in (None, "term")


def test_vietnamese_and_english_names_follow_capitalization(tmp_path):
    articles = {
        "vi.txt": "Sở Tư pháp tỉnh Bắc Ninh đã cấp phiếu lý lịch tư pháp trực tuyến. "
        "Người dân nộp bộ hồ sơ trực tuyến tại nhà.",
        "en.txt": "The Ministry of Posts and Telecommunications said the portal opened on Monday. "
        "The Ministry of Health and Ministry of Education signed a data sharing agreement.",
    }
    conn = build_store(tmp_path, articles)
    extract(conn, use_lexicon=False)
    assert kind_of(conn, "vi", "Sở Tư pháp tỉnh Bắc Ninh") == "name"
    # lowercase bộ (a set of) heads nothing
    assert all(kind != "name" for key, kind in kinds(conn, "vi").items() if key.startswith("bộ"))
    assert kind_of(conn, "en", "Ministry of Posts and Telecommunications") == "name"
    assert kind_of(conn, "en", "Ministry of Health") == "name"
    assert kind_of(conn, "en", "Ministry of Education") == "name"
    assert kind_of(conn, "en", "Ministry of Health and Ministry of Education") is None
    # an English name ends where its capitalized words end
    assert kind_of(conn, "en", "Ministry of Posts and Telecommunications said") is None


@pytest.mark.parametrize(
    ("code", "text", "en", "vi"),
    [
        ("km", "ក្រសួងទឹក និងភ្លើង", "Ministry of Water and Fire", "Bộ Nước và Lửa"),
        ("th", "กระทรวงน้ำและไฟ", "Ministry of Water and Fire", "Bộ Nước và Lửa"),
        ("km", "ទឹក និងភ្លើង", "water and fire", "nước và lửa"),
        ("km", "ទឹកស្អាត និងភ្លើង", "clean water and fire", "nước sạch và lửa"),
        # a preposition stays in place; no Vietnamese is guessed for it
        ("th", "กระทรวงน้ำเพื่อไฟ", "Ministry of Water for Fire", None),
    ],
)
def test_composition_keeps_the_conjunction_and_the_institution_head_outside_it(code, text, en, vi):
    lx = toy_lexicon("ministry", "water", "fire", "clean")
    (hyp, *_) = compose(lx, code, lang.get(code).key(text))
    assert (hyp.en, hyp.vi) == (en, vi)


def test_a_coordination_is_not_the_compound_of_its_words():
    from termalign.lexicon.english import english_bag

    assert english_bag("digital and payment") != english_bag("digital payment")
    assert english_bag("Ministry of Information and Communications") == english_bag("communications and information ministry")


def test_a_body_named_in_english_is_composed_head_first_with_the_language_s_and():
    from termalign.lexicon.compose import compose_from_english

    lx = toy_lexicon("ministry", "water", "fire", "clean")
    got = {code: compose_from_english(lx, "Ministry of Clean Water and Fire", code) for code in ("km", "th", "vi")}
    assert got == {"km": "ក្រសួងទឹកស្អាត និងភ្លើង", "th": "กระทรวงน้ำสะอาดและไฟ", "vi": "Bộ Nước sạch và Lửa"}
    assert compose_from_english(lx, "clean water", "km") == "ទឹកស្អាត"
    assert compose_from_english(lx, "water", "km") is None  # one word: the glossary's own entry
    assert compose_from_english(lx, "Ministry of Gold", "km") is None  # an unknown word


def test_words_and_capitals_that_only_look_like_names(tmp_path):
    articles = {
        # office (itself a head), hub (ศูนย์กลาง: the head ศูนย์ is too short to stand for a name)
        "th.txt": "สำนักงานเปิดให้บริการทุกวันจันทร์\nศูนย์กลางการค้าอยู่ที่นี่\n",
        # hospital (មន្ទីរពេទ្យ): Khmer words are not names by their first letters
        "km.txt": "មន្ទីរពេទ្យបានបើក។ ក្រសួងសុខាភិបាលបានប្រកាសថា Ministry of Health នឹងជួយ។",
        # a sentence-initial capital; a lowercase head after "và"
        "vi.txt": "Dịch vụ tài chính và ngân hàng số phát triển mạnh. Bộ hồ sơ gồm nhiều giấy tờ. "
        "Trung tâm thành phố rất đông người. Bộ Tài chính đã ban hành thông tư.",
        "en.txt": "Shops sell home and office furniture. "
        "The General Secretariat of the Council for Development said the Ministry of the Interior agreed.",
    }
    conn = build_store(tmp_path, articles)
    extract(conn, use_lexicon=False)
    names = {(code, key) for code, key in conn.execute("SELECT lang, key FROM candidates WHERE kind = 'name'")}
    assert not {key for code, key in names if code == "th"}
    assert ("km", lang.get("km").key("មន្ទីរពេទ្យ")) not in names
    assert ("km", lang.get("km").key("ក្រសួងសុខាភិបាល")) in names
    assert {key for code, key in names if code == "vi"} == {"bộ tài chính"}
    keys = {key for (key,) in conn.execute("SELECT key FROM candidates")}
    assert {"tài chính và ngân hàng", "home and office furniture"} <= keys
    # an article after a link, a parent body after a preposition
    assert {("en", "ministry of the interior"), ("en", "secretariat of the council for development")} <= names
    # English inside Khmer text: no anchor ends or starts with "of"
    anchors = {key for (key,) in conn.execute("SELECT key FROM candidates WHERE lang = 'km' AND kind = 'anchor'")}
    assert "ministry of health" in anchors and not {a for a in anchors if a.startswith("of") or a.endswith(" of")}


def test_head_qualifiers_before_a_preposition_and_vietnamese_capitals():
    from termalign.lexicon.compose import compose_from_english

    lx = toy_lexicon("bank", "national", "Cambodia", "water", "clean")
    (hyp, *_) = compose(lx, "km", lang.get("km").key("ធនាគារជាតិនៃកម្ពុជា"))
    assert hyp.en == "National Bank of Cambodia"
    (hyp, *_) = compose(lx, "km", lang.get("km").key("ធនាគារនៃកម្ពុជា"))
    assert hyp.en == "Bank of Cambodia"
    # a sentence-initial capital is no name: the Vietnamese stays lowercase
    assert compose_from_english(lx, "Clean water", "vi") == "nước sạch"
    assert compose_from_english(lx, "Bank of Water and Bank of Clean Water", "km") is None
    assert compose_from_english(lx, "Bank for Clean Water", "km") == "ធនាគារទឹកស្អាត"
