"""A rejected concept keeps its pairing out of later runs, not its terms (issue 14, item 6)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from termalign import lang, review
from termalign.align import Node, propose
from termalign.cli import main
from termalign.lexicon import Lexicon
from termalign.store import as_store, open_store
from termalign.store.concepts import load_concept

ROOT = Path(__file__).resolve().parents[2]


def node(code, text, rank=1):
    return Node(code, lang.get(code).key(text), text, "term", 1.0, rank)


def water_lexicon() -> Lexicon:
    lx = Lexicon()
    lx.add_concept({"en": ["water"], "km": ["ទឹក"], "th": ["น้ำ"], "vi": ["nước"]}, "test")
    lx.add_concept({"en": ["quality"], "km": ["គុណភាព"], "th": ["คุณภาพ"], "vi": ["chất lượng"]}, "test")
    return lx


def keyset(concept):
    return {(t.lang, t.key) for t in concept.terms}


def test_a_refused_pair_is_kept_apart_and_each_term_stays_proposable():
    lx = water_lexicon()
    km, th, vi = node("km", "គុណភាពទឹក"), node("th", "คุณภาพน้ำ"), node("vi", "chất lượng nước")
    (together,) = propose([km, th, vi], lx)
    assert keyset(together) == {(n.lang, n.key) for n in (km, th, vi)}

    refused = [frozenset({(km.lang, km.key), (th.lang, th.key)})]
    concepts = propose([km, th, vi], lx, refused=refused)
    assert concepts, "each term is still proposed"
    for c in concepts:
        assert not refused[0] <= keyset(c)
    # the Vietnamese term still joins one of them, and both refused terms are still proposed
    assert {(n.lang, n.key) for n in (km, th, vi)} <= {k for c in concepts for k in keyset(c)}
    assert any(len(c.languages()) == 2 for c in concepts)


def test_a_fill_does_not_bring_a_refused_pairing_back():
    lx = Lexicon()
    # a glossary that knows the whole concept fills the languages the corpus lacks
    lx.add_concept({"en": ["water quality"], "th": ["คุณภาพน้ำ"], "km": ["គុណភាពទឹក"]}, "test")
    km = node("km", "គុណភាពទឹក")
    en = node("en", "water quality")
    th_key = lang.get("th").key("คุณภาพน้ำ")
    (concept,) = propose([km, en], lx)
    assert ("th", th_key) in keyset(concept)
    (concept,) = propose([km, en], lx, refused=[frozenset({("km", km.key), ("th", th_key)})])
    assert ("th", th_key) not in keyset(concept) and ("km", km.key) in keyset(concept)


def _build(corpus: Path, db: Path, out: Path, capsys) -> dict:
    assert main(["build", str(corpus), "--db", str(db), "-o", str(out), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_review_then_add_articles_and_rebuild_keeps_the_teams_work(tmp_path, capsys):
    """Build, review (approve, reject, edit, note), add articles, rebuild: every decision, id,
    approved term and note is kept, and the rejected pairing is proposed nowhere."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seeds[:3]:
        shutil.copy(path, corpus / path.name)
    db = tmp_path / "tb.db"
    _build(corpus, db, tmp_path / "out", capsys)
    conn = open_store(db)
    rows = conn.execute(
        "SELECT c.id, count(DISTINCT t.lang || ':' || t.key) FROM concepts c JOIN terms t ON t.concept_id = c.id"
        " WHERE c.status = 'unreviewed' GROUP BY c.id ORDER BY c.score DESC, c.id"
    ).fetchall()
    multi = [cid for cid, n in rows if n > 1]
    assert len(multi) >= 4
    approved, rejected, edited, noted = multi[:4]
    review.approve(conn, approved, version=load_concept(conn, approved).version, reviewer="ana")
    review.reject(conn, rejected, version=load_concept(conn, rejected).version, reviewer="ana")
    review.add_term(conn, edited, "vi", "thuật ngữ do người duyệt thêm", version=load_concept(conn, edited).version,
                    reviewer="ana")
    review.add_note(conn, noted, "checked against the ministry's portal", version=load_concept(conn, noted).version,
                    reviewer="ana")
    before = {cid: load_concept(conn, cid) for cid in (approved, rejected, edited, noted)}
    refused = {(t.lang, t.key) for t in before[rejected].terms}
    log_before = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    conn.close()

    for path in seeds[3:]:
        shutil.copy(path, corpus / path.name)
    _build(corpus, db, tmp_path / "out2", capsys)
    conn = open_store(db)
    after = {cid: load_concept(conn, cid) for cid in before}
    for cid, old in before.items():
        new = after[cid]
        assert new is not None, cid
        assert (new.status, new.version) == (old.status, old.version)
        assert [(t.lang, t.text, t.status) for t in new.terms] == [(t.lang, t.text, t.status) for t in old.terms]
        assert [n.text for n in new.notes] == [n.text for n in old.notes]
    assert after[approved].status == "approved" and after[rejected].status == "rejected"
    assert any(t.text == "thuật ngữ do người duyệt thêm" for t in after[edited].terms)
    assert [n.text for n in after[noted].notes][-1] == "checked against the ministry's portal"
    assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == log_before
    # no other concept holds two terms of the rejected pairing
    others = conn.execute(
        "SELECT t.concept_id, t.lang, t.key FROM terms t WHERE t.concept_id != ?", (rejected,)
    ).fetchall()
    held: dict[int, set] = {}
    for cid, code, key in others:
        if (code, key) in refused:
            held.setdefault(cid, set()).add((code, key))
    assert all(len(keys) < 2 for keys in held.values())
    # the store still names it
    assert frozenset(refused) in as_store(conn).rejected_groups()
    conn.close()


def _holding(conn, keys: set, *, besides: set[int]) -> list[int]:
    """Concepts other than ``besides`` that hold two or more of ``keys``."""
    held: dict[int, set] = {}
    for cid, code, key in conn.execute("SELECT concept_id, lang, key FROM terms"):
        if cid not in besides and (code, key) in keys:
            held.setdefault(cid, set()).add((code, key))
    return [cid for cid, found in held.items() if len(found) > 1]


def test_with_two_rejections_needed_a_pairing_returns_until_a_second_reviewer_rejects_it(tmp_path, capsys):
    """The team setting ``rejections-needed``: with 2, alice's rejection alone does not keep
    the pairing out (the next build proposes it again, for another reviewer to judge); alice
    rejecting it again still does not; once bob rejects it too, builds keep it out."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted((ROOT / "seeds").glob("*.txt"))[:3]:
        shutil.copy(path, corpus / path.name)
    db = tmp_path / "tb.db"
    _build(corpus, db, tmp_path / "out", capsys)
    assert main(["store", "settings", "rejections-needed", "2", "--db", str(db)]) == 0
    capsys.readouterr()
    conn = open_store(db)
    (first,) = as_store(conn).best_unreviewed_ids(1)
    pairing = keyset(load_concept(conn, first))
    assert len(pairing) > 1
    rejected = {first}
    for reviewer, returns in (("alice", True), ("alice", True), ("bob", False)):
        cid = max(rejected)
        review.reject(conn, cid, version=load_concept(conn, cid).version, reviewer=reviewer)
        conn.close()
        _build(corpus, db, tmp_path / "out", capsys)
        conn = open_store(db)
        again = _holding(conn, pairing, besides=rejected)
        assert bool(again) == returns, (reviewer, again)
        if returns:
            (cid,) = again
            assert load_concept(conn, cid).status == "unreviewed"
            rejected.add(cid)
    conn.close()
