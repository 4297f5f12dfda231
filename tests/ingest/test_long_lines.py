"""Long unbroken text is segmented in bounded pieces, and nothing of it is lost."""

from __future__ import annotations

import re
from pathlib import Path

from termalign.corpus import RawDocument
from termalign.ingest.pipeline import MAX_SENTENCE_CHARS, bounded_pieces, process

ROOT = Path(__file__).resolve().parent.parent.parent
KHMER_NEWS = ROOT / "corpora" / "ntrex128" / "newstest2019-ref.khm.txt"


def unbroken_khmer(chars: int) -> str:
    """NTREX Khmer sentences run together on one line, with no sentence end and no space."""
    text = re.sub(r"[\s\u200b។៕?!]+", "", KHMER_NEWS.read_text(encoding="utf-8"))
    return text[:chars]


def test_pieces_are_bounded_cut_between_clusters_and_lose_nothing():
    text = unbroken_khmer(9_000)
    pieces = list(bounded_pieces(text, 0, len(text), limit=1000))
    assert len(pieces) >= 9
    assert all(e - s <= 1000 for s, e in pieces)
    # contiguous: the pieces together are the text
    assert "".join(text[s:e] for s, e in pieces) == text
    for s, _ in pieces[1:]:
        assert text[s - 1] != "\u17d2"  # never right after a coeng
        assert not ("\u17b6" <= text[s] <= "\u17d3")  # never before a vowel sign or mark


def test_pieces_prefer_whitespace():
    words = " ".join(["ក្រសួង"] * 400)
    pieces = list(bounded_pieces(words, 0, len(words), limit=100))
    assert all(words[s:e].split() == ["ក្រសួង"] * len(words[s:e].split()) for s, e in pieces)
    assert sum(len(words[s:e].split()) for s, e in pieces) == 400


def test_short_sentences_are_not_cut():
    text = "ក្រសួងសុខាភិបាល"
    assert list(bounded_pieces(text, 0, len(text))) == [(0, len(text))]


def test_a_single_line_khmer_article_becomes_bounded_sentences():
    text = unbroken_khmer(3 * MAX_SENTENCE_CHARS + 500)
    doc = process(RawDocument("long.txt", text, lang="km"))
    assert len(doc.sentences) >= 4
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in doc.sentences)
    # every character is in a sentence, and the tokens cover the letters of the text
    assert "".join(text[s.start : s.end] for s in doc.sentences) == text
    covered = sum(t.end - t.start for s in doc.sentences for t in s.tokens)
    assert covered > 0.95 * len(text)


def test_models_are_loaded_before_workers_fork(tmp_path):
    from termalign.ingest import _warm_languages
    from termalign.lang.km import _khmer_tagger

    article = tmp_path / "km.txt"
    article.write_text(unbroken_khmer(300), encoding="utf-8")
    _khmer_tagger.cache_clear()
    _warm_languages([article])
    assert _khmer_tagger.cache_info().currsize == 1


def test_a_streamed_article_is_segmented_as_it_is_read(monkeypatch):
    """``process(stream=True)`` segments one piece per sentence read, not all at once."""
    from termalign import lang as languages

    text = unbroken_khmer(4 * MAX_SENTENCE_CHARS)
    khmer = languages.get("km")
    calls = []
    real = type(khmer).tokenize

    def counting(self, piece, offset=0, tag=False):
        calls.append(offset)
        return real(self, piece, offset=offset, tag=tag)

    monkeypatch.setattr(type(khmer), "tokenize", counting)
    doc = process(RawDocument("long.txt", text, lang="km"), stream=True)
    assert calls == []
    sentences = iter(doc.sentences)
    next(sentences)
    assert len(calls) == 1
    rest = list(sentences)
    assert len(calls) == 1 + len(rest) >= 4


def _stored(db):
    import sqlite3

    conn = sqlite3.connect(db)
    rows = conn.execute(
        'SELECT d.path, s.idx, s.start, s."end", s.lang, t.idx, t.start, t."end", t.text, t.key, t.kind, t.pos '
        "FROM documents d JOIN sentences s ON s.document_id = d.id JOIN tokens t ON t.sentence_id = s.id "
        "ORDER BY d.path, s.idx, t.idx"
    ).fetchall()
    conn.close()
    return rows


def test_a_long_article_stores_what_a_worker_would_have_stored(tmp_path, monkeypatch):
    """Articles over ``STREAM_CHARS`` are segmented while they are stored, in this process,
    in input order among the workers' documents: the store holds the same rows."""
    import termalign.ingest as ingest
    from termalign.ingest import ingest_paths
    from termalign.store import open_store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(unbroken_khmer(3 * MAX_SENTENCE_CHARS), encoding="utf-8")
    (corpus / "b.txt").write_text("ក្រសួងសុខាភិបាល។ រដ្ឋាភិបាលឌីជីថល។\n", encoding="utf-8")
    (corpus / "c.txt").write_text(unbroken_khmer(2 * MAX_SENTENCE_CHARS + 77), encoding="utf-8")
    rows = {}
    for label, stream_chars, workers in (("whole", 10**9, 1), ("streamed", 1000, 1), ("pool", 1000, 2)):
        monkeypatch.setattr(ingest, "STREAM_CHARS", stream_chars)
        db = tmp_path / f"{label}.db"
        with open_store(db) as conn:
            report = ingest_paths(conn, [corpus], workers=workers)
        assert [r.action for r in report.results] == ["added"] * 3 and not report.errors
        rows[label] = _stored(db)
    assert rows["whole"] and rows["streamed"] == rows["whole"] and rows["pool"] == rows["whole"]


def test_script_counts_are_letters_whatever_the_runs():
    from termalign.normalize import script_fraction

    mixed = "ក្រសួង ABC ไทย\u200bdé ១២ ក"
    khmer = sum(1 for c in mixed if "\u1780" <= c <= "\u17ff")
    latin = sum(1 for c in mixed if c.isascii() and c.isalpha()) + 1  # é
    thai = 3
    assert script_fraction(mixed, "khmer") == khmer / (khmer + latin + thai)
    assert script_fraction(mixed, "latin") == latin / (khmer + latin + thai)
