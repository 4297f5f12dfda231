"""Property: export → import into an empty store → export gives the same bytes, for TBX v3,
TBX v2, CSV and TSV, over generated termbases (Khmer and Thai text, XML-special characters,
empty languages, characters XML cannot carry)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termalign import lang as languages
from termalign.export import export_termbase, import_termbase
from termalign.export.base import letterless, text_of
from termalign.store import open_store
from termalign.store.concepts import CONCEPT_STATUSES, TERM_STATUSES, Concept, Context, Note, Term

from .conftest import add_concepts
from .tbx_validation import relaxng_errors, schematron_findings

ALPHABET = st.sampled_from(
    list("ករខគ្តដឌីថលេ")  # Khmer letters, coeng, vowel signs
    + list("กขคดทปิีเแ่้")  # Thai letters, vowels, tone marks
    + list("aAzđươệ̀")  # Latin and Vietnamese (one combining mark)
    + list("&<>\"'|\\ \t\n")  # XML-special characters, the cell separator, whitespace
    + list("=+-@")  # formula starts, neutralized in spreadsheet cells
    + ["\x0b", "\u200b", "\U0001f600"]  # not XML, zero-width, astral
)
TEXT = st.text(ALPHABET, min_size=0, max_size=12)
# A term needs a letter (import refuses numbers and formulas); an empty one is not written.
TERM_TEXT = TEXT.filter(lambda t: not text_of(t) or not letterless(t))
DATES = st.sampled_from(["2024-01-02T03:04:05Z", "2023-12-31", "2025-06-30T23:59:59+07:00"])


@st.composite
def terms(draw, lang: str) -> list[Term]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        contexts = [Context(draw(TEXT), draw(st.none() | TEXT)) for _ in range(draw(st.integers(0, 2)))]
        out.append(Term(
            lang, draw(TERM_TEXT), draw(st.sampled_from(TERM_STATUSES)),
            draw(st.sampled_from([None, "noun", "NOUN", "verb", "adj", "weird"])), draw(st.none() | TEXT), contexts,
        ))
    return out


@st.composite
def concepts(draw) -> Concept:
    return Concept(
        terms=[t for code in languages.CODES for t in draw(terms(code))],
        status=draw(st.sampled_from(CONCEPT_STATUSES)),
        subject_field=draw(st.none() | TEXT),
        notes=[Note(draw(TEXT)) for _ in range(draw(st.integers(0, 2)))],
        created_at=draw(DATES), updated_at=draw(DATES), updated_by=draw(st.none() | TEXT),
    )


# Stores on a RAM disk where there is one: the property creates five stores per example.
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None

FORMATS = [("tbx", 3, "x.tbx"), ("tbx", 2, "x.tbx"), ("csv", 3, "x.csv"), ("tsv", 3, "x.tsv")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(concepts(), min_size=1, max_size=5))
def test_export_import_export_is_byte_identical(termbase):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as d:
        d = Path(d)
        source = open_store(d / "source.db")
        add_concepts(source, termbase)
        for fmt, version, name in FORMATS:
            first, second = d / f"1-{version}-{name}", d / f"2-{version}-{name}"
            n = export_termbase(source, first, fmt, tbx_version=version, include_unreviewed=True)
            target = open_store(d / f"target-{fmt}-{version}.db")
            report = import_termbase(target, first, reviewer="prop")
            assert report.added == n and not report.conflicts
            assert export_termbase(target, second, fmt, tbx_version=version, include_unreviewed=True) == n
            assert first.read_bytes() == second.read_bytes(), (fmt, version)
            target.close()
        v3 = d / "1-3-x.tbx"
        assert relaxng_errors(v3) == []
        assert schematron_findings(v3) == []
        source.close()
