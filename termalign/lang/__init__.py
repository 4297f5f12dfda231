"""The language registry: one object per language owns every language-specific detail."""

from __future__ import annotations

from termalign.errors import TermalignError
from termalign.lang.base import Language, Span, Token
from termalign.lang.km import Khmer
from termalign.lang.latin import English, Vietnamese
from termalign.lang.th import Thai

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (Khmer(), Thai(), Vietnamese(), English())}
CODES: tuple[str, ...] = tuple(LANGUAGES)
#: The pivot language (English): every other language is read through it.
PIVOT: str = next(lang.code for lang in LANGUAGES.values() if lang.is_pivot)
#: The lexicon's second gloss language (Vietnamese).
GLOSS: str = next(lang.code for lang in LANGUAGES.values() if lang.is_gloss)
#: The languages read through the pivot, in registry order (km th vi).
NON_PIVOT: tuple[str, ...] = tuple(code for code in CODES if code != PIVOT)
#: Pairs of languages that spell loans alike (same ``cognate_script``): km–th.
COGNATE_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (a.code, b.code)
    for i, a in enumerate(LANGUAGES.values())
    for b in list(LANGUAGES.values())[i + 1 :]
    if a.cognate_script is not None and a.cognate_script == b.cognate_script
)


def get(code: str) -> Language:
    """The language registered under ``code`` (``km``, ``th``, ``vi``, ``en``)."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise TermalignError(f"unknown language code {code!r} (known: {', '.join(CODES)})") from None


def identify(text: str) -> str | None:
    """The language whose script test claims most of ``text``; ``None`` without letters."""
    best, best_share = None, 0.0
    for lang in LANGUAGES.values():
        share = lang.script_share(text)
        if share > best_share:
            best, best_share = lang.code, share
    return best


__all__ = [
    "CODES", "COGNATE_PAIRS", "GLOSS", "LANGUAGES", "NON_PIVOT", "PIVOT",
    "Language", "Span", "Token", "get", "identify",
]
