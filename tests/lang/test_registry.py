"""The registry owns language roles (pivot, gloss, cognates) and each language's skeleton."""

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import termalign
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


def test_each_language_owns_its_loan_letters():
    # Pali/Sanskrit cognates meet on their Brahmi letters; Latin languages have none.
    from termalign.align.cognates import COGNATE_THRESHOLD
    from termalign.lexicon.translit import cognate_similarity

    km, th = lang.get("km"), lang.get("th")
    assert km.cognate_letters("គណៈកម្មាធិការ") == "gnkmWk"
    assert cognate_similarity(km.cognate_letters("សេដ្ឋកិច្ច"), th.cognate_letters("เศรษฐกิจ")) >= COGNATE_THRESHOLD
    assert cognate_similarity(km.cognate_letters("សេដ្ឋកិច្ច"), th.cognate_letters("รัฐบาล")) < COGNATE_THRESHOLD
    assert lang.get("en").cognate_letters("economy") == ""
    # English loans are read through a letter transcription only where the script spells them by sound.
    assert lang.get("th").transcribe("ดิจิทัล") and lang.get("km").transcribe("ឌីជីថល")
    assert lang.get("vi").transcribe("số") is None


def _language_code_branches(root) -> list[str]:
    """``code == "km"``, ``code in ("km", "th")`` and the like: comparisons of a value with a
    literal language code."""
    codes = set(lang.CODES)

    def literal_codes(node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in codes
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return any(literal_codes(e) for e in node.elts)
        return False

    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(literal_codes(n) for n in [node.left, *node.comparators]):
                found.append(f"{path}:{node.lineno}")
    return found


def test_no_language_code_branches_outside_the_registry():
    package = Path(termalign.__file__).parent
    tui = package.parent / "tui"
    found = [
        hit
        for root in (package, tui)
        if root.is_dir()
        for hit in _language_code_branches(root)
        if not Path(hit.split(":")[0]).is_relative_to(package / "lang")
    ]
    assert found == []
