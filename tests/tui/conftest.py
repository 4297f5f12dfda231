"""A small fixed termbase for the review TUI: eleven concepts in km/th/vi/en, three documents
for the concordance, fixed timestamps, so that snapshots are the same on every run."""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
from pathlib import Path

import pytest

from termalign import lang as languages
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Evidence, Note, Term, insert_concept

STAMP = "2025-01-15T09:00:00Z"

KM_DOC = (
    "ការផ្លាស់ប្តូរឌីជីថល គឺជាអាទិភាពរបស់រាជរដ្ឋាភិបាល។ "
    "ក្រសួងបានដាក់ចេញផែនការសម្រាប់ការផ្លាស់ប្តូរឌីជីថល ក្នុងវិស័យសាធារណៈ។ "
    "សេដ្ឋកិច្ចឌីជីថល ត្រូវការហេដ្ឋារចនាសម្ព័ន្ធ រឹងមាំ។ "
    "ការផ្លាស់ប្តូរឌីជីថល ជួយប្រជាជន ទទួលសេវាសាធារណៈបានលឿន។ "
    "រដ្ឋាភិបាលអេឡិចត្រូនិក និងការផ្លាស់ប្តូរឌីជីថល ដើរទន្ទឹមគ្នា។"
)
KM_SERVICES_DOC = (
    "ការផ្លាស់ប្តូរឌីជីថល ធ្វើឱ្យសេវាសាធារណៈ កាន់តែងាយស្រួល។ "
    "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍ គាំទ្រការផ្លាស់ប្តូរឌីជីថល។ "
    "ការផ្លាស់ប្តូរឌីជីថល ត្រូវការជំនាញថ្មី។ "
    "យុវជនចូលរួមក្នុងការផ្លាស់ប្តូរឌីជីថល។ "
    "ការផ្លាស់ប្តូរឌីជីថល ជួយអាជីវកម្មខ្នាតតូច។ "
    "ផែនការការផ្លាស់ប្តូរឌីជីថល ឆ្នាំ២០៣៥ ត្រូវបានអនុម័ត។"
)
TH_DOC = (
    "การเปลี่ยนแปลงทางดิจิทัล เป็นวาระสำคัญของรัฐบาล "
    "รัฐบาลอิเล็กทรอนิกส์ ช่วยให้ประชาชนเข้าถึงบริการได้ง่าย "
    "เศรษฐกิจดิจิทัล ต้องอาศัยโครงสร้างพื้นฐาน ที่มั่นคง "
    "การเปลี่ยนแปลงทางดิจิทัล ในภาครัฐต้องเริ่มจากข้อมูล"
)

