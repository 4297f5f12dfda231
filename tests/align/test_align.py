"""Alignment signals on terms written for these tests (not from the seeds or the base glossary)."""

import json
from pathlib import Path

from termalign import lang
from termalign.align import Node, align, propose
from termalign.align.evaluate import evaluate_alignment
from termalign.cli import main
from termalign.gold import read_gold
from termalign.lang.km import skeleton_km
from termalign.lang.latin import skeleton_en
from termalign.lang.th import skeleton_th
from termalign.lexicon import Lexicon
from termalign.lexicon.compose import compose
from termalign.lexicon.english import english_bag
from termalign.lexicon.translit import similarity
from termalign.store import open_store, transaction
from termalign.store.concepts import Concept, Term, insert_concept

ROOT = Path(__file__).resolve().parents[2]


def node(code, text, rank=1, kind="term"):
    return Node(code, lang.get(code).key(text), text, kind, 1.0, rank)


def small_lexicon() -> Lexicon:
    lx = Lexicon()
    # word-level pairs only: the multi-word terms below are never in the lexicon
    lx.add_concept({"en": ["water"], "km": ["ទឹក"], "th": ["น้ำ"], "vi": ["nước"]}, "test")
    lx.add_concept({"en": ["quality"], "km": ["គុណភាព"], "th": ["คุณภาพ"], "vi": ["chất lượng"]}, "test")
    lx.add_concept({"en": ["clean"], "km": ["ស្អាត"], "th": ["สะอาด"], "vi": ["sạch"]}, "test")
    return lx


def test_compositional_signal_aligns_a_pair_only_composition_knows():
    lx = small_lexicon()
    km, th = node("km", "គុណភាពទឹក"), node("th", "คุณภาพน้ำ")
    # no other signal: the skeletons differ, there is no anchor
    assert similarity(skeleton_km(km.key), skeleton_th(th.key)) < 0.8
    (concept,) = propose([km, th], lx)
    assert {(t.lang, t.text) for t in concept.terms} >= {("km", "គុណភាពទឹក"), ("th", "คุณภาพน้ำ")}
    # head-first km/th compose to head-last English, same order for Vietnamese: readings
    # no text attests, so suggestions, not terms
    assert concept.languages() == ["km", "th"]
    assert {(s.lang, s.text, s.origin) for s in concept.suggestions} == {
        ("en", "water quality", "compositional"), ("vi", "chất lượng nước", "compositional")
    }
    assert {e.signal for e in concept.evidence} == {"compositional"}
    assert all(e.detail["gloss"] == "water quality" for e in concept.evidence)


def test_cognate_signal_aligns_a_pair_no_lexicon_knows():
    # Pali/Sanskrit loans spelled letter by letter alike: "university"
    km, th = node("km", "សាកលវិទ្យាល័យ"), node("th", "มหาวิทยาลัย")
    other = node("th", "โรงพยาบาล", rank=2)
    assert compose(Lexicon(), "km", km.key) == []
    concepts = propose([km, th, other], Lexicon())
    (concept,) = [c for c in concepts if len(c.languages()) > 1] or [None]
    # มหาวิทยาลัย and សាកលវិទ្យាល័យ share วิทยาลัย/វិទ្យាល័យ but differ in the first part
    assert concept is None or {t.text for t in concept.terms} != {"សាកលវិទ្យាល័យ", "โรงพยาบาล"}
    km2, th2 = node("km", "វិទ្យាសាស្ត្រ"), node("th", "วิทยาศาสตร์")
    (concept,) = propose([km2, th2, other], Lexicon())
    assert {t.text for t in concept.terms} == {"វិទ្យាសាស្ត្រ", "วิทยาศาสตร์"}
    assert [e.signal for e in concept.evidence] == ["cognate"]


def test_loanword_skeletons_reach_english():
    assert skeleton_km("ឌីជីថល") == skeleton_th("ดิจิทัล") == skeleton_en("digital")
    assert skeleton_th("แพลตฟอร์ม") == skeleton_en("platform")
    lx = Lexicon()
    lx.add_concept({"en": ["cryptocurrency"]}, "test")
    (hyp,) = compose(lx, "th", lang.get("th").key("คริปโทเคอร์เรนซี"))
    assert hyp.en == "cryptocurrency" and hyp.sources == ["loanword"]


