"""The language registry: one object per language owns every language-specific detail."""

from __future__ import annotations

from termalign.errors import TermalignError
from termalign.lang.base import Language, Span, Token
from termalign.lang.km import Khmer
from termalign.lang.latin import English, Vietnamese
from termalign.lang.th import Thai

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (Khmer(), Thai(), Vietnamese(), English())}
CODES: tuple[str, ...] = tuple(LANGUAGES)


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


__all__ = ["LANGUAGES", "CODES", "Language", "Span", "Token", "get", "identify"]