# (score, status, origin, terms, evidence, notes)
CONCEPTS = [
    (
        0.92, "unreviewed", "align",
        [
            Term("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"), Term("km", "បរិវត្តកម្មឌីជីថល"),
            Term("km", "ការបំប្លែងឌីជីថល"),
            Term("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"), Term("th", "การเปลี่ยนผ่านสู่ดิจิทัล"),
            Term("vi", "chuyển đổi số", "preferred"), Term("en", "digital transformation", "preferred"),
        ],
        [
            Evidence("lexicon", 0.9, "vi", "en", {"entry": "chuyển đổi số = digital transformation"}),
            Evidence("cognate", 0.81, "km", "th", {"km": "ឌីជីថល", "th": "ดิจิทัล"}),
            Evidence("mt", 0.77, "km", "en", {"hyp": "digital transformation", "rank": 1}),
        ],
        [Note("Check the Thai variant with the ministry glossary", "sokha", "2025-01-10T08:00:00Z")],
    ),
    (
        0.97, "unreviewed", "anchor",
        [Term(code, "VNeID", "preferred") for code in ("km", "th", "vi", "en")],
        [Evidence("anchor", 1.0, "km", "th", {"token": "VNeID"})],
        [],
    ),
    (
        0.88, "unreviewed", "align",
        [
            Term("km", "រដ្ឋាភិបាលអេឡិចត្រូនិក", "preferred"), Term("th", "รัฐบาลอิเล็กทรอนิกส์", "preferred"),
            Term("vi", "chính phủ điện tử", "preferred"), Term("en", "e-government", "preferred"),
        ],
        [
            Evidence("cognate", 0.86, "km", "th", {"km": "អេឡិចត្រូនិក", "th": "อิเล็กทรอนิกส์"}),
            Evidence("lexicon", 0.8, "vi", "en", {"entry": "chính phủ điện tử = e-government"}),
        ],
        [],
    ),
    (
        0.81, "unreviewed", "align",
        [
            Term("km", "សេដ្ឋកិច្ចឌីជីថល", "preferred"), Term("th", "เศรษฐกิจดิจิทัล", "preferred"),
            Term("vi", "kinh tế số", "preferred"), Term("en", "digital economy", "preferred"),
        ],
        [Evidence("compositional", 0.79, "km", "en", {"parts": "economy+digital"})],
        [],
    ),
    (
        0.75, "approved", "align",
        [
            Term("km", "វិទ្យាសាស្ត្រ", "preferred"), Term("th", "วิทยาศาสตร์", "preferred"),
            Term("vi", "khoa học", "preferred"), Term("en", "science", "preferred"),
        ],
        [Evidence("cognate", 0.93, "km", "th", {"km": "វិទ្យាសាស្ត្រ", "th": "วิทยาศาสตร์"})],
        [],
    ),
    (
        0.7, "unreviewed", "mt",
        [
            Term("km", "ទីក្រុងឆ្លាតវៃ", "preferred"), Term("th", "เมืองอัจฉริยะ", "preferred"),
            Term("vi", "đô thị thông minh", "preferred"), Term("en", "smart city", "preferred"),
        ],
        [Evidence("mt", 0.7, "vi", "en", {"hyp": "smart city", "rank": 1})],
        [],
    ),
    (
        0.64, "unreviewed", "align",
        [
            Term("km", "ហេដ្ឋារចនាសម្ព័ន្ធ", "preferred"), Term("th", "โครงสร้างพื้นฐาน", "preferred"),
            Term("vi", "hạ tầng", "preferred"),
        ],
        [Evidence("distributional", 0.58, "km", "th", {"cosine": 0.58})],
        [],
    ),
    (
        0.55, "rejected", "align",
        [
            Term("km", "គណៈកម្មាធិការ", "preferred"), Term("th", "คณะกรรมการ", "preferred"),
            Term("vi", "ủy ban", "preferred"), Term("en", "committee", "preferred"),
        ],
        [Evidence("cognate", 0.9, "km", "th", {"km": "គណៈកម្មាធិការ", "th": "คณะกรรมการ"})],
        [],
    ),
    (
        0.42, "unreviewed", "align",
        [Term("km", "ប្រជាជន", "preferred"), Term("th", "ประชาชน", "preferred"), Term("en", "people", "preferred")],
        [Evidence("cognate", 0.88, "km", "th", {"km": "ប្រជាជន", "th": "ประชาชน"})],
        [],
    ),
    (
        0.35, "unreviewed", "mt",
        [Term("th", "ดิจิทัลทรานส์ฟอร์เมชัน", "preferred"), Term("en", "digital transformation", "preferred")],
        [Evidence("mt", 0.35, "th", "en", {"hyp": "digital transformation", "rank": 2})],
        [],
    ),
    (
        0.3, "unreviewed", "mt",
        [Term("en", "public service", "preferred")],
        [],
        [],
    ),
]


