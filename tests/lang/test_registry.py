"""The registry owns language roles (pivot, gloss, cognates) and each language's skeleton."""

from hypothesis import given
from hypothesis import strategies as st

from termalign import lang
from termalign.lexicon.translit import similarity


def test_roles_come_from_the_language_objects():
    assert lang.PIVOT == "en" and lang.get(lang.PIVOT).is_pivot
    assert lang.GLOSS == "vi" and lang.get(lang.GLOSS).is_gloss
    assert lang.NON_PIVOT == ("km", "th", "vi")
    assert lang.COGNATE_PAIRS == (("km", "th"),)


def test_each_language_owns_its_skeleton():
    assert lang.get("km").skeleton("ឌីជីថល") == lang.get("th").skeleton("ดิจิทัล") == lang.get("en").skeleton("digital")
    assert lang.get("vi").skeleton("chuyển đổi số") is None


def _levenshtein_similarity(a: str, b: str) -> float:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / max(len(a), len(b))


@given(st.text(alphabet="KTPFMNLRSYW", max_size=12), st.text(alphabet="KTPFMNLRSYW", max_size=12))
def test_similarity_is_one_minus_normalized_levenshtein(a, b):
    expected = _levenshtein_similarity(a, b) if a and b else 0.0
    assert similarity(a, b) == expected
