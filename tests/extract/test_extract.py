import json
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from termalign import lang
from termalign.extract import extract, load_tokens, score_language, top_candidates
from termalign.extract.evaluate import evaluate_extraction
from termalign.gold import read_gold
from termalign.ingest import ingest_paths
from termalign.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def build_store(tmp_path, articles: dict[str, str]):
    for name, text in articles.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    conn = open_store(tmp_path / "t.db")
    assert not ingest_paths(conn, [tmp_path]).errors
    return conn


def rank_of(conn, code, text):
    key = lang.get(code).key(text)
    row = conn.execute("SELECT rank FROM candidates WHERE lang = ? AND key = ?", (code, key)).fetchone()
    return row[0] if row else None


# Written for these tests: English e-government news with a domain term ("open data portal")
# and a general phrase ("next week") of the same frequency.
EN_ARTICLES = {
    f"a{i}.txt": text
    for i, text in enumerate(
        [
            "The ministry launched an open data portal for citizens. The open data portal lists budgets. "
            "Officials will meet again next week.",
            "Next week the province publishes records on the open data portal. Citizens asked questions next week.",
            "Teachers met parents on Monday. The weather was warm and the market was busy.",
        ]
    )
}


def test_domain_term_ranks_above_general_phrase_of_same_frequency(tmp_path):
    conn = build_store(tmp_path, EN_ARTICLES)
    extract(conn, use_lexicon=False)  # corpus statistics alone
    term, general = rank_of(conn, "en", "open data portal"), rank_of(conn, "en", "next week")
    assert term is not None and general is not None
    freq = dict(conn.execute("SELECT key, freq FROM candidates WHERE key IN ('open data portal', 'next week')"))
    assert freq["open data portal"] == freq["next week"] == 3
    assert term < general


def test_khmer_variants_are_one_candidate_and_the_full_term_beats_its_fragment(tmp_path):
    articles = {
        "k1.txt": "ការផ្លាស់ប្តូរឌីជីថលជួយប្រជាជន។ រដ្ឋាភិបាលគាំទ្រការផ្លាស់ប្តូរឌីជីថល។",
        "k2.txt": "ខេត្តអនុវត្តការផ្លាស់ប្ដូរឌីជីថល។ ការផ្លាស់ប្ដូរឌីជីថលត្រូវការហេដ្ឋារចនាសម្ព័ន្ធ។ ហេដ្ឋារចនាសម័្ពន្ធល្អ។",
    }
    conn = build_store(tmp_path, articles)
    extract(conn)
    key = lang.get("km").key("ការផ្លាស់ប្តូរឌីជីថល")
    cid, freq = conn.execute("SELECT id, freq FROM candidates WHERE lang='km' AND key=?", (key,)).fetchone()
    assert freq == 4
    variants = dict(conn.execute("SELECT text, freq FROM variants WHERE candidate_id = ?", (cid,)))
    assert variants == {"ការផ្លាស់ប្តូរឌីជីថល": 2, "ការផ្លាស់ប្ដូរឌីជីថល": 2}
    # the fragment seen only inside the full term ranks below it (C-value nesting)
    assert rank_of(conn, "km", "ការផ្លាស់ប្តូរឌីជីថល") < rank_of(conn, "km", "ការផ្លាស់ប្តូរ")
    infra = conn.execute(
        "SELECT count(*) FROM variants v JOIN candidates c ON c.id = v.candidate_id WHERE c.key = ?",
        (lang.get("km").key("ហេដ្ឋារចនាសម្ព័ន្ធ"),),
    ).fetchone()[0]
    assert infra == 2
    # every occurrence slices the document text exactly
    for start, end, text, doc in conn.execute(
        'SELECT o.start, o."end", o.text, d.text FROM occurrences o JOIN sentences s ON s.id = o.sentence_id '
        "JOIN documents d ON d.id = s.document_id"
    ):
        assert doc[start:end].replace(" ", "") == text.replace(" ", "")


def test_candidates_never_start_or_end_with_function_words_or_punctuation(seeds_db, tmp_path):
    import shutil

    db = tmp_path / "s.db"
    shutil.copy(seeds_db, db)
    conn = open_store(db)
    extract(conn)
    for code in ("km", "th"):
        language = lang.get(code)
        tokens = load_tokens(conn, code)
        types, _ = score_language(tokens, code)
        for row in types.filter(pl.col("kind") == "term").head(300).iter_rows(named=True):
            assert row["first"] not in language.function_words, row["key"]
            assert row["last"] not in language.function_words, row["key"]
            assert row["last"] not in {language.key(s) for s in language.term_starters}, row["key"]


