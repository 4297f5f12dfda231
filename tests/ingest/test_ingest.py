import json
import sqlite3

import pytest

from termalign.cli import main
from termalign.ingest import ingest_paths, process
from termalign.ingest.readers import RawDocument
from termalign.store import integrity_ok, open_store
from termalign.store.corpus import corpus_summary

RESIDUE_LINES = [
    "No data",
    "Kommentar (0)",
    "การแสดงความคิดเห็น (0)",
    "Vietnam.vn - Nền tảng quảng bá Việt Nam",
    "Báo Chính PhủBáo Chính Phủ24/07/2025",
    "ảnh 1",
    "Ảnh 1",
    "ប្រភព៖ https://",
    "No videos available",
    "ប្រតិកម្មទៅវិញ",
    "แหล่งที่มา",
    "ลิงค์ที่มา",
    "(VOVWORLD)",
]
ARTICLE_SENTENCES = [
    # one sentence of each seed's body, as written
    "ការផ្លាស់ប្តូរឌីជីថលបាន",
    "คณะกรรมการประชาชนจังหวัด บั๊กกัน จัดการประชุม",
    "បាឋកថាជាសាធារណៈប្រចាំខែនេះ",
    "ទីក្រុងហាណូយស្នើឱ្យនាំមុខក្នុងការអនុវត្តគំរូសាកល្បង",
    "คณะกรรมการอำนวยการจังหวัดว่าด้วยการเปลี่ยนแปลงทางดิจิทัล",
    # subheadings and list items are article text, not residue
    "กิจกรรมหลากหลายเพื่อตอบรับวันดิจิทัลทรานส์ฟอร์เมชันแห่งชาติ",
    "ការអភិវឌ្បហេដ្ឋារចនាសម័្ពន្ធសេវាប្រៃសណីយ៍",
]


def sentences_of(db):
    conn = sqlite3.connect(db)
    rows = conn.execute(
        'SELECT d.text, s.start, s."end", s.lang, s.id FROM sentences s JOIN documents d ON d.id = s.document_id'
    ).fetchall()
    return conn, rows


def test_offsets_slice_the_original_exactly(seeds_db):
    conn, rows = sentences_of(seeds_db)
    texts = {r[4]: r[0] for r in rows}
    assert len(rows) > 100
    for text, start, end, _, _ in rows:
        piece = text[start:end]
        assert piece and piece == piece.strip()
    tokens = conn.execute('SELECT sentence_id, start, "end", text FROM tokens').fetchall()
    assert len(tokens) > 3000
    for sid, start, end, tok in tokens:
        assert texts[sid][start:end] == tok


def test_seed_documents_are_stored_exactly_as_read(seeds_db, seeds_dir):
    conn = sqlite3.connect(seeds_db)
    for path, text in conn.execute("SELECT path, text FROM documents"):
        assert (seeds_dir / path.split("/")[-1]).read_text(encoding="utf-8") == text


def test_residue_is_gone_and_article_sentences_remain(seeds_db):
    _, rows = sentences_of(seeds_db)
    body = "\n".join(text[s:e] for text, s, e, _, _ in rows)
    for residue in RESIDUE_LINES:
        assert residue not in body, residue
    for sentence in ARTICLE_SENTENCES:
        assert sentence in body, sentence


def test_seed_languages(seeds_db):
    conn = open_store(seeds_db)
    summary = corpus_summary(conn)
    assert summary["documents"] == 5
    assert summary["by_language"]["km"]["documents"] == 3
    assert summary["by_language"]["th"]["documents"] == 2
    assert summary["residue"]["comment counter"]["spans"] == 3


def test_each_sentence_gets_its_own_language():
    text = (
        "ការផ្លាស់ប្តូរឌីជីថល គឺជាបដិវត្តន៍របស់ប្រជាជនទាំងមូល។\n\n"
        "Chuyển đổi số là cuộc cách mạng của toàn dân và của cả hệ thống chính trị.\n\n"
        "ខេត្ត Lang Son បានបង្កើតគណៈកម្មាធិការដឹកនាំ។"
    )
    doc = process(RawDocument("mixed.txt", text))
    assert doc.lang == "km"
    assert [s.lang for s in doc.sentences] == ["km", "vi", "km"]