def test_loans_only_on_boundaries_towards_attested_english_never_on_native_words():
    lx = Lexicon()
    # English words a glossary names; the Thai and Khmer words below are native
    lx.add_concept({"en": ["connection"], "th": ["การเชื่อมต่อ"]}, "test")
    lx.add_concept({"en": ["identity"], "km": ["អត្តសញ្ញាណ"]}, "test")
    lx.add_concept({"en": ["corona"]}, "test")
    for code, text in (("th", "การแข่งขัน"), ("th", "ชีวิตประจำวัน"), ("km", "ថ្ងៃទីមួយ"), ("km", "ក្រុងថ្មី")):
        assert all(h.loans == 0 for h in compose(lx, code, lang.get(code).key(text))), text
    # a loan of a word no glossary or text names is not read at all
    assert compose(lx, "th", lang.get("th").key("คริปโทเคอร์เรนซี")) == []


def test_khmer_thai_cognates_survive_the_loan_rules():
    # native Indic words on both sides, written for this test: science, committee, economy
    pairs = [("វិទ្យាសាស្ត្រ", "วิทยาศาสตร์"), ("គណៈកម្មាធិការ", "คณะกรรมการ"), ("សេដ្ឋកិច្ច", "เศรษฐกิจ")]
    lx = Lexicon()
    lx.add_concept({"en": ["scientist", "committees", "economics"]}, "test")
    nodes = [node(code, text, rank=i) for i, pair in enumerate(pairs, 1) for code, text in zip(("km", "th"), pair)]
    concepts = propose(nodes, lx)
    linked = {frozenset(t.text for t in c.terms) for c in concepts if len(c.languages()) == 2}
    assert linked == {frozenset(p) for p in pairs}


def test_anchor_signal_aligns_a_pair_only_the_anchor_links():
    a = node("km", "VNeID", kind="anchor")
    b = node("th", "VNeID", kind="anchor")
    c = node("th", "OCOP", kind="anchor")
    concepts = propose([a, b, c], Lexicon())
    assert len(concepts) == 1
    assert {(t.lang, t.text) for t in concepts[0].terms} == {("km", "VNeID"), ("th", "VNeID")}
    assert concepts[0].evidence[0].signal == "anchor"


def test_a_short_form_candidate_of_a_latin_language_links_the_anchor_written_the_same():
    # In Vietnamese or English text an acronym (e-GP, VssID) is a term candidate, in Khmer
    # text an anchor: the same string is one concept. A common word is no short form.
    concepts = propose(
        [node("km", "e-GP", kind="anchor"), node("vi", "e-GP"), node("en", "VssID"), node("th", "VssID", kind="anchor"),
         node("vi", "online"), node("en", "online")],
        Lexicon(),
    )
    linked = {frozenset((t.lang, t.text) for t in c.terms) for c in concepts}
    assert linked == {frozenset({("km", "e-GP"), ("vi", "e-GP")}), frozenset({("th", "VssID"), ("en", "VssID")})}
    assert all(c.evidence[0].signal == "anchor" for c in concepts)


def test_a_name_written_the_same_in_two_languages_is_aligned_whatever_its_rank(tmp_path):
    from termalign.align import DEFAULT_PER_LANGUAGE, load_nodes

    low = DEFAULT_PER_LANGUAGE + 50
    conn = open_store(tmp_path / "a.db")
    rows = [("th", "NSSF", "anchor", low), ("km", "NSSF", "anchor", low + 1), ("vi", "BHYT", "anchor", low),
            ("km", "ប័ណ្ណ", "term", 1)]
    with transaction(conn):
        for code, text, kind, rank in rows:
            conn.execute(
                "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity, unithood, "
                "termhood, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (code, lang.get(code).key(text), text, kind, 1, 1, 1, 1.0, 1.0, 1.0, 1.0, rank),
            )
    loaded = {(n.lang, n.text) for n in load_nodes(conn, DEFAULT_PER_LANGUAGE, Lexicon())}
    # BHYT is written in one language only: below the pool it waits for a reviewer's search.
    assert loaded == {("th", "NSSF"), ("km", "NSSF"), ("km", "ប័ណ្ណ")}


