"""From raw article text to residue spans, language-tagged sentences and word tokens."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from termalign import lang as languages
from termalign.corpus import Document, RawDocument, Residue, Sentence
from termalign.ingest.residue import find_residue, wire_datelines


def content_hash(doc: RawDocument) -> str:
    h = hashlib.sha256(doc.text.encode("utf-8"))
    for extra in (doc.title, doc.url, doc.lang):
        h.update(b"\x00" + (extra or "").encode("utf-8"))
    return h.hexdigest()


#: Longest stretch (characters) handed to a segmenter at once. A line with no sentence end
#: (a 1 MB Khmer line) would otherwise become one sentence whose segmentation and tagging
#: hold every token at once; cut into pieces, memory is bounded by the piece. 2,000
#: characters is about ten times a long news sentence, so ordinary text is never cut.
MAX_SENTENCE_CHARS = 2000
#: How far back from the limit a cut looks for whitespace before cutting between letters.
CUT_LOOKBACK = 400


def _can_cut(text: str, i: int) -> bool:
    """True between two clusters: not before a combining mark nor after a Khmer coeng."""
    return not unicodedata.category(text[i]).startswith("M") and text[i - 1] != "\u17d2"


def bounded_pieces(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``limit`` characters, cut at the last
    whitespace near the limit, else at the last cluster boundary before it."""
    while end - start > limit:
        cut = start + limit
        space = max(text.rfind(" ", cut - CUT_LOOKBACK, cut), text.rfind("\u200b", cut - CUT_LOOKBACK, cut))
        if space > start:
            cut = space
        else:
            while cut > start + 1 and not _can_cut(text, cut):
                cut -= 1
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            yield start, piece_end
        start = cut
        while start < end and (text[start].isspace() or text[start] == "\u200b"):
            start += 1
    if end > start:
        yield start, end


@lru_cache(maxsize=1 << 18)
def token_key(code: str, text: str) -> str:
    """The key of a token, computed once per distinct word (words repeat: most of a
    corpus's tokens are a few thousand words)."""
    return languages.get(code).key(text)


def _body_blocks(text: str, residue: list[Residue]) -> list[tuple[int, int]]:
    """The stretches of ``text`` between residue spans, cut at blank lines."""
    blocks, pos = [], 0
    for s, e, _ in sorted(residue) + [(len(text), len(text), "")]:
        if s > pos:
            chunk_start = pos
            for part in text[pos:s].split("\n"):
                if part.strip():
                    blocks.append((chunk_start, chunk_start + len(part)))
                chunk_start += len(part) + 1
        pos = max(pos, e)
    return blocks


def _main_language(text: str) -> str:
    counts: Counter[str] = Counter()
    for line in text.split("\n"):
        code = languages.identify(line)
        if code:
            counts[code] += len(line)
    return counts.most_common(1)[0][0] if counts else languages.PIVOT


#: Kind of the words of a wire dateline: story evidence (documents), never a term.
DATELINE_KIND = "dateline"


def _sentences(text: str, main: str, residue: list[Residue]) -> Iterator[Sentence]:
    """The language-tagged, tokenized sentences of ``text``, one bounded piece at a time."""
    datelines = wire_datelines(text, residue)
    for b_start, b_end in _body_blocks(text, residue):
        block = text[b_start:b_end]
        # Split with the language of the block, then identify each sentence on its own:
        # a Khmer article may carry a Vietnamese quotation or caption fragment.
        block_lang = languages.identify(block) or main
        spans = languages.get(block_lang).split_sentences(block)
        for s, e in (p for bs, be in spans for p in bounded_pieces(text, b_start + bs, b_start + be)):
            code = languages.identify(text[s:e]) or main
            if code != main and languages.get(code).spaced and not languages.get(main).spaced:
                # Latin names inside Khmer/Thai prose do not make a sentence English.
                latin_words = len(text[s:e].split())
                code = code if latin_words >= 3 and languages.get(main).script_share(text[s:e]) < 0.2 else main
            language = languages.get(code)
            tokens = language.tokenize(text[s:e], offset=s, tag=True)
            if datelines and s < datelines[-1][1]:
                tokens = [
                    replace(t, kind=DATELINE_KIND)
                    if t.kind == "word" and any(ds <= t.start and t.end <= de for ds, de in datelines)
                    else t
                    for t in tokens
                ]
            if tokens:
                yield Sentence(s, e, code, tokens, [token_key(code, t.text) for t in tokens])


def process(raw: RawDocument, *, stream: bool = False) -> Document:
    """Residue, sentences (each with its own language) and tokens of one article.

    With ``stream`` the sentences are a one-pass iterator, segmented as it is read: storing
    such a document holds one bounded piece's tokens at a time, not the whole article's
    (a 10 MB line of Khmer is about three million tokens)."""
    text = raw.text
    hint = raw.lang if raw.lang in languages.LANGUAGES else None
    main = hint or _main_language(text)
    language = languages.get(main)
    residue = find_residue(text, latin_document=language.spaced, marks_sentence_ends=language.marks_sentence_ends)
    sentences = _sentences(text, main, residue)
    title = raw.title
    if title is None:
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = first[:200] or None
    return Document(
        raw.path, text, content_hash(raw), main, title, raw.url, residue, sentences if stream else list(sentences)
    )
