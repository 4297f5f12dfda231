"""Documents, sentences and tokens in the store."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from termalign.corpus import Document
from termalign.store.db import now, transaction


@dataclass(frozen=True)
class StoreResult:
    path: str
    action: str  # added | replaced | unchanged


def document_hash(conn: sqlite3.Connection, path: str) -> str | None:
    row = conn.execute("SELECT sha256 FROM documents WHERE path = ?", (path,)).fetchone()
    return row[0] if row else None


def store_document(conn: sqlite3.Connection, doc: Document) -> StoreResult:
    """Write one document in one transaction; a changed file replaces its old version."""
    old = document_hash(conn, doc.path)
    if old == doc.sha256:
        return StoreResult(doc.path, "unchanged")
    with transaction(conn):
        if old is not None:
            conn.execute("DELETE FROM documents WHERE path = ?", (doc.path,))
        doc_id = conn.execute(
            "INSERT INTO documents (path, title, url, lang, sha256, text, ingested_at) VALUES (?,?,?,?,?,?,?)",
            (doc.path, doc.title, doc.url, doc.lang, doc.sha256, doc.text, now()),
        ).lastrowid
        conn.executemany(
            'INSERT INTO residue (document_id, start, "end", reason) VALUES (?,?,?,?)',
            [(doc_id, s, e, r) for s, e, r in doc.residue],
        )
        for idx, sent in enumerate(doc.sentences):
            sent_id = conn.execute(
                'INSERT INTO sentences (document_id, idx, start, "end", lang) VALUES (?,?,?,?,?)',
                (doc_id, idx, sent.start, sent.end, sent.lang),
            ).lastrowid
            conn.executemany(
                'INSERT INTO tokens (sentence_id, idx, start, "end", text, key, kind, pos) VALUES (?,?,?,?,?,?,?,?)',
                [
                    (sent_id, i, t.start, t.end, t.text, key, t.kind, t.pos)
                    for i, (t, key) in enumerate(zip(sent.tokens, sent.keys, strict=True))
                ],
            )
    return StoreResult(doc.path, "replaced" if old else "added")


def prune_file(conn: sqlite3.Connection, file_path: str, keep: set[str]) -> int:
    """Remove the articles of a multi-article file (``file#line``) that it no longer has."""
    stale = [
        p
        for (p,) in conn.execute(
            "SELECT path FROM documents WHERE substr(path, 1, ?) = ?", (len(file_path) + 1, file_path + "#")
        )
        if p not in keep
    ]
    if stale:
        with transaction(conn):
            conn.executemany("DELETE FROM documents WHERE path = ?", [(p,) for p in stale])
    return len(stale)


def corpus_summary(conn: sqlite3.Connection) -> dict:
    """Documents, sentences and tokens per language, residue removed, as the store holds them."""
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    by_lang: dict[str, dict[str, int]] = {}
    for row in conn.execute(
        "SELECT s.lang, count(DISTINCT s.id), count(t.id), count(DISTINCT s.document_id) "
        "FROM sentences s LEFT JOIN tokens t ON t.sentence_id = s.id GROUP BY s.lang ORDER BY s.lang"
    ):
        by_lang[row[0]] = {"sentences": row[1], "tokens": row[2], "documents": row[3]}
    residue = {
        row[0]: {"spans": row[1], "chars": row[2]}
        for row in conn.execute(
            'SELECT reason, count(*), sum("end" - start) FROM residue GROUP BY reason ORDER BY reason'
        )
    }
    return {"documents": docs, "by_language": by_lang, "residue": residue}