def test_seed_top_20_has_no_residue_or_function_word_fragments(seeds_db, tmp_path):
    import shutil

    db = tmp_path / "s.db"
    shutil.copy(seeds_db, db)
    conn = open_store(db)
    extract(conn)
    residue = ["ảnh", "No data", "Kommentar", "ความคิดเห็น", "แหล่งที่มา", "ប្រភព", "VOVWORLD", "http"]
    for code in ("km", "th"):
        top = [r["text"] for r in top_candidates(conn, code, 20)]
        assert len(top) == 20
        for text in top:
            assert not any(r in text for r in residue), text
            assert lang.get(code).key(text) not in lang.get(code).function_words, text
    # the scores and their parts are stored, not only the rank
    row = conn.execute("SELECT cvalue, specificity, unithood, termhood FROM candidates WHERE rank = 1 AND lang = 'th'").fetchone()
    assert all(v is not None and v > 0 for v in row)


def test_evaluation_on_the_dev_gold(seeds_db, tmp_path):
    import shutil

    db = tmp_path / "s.db"
    shutil.copy(seeds_db, db)
    conn = open_store(db)
    extract(conn)
    result = evaluate_extraction(conn, read_gold(ROOT / "tests" / "data" / "dev-gold.tsv"))
    assert set(result) == {"km", "th"}
    for code in ("km", "th"):
        row = result[code]
        assert row["recall@20"] <= row["recall@50"] <= row["recall@100"] <= 1
        assert 0 <= row["precision@20"] <= 1
    # Every Khmer and Thai gold term is within the top 100 of its language. Below: figures
    # measured when this test was last changed; a regression below them fails.
    assert result["km"]["recall@100"] == result["th"]["recall@100"] == 1.0
    assert result["km"]["recall@50"] >= 0.8 and result["th"]["recall@50"] >= 0.9
    assert result["km"]["precision@20"] >= 0.45 and result["th"]["precision@20"] >= 0.45


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["ឌីជីថល", "សេដ្ឋកិច្ច", "និង", "នៅ", "សង្គម", "ការ", "ប្រជាជន", "។", " "]), min_size=1, max_size=30))
def test_candidate_boundaries_on_generated_khmer(words):
    text = "".join(words)
    if not text.strip(" ។"):
        return
    km = lang.get("km")
    tokens = km.tokenize(text, tag=True)
    if not tokens:
        return
    frame = pl.DataFrame(
        {
            "sid": [1] * len(tokens), "doc": [1] * len(tokens), "start": [t.start for t in tokens],
            "end": [t.end for t in tokens], "text": [t.text for t in tokens],
            "key": [km.key(t.text) for t in tokens], "kind": [t.kind for t in tokens], "pos": [t.pos for t in tokens],
        }
    ).with_columns(gap=pl.col("start") > pl.col("end").shift(1))
    types, occ = score_language(frame, "km")
    for row in types.filter(pl.col("kind") == "term").iter_rows(named=True):
        assert row["first"] not in km.function_words
        assert row["last"] not in km.function_words
        assert row["termhood"] >= 0
    for start, end, surface in occ.select("start", "end", "surface").iter_rows():
        assert text[start:end].replace(" ", "") == surface.replace(" ", "")


def test_extract_requires_a_store(tmp_path):
    from termalign.cli import main

    assert main(["extract", "--db", str(tmp_path / "none.db")]) == 3


def test_known_words_lend_termhood(tmp_path):
    # Both phrases occur twice; only the first is read entirely by known e-government words.
    articles = {
        "k1.txt": "ខេត្តបង្កើតមូលដ្ឋានទិន្នន័យឌីជីថល។ ក្មេងៗលេងបាល់ទាត់ក្រោមដើមឈើ។",
        "k2.txt": "មូលដ្ឋានទិន្នន័យឌីជីថលជួយប្រជាជន។ ក្មេងៗលេងបាល់ទាត់ក្រោមដើមឈើ។",
    }
    conn = build_store(tmp_path, articles)
    extract(conn)
    known = conn.execute(
        "SELECT rank, lexicon FROM candidates WHERE lang='km' AND key=?", (lang.get("km").key("មូលដ្ឋានទិន្នន័យឌីជីថល"),)
    ).fetchone()
    assert known is not None and known[1] == 1
    plain = extract(conn, use_lexicon=False)
    assert plain.by_language["km"]["candidates"] > 0
    assert conn.execute("SELECT count(*) FROM candidates WHERE lexicon = 1").fetchone()[0] == 0


