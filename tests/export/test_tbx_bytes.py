"""The TBX writer writes the bytes the lxml writer of commit 00e7495 wrote
(:mod:`.tbx_reference`), for every concept a store or a caller can hand it."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termalign.export import export_termbase
from termalign.export.tbx import write_tbx
from termalign.store.concepts import CONCEPT_STATUSES, Concept, Context, Note, Term

from . import tbx_reference

#: Texts whose keys collide in a language (spacing, case, Thai spaces) or that XML must escape
#: or cannot carry, beside arbitrary text.
NASTY = [
    "VNeID", "vneid", "a b", "a\tb", " a  b ", "กข", "ก ข", "ការ", "ការ ", "&<>\"'", "]]>", "x\r\ny",
    "bad\x00\x0bterm", "\ufffe\uffff", "😀 emoji", "\u2028\x85", "",
]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
optional = st.one_of(st.none(), texts)
dates = st.sampled_from([None, "", "2024-01-02T03:04:05Z", "2024-01-02", "2024-13-99x", "yesterday"])
contexts = st.builds(Context, texts, optional)
terms = st.builds(
    Term,
    st.sampled_from(["km", "th", "vi", "en", "fr"]),
    texts,
    st.sampled_from(["preferred", "admitted", "deprecated", "weird"]),
    st.one_of(st.none(), st.sampled_from(["NOUN", "ADJ", "noun", "weird-tag", " Verb "]), texts),
    optional,
    st.lists(contexts, max_size=2),
)
notes = st.builds(
    Note,
    st.one_of(
        texts,
        texts.map(lambda t: f"definition: {t}"),
        st.tuples(st.sampled_from(["km", "th", "en", "xx"]), texts).map(lambda p: f"[{p[0]}] definition: {p[1]}"),
        st.tuples(st.sampled_from(["km", "en"]), texts, st.sampled_from(["acronym", "phrase", "bogus"])).map(
            lambda p: f"[{p[0]}] {p[1]}: term type: {p[2]}"
        ),
    ),
)
concepts = st.builds(
    Concept,
    terms=st.lists(terms, max_size=6),
    status=st.sampled_from(CONCEPT_STATUSES),
    subject_field=optional,
    notes=st.lists(notes, max_size=3),
    id=st.one_of(st.none(), st.integers(0, 10**12)),
    created_at=dates,
    updated_at=dates,
    updated_by=optional,
)
#: (TBX version, Weblate's conventions) of every kind of file the writer writes.
KINDS = [(3, False), (2, False), (2, True)]


def both(concepts: list[Concept], version: int, weblate: bool, description: str = "") -> tuple[bytes, bytes]:
    new, old = io.BytesIO(), io.BytesIO()
    count = write_tbx(concepts, new, version=version, weblate=weblate, description=description)
    assert tbx_reference.write_tbx(concepts, old, version=version, weblate=weblate, description=description) == count
    return new.getvalue(), old.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.lists(concepts, max_size=4), st.sampled_from(KINDS), st.sampled_from(["", "a & b <c>", "line\r\nbreak"]))
def test_any_concepts_are_written_as_the_lxml_writer_wrote_them(batch, kind, description):
    new, old = both(batch, *kind, description=description)
    assert new == old


@pytest.mark.parametrize("kind", KINDS)
def test_no_entry_and_empty_concepts(kind):
    for batch in ([], [Concept(terms=[])], [Concept(terms=[Term("en", "  ")])]):
        new, old = both(batch, *kind)
        assert new == old


@pytest.mark.parametrize("text", ["bad\x00", "\ufffe"])
def test_a_status_or_description_xml_cannot_carry_is_refused_as_before(text):
    concept = Concept(terms=[Term("en", "a")], status=text)
    for writer in (write_tbx, tbx_reference.write_tbx):
        with pytest.raises(ValueError):
            writer([concept], io.BytesIO())
        with pytest.raises(ValueError):
            writer([Concept(terms=[Term("en", "a")])], io.BytesIO(), description=text)


@pytest.mark.parametrize(("tbx_version", "unreviewed"), [(3, False), (3, True), (2, True)])
def test_seed_store_exports_as_before(seed_store, monkeypatch, tbx_version, unreviewed):
    new, old = io.BytesIO(), io.BytesIO()
    export_termbase(seed_store, new, "tbx", tbx_version=tbx_version, include_unreviewed=unreviewed)
    monkeypatch.setattr("termalign.export.write_tbx", tbx_reference.write_tbx)
    export_termbase(seed_store, old, "tbx", tbx_version=tbx_version, include_unreviewed=unreviewed)
    assert new.getvalue() == old.getvalue()
