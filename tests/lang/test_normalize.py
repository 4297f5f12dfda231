from hypothesis import given, settings
from hypothesis import strategies as st

from termalign import lang
from termalign.lang.km import normalize_khmer
from termalign.normalize import clean

KM = lang.get("km")
TH = lang.get("th")

khmer_text = st.text(alphabet=st.characters(min_codepoint=0x1780, max_codepoint=0x17FF), max_size=40)
latin_text = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-'\"()&/%", max_size=60
)
any_text = st.text(max_size=60)


def test_khmer_encoding_variants_share_a_key():
    # subscript TA / subscript DA, both spellings in the seeds
    assert KM.key("ប្តូរ") == KM.key("ប្ដូរ")
    assert KM.key("ការផ្លាស់ប្តូរឌីជីថល") == KM.key("ការផ្លាស់ប្ដូរឌីជីថល")
    # the same signs typed in another order
    assert KM.key("ហេដ្ឋារចនាសម្ព័ន្ធ") == KM.key("ហេដ្ឋារចនាសម័្ពន្ធ")
    assert KM.key("ឲ្យ") == KM.key("ឱ្យ")


def test_display_normalization_keeps_subscript_letters_but_fixes_order():
    assert normalize_khmer("ហេដ្ឋារចនាសម័្ពន្ធ") == "ហេដ្ឋារចនាសម្ព័ន្ធ"
    assert normalize_khmer("ប្ដូរ") == "ប្ដូរ"  # display keeps the letter as written


def test_different_words_keep_different_keys():
    assert KM.key("សេដ្ឋកិច្ចឌីជីថល") != KM.key("សង្គមឌីជីថល")
    assert TH.key("เศรษฐกิจดิจิทัล") != TH.key("สังคมดิจิทัล")


def test_invisible_characters_and_odd_spaces_do_not_split_terms():
    assert KM.key("ការផ្លាស់\u200bប្តូរ") == KM.key("ការផ្លាស់ប្តូរ")
    assert TH.key("การเปลี่ยนแปลง\u00a0ทางดิจิทัล") == TH.key("การเปลี่ยนแปลงทางดิจิทัล")
    assert TH.key("การเปลี่ยนแปลง ทางดิจิทัล") == TH.key("การเปลี่ยนแปลงทางดิจิทัล")
    assert lang.get("en").key("Digital\u00a0 Economy") == "digital economy"


def test_vietnamese_tone_placement_variants_share_a_key():
    vi = lang.get("vi")
    assert vi.key("số hoá") == vi.key("số hóa")
    assert vi.key("Uỷ ban") == vi.key("Ủy ban")
    assert vi.key("thuỷ lợi") == vi.key("thủy lợi")
    assert vi.key("hoà bình") != vi.key("hòa hợp")


def test_latin_keys_fold_case_only():
    assert lang.get("en").key("VNeID") == lang.get("en").key("vneid")
    assert lang.get("vi").key("Chính phủ số") == lang.get("vi").key("chính phủ số")
    assert lang.get("vi").key("chính phủ số") != lang.get("vi").key("chinh phu so")


@given(any_text)
def test_clean_is_idempotent(text):
    assert clean(clean(text)) == clean(text)


@given(khmer_text)
def test_khmer_normalization_is_idempotent_and_never_longer(text):
    once = normalize_khmer(text)
    assert normalize_khmer(once) == once
    assert len(once) <= len(text)
    assert len(KM.key(text)) <= len(once)
    assert KM.key(KM.key(text)) == KM.key(text)


@given(latin_text)
def test_normalizers_never_change_latin_text(text):
    for code in lang.CODES:
        assert lang.get(code).normalize(text) == text


@settings(max_examples=200)
@given(any_text)
def test_every_key_is_idempotent_and_bounded(text):
    for code in lang.CODES:
        language = lang.get(code)
        key = language.key(text)
        assert language.key(key) == key
        # case folding may expand a letter (ß → ss, ﬀ → ff) but never more than threefold
        assert len(key) <= 3 * len(text)
        assert len(language.normalize(text)) <= 3 * len(text)