def test_english_edges_without_a_tagger(tmp_path):
    # Written for this test: capitalized runs and past tenses at candidate edges.
    text = (
        "The Council approved the budget portal. The budget portal opened in March. "
        "The Council welcomed the budget portal. Farmers visited the budget portal and the Council."
    )
    conn = build_store(tmp_path, {"en.txt": text})
    extract(conn, use_lexicon=False)
    keys = {k for (k,) in conn.execute("SELECT key FROM candidates WHERE lang = 'en'")}
    assert "council" in keys and "budget portal" in keys
    # a capitalized run is an anchor only without a function word at its edges
    assert not {k for k in keys if k.startswith("the ") or k.endswith(" the")}
    # a subject with its past-tense verb is marked as ending in a verb; a term is not
    types, _ = score_language(load_tokens(conn, "en"), "en")
    verb_end = dict(zip(types["key"], types["verb_end"]))
    assert verb_end["council welcomed"] == verb_end["council approved"] == 1.0
    assert verb_end["budget portal"] == 0.0


def test_repetition_is_no_candidate(tmp_path):
    # Written for this test: "officials and officials", "government government".
    text = "មន្ត្រីរាជការ និងមន្ត្រីរាជការបានចូលរួម។ រដ្ឋាភិបាល រដ្ឋាភិបាលគាំទ្រ។ មន្ត្រីរាជការ និងប្រជាពលរដ្ឋបានចូលរួម។"
    conn = build_store(tmp_path, {"km.txt": text})
    extract(conn, use_lexicon=False)
    keys = {k for (k,) in conn.execute("SELECT key FROM candidates WHERE lang = 'km'")}
    km = lang.get("km")
    assert km.key("មន្ត្រីរាជការ និងមន្ត្រីរាជការ") not in keys
    assert km.key("រដ្ឋាភិបាល រដ្ឋាភិបាល") not in keys
    assert km.key("មន្ត្រីរាជការ និងប្រជាពលរដ្ឋ") in keys


def test_extract_cli_lends_termhood_from_a_lexicon_file(tmp_path, capsys):
    from termalign.cli import main

    # Written for this test: "the river basin authority met", "the tea plantation owners met";
    # a user lexicon reads "river basin" (អាង basin, ទន្លេ river), nothing reads the other.
    text = "អាជ្ញាធរអាងទន្លេបានប្រជុំ។ ម្ចាស់ចម្ការតែបានប្រជុំ។"
    build_store(tmp_path, {"km.txt": text}).close()
    lexicon = tmp_path / "lex.tsv"
    lexicon.write_text("km\tអាង\tbasin\t1.0\nkm\tទន្លេ\triver\t1.0\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    assert main(["extract", "--db", db, "--json"]) == 0
    before = {r["key"]: r for r in json.loads(capsys.readouterr().out)["candidates"]["km"]}
    assert main(["extract", "--db", db, "--json", "--lexicon", str(lexicon)]) == 0
    after = {r["key"]: r for r in json.loads(capsys.readouterr().out)["candidates"]["km"]}
    assert not before["អាងទន្លេ"]["lexicon"] and after["អាងទន្លេ"]["lexicon"]
    assert after["អាងទន្លេ"]["termhood"] > before["អាងទន្លេ"]["termhood"]
    assert not after["ម្ចាស់ចម្ការ"]["lexicon"]


def test_ngrams_counted_piece_by_piece_equal_one_pass_over_the_corpus(seeds_db, monkeypatch):
    import termalign.extract.ngrams as ngrams
    from polars.testing import assert_frame_equal

    conn = open_store(seeds_db)
    for code in ("km", "th"):
        tokens = load_tokens(conn, code)
        whole = score_language(tokens, code)
        monkeypatch.setattr(ngrams, "NGRAM_PIECE_TOKENS", 300)
        pieces = ngrams._pieces(tokens, 300)
        assert len(pieces) > 3 and sum(p.height for p in pieces) == tokens.height
        # Cut between sentences only.
        assert all(p["sid"][0] != q["sid"][-1] for q, p in zip(pieces, pieces[1:]))
        in_pieces = score_language(tokens, code)
        monkeypatch.undo()
        assert_frame_equal(in_pieces[0], whole[0])
        assert_frame_equal(in_pieces[1], whole[1])


def test_tokens_are_read_in_batches_into_one_frame(seeds_db, monkeypatch):
    import termalign.extract as extract_module

    conn = open_store(seeds_db)
    whole = load_tokens(conn, "km")
    monkeypatch.setattr(extract_module, "TOKEN_BATCH_ROWS", 97)
    batched = load_tokens(conn, "km")
    assert whole.height > 97 * 3 and batched.equals(whole)
