"""Termhood that generalizes: general-language references, independence, edges, tokens.

Every sentence here was written for these tests (e-government themes other than the
seeds': passports, land registry, health insurance, digital ID).
"""

from __future__ import annotations

import polars as pl
import pytest

from termalign import lang
from termalign.extract import score_language, tokens_frame
from termalign.extract.edges import edge_words


def tokens_of(code: str, sentences: list[str]) -> pl.DataFrame:
    """The token frame ``load_tokens`` reads from a store, built from sentences directly
    (one document per sentence)."""
    language = lang.get(code)
    rows = [
        (sid, sid, t.start, t.end, t.text, language.key(t.text), t.kind, t.pos)
        for sid, sentence in enumerate(sentences)
        for t in language.tokenize(sentence, tag=True)
    ]
    return tokens_frame(rows)


def ranked(code: str, sentences: list[str]) -> pl.DataFrame:
    types, _ = score_language(tokens_of(code, sentences), code)
    return types


def row(types: pl.DataFrame, code: str, text: str) -> dict:
    rows = types.filter(pl.col("key") == lang.get(code).key(text)).to_dicts()
    assert rows, f"{text!r} is not a candidate"
    return rows[0]


# (language, generic word, domain term, sentences with both equally often)
GENERIC_VS_DOMAIN = [
    (
        "en",
        "people",
        "biometrics",
        [
            "People can now renew their passports online.",
            "The agency checks biometrics before it issues a passport.",
            "Many people asked how biometrics are stored.",
            "Biometrics help people prove who they are.",
        ],
    ),
    (
        "vi",
        "thời gian",
        "hộ chiếu",
        [
            "Làm hộ chiếu nay mất ít thời gian hơn trước.",
            "Thời gian cấp hộ chiếu là năm ngày.",
            "Người dân nhận hộ chiếu sau một thời gian ngắn.",
        ],
    ),
    (
        "th",
        "ประเทศ",
        "หนังสือเดินทาง",
        [
            "ประชาชนยื่นขอหนังสือเดินทางได้ที่สำนักงาน ประเทศ เพื่อนบ้านก็ทำเช่นกัน",
            "หนังสือเดินทางเล่มใหม่ใช้ได้ใน ประเทศ ต่าง ๆ",
            "ประเทศ เพื่อนบ้านยอมรับหนังสือเดินทางนี้",
        ],
    ),
    (
        "km",
        "ប្រទេស",
        "លិខិតឆ្លងដែន",
        [
            "ប្រជាជននៅក្នុងប្រទេសស្នើសុំលិខិតឆ្លងដែនតាមអនឡាញ។",
            "លិខិតឆ្លងដែនថ្មីប្រើបាននៅគ្រប់ប្រទេស។",
            "ប្រទេសជិតខាងទទួលស្គាល់លិខិតឆ្លងដែននេះ។",
        ],
    ),
]


@pytest.mark.parametrize(
    ("code", "generic", "term", "sentences"), GENERIC_VS_DOMAIN, ids=[g[0] for g in GENERIC_VS_DOMAIN]
)
def test_a_generic_word_ranks_below_a_domain_term_of_equal_frequency(code, generic, term, sentences):
    types = ranked(code, sentences)
    g, t = row(types, code, generic), row(types, code, term)
    assert g["freq"] == t["freq"] >= 3
    # The general reference knows the generic word far better than the term.
    assert g["specificity"] < t["specificity"]
    assert t["rank"] < g["rank"]


# (language, container, fragment that only ever occurs inside it, sentences)
FRAGMENTS = [
    (
        "en",
        "land registry office",
        "registry office",
        [
            "The land registry office opened a new counter.",
            "Farmers visit the land registry office every month.",
            "A land registry office keeps every title deed.",
        ],
    ),
    (
        "vi",
        "bảo hiểm y tế toàn dân",
        "y tế toàn dân",
        [
            "Tỉnh đạt mục tiêu bảo hiểm y tế toàn dân.",
            "Chính sách bảo hiểm y tế toàn dân giúp người nghèo.",
            "Ngân sách hỗ trợ bảo hiểm y tế toàn dân cho học sinh.",
        ],
    ),
    (
        "km",
        "ប័ណ្ណសម្គាល់ខ្លួនឌីជីថល",
        "សម្គាល់ខ្លួនឌីជីថល",
        [
            "ក្រសួងចេញប័ណ្ណសម្គាល់ខ្លួនឌីជីថលដល់ប្រជាជន។",
            "ប័ណ្ណសម្គាល់ខ្លួនឌីជីថលប្រើបានលើទូរស័ព្ទ។",
            "សិស្សក៏អាចស្នើសុំប័ណ្ណសម្គាល់ខ្លួនឌីជីថល។",
        ],
    ),
]


