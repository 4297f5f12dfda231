"""The filter language of the review screen: ``status:unreviewed missing:km score:0.5-0.9``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from termalign import lang as languages
from termalign.errors import TermalignError
from termalign.store.concepts import CONCEPT_STATUSES


@dataclass(frozen=True)
class Filters:
    """What the proposals table shows. ``None`` means "any"."""

    status: str | None = None
    missing: str | None = None  # a language code the concept has no term in
    score_min: float | None = None
    score_max: float | None = None
    origin: str | None = None
    search: str = ""

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, "")}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Filters:
        try:
            data = json.loads(text or "{}")
        except json.JSONDecodeError:
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def parse(cls, expression: str, search: str = "") -> Filters:
        """Parse a filter expression: ``status:unreviewed missing:km score:0.5-0.9 origin:align``.

        Words are ``key:value``; ``score:0.5`` means at least 0.5, ``score:-0.4`` at most 0.4.
        Raises :class:`TermalignError` on an unknown key or a bad value.
        """
        out: dict[str, object] = {"search": search}
        for word in expression.split():
            key, sep, value = word.partition(":")
            if not sep or not value:
                raise TermalignError(f"filter words look like key:value, not {word!r}")
            if key == "status":
                if value not in (*CONCEPT_STATUSES, "any"):
                    raise TermalignError(f"status is one of {', '.join(CONCEPT_STATUSES)}, any")
                out["status"] = None if value == "any" else value
            elif key == "missing":
                out["missing"] = languages.get(value).code
            elif key == "origin":
                out["origin"] = value
            elif key == "score":
                low, dash, high = value.partition("-")
                try:
                    out["score_min"] = float(low) if low else None
                    out["score_max"] = float(high) if high else None
                except ValueError:
                    raise TermalignError(f"score range looks like 0.5-0.9, not {value!r}") from None
            else:
                raise TermalignError(f"unknown filter {key!r} (status, missing, score, origin)")
        return cls(**out)  # type: ignore[arg-type]

    def search_keys(self) -> tuple[tuple[str, str, bool], ...]:
        """What the search text matches, per language: (code, needle, loose). The needle is
        the text's matching key in that language (so ``ផ្លាស់ប្ដូរ`` finds ``ផ្លាស់ប្តូរ``);
        ``loose`` where the language has a looser key and the text was typed without the
        marks it folds (``chuyen doi`` finds ``chuyển đổi``)."""
        text = self.search.strip()
        if not text:
            return ()
        out = []
        for code, language in languages.LANGUAGES.items():
            key = language.key(text)
            loose = language.loose_key(key)
            out.append((code, loose if loose == key else key, loose == key))
        return tuple(out)

    def expression(self) -> str:
        """The filter expression that :meth:`parse` turns back into these filters."""
        words = []
        if self.status:
            words.append(f"status:{self.status}")
        if self.missing:
            words.append(f"missing:{self.missing}")
        if self.score_min is not None or self.score_max is not None:
            low = "" if self.score_min is None else f"{self.score_min:g}"
            high = "" if self.score_max is None else f"{self.score_max:g}"
            words.append(f"score:{low}-{high}" if high else f"score:{low}")
        if self.origin:
            words.append(f"origin:{self.origin}")
        return " ".join(words)