def _add_document(conn: sqlite3.Connection, path: str, title: str, lang: str, text: str, terms: list[str]) -> None:
    language = languages.get(lang)
    doc_id = conn.execute(
        "INSERT INTO documents (path, title, url, lang, sha256, text, ingested_at) VALUES (?,?,?,?,?,?,?)",
        (path, title, None, lang, "0" * 64, text, STAMP),
    ).lastrowid
    spans = language.split_sentences(text)
    sentence_ids = []
    for idx, (start, end) in enumerate(spans):
        sid = conn.execute(
            'INSERT INTO sentences (document_id, idx, start, "end", lang) VALUES (?,?,?,?,?)',
            (doc_id, idx, start, end, lang),
        ).lastrowid
        sentence_ids.append((sid, start, end))
        conn.executemany(
            'INSERT INTO tokens (sentence_id, idx, start, "end", text, key, kind) VALUES (?,?,?,?,?,?,?)',
            [
                (sid, i, t.start, t.end, t.text, language.key(t.text), t.kind)
                for i, t in enumerate(language.tokenize(text[start:end], start))
            ],
        )
    for rank, term in enumerate(terms, 1):
        key = language.key(term)
        row = conn.execute("SELECT id FROM candidates WHERE lang = ? AND key = ?", (lang, key)).fetchone()
        cand = row[0] if row else conn.execute(
            "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity, unithood,"
            " termhood, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (lang, key, term, "phrase", 2, 1, 1, 1.0, 1.0, 1.0, 1.0, rank),
        ).lastrowid
        at = text.find(term)
        while at >= 0:
            sid = next(s for s, start, end in sentence_ids if start <= at < end)
            conn.execute(
                'INSERT INTO occurrences (candidate_id, sentence_id, start, "end", text) VALUES (?,?,?,?,?)',
                (cand, sid, at, at + len(term), term),
            )
            at = text.find(term, at + len(term))


def build_termbase(path: Path) -> Path:
    """Write the fixed review fixture to ``path`` (a new file)."""
    conn = open_store(path)
    with transaction(conn):
        for score, status, origin, terms, evidence, notes in CONCEPTS:
            insert_concept(
                conn,
                Concept(
                    terms=[Term(t.lang, t.text, t.status) for t in terms], status=status, score=score, origin=origin,
                    evidence=evidence, notes=notes, created_at=STAMP, updated_at=STAMP,
                ),
            )
        conn.execute(
            "INSERT INTO mt_suggestions (concept_id, src_lang, tgt_lang, source_text, text, score, model)"
            " VALUES (1, 'km', 'en', 'ការផ្លាស់ប្តូរឌីជីថល', 'digital transformation', 0.83, 'tiny-marian')"
        )
        _add_document(
            conn, "km/digital.txt", "កម្ពុជាជំរុញការផ្លាស់ប្តូរឌីជីថល", "km", KM_DOC,
            ["ការផ្លាស់ប្តូរឌីជីថល", "សេដ្ឋកិច្ចឌីជីថល", "ហេដ្ឋារចនាសម្ព័ន្ធ", "រដ្ឋាភិបាលអេឡិចត្រូនិក"],
        )
        _add_document(
            conn, "km/services.txt", "សេវាសាធារណៈឌីជីថល", "km", KM_SERVICES_DOC, ["ការផ្លាស់ប្តូរឌីជីថល"],
        )
        _add_document(
            conn, "th/digital.txt", "ไทยเร่งการเปลี่ยนแปลงทางดิจิทัล", "th", TH_DOC,
            ["การเปลี่ยนแปลงทางดิจิทัล", "รัฐบาลอิเล็กทรอนิกส์", "เศรษฐกิจดิจิทัล", "โครงสร้างพื้นฐาน"],
        )
        conn.execute(  # counts as extraction stores them
            "UPDATE candidates SET freq = (SELECT count(*) FROM occurrences o WHERE o.candidate_id = candidates.id),"
            " doc_freq = (SELECT count(DISTINCT s.document_id) FROM occurrences o"
            " JOIN sentences s ON s.id = o.sentence_id WHERE o.candidate_id = candidates.id)"
        )
    conn.close()
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests here in a fresh event loop (no asyncio plugin needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture
def termbase(tmp_path) -> Path:
    """A fresh copy of the fixture termbase, always named ``termbase.db``."""
    return build_termbase(tmp_path / "termbase.db")


@pytest.fixture
def reader(termbase):
    """A second connection to the fixture file, to check what the app stored."""
    conn = open_store(termbase, create=False)
    yield conn
    conn.close()