@pytest.mark.parametrize(("code", "container", "fragment", "sentences"), FRAGMENTS, ids=[f[0] for f in FRAGMENTS])
def test_a_fragment_that_never_stands_alone_ranks_below_its_container(code, container, fragment, sentences):
    types = ranked(code, sentences)
    whole, part = row(types, code, container), row(types, code, fragment)
    assert part["independence"] == 0.0
    assert whole["independence"] == 1.0
    assert whole["rank"] < part["rank"]


def test_a_fragment_that_also_stands_alone_keeps_its_independence():
    types = ranked(
        "en",
        [
            "The land registry office opened a new counter.",
            "Farmers visit the land registry office every month.",
            "Each registry office keeps every title deed.",
        ],
    )
    part = row(types, "en", "registry office")
    assert part["freq"] == 3 and part["independence"] == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("code", "sentence", "not_a_term", "term"),
    [
        ("vi", "Tỉnh mới sau sáp nhập có dân số lớn.", "sau sáp nhập", "sáp nhập"),
        ("vi", "Cổng dịch vụ công hoạt động rồi.", "hoạt động rồi", "dịch vụ công"),
        ("th", "หน่วยงานที่จะเปิดบริการภาษีออนไลน์", "หน่วยงานที่จะ", "หน่วยงาน"),
        ("km", "ប្រជាជនបានទទួលប័ណ្ណសុខាភិបាល។", "បានទទួល", "ប័ណ្ណសុខាភិបាល"),
        ("en", "Officials act against tax fraud within weeks.", "against tax fraud", "tax fraud"),
        ("en", "Fees rose for services including land registration.", "including land registration",
         "land registration"),
    ],
)
def test_closed_edge_words_start_and_end_no_candidate(code, sentence, not_a_term, term):
    keys = set(ranked(code, [sentence])["key"])
    assert lang.get(code).key(not_a_term) not in keys
    assert lang.get(code).key(term) in keys


def test_edge_lists_are_per_language_and_one_sided():
    no_start, no_end = edge_words("vi")
    assert "sau" in no_start and "sau" not in no_end
    assert {"đã", "được"} <= no_start & no_end
    assert edge_words("th")[0] and edge_words("km")[1] and edge_words("en")[1]


@pytest.mark.parametrize("code", ["vi", "en"])
def test_ampersand_hyphen_and_dot_stay_inside_names_and_acronyms(code):
    text = (
        "Bộ KH&CN và Sở TT&TT triển khai e-Government 4.0."
        if code == "vi"
        else "The KH&CN office and TT&TT run e-Government 4.0."
    )
    words = [t.text for t in lang.get(code).tokenize(text)]
    assert {"KH&CN", "TT&TT", "e-Government", "4.0"} <= set(words)
    assert words[-1] == "."


def test_a_full_stop_after_an_acronym_ends_the_sentence_not_the_acronym():
    vi = lang.get("vi")
    words = [t.text for t in vi.tokenize("Người lao động đóng BHTN.")]
    assert words[-2:] == ["BHTN", "."]
    # An abbreviation inside the sentence keeps its dot.
    assert "TP." in [t.text for t in vi.tokenize("Trụ sở ở TP. Cần Thơ.")]


@pytest.mark.parametrize(
    ("code", "sentence", "name"),
    [
        # A quoted app name that starts with a term link (ทาง) and so no candidate would start with.
        ("th", "ประชาชนใช้แอป “ทางสะดวก” เพื่อยื่นภาษี", "ทางสะดวก"),
        ("km", "ប្រជាជនប្រើកម្មវិធី «ដើម្បីពលរដ្ឋ» ដើម្បីបង់ពន្ធ។", "ដើម្បីពលរដ្ឋ"),
        ("en", 'Citizens file taxes in the "For You" app.', "For You"),
        ("vi", "Người dân dùng ứng dụng (Sổ sức khỏe điện tử) để khai báo.", "Sổ sức khỏe điện tử"),
    ],
)
def test_a_quoted_or_bracketed_name_is_kept_whole(code, sentence, name):
    found = row(ranked(code, [sentence]), code, name)
    assert found["quoted"] == 1.0


