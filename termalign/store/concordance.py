"""A term in the corpus, found by its matching key: how often, in how many documents, where.

A term extraction proposed is a candidate with its occurrences stored; a term a reviewer
edited or added is not, so it is looked up in the stored tokens instead: a run of tokens of
one sentence whose text has the term's key. Either way the reviewer sees the same lines.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from termalign import lang as languages


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: its sentence, where the term sits in it, and its document."""

    document_id: int
    title: str
    sentence: str
    start: int  # offsets of the term inside ``sentence``
    end: int


@dataclass(frozen=True)
class TermCount:
    """How often a term occurs in the corpus and in how many documents."""

    freq: int
    documents: int


_LINES_SQL = (
    'SELECT d.id AS doc_id, coalesce(d.title, d.path) AS title, d.text AS doc, s.start AS s_start, s."end" AS s_end,'
    " {start} AS o_start, {end} AS o_end FROM {source} JOIN sentences s ON s.id = {sentence}"
    " JOIN documents d ON d.id = s.document_id"
)


def _candidate(conn: sqlite3.Connection, lang: str, key: str) -> sqlite3.Row | None:
    return conn.execute("SELECT id, freq, doc_freq FROM candidates WHERE lang = ? AND key = ?", (lang, key)).fetchone()


def _token_spans(conn: sqlite3.Connection, lang: str, key: str) -> list[tuple[int, int, int, int]]:
    """(document id, sentence id, start, end) of every run of tokens whose text has ``key``."""
    language = languages.get(lang)
    starts = conn.execute(
        "SELECT t.sentence_id, t.idx FROM tokens t JOIN sentences s ON s.id = t.sentence_id"
        " WHERE s.lang = ? AND t.key != '' AND instr(?, t.key) = 1",
        (lang, key),
    ).fetchall()
    if not starts:
        return []
    first: dict[int, set[int]] = {}
    for sentence_id, idx in starts:
        first.setdefault(sentence_id, set()).add(idx)
    ids = sorted(first)
    tokens: dict[int, list[tuple[int, int, int]]] = {}
    docs: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for sentence_id, doc_id, idx, t_start, t_end in conn.execute(
            'SELECT t.sentence_id, s.document_id, t.idx, t.start, t."end" FROM tokens t'
            f" JOIN sentences s ON s.id = t.sentence_id WHERE t.sentence_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY s.document_id, s.idx, t.idx",
            chunk,
        ):
            tokens.setdefault(sentence_id, []).append((idx, t_start, t_end))
            docs[sentence_id] = doc_id
    doc_ids = sorted(set(docs.values()))
    texts = dict(conn.execute(f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(doc_ids))})", doc_ids))
    spans: list[tuple[int, int, int, int]] = []
    for sentence_id, run in tokens.items():
        text, found_end = texts[docs[sentence_id]], -1
        for n, (idx, start, _) in enumerate(run):
            if idx not in first[sentence_id] or start < found_end:
                continue
            for _, _, end in run[n:]:
                found = language.key(text[start:end])
                if found == key:
                    spans.append((docs[sentence_id], sentence_id, start, end))
                    found_end = end
                    break
                if not key.startswith(found):
                    break
    return spans


def term_count(conn: sqlite3.Connection, lang: str, text: str) -> TermCount:
    """Corpus frequency and document count of a term, found by its key."""
    key = languages.get(lang).key(text)
    row = _candidate(conn, lang, key)
    if row is not None:
        return TermCount(row["freq"], row["doc_freq"])
    spans = _token_spans(conn, lang, key)
    return TermCount(len(spans), len({doc for doc, *_ in spans}))


def concordance(
    conn: sqlite3.Connection, lang: str, text: str, offset: int = 0, limit: int = 8
) -> tuple[TermCount, list[Occurrence]]:
    """Occurrences of a term found by its key, in document order: the count and one page."""
    key = languages.get(lang).key(text)
    row = _candidate(conn, lang, key)
    if row is not None:
        total = conn.execute(
            "SELECT count(*), count(DISTINCT s.document_id) FROM occurrences o JOIN sentences s ON s.id = o.sentence_id"
            " WHERE o.candidate_id = ?",
            (row["id"],),
        ).fetchone()
        sql = _LINES_SQL.format(start="o.start", end='o."end"', source="occurrences o", sentence="o.sentence_id")
        rows = conn.execute(
            sql + " WHERE o.candidate_id = ? ORDER BY d.id, s.idx, o.start LIMIT ? OFFSET ?", (row["id"], limit, offset)
        ).fetchall()
        lines = [
            _line(r["doc_id"], r["title"], r["doc"], r["s_start"], r["s_end"], r["o_start"], r["o_end"]) for r in rows
        ]
        return TermCount(total[0], total[1]), lines
    spans = _token_spans(conn, lang, key)
    lines = []
    for doc_id, sentence_id, start, end in spans[offset : offset + limit]:
        r = conn.execute(
            'SELECT coalesce(d.title, d.path) AS title, d.text AS doc, s.start, s."end" FROM sentences s'
            " JOIN documents d ON d.id = s.document_id WHERE s.id = ?",
            (sentence_id,),
        ).fetchone()
        lines.append(_line(doc_id, r["title"], r["doc"], r["start"], r["end"], start, end))
    return TermCount(len(spans), len({doc for doc, *_ in spans})), lines


def _line(doc_id: int, title: str, doc: str, s_start: int, s_end: int, o_start: int, o_end: int) -> Occurrence:
    return Occurrence(doc_id, title, doc[s_start:s_end], o_start - s_start, o_end - s_start)


__all__ = ["Occurrence", "TermCount", "concordance", "term_count"]
