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