@pytest.mark.parametrize("code", ["km", "th"])
def test_a_known_glossary_term_is_never_cut(code):
    language = lang.get(code)
    terms = sorted(language.known_terms())
    assert terms, "the base glossary has multi-word terms the segmenter would cut"
    filler = "ប្រជាជន" if code == "km" else "ประชาชน"
    for term in terms[:20]:
        text = filler + term + filler
        tokens = language.tokenize(text)
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        at = len(filler)
        assert at in starts and at + len(term) in ends, term


def test_english_term_grammar_demotes_but_keeps_a_verb_phrase():
    types = ranked(
        "en",
        [
            "The registry issued land titles to farmers.",
            "The registry issued land titles again.",
            "Land titles protect farmers.",
        ],
    )
    verb_phrase, term = row(types, "en", "registry issued"), row(types, "en", "land titles")
    assert verb_phrase["grammar"] == 0.0 and term["grammar"] == 1.0
    assert term["rank"] < verb_phrase["rank"]


def test_an_english_genitive_determines_a_term_and_is_not_part_of_it():
    types = ranked(
        "en",
        [
            "Cambodia's land registry opened offices.",
            "The country's land registry keeps titles.",
            "A land registry keeps titles.",
        ],
    )
    term = row(types, "en", "land registry")
    phrases = [row(types, "en", text) for text in ("Cambodia's land registry", "country's land registry")]
    assert term["grammar"] == 1.0
    assert all(p["grammar"] == 0.0 and p["rank"] > term["rank"] for p in phrases)
    assert lang.get("en").pos_tag(["Cambodia’s", "registry"]) == ["OTHER", "NOUN"]


# (language, short form, one-word candidate of the same frequency, sentences)
SHORT_FORMS = [
    (
        "en",
        "LRMS",
        "surveyors",
        [
            "The land office opened LRMS in March.",
            "Provincial surveyors now file plots online.",
        ],
    ),
    (
        "th",
        "PayID",
        "ประชาชน",
        [
            "กรมที่ดินเปิดให้ผู้สำรวจใช้ระบบใหม่แล้ว",
            "ประชาชนชำระค่าธรรมเนียมผ่าน PayID ได้ทุกวัน",
        ],
    ),
    (
        "th",
        "สปก.",
        "ประชาชน",
        [
            "สปก. เปิดให้ยื่นคำขอทางออนไลน์แล้ว",
            "ประชาชนยื่นเอกสารที่สำนักงานจังหวัดได้",
        ],
    ),
    (
        "km",
        "ក.ប.ដ",
        "ប្រជាជន",
        [
            "ក.ប.ដ បានបើកប្រព័ន្ធចុះបញ្ជីថ្មី។",
            "ប្រជាជនអាចដាក់ពាក្យតាមអនឡាញ។",
        ],
    ),
]


@pytest.mark.parametrize(("code", "short", "word", "sentences"), SHORT_FORMS, ids=[f"{a[0]}-{a[1]}" for a in SHORT_FORMS])
def test_a_short_form_is_a_unit_not_a_single_common_word(code, short, word, sentences):
    from termalign.extract.termhood import SHORT_FORM_UNITHOOD, UNIGRAM_UNITHOOD

    types = ranked(code, sentences)
    a, w = row(types, code, short), row(types, code, word)
    assert a["freq"] == w["freq"] == 1
    # An acronym, a mixed-case name or an abbreviation in the language's letters stands for
    # a multi-word name: the unithood of a unit, where a single word gets the discount of one.
    assert a["unithood"] == SHORT_FORM_UNITHOOD > w["unithood"] == UNIGRAM_UNITHOOD


def test_a_lone_latin_word_in_thai_text_is_an_anchor_but_no_short_form():
    from termalign.extract.termhood import UNIGRAM_UNITHOOD

    types = ranked("th", ["ระบบลงทะเบียน (registration) เปิดให้บริการแล้ว", "ประชาชนลงทะเบียนได้ทุกวัน"])
    latin = row(types, "th", "registration")
    assert latin["anchor"] and latin["unithood"] == UNIGRAM_UNITHOOD


def test_a_name_ends_before_a_day_or_a_month():
    # "on" links names (Committee on Budget), so only the calendar word stops the name here.
    types = ranked(
        "en",
        [
            "The Department of Land Records on Tuesday opened a cadastral portal.",
            "The Committee on Public Accounts met in October.",
        ],
    )
    assert row(types, "en", "Department of Land Records")["name"] == 1.0
    assert row(types, "en", "Committee on Public Accounts")["name"] == 1.0
    assert row(types, "en", "Department of Land Records on Tuesday")["name"] == 0.0
