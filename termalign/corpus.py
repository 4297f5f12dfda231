"""The corpus types every stage shares: an article as read, and as ingested.

They sit below the store and the pipeline stages, so the store can write a document
without importing the ingest pipeline that produced it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from termalign.lang import Token

Residue = tuple[int, int, str]  # start, end, reason


@dataclass(frozen=True)
class RawDocument:
    """An article as read from disk: its text and what the file says about it."""

    path: str  # file path, or ``file#line`` for a JSONL article
    text: str
    title: str | None = None
    url: str | None = None
    lang: str | None = None


@dataclass
class Sentence:
    start: int
    end: int
    lang: str
    tokens: list[Token] = field(default_factory=list)
    #: The matching key of each token (computed here, in the worker processes).
    keys: list[str] = field(default_factory=list)


@dataclass
class Document:
    """An ingested article. Every offset slices :attr:`text` exactly."""

    path: str
    text: str
    sha256: str
    lang: str
    title: str | None
    url: str | None
    residue: list[Residue]
    #: A list; or, for an article segmented as it is stored (``process(raw, stream=True)``),
    #: a one-pass iterator, read once by the store.
    sentences: list[Sentence] | Iterator[Sentence]