def test_thai_and_vietnamese_segmentation_offsets():
    doc = process(RawDocument("t.txt", "การเปลี่ยนแปลงทางดิจิทัลเป็นแนวโน้ม VNeID 4.0"))
    assert [t.text for t in doc.sentences[0].tokens][-2:] == ["VNeID", "4.0"]
    assert {t.kind for t in doc.sentences[0].tokens if t.text == "VNeID"} == {"latin"}
    doc = process(RawDocument("v.txt", "Chuyển đổi số là xu thế tất yếu của chính quyền số."))
    words = [t.text for t in doc.sentences[0].tokens]
    assert "Chuyển đổi" in words and "chính quyền" in words


def test_reingest_is_a_noop_and_a_changed_file_replaces(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("សេដ្ឋកិច្ចឌីជីថល និងសង្គមឌីជីថល។\n", encoding="utf-8")
    conn = open_store(tmp_path / "s.db")
    first = ingest_paths(conn, [article])
    assert first.count("added") == 1
    ids = conn.execute("SELECT id FROM tokens ORDER BY id").fetchall()
    again = ingest_paths(conn, [article])
    assert again.count("unchanged") == 1
    assert conn.execute("SELECT id FROM tokens ORDER BY id").fetchall() == ids
    article.write_text("រដ្ឋាភិបាលឌីជីថល។\n", encoding="utf-8")
    changed = ingest_paths(conn, [article])
    assert changed.count("replaced") == 1
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert "រដ្ឋាភិបាលឌីជីថល" in conn.execute("SELECT text FROM documents").fetchone()[0]
    assert integrity_ok(conn)


def test_formats_html_markdown_jsonl(tmp_path):
    (tmp_path / "a.html").write_text(
        "<html><head><title>Digital government</title><script>var x='ignored';</script></head><body>"
        "<nav><ul><li>Home</li><li>News</li></ul></nav>"
        "<p>The provincial People's Committee launched the digital government platform.</p>"
        "<p>Online public services now reach every commune.</p><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text(
        "# Kinh tế số\n\n![ảnh](x.png)\n\n**Chuyển đổi số** là nhiệm vụ của [chính quyền số](http://x).\n",
        encoding="utf-8",
    )
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"text": "สังคมดิจิทัลและเศรษฐกิจดิจิทัล", "lang": "th", "title": "T", "url": "http://u"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"text": "សង្គមឌីជីថល។"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    conn = open_store(tmp_path / "s.db")
    report = ingest_paths(conn, [tmp_path])
    assert not report.errors
    docs = {r[0].split("/")[-1]: r for r in conn.execute("SELECT path, title, url, lang, text FROM documents")}
    assert set(docs) == {"a.html", "b.md", "c.jsonl#1", "c.jsonl#2"}
    assert docs["a.html"][1] == "Digital government" and docs["a.html"][3] == "en"
    assert "ignored" not in docs["a.html"][4] and "Copyright" not in docs["a.html"][4]
    assert "Home" not in docs["a.html"][4]
    assert docs["b.md"][3] == "vi" and "**" not in docs["b.md"][4] and "http" not in docs["b.md"][4]
    assert docs["c.jsonl#1"][1:4] == ("T", "http://u", "th")
    assert docs["c.jsonl#2"][3] == "km"


BAD_INPUTS = {
    "latin1.txt": ("Chuy\xean \xf0\xf4i s\xf4".encode("latin-1"), "not UTF-8"),
    "binary.txt": (b"\x00\x01\x02\x03binary\x00", "binary"),
    "empty.txt": (b"  \n", "empty"),
    "big.txt": ("ការ។".encode() * 200, "over the limit"),
    "notes.docx": (b"PK\x03\x04", "unknown file type"),
    "broken.jsonl": (b'{"text": "ok"}\n{not json\n', "line 2"),
}


def test_bad_inputs_are_reported_and_the_rest_is_ingested(tmp_path, capsys):
    for name, (data, _) in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("សេដ្ឋកិច្ចឌីជីថល។\n", encoding="utf-8")
    db = tmp_path / "s.db"
    files = [str(tmp_path / n) for n in BAD_INPUTS] + [str(good), str(tmp_path / "missing.txt")]
    code = main(["ingest", "--db", str(db), "--max-bytes", "500", "--json", *files])
    assert code == 2
    out = json.loads(capsys.readouterr().out)
    messages = {e["path"].split("/")[-1].split("#")[0]: e["message"] for e in out["errors"]}
    for name, (_, fragment) in BAD_INPUTS.items():
        assert fragment in messages[name], (name, messages.get(name))
    assert "no such file" in messages["missing.txt"]
    # the good file is in, nothing of the broken JSONL (its first line was fine) is half-stored
    assert out["documents"] == 1
    conn = open_store(db)
    assert [r[0].split("/")[-1] for r in conn.execute("SELECT path FROM documents")] == ["good.txt"]
    assert integrity_ok(conn)


def test_a_failed_document_keeps_what_was_stored(tmp_path):
    import sqlite3

    from termalign.store.corpus import store_document

    good = tmp_path / "a.txt"
    good.write_text("សេដ្ឋកិច្ចឌីជីថល។\n", encoding="utf-8")
    conn = open_store(tmp_path / "s.db")
    ingest_paths(conn, [good])
    before = conn.execute("SELECT count(*) FROM tokens").fetchone()[0]
    # A new version whose last sentence cannot be stored: the failure comes after the old
    # version was deleted and the new document and its first sentences were written.
    doc = process(RawDocument(str(good), "សង្គមឌីជីថល។ សេដ្ឋកិច្ចឌីជីថល។ រដ្ឋាភិបាលឌីជីថល។\n"))
    assert len(doc.sentences) == 3
    doc.sentences[-1].keys[0] = None
    with pytest.raises(sqlite3.IntegrityError):
        store_document(conn, doc)
    # the old version is still there, whole, and nothing of the new one
    assert conn.execute("SELECT count(*) FROM tokens").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert "សេដ្ឋកិច្ចឌីជីថល" in conn.execute("SELECT text FROM documents").fetchone()[0]
    assert integrity_ok(conn)


def test_cli_summary_json(tmp_path, seeds_dir, capsys):
    code = main(["ingest", "--db", str(tmp_path / "s.db"), "--json", str(seeds_dir)])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["documents"] == 5
    assert out["errors"] == []
    assert out["by_language"]["km"]["sentences"] > 50 and out["by_language"]["km"]["tokens"] > 1500
    assert out["by_language"]["th"]["sentences"] > 50 and out["by_language"]["th"]["tokens"] > 1500


def test_a_year_in_a_heading_is_not_a_comment_counter():
    from termalign.ingest.residue import find_residue

    text = (
        "Digital economy plan\n\nTargets for the digital economy (2025)\n\n"
        "The digital economy should reach a fifth of output by the end of the plan.\n\n"
        "Every province will publish its data on the open portal.\n\nComments (3)\n\nRelated: other news\n"
    )
    spans = find_residue(text, latin_document=True)
    removed = " ".join(text[s:e] for s, e, _ in spans)
    assert "Targets for the digital economy (2025)" not in removed
    assert "open portal" not in removed
    assert "Comments (3)" in removed and "Related" in removed


def test_short_thai_sentences_closing_an_article_are_kept():
    text = (
        "จังหวัดเปิดตัวแพลตฟอร์มดิจิทัลสำหรับบริการสาธารณะออนไลน์ในวันนี้ โดยมีประชาชนเข้าร่วมจำนวนมาก\n"
        "รัฐบาลตั้งเป้าขยายบริการทั่วประเทศ\n"
        "ประชาชนพอใจกับบริการใหม่นี้มาก\n"
        "บาว อันห์\n"
        "แหล่งที่มา\n"
    )
    doc = process(RawDocument("th.txt", text))
    body = " ".join(text[s.start : s.end] for s in doc.sentences)
    assert "รัฐบาลตั้งเป้าขยายบริการทั่วประเทศ" in body and "ประชาชนพอใจกับบริการใหม่นี้มาก" in body
    assert "บาว อันห์" not in body and "แหล่งที่มา" not in body


def test_one_document_per_file_whatever_the_path_spelling_and_jsonl_articles_follow_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("សង្គមឌីជីថល។\n", encoding="utf-8")
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_text('{"text": "សង្គមឌីជីថល។"}\n{"text": "សេដ្ឋកិច្ចឌីជីថល។", "lang": "KM"}\n', encoding="utf-8")
    conn = open_store(tmp_path / "s.db")
    ingest_paths(conn, ["a.txt", jsonl])
    ingest_paths(conn, [tmp_path / "a.txt", "./b.jsonl"])
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    assert conn.execute("SELECT lang FROM documents WHERE path LIKE '%#2'").fetchone()[0] == "km"
    jsonl.write_text('{"text": "សង្គមឌីជីថល។"}\n', encoding="utf-8")
    ingest_paths(conn, [jsonl])
    assert sorted(p.split("/")[-1] for (p,) in conn.execute("SELECT path FROM documents")) == ["a.txt", "b.jsonl#1"]


def test_jsonl_fields_of_the_wrong_type_are_reported(tmp_path):
    bad = tmp_path / "bad.jsonl"
    for line, message in [
        ('{"text": "សង្គមឌីជីថល។", "title": 5}', "field 'title' must be a string"),
        ('{"text": "សង្គមឌីជីថល។", "lang": ["vi"]}', "field 'lang' must be a string"),
        ('{"text": "សង្គមឌីជីថល។", "lang": "vie"}', "unknown language 'vie'"),
    ]:
        bad.write_text(line + "\n", encoding="utf-8")
        report = ingest_paths(open_store(tmp_path / "s.db"), [bad])
        assert message in report.errors[0]["message"]


def test_a_wire_dateline_is_kept_for_the_story_but_its_words_are_no_term(tmp_path):
    text = (
        "Tax portal opens\n\n"
        "VIENTIANE, Oct 4 (Wire) - The tax department opened its e-filing portal on Monday.\n\n"
        "NSSF, the social security fund - which pays the benefits - joins next year.\n"
    )
    doc = process(RawDocument("tax_en.txt", text))
    kinds = {t.text: t.kind for s in doc.sentences for t in s.tokens}
    assert kinds["VIENTIANE"] == kinds["Oct"] == kinds["Wire"] == "dateline" and kinds["4"] == "number"
    # A sentence that opens with an acronym and a clause is no dateline; the rest is prose.
    assert kinds["NSSF"] == kinds["department"] == kinds["portal"] == "word"
    assert "VIENTIANE" in " ".join(text[s.start : s.end] for s in doc.sentences)
    vi = process(RawDocument("thue_vi.txt", "Cổng thuế mới\n\nĐÀ NẴNG – Cục Thuế mở cổng khai thuế điện tử.\n"))
    assert [(t.text, t.kind) for s in vi.sentences for t in s.tokens][2:4] == [("ĐÀ NẴNG", "dateline"), ("–", "punct")]

    # In a store: the place is story evidence, not a candidate.
    from termalign.extract import extract
    from termalign.ingest import ingest_paths
    from termalign.store import as_store, open_store

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "tax_en.txt").write_text(text, encoding="utf-8")
    conn = open_store(tmp_path / "t.db")
    ingest_paths(conn, [tmp_path / "a"])
    extract(conn)
    store = as_store(conn)
    keys = {row["key"] for row in store.top_candidates("en", 1000)}
    assert "tax department" in keys and not any("vientiane" in k for k in keys)
    assert ("VIENTIANE", "dateline") in {(text, kind) for _, _, text, kind in store.anchor_tokens()}
