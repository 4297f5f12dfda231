"""Fixtures for termbase files: the seed termbase, the official TBX samples, store dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Context, Note, Term, insert_concept

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
TBX_DATA = ROOT / "tests" / "data" / "tbx"

# Concepts of the seed articles (design notes: the same notion under several terms, encoding
# variants, Latin anchors), as (status, subject field, {lang: [(text, term status, pos)]}).
SEED_CONCEPTS = [
    ("approved", "e-government", {
        "km": [("ការផ្លាស់ប្តូរឌីជីថល", "preferred", "noun"), ("បរិវត្តកម្មឌីជីថល", "admitted", "noun"),
               ("ការបំប្លែងឌីជីថល", "admitted", None)],
        "th": [("การเปลี่ยนแปลงทางดิจิทัล", "preferred", "noun"), ("การเปลี่ยนผ่านสู่ดิจิทัล", "admitted", None),
               ("ดิจิทัลทรานส์ฟอร์เมชัน", "deprecated", None)],
        "vi": [("chuyển đổi số", "preferred", "NOUN")],
        "en": [("digital transformation", "preferred", "noun")],
    }),
    ("approved", "e-government", {
        "km": [("សេដ្ឋកិច្ចឌីជីថល", "preferred", None)],
        "th": [("เศรษฐกิจดิจิทัล", "preferred", None)],
        "vi": [("kinh tế số", "preferred", None)],
        "en": [("digital economy", "preferred", "noun")],
    }),
    ("approved", None, {
        "km": [("ពលរដ្ឋឌីជីថល", "preferred", None)],
        "vi": [("công dân số", "preferred", None)],
        "en": [("digital citizen", "preferred", None)],
    }),
    ("approved", "public administration", {
        "km": [("គណៈកម្មាធិការប្រជាជន", "preferred", None)],
        "th": [("คณะกรรมการประชาชน", "preferred", None)],
        "vi": [("Ủy ban nhân dân", "preferred", None)],
        "en": [("People's Committee", "preferred", "PROPN")],
    }),
    ("approved", None, {"th": [("VNeID", "preferred", None)], "en": [("VNeID", "preferred", None)]}),
    ("unreviewed", None, {"th": [("OCOP", "preferred", None)], "en": [("OCOP", "preferred", None)]}),
    ("rejected", None, {"km": [("ខេត្ត Lang Son", "preferred", None)], "en": [("Lang Son", "preferred", None)]}),
]


def _context(text: str) -> Context | None:
    """The first line of a seed article that contains ``text``, trimmed around it."""
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            at = line.find(text)
            if at >= 0:
                return Context(line[max(0, at - 80) : at + len(text) + 80].strip(), f"seeds/{path.name}")
    return None


def seed_concepts() -> list[Concept]:
    concepts = []
    for i, (status, subject, by_lang) in enumerate(SEED_CONCEPTS):
        terms = []
        for lang, rows in by_lang.items():
            for text, term_status, pos in rows:
                context = _context(text)
                terms.append(Term(lang, text, term_status, pos, "seed articles", [context] if context else []))
        concepts.append(
            Concept(
                terms=terms, status=status, subject_field=subject, origin="align", score=0.9,
                notes=[Note("Seen in VOV & Chinhphu.vn <news> articles")] if i == 0 else [],
                created_at="2024-03-01T08:00:00Z", updated_at="2024-03-02T09:30:00Z",
                updated_by="sokha" if status != "unreviewed" else None,
            )
        )
    return concepts


def add_concepts(conn: sqlite3.Connection, concepts: list[Concept]) -> list[int]:
    with transaction(conn):
        return [insert_concept(conn, c) for c in concepts]


def dump_store(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table: equal dumps mean an unchanged store."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [tuple(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')] for t in tables}


@pytest.fixture
def seed_store(tmp_path):
    """A store holding the seed termbase (approved, unreviewed and rejected concepts)."""
    conn = open_store(tmp_path / "seed.db")
    add_concepts(conn, seed_concepts())
    yield conn
    conn.close()


@pytest.fixture
def empty_store(tmp_path):
    conn = open_store(tmp_path / "empty.db")
    yield conn
    conn.close()


@pytest.fixture
def tbx_data() -> Path:
    return TBX_DATA
