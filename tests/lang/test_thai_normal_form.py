"""Thai normalization skips pythainlp's rules only where none of them could change the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util import remove_repeat_vowels, reorder_vowels

from termalign.lang.th import _normalize_thai
from termalign.normalize import clean

#: Thai letters, vowels, tone marks and signs, with spaces, a Latin letter and a digit: every
#: character pythainlp's rules look at, in any order.
THAI_AND_SPACE = st.text(
    alphabet=st.sampled_from([chr(c) for c in range(0x0E01, 0x0E5C)] + [" ", "a", "1"]), max_size=12
)


def pythainlp_rules(text: str) -> str:
    return remove_repeat_vowels(reorder_vowels(clean(text)))


@settings(max_examples=3000, deadline=None)
@given(THAI_AND_SPACE)
def test_the_shortcut_gives_what_pythainlp_gives(text):
    assert _normalize_thai.__wrapped__(text) == pythainlp_rules(text)


def test_each_rule_is_still_applied():
    cases = {
        "เเปลก": "แปลก",  # two SARA E
        "ก่ิ": "กิ่",  # tone mark before an above vowel
        "กํา": "กำ",  # NIKHAHIT + SARA AA
        "กา่": "ก่า",  # following vowel before its tone mark
        "กๅ": "กา",  # LAKKHANGYAO
        "ดีีี": "ดี",  # a repeated vowel
        "ก่่": "ก่",  # a repeated tone mark
    }
    for raw, normal in cases.items():
        assert pythainlp_rules(raw) == normal
        assert _normalize_thai.__wrapped__(raw) == normal
    assert _normalize_thai.__wrapped__("รัฐบาลดิจิทัล") == "รัฐบาลดิจิทัล"
