"""Adding articles to a reviewed termbase and rebuilding keeps the team's work."""

import json
import shutil

from termalign import review
from termalign.cli import main
from termalign.store import open_store
from termalign.store.concepts import load_concept


def _pairs(concept):
    return {(a.lang, a.key, b.lang, b.key) for a in concept.terms for b in concept.terms if a.lang < b.lang}


def test_rebuild_after_new_articles_keeps_decisions_ids_terms_and_notes(tmp_path, seeds_dir, capsys):
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    for p in seeds[:3]:
        shutil.copy(p, first / p.name)
    for p in seeds[3:]:
        shutil.copy(p, later / p.name)
    db = tmp_path / "t.db"
    assert main(["build", str(first), "--db", str(db), "-o", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    conn = open_store(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM concepts WHERE status = 'unreviewed' ORDER BY score DESC, id")]
    linked = [i for i in ids if len(load_concept(conn, i).languages()) >= 2]
    approved, rejected, edited, noted = linked[:4]
    review.approve(conn, approved, version=1, reviewer="dara")
    review.reject(conn, rejected, version=1, reviewer="sok")
    concept = load_concept(conn, edited)
    term = concept.terms[0]
    review.edit_term(
        conn, edited, term.id, term.text + "ថ្មី" if term.lang == "km" else term.text + "ใหม่", version=1, reviewer="dara"
    )
    review.add_note(conn, noted, "check the Thai form", version=1, reviewer="sok")
    before = {cid: load_concept(conn, cid) for cid in (approved, rejected, edited, noted)}
    rejected_pairs = _pairs(before[rejected])
    log_before = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    conn.close()

    assert main(["build", str(first), str(later), "--db", str(db), "-o", str(tmp_path / "out"), "--json"]) == 0
    # One approval and one rejection so far: too few to refit the scores on.
    assert json.loads(capsys.readouterr().out)["score"] == {
        "calibrated": False, "decisions": 2, "approved": 1, "decisions_needed": 50,
    }
    conn = open_store(db)
    for cid, old in before.items():
        now = load_concept(conn, cid)
        assert now is not None, cid
        assert (now.status, now.version) == (old.status, old.version)
        assert [(t.id, t.lang, t.text, t.status) for t in now.terms] == [
            (t.id, t.lang, t.text, t.status) for t in old.terms
        ]
        assert [n.text for n in now.notes] == [n.text for n in old.notes]
    assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == log_before
    # the new articles did add proposals, and no unreviewed proposal repeats a rejected pairing
    fresh = [load_concept(conn, r[0]) for r in conn.execute("SELECT id FROM concepts WHERE status = 'unreviewed'")]
    assert fresh and all(c.id not in before for c in fresh if c.version == 1)
    assert not any(_pairs(c) & rejected_pairs for c in fresh)