def test_no_proposal_without_evidence():
    assert propose([node("km", "ស្អាតស្អំ"), node("th", "สวยงาม")], Lexicon()) == []


def test_english_bags_ignore_order_and_inflection():
    assert english_bag("provincial People's Committee") == english_bag("province people committee")
    assert english_bag("digital transformation") != english_bag("digital transition")


def _store_with_candidates(tmp_path, rows):
    conn = open_store(tmp_path / "a.db")
    with transaction(conn):
        for i, (code, text) in enumerate(rows, 1):
            conn.execute(
                "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity, unithood, "
                "termhood, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (code, lang.get(code).key(text), text, "term", 2, 2, 1, 1.0, 1.0, 1.0, 1.0, i),
            )
    return conn


def test_approved_pairs_feed_the_next_run(tmp_path):
    # "water meter" in km and th: unknown to the base glossary as a whole
    conn = _store_with_candidates(tmp_path, [("km", "នាឡិកាទឹក"), ("th", "มาตรวัดน้ำ"), ("km", "នាឡិកាទឹកឌីជីថល")])
    align(conn)
    before = conn.execute("SELECT count(*) FROM terms WHERE text = 'មាត្រវាស់ទឹក'").fetchone()[0]
    assert before == 0
    with transaction(conn):
        insert_concept(
            conn,
            Concept(
                terms=[Term("km", "នាឡិកាទឹក", "preferred"), Term("th", "มาตรวัดน้ำ", "preferred"), Term("en", "water meter", "preferred")],
                status="approved", origin="review",
            ),
        )
    align(conn)
    # the approved pair is not proposed again, and a longer term is composed on top of it
    rows = conn.execute(
        "SELECT c.id, t.lang, t.text FROM concepts c JOIN terms t ON t.concept_id = c.id WHERE c.status = 'unreviewed'"
    ).fetchall()
    texts = {(r[1], r[2]) for r in rows}
    assert ("km", "នាឡិកាទឹក") not in texts
    assert ("km", "នាឡិកាទឹកឌីជីថល") in texts
    # composed on top of the approved pair, but no text says it: a suggestion
    assert ("en", "digital water meter") not in texts
    assert ("en", "digital water meter") in {tuple(r) for r in conn.execute("SELECT lang, text FROM suggestions")}


def test_seed_alignment_meets_the_bar(aligned_seeds_db):
    conn = open_store(aligned_seeds_db, create=False)
    result = evaluate_alignment(conn, read_gold(ROOT / "tests" / "data" / "dev-gold.tsv"))
    assert result["pairs"]["km-th"]["p@1"] >= 0.8
    assert result["pairs"]["km-th"]["n"] == 8
    # every form of "digital transformation" in the gold ends in one concept
    gold = {g.id: g for g in read_gold(ROOT / "tests" / "data" / "dev-gold.tsv")}["c01"]
    ids = {
        conn.execute("SELECT concept_id FROM terms WHERE lang = ? AND key = ?", (code, lang.get(code).key(t))).fetchone()[0]
        for code in ("km", "th")
        for t in gold.terms[code]
    }
    assert len(ids) == 1
    # every proposal shows its evidence
    assert conn.execute("SELECT count(*) FROM concepts c WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.concept_id = c.id)").fetchone()[0] == 0


def test_build_is_deterministic_and_offline(tmp_path, seeds_dir, capsys):
    outs = []
    for run in ("one", "two"):
        code = main(["build", str(seeds_dir), "--db", str(tmp_path / run / "t.db"), "-o", str(tmp_path / run / "out"), "--json"])
        assert code == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0]["documents"] == 5 and outs[0]["proposals"] > 50
    for fmt in ("tbx", "tsv"):
        one = (tmp_path / "one" / "out" / f"termbase.{fmt}").read_bytes()
        two = (tmp_path / "two" / "out" / f"termbase.{fmt}").read_bytes()
        assert one == two and len(one) > 1000
    assert "ការផ្លាស់ប្តូរឌីជីថល".encode() in one


