"""Term candidates in the store: what extraction writes and alignment, evaluation and the
CLI read, plus the corpus reads both stages need (tokens, contexts of occurrences)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import polars as pl

from termalign.store.db import transaction


def corpus_languages(conn: sqlite3.Connection) -> list[str]:
    """Languages that have sentences in the store, sorted."""
    return [r[0] for r in conn.execute("SELECT DISTINCT lang FROM sentences ORDER BY lang")]


def token_rows(conn: sqlite3.Connection, code: str) -> Iterator[tuple]:
    """(sentence id, document id, start, end, text, key, kind, pos) of every token of one
    language's sentences, sorted by sentence and position, read as they are consumed."""
    return iter(conn.execute(
        'SELECT t.sentence_id, s.document_id, t.start, t."end", t.text, t.key, t.kind, t.pos '
        "FROM tokens t JOIN sentences s ON s.id = t.sentence_id WHERE s.lang = ? ORDER BY t.sentence_id, t.idx",
        (code,),
    ))


def clear_candidates(conn: sqlite3.Connection, code: str) -> None:
    """Remove one language's candidates (their variants and occurrences go with them), in one transaction."""
    with transaction(conn):
        conn.execute("DELETE FROM candidates WHERE lang = ?", (code,))


def replace_candidates(
    conn: sqlite3.Connection, code: str, kept: pl.DataFrame, variants: pl.DataFrame, occ: pl.DataFrame
) -> None:
    """Replace one language's candidates in one transaction, in bulk.

    ``kept``: key, text, kind, n, freq, doc_freq, cvalue, specificity, unithood, termhood,
    rank, lexicon (one row per candidate, in rank order); ``variants``: key, surface, freq;
    ``occ``: key, sid, start, end, surface.
    """
    with transaction(conn):
        conn.execute("DELETE FROM candidates WHERE lang = ?", (code,))
        conn.executemany(
            "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity, "
            "unithood, termhood, rank, lexicon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            kept.select(
                pl.lit(code), "key", "text", "kind", "n", "freq", "doc_freq", "cvalue", "specificity", "unithood",
                "termhood", "rank", "lexicon",
            ).iter_rows(),
        )
        ids = conn.execute("SELECT key, id FROM candidates WHERE lang = ?", (code,)).fetchall()
        id_frame = pl.DataFrame(ids, schema={"key": pl.String, "cid": pl.Int64}, orient="row")
        conn.executemany(
            "INSERT INTO variants (candidate_id, text, freq) VALUES (?,?,?)",
            variants.join(id_frame, on="key").select("cid", "surface", "freq").iter_rows(),
        )
        conn.executemany(
            'INSERT INTO occurrences (candidate_id, sentence_id, start, "end", text) VALUES (?,?,?,?,?)',
            occ.join(id_frame, on="key").sort("cid", "sid", "start")
            .select("cid", "sid", "start", "end", "surface").iter_rows(),
        )


def top_candidates(conn: sqlite3.Connection, code: str, n: int = 30) -> list[sqlite3.Row]:
    """The best ``n`` candidates of a language, each with its variants joined by `` | ``."""
    return conn.execute(
        "SELECT c.*, (SELECT group_concat(text, ' | ') FROM (SELECT text FROM variants v WHERE v.candidate_id = c.id "
        "ORDER BY freq DESC, text)) AS variants FROM candidates c WHERE lang = ? ORDER BY rank LIMIT ?",
        (code, n),
    ).fetchall()


def candidate_languages(conn: sqlite3.Connection) -> list[str]:
    """Languages that have candidates, sorted."""
    return [r[0] for r in conn.execute("SELECT DISTINCT lang FROM candidates ORDER BY lang")]


