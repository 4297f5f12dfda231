"""Thai sentences are cut by rule at spaces, without a second segmentation pass."""

from __future__ import annotations

from termalign.lang import get

FIRST = "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมประกาศแผนพัฒนาบริการภาครัฐฉบับใหม่"
SECOND = "ประชาชนสามารถยื่นคำขอผ่านระบบออนไลน์ได้ทุกวันโดยไม่ต้องเดินทาง"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in get("th").split_sentences(text)]


def test_a_space_between_two_long_clauses_ends_a_sentence():
    assert sentences(f"{FIRST} {SECOND}") == [FIRST, SECOND]


def test_a_short_chunk_beside_a_space_stays_in_its_sentence():
    text = f"คณะกรรมการประชาชนจังหวัด บั๊กกัน {SECOND}"
    assert sentences(text) == [text]


def test_spaces_around_numbers_and_latin_words_do_not_cut():
    text = f"{FIRST} 2566 {SECOND} AI {FIRST}"
    assert sentences(text) == [text]


def test_line_breaks_and_question_marks_still_end_sentences():
    assert sentences(f"{FIRST}?\n{SECOND}") == [f"{FIRST}?", SECOND]


def test_splitting_does_not_segment_words(monkeypatch):
    import pythainlp.tokenize as tokenize

    def refuse(*args, **kwargs):
        raise AssertionError("the sentence splitter ran a word segmenter")

    monkeypatch.setattr(tokenize, "sent_tokenize", refuse)
    monkeypatch.setattr(tokenize, "word_tokenize", refuse)
    assert len(sentences(f"{FIRST} {SECOND}")) == 2