def test_distributional_signal_links_mutually_most_similar_contexts():
    km, th, th_other = node("km", "ស្ពានអាកាស"), node("th", "สะพานลอย"), node("th", "ตลาดนัด", rank=2)
    contexts = {
        km: {"bridge": 0.8, "road": 0.6},
        th: {"bridge": 0.7, "road": 0.7},
        th_other: {"market": 0.9, "road": 0.4},
    }
    concepts = propose([km, th, th_other], Lexicon(), contexts)
    linked = [c for c in concepts if len(c.languages()) == 2]
    assert len(linked) == 1
    assert {t.text for t in linked[0].terms} == {"ស្ពានអាកាស", "สะพานลอย"}
    assert linked[0].evidence[0].signal == "distributional"


def test_realignment_never_reuses_numbers_nor_drops_touched_proposals(tmp_path):
    from termalign import review

    conn = _store_with_candidates(tmp_path, [("km", "សេដ្ឋកិច្ចឌីជីថល"), ("th", "เศรษฐกิจดิจิทัล"), ("km", "សង្គមឌីជីថល")])
    align(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM concepts ORDER BY id")]
    assert len(ids) == 2
    touched = conn.execute(
        "SELECT concept_id FROM terms WHERE text = 'សង្គមឌីជីថល'"
    ).fetchone()[0]
    review.add_note(conn, touched, "check the Thai form", version=1, reviewer="dara")
    align(conn)
    rows = {r[0]: r[1] for r in conn.execute("SELECT id, version FROM concepts")}
    # the touched proposal survives with its note; the other is new, under a new number
    assert rows[touched] == 2
    assert conn.execute("SELECT count(*) FROM notes WHERE concept_id = ?", (touched,)).fetchone()[0] == 1
    fresh = [i for i in rows if i != touched]
    assert len(fresh) == 1 and fresh[0] > max(ids)
    # a stale approval of the old number is refused, not applied to another concept
    import pytest

    from termalign.errors import ConflictError

    old = [i for i in ids if i != touched][0]
    with pytest.raises(ConflictError):
        review.approve(conn, old, version=1, reviewer="dara")


def test_an_english_corpus_gets_the_glossary_terms_of_other_languages(tmp_path):
    from termalign.extract import extract
    from termalign.ingest import ingest_paths

    (tmp_path / "a.txt").write_text(
        "The province expanded its public service portal this year. Every public service is now online.\n"
        "Officials said digital transformation needs a strong digital economy.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "A new public service centre opened. The digital economy grew and digital transformation continued.\n",
        encoding="utf-8",
    )
    conn = open_store(tmp_path / "t.db")
    ingest_paths(conn, [tmp_path / "a.txt", tmp_path / "b.txt"])
    extract(conn)
    align(conn)
    cid = conn.execute("SELECT concept_id FROM terms WHERE lang = 'en' AND text = 'public service'").fetchone()[0]
    terms = {(lang_, text, source) for lang_, text, source in conn.execute(
        "SELECT lang, text, source FROM terms WHERE concept_id = ?", (cid,))}
    # composed word by word from the glossary, head first: suggestions (no km/th/vi text)
    assert not {t for t in terms if t[0] != "en"}
    suggested = {tuple(r) for r in conn.execute("SELECT lang, text, origin FROM suggestions WHERE concept_id = ?", (cid,))}
    assert suggested == {
        ("km", "សេវាសាធារណៈ", "compositional"), ("th", "บริการสาธารณะ", "compositional"), ("vi", "dịch vụ công", "compositional")
    }
    signals = {r[0] for r in conn.execute("SELECT signal FROM evidence WHERE concept_id = ?", (cid,))}
    assert signals == {"compositional"}
    # a word the glossary knows whole gives its own terms
    cid = conn.execute("SELECT concept_id FROM terms WHERE lang = 'en' AND text = 'province'").fetchone()[0]
    assert ("km", "ខេត្ត", "base:termalign-curated") in {
        tuple(r) for r in conn.execute("SELECT lang, text, source FROM terms WHERE concept_id = ?", (cid,))
    }
