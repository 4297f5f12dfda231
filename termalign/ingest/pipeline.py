"""From raw article text to residue spans, language-tagged sentences and word tokens."""

from __future__ import annotations

import hashlib
from collections import Counter

from termalign import lang as languages
from termalign.corpus import Document, RawDocument, Residue, Sentence
from termalign.ingest.residue import find_residue


def content_hash(doc: RawDocument) -> str:
    h = hashlib.sha256(doc.text.encode("utf-8"))
    for extra in (doc.title, doc.url, doc.lang):
        h.update(b"\x00" + (extra or "").encode("utf-8"))
    return h.hexdigest()


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


def process(raw: RawDocument) -> Document:
    """Residue, sentences (each with its own language) and tokens of one article."""
    text = raw.text
    hint = raw.lang if raw.lang in languages.LANGUAGES else None
    main = hint or _main_language(text)
    language = languages.get(main)
    residue = find_residue(text, latin_document=language.spaced, marks_sentence_ends=language.marks_sentence_ends)
    sentences: list[Sentence] = []
    for b_start, b_end in _body_blocks(text, residue):
        block = text[b_start:b_end]
        # Split with the language of the block, then identify each sentence on its own:
        # a Khmer article may carry a Vietnamese quotation or caption fragment.
        block_lang = languages.identify(block) or main
        for s, e in languages.get(block_lang).split_sentences(block):
            s, e = b_start + s, b_start + e
            code = languages.identify(text[s:e]) or main
            if code != main and languages.get(code).spaced and not languages.get(main).spaced:
                # Latin names inside Khmer/Thai prose do not make a sentence English.
                latin_words = len(text[s:e].split())
                code = code if latin_words >= 3 and languages.get(main).script_share(text[s:e]) < 0.2 else main
            language = languages.get(code)
            tokens = language.tokenize(text[s:e], offset=s, tag=True)
            if tokens:
                sentences.append(Sentence(s, e, code, tokens, [language.key(t.text) for t in tokens]))
    title = raw.title
    if title is None:
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = first[:200] or None
    return Document(raw.path, text, content_hash(raw), main, title, raw.url, residue, sentences)