def candidate_keys(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """(language, key) of every candidate."""
    return {(r[0], r[1]) for r in conn.execute("SELECT lang, key FROM candidates")}


def ranked_variants(conn: sqlite3.Connection, code: str) -> list[tuple[int, str, str | None]]:
    """(rank, key, variant text or ``None``) of one language's candidates, by rank."""
    return [
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT c.rank, c.key, v.text FROM candidates c LEFT JOIN variants v ON v.candidate_id = c.id "
            "WHERE c.lang = ? ORDER BY c.rank",
            (code,),
        )
    ]


def alignable_candidates(conn: sqlite3.Connection, max_rank: int) -> list[tuple]:
    """(lang, key, text, kind, termhood, rank, n_words) of candidates ranked ``max_rank`` or
    better, by language and rank."""
    return conn.execute(
        "SELECT lang, key, text, kind, termhood, rank, n_words FROM candidates WHERE rank <= ? ORDER BY lang, rank",
        (max_rank,),
    ).fetchall()


def first_contexts(conn: sqlite3.Connection, lang: str, key: str, limit: int) -> list[tuple[str, str]]:
    """(sentence text, document path) of a candidate's first occurrences, by path and position."""
    return conn.execute(
        'SELECT substr(d.text, s.start + 1, s."end" - s.start), d.path FROM candidates c '
        "JOIN occurrences o ON o.candidate_id = c.id JOIN sentences s ON s.id = o.sentence_id "
        "JOIN documents d ON d.id = s.document_id WHERE c.lang = ? AND c.key = ? "
        "ORDER BY d.path, s.idx, o.start LIMIT ?",
        (lang, key, limit),
    ).fetchall()


def context_word_keys(conn: sqlite3.Connection, lang: str, key: str, min_freq: int) -> list[str]:
    """Keys of the words around each occurrence of a candidate seen at least ``min_freq``
    times (the words of its sentences outside the occurrence itself)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT t.key FROM candidates c JOIN occurrences o ON o.candidate_id = c.id "
            "JOIN tokens t ON t.sentence_id = o.sentence_id "
            "WHERE c.lang = ? AND c.key = ? AND c.freq >= ? AND t.kind = 'word' "
            'AND (t.start < o.start OR t.start >= o."end")',
            (lang, key, min_freq),
        )
    ]


def anchor_tokens(conn: sqlite3.Connection) -> list[tuple[int, str, str, str]]:
    """(document id, sentence language, token text, kind) of the tokens that can tell two
    articles tell the same story: numbers, Latin words in a non-Latin text and capitalized
    words (names and acronyms are among them; a wire dateline's place too), by document."""
    return conn.execute(
        "SELECT s.document_id, s.lang, t.text, t.kind FROM tokens t JOIN sentences s ON s.id = t.sentence_id "
        "WHERE t.kind IN ('number', 'latin') OR (t.kind IN ('word', 'dateline') AND t.text <> lower(t.text)) "
        "ORDER BY s.document_id, t.sentence_id, t.idx"
    ).fetchall()


def candidate_documents(conn: sqlite3.Connection, max_rank: int) -> list[tuple[str, str, int]]:
    """(lang, key, document id) for each document a candidate ranked ``max_rank`` or better
    occurs in."""
    return conn.execute(
        "SELECT DISTINCT c.lang, c.key, s.document_id FROM candidates c "
        "JOIN occurrences o ON o.candidate_id = c.id JOIN sentences s ON s.id = o.sentence_id "
        "WHERE c.rank <= ? ORDER BY c.lang, c.key, s.document_id",
        (max_rank,),
    ).fetchall()


def document_paths(conn: sqlite3.Connection) -> dict[int, str]:
    """Every document's path, by id."""
    return dict(conn.execute("SELECT id, path FROM documents").fetchall())


def located_sentences(conn: sqlite3.Connection) -> list[tuple[str, str, int, str]]:
    """(document path, language, offset in the document, text) of every sentence, by
    document (in ingest order) and position."""
    return conn.execute(
        'SELECT d.path, s.lang, s.start, substr(d.text, s.start + 1, s."end" - s.start)'
        " FROM sentences s JOIN documents d ON d.id = s.document_id ORDER BY d.id, s.idx"
    ).fetchall()
