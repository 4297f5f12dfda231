"""Review actions on the store: each one a transaction, a version check and a log entry."""

from __future__ import annotations

import json

import pytest

from termalign import review
from termalign.errors import ConflictError, TermalignError
from termalign.review import Filters, ProposalList
from termalign.store import as_store, open_store, transaction
from termalign.store.concepts import Concept, Evidence, Term, insert_concept, load_concept


def _concept(conn, score, terms, status="unreviewed", origin="align", signals=("lexicon",)):
    with transaction(conn):
        return insert_concept(
            conn,
            Concept(
                terms=[Term(lang, text, st) for lang, text, st in terms], score=score, status=status, origin=origin,
                evidence=[Evidence(s, 0.5, "km", "th", {"why": s}) for s in signals],
            ),
        )


@pytest.fixture
def db(tmp_path):
    conn = open_store(tmp_path / "review.db")
    ids = {
        "dt": _concept(conn, 0.9, [("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"), ("km", "បរិវត្តកម្មឌីជីថល", "admitted"),
                                   ("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"), ("en", "digital transformation", "preferred")],
                        signals=("lexicon", "cognate")),
        "dt2": _concept(conn, 0.4, [("th", "ดิจิทัลทรานส์ฟอร์เมชัน", "preferred"), ("vi", "chuyển đổi số", "preferred")],
                         origin="mt", signals=("mt",)),
        "eg": _concept(conn, 0.7, [("km", "រដ្ឋាភិបាលអេឡិចត្រូនិក", "preferred"), ("vi", "chính phủ điện tử", "preferred")]),
        "sc": _concept(conn, 0.7, [("th", "วิทยาศาสตร์", "preferred"), ("en", "science", "preferred")], status="approved"),
    }
    with transaction(conn):
        conn.execute(
            "INSERT INTO mt_suggestions (concept_id, src_lang, tgt_lang, source_text, text, score, model)"
            " VALUES (?, 'th', 'en', 'ดิจิทัลทรานส์ฟอร์เมชัน', 'digital transformation', 0.7, 'tiny')",
            (ids["dt2"],),
        )
    yield conn, ids
    conn.close()


def _log(conn):
    return [(r["concept_id"], r["reviewer"], r["action"]) for r in conn.execute("SELECT * FROM review_log ORDER BY id")]


def _version(conn, cid):
    return load_concept(conn, cid).version


def test_approve_writes_status_version_and_log(db):
    conn, ids = db
    out = review.approve(conn, ids["dt"], version=1, reviewer="alice")
    c = load_concept(conn, ids["dt"])
    assert (c.status, c.version, c.updated_by) == ("approved", 2, "alice")
    assert out.changed == (ids["dt"],)
    row = conn.execute("SELECT * FROM review_log").fetchone()
    assert (row["concept_id"], row["reviewer"], row["action"]) == (ids["dt"], "alice", "approve")
    assert json.loads(row["before"])["status"] == "unreviewed"
    assert json.loads(row["after"])["status"] == "approved"
    assert row["at"].endswith("Z")


def test_stale_version_is_refused_and_nothing_is_written(db):
    conn, ids = db
    review.approve(conn, ids["dt"], version=1, reviewer="bob")
    with pytest.raises(ConflictError, match="changed by bob"):
        review.reject(conn, ids["dt"], version=1, reviewer="alice")
    assert load_concept(conn, ids["dt"]).status == "approved"
    assert _log(conn) == [(ids["dt"], "bob", "approve")]


def test_edit_add_prefer_note(db):
    conn, ids = db
    c = load_concept(conn, ids["dt"])
    variant = next(t for t in c.terms if t.text == "បរិវត្តកម្មឌីជីថល")
    review.edit_term(conn, c.id, variant.id, "ការបំប្លែងឌីជីថល", version=1, reviewer="a")
    review.add_term(conn, c.id, "vi", "chuyển đổi số", version=2, reviewer="a")
    review.set_preferred(conn, c.id, variant.id, version=3, reviewer="a")
    review.add_note(conn, c.id, "Ministry uses the short form", version=4, reviewer="a")
    c = load_concept(conn, c.id)
    assert c.version == 5
    assert [(t.text, t.status) for t in c.terms_in("km")] == [
        ("ការផ្លាស់ប្តូរឌីជីថល", "admitted"), ("ការបំប្លែងឌីជីថល", "preferred")
    ]
    assert [(t.text, t.status, t.source) for t in c.terms_in("vi")] == [("chuyển đổi số", "preferred", "review:a")]
    assert [(n.text, n.author) for n in c.notes] == [("Ministry uses the short form", "a")]
    assert [a for _, _, a in _log(conn)] == ["edit_term", "add_term", "set_preferred", "note"]
    with pytest.raises(TermalignError, match="already has"):
        review.add_term(conn, c.id, "vi", "Chuyển đổi số", version=5, reviewer="a")
    with pytest.raises(TermalignError, match="empty"):
        review.edit_term(conn, c.id, variant.id, "  ", version=5, reviewer="a")
    assert _version(conn, c.id) == 5  # refused edits roll back the version bump too


def test_merge_moves_terms_evidence_mt_and_undo_restores_both(db):
    conn, ids = db
    before_dt2 = load_concept(conn, ids["dt2"])
    out = review.merge(conn, ids["dt"], ids["dt2"], target_version=1, source_version=1, reviewer="a")
    assert out.deleted == (ids["dt2"],)
    assert load_concept(conn, ids["dt2"]) is None
    merged = load_concept(conn, ids["dt"])
    assert {t.text for t in merged.terms_in("th")} == {"การเปลี่ยนแปลงทางดิจิทัล", "ดิจิทัลทรานส์ฟอร์เมชัน"}
    assert merged.preferred("th").text == "การเปลี่ยนแปลงทางดิจิทัล"
    assert merged.preferred("vi").text == "chuyển đổi số"
    assert {e.signal for e in merged.evidence} == {"lexicon", "cognate", "mt"}
    assert conn.execute("SELECT concept_id FROM mt_suggestions").fetchone()[0] == ids["dt"]

    review.undo(conn, reviewer="a")
    restored = load_concept(conn, ids["dt2"])
    assert [(t.id, t.text, t.status) for t in restored.terms] == [(t.id, t.text, t.status) for t in before_dt2.terms]
    assert [t.lang for t in load_concept(conn, ids["dt"]).terms] == ["km", "km", "th", "en"]
    assert conn.execute("SELECT concept_id FROM mt_suggestions").fetchone()[0] == ids["dt2"]
    assert [a for _, _, a in _log(conn)] == ["merge", "undo"]

    review.redo(conn, reviewer="a")
    assert load_concept(conn, ids["dt2"]) is None
    assert len(load_concept(conn, ids["dt"]).terms) == 6


def test_split_variant_into_new_concept_and_undo(db):
    conn, ids = db
    c = load_concept(conn, ids["dt"])
    preferred = c.preferred("km")
    out = review.split(conn, c.id, preferred.id, version=1, reviewer="a")
    (new_id,) = out.created
    new = load_concept(conn, new_id)
    assert [(t.lang, t.text, t.status) for t in new.terms] == [("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred")]
    assert (new.status, new.origin) == ("unreviewed", "split")
    # the remaining Khmer variant takes over as preferred
    assert load_concept(conn, c.id).preferred("km").status == "preferred"
    review.undo(conn, reviewer="a")
    assert load_concept(conn, new_id) is None
    assert [(t.text, t.status) for t in load_concept(conn, c.id).terms_in("km")] == [
        ("ការផ្លាស់ប្តូរឌីជីថល", "preferred"), ("បរិវត្តកម្មឌីជីថល", "admitted")
    ]
    lone = load_concept(conn, ids["sc"])
    review.split(conn, lone.id, lone.terms[0].id, version=lone.version, reviewer="a")
    lone = load_concept(conn, ids["sc"])
    with pytest.raises(TermalignError, match="only term"):
        review.split(conn, lone.id, lone.terms[0].id, version=lone.version, reviewer="a")


def test_undo_redo_stacks_are_per_reviewer_and_survive_reopening(db, tmp_path):
    conn, ids = db
    review.approve(conn, ids["dt"], version=1, reviewer="a")
    review.reject(conn, ids["eg"], version=1, reviewer="a")
    review.approve(conn, ids["dt2"], version=1, reviewer="b")
    assert review.undo(conn, reviewer="a").concept_id == ids["eg"]
    conn2 = open_store(tmp_path / "review.db", create=False)  # the log is the memory
    assert review.undo(conn2, reviewer="a").concept_id == ids["dt"]
    assert review.undo(conn2, reviewer="a") is None
    assert load_concept(conn2, ids["dt"]).status == "unreviewed"
    assert load_concept(conn2, ids["dt2"]).status == "approved"  # b's decision untouched
    assert review.redo(conn2, reviewer="a").concept_id == ids["dt"]
    assert load_concept(conn2, ids["dt"]).status == "approved"
    review.add_note(conn2, ids["dt"], "new action clears redo", version=_version(conn2, ids["dt"]), reviewer="a")
    assert review.redo(conn2, reviewer="a") is None
    conn2.close()


def test_undo_refuses_when_someone_changed_the_concept_since(db):
    conn, ids = db
    review.approve(conn, ids["dt"], version=1, reviewer="a")
    review.reject(conn, ids["dt"], version=2, reviewer="b")
    with pytest.raises(ConflictError, match="changed since by b"):
        review.undo(conn, reviewer="a")
    assert load_concept(conn, ids["dt"]).status == "rejected"


def test_bulk_approve_skips_changed_concepts(db):
    conn, ids = db
    review.add_note(conn, ids["eg"], "seen by b", version=1, reviewer="b")
    out = review.bulk_approve(conn, {ids["dt"]: 1, ids["dt2"]: 1, ids["eg"]: 1}, reviewer="a")
    assert set(out.changed) == {ids["dt"], ids["dt2"]}
    assert out.refused == (ids["eg"],)
    assert load_concept(conn, ids["eg"]).status == "unreviewed"
    assert _log(conn)[-1] == (None, "a", "bulk_approve")
    review.undo(conn, reviewer="a")
    assert {load_concept(conn, i).status for i in (ids["dt"], ids["dt2"])} == {"unreviewed"}


def test_log_is_append_only(db):
    conn, ids = db
    review.approve(conn, ids["dt"], version=1, reviewer="a")
    with pytest.raises(Exception, match="append-only"):
        conn.execute("DELETE FROM review_log")


def test_listing_sort_filters_and_search(db):
    conn, ids = db
    assert review.proposal_ids(conn, Filters()) == [ids["dt"], ids["eg"], ids["sc"], ids["dt2"]]
    assert review.proposal_ids(conn, Filters(status="approved")) == [ids["sc"]]
    assert review.proposal_ids(conn, Filters(missing="en")) == [ids["eg"], ids["dt2"]]
    assert review.proposal_ids(conn, Filters(score_min=0.5, score_max=0.8)) == [ids["eg"], ids["sc"]]
    assert review.proposal_ids(conn, Filters(origin="mt")) == [ids["dt2"]]
    assert review.proposal_ids(conn, Filters(search="ឌីជីថល")) == [ids["dt"]]
    assert review.proposal_ids(conn, Filters(search="Chính Phủ")) == [ids["eg"]]
    assert review.proposal_ids(conn, Filters(search="100%")) == []
    rows = review.fetch_rows(conn, [ids["dt"]])
    row = rows[ids["dt"]]
    assert row.terms == {"km": "ការផ្លាស់ប្តូរឌីជីថល", "th": "การเปลี่ยนแปลงทางดิจิทัล", "en": "digital transformation"}
    assert row.signals == ("cognate", "lexicon")


def test_filter_expression_round_trip():
    f = Filters.parse("status:unreviewed missing:km score:0.5-0.9 origin:align", search="số")
    assert f == Filters("unreviewed", "km", 0.5, 0.9, "align", "số")
    assert Filters.parse(f.expression(), search="số") == f
    assert Filters.from_json(f.to_json()) == f
    assert Filters.parse("score:0.3").score_min == 0.3
    for bad in ("status:maybe", "colour:red", "score:high", "missing:fr", "nokey"):
        with pytest.raises(TermalignError):
            Filters.parse(bad)


def test_proposal_list_updates_only_touched_rows(db):
    conn, ids = db
    plist = ProposalList(conn, Filters(status="unreviewed"))
    assert plist.ids == [ids["dt"], ids["eg"], ids["dt2"]]
    assert plist.row(0).status == "unreviewed"
    review.approve(conn, ids["eg"], version=1, reviewer="a")
    plist.refresh([ids["eg"]])
    assert plist.ids == [ids["dt"], ids["dt2"]]
    out = review.split(conn, ids["dt"], load_concept(conn, ids["dt"]).terms[1].id, version=1, reviewer="a")
    plist.refresh(out.touched)
    assert plist.ids == [ids["dt"], out.created[0], ids["dt2"]]  # new concept sorted in place (score 0.9)
    assert plist.place_of(ids["eg"]) == 2  # where it would sort (0.7), though no longer listed
    assert plist.next_undecided(0, 1) == 1
    review.approve(conn, out.created[0], version=1, reviewer="b")  # someone else decides it
    assert plist.next_undecided(0, 1) == 2
    assert plist.next_undecided(2, -1) == 0


class _SmallPages(ProposalList):
    PAGE = 4  # many pages on a few dozen concepts


def test_proposal_list_pages_from_known_rows_without_reading_the_whole_listing(tmp_path):
    """The listing is a count and pages read as rows are shown, from any place and in any
    order (ties on score included); it never reads every id to draw a screen."""
    conn = open_store(tmp_path / "paging.db")
    cids = [
        _concept(conn, round((n % 7) / 10, 1), [("en", f"term {n}", "preferred")],
                 status="approved" if n % 3 == 0 else "unreviewed")
        for n in range(37)
    ]
    store = as_store(conn)

    def listed(filters):  # the whole listing, read as one query by the class's method
        return [cid for cid, _ in type(store).proposal_scores(store, filters)]

    def whole_listing(_filters):
        raise AssertionError("the listing read every id")

    store.proposal_scores = whole_listing  # type: ignore[method-assign]
    for filters in (Filters(), Filters(status="unreviewed"), Filters(score_min=0.3), Filters(search="term 2")):
        expected = listed(filters)
        plist = _SmallPages(store, filters)
        assert len(plist) == len(expected)
        order = [len(expected) - 1, 0, len(expected) // 2, *reversed(range(len(expected))), len(expected)]
        assert [r.id if (r := plist.row(i)) else None for i in order] == [
            expected[i] if i < len(expected) else None for i in order
        ]
        fresh = _SmallPages(store, filters)
        for cid in reversed(expected):  # places counted by the store, then pages read from them
            assert fresh.index_of(cid) == expected.index(cid)
            assert fresh.row(expected.index(cid)).id == cid
    plist = _SmallPages(store, Filters(status="unreviewed"))
    at = len(plist) // 2
    middle = plist.row(at)
    review.approve(conn, middle.id, version=middle.version, reviewer="a")
    plist.refresh([middle.id])
    expected = listed(Filters(status="unreviewed"))
    assert middle.id not in expected and len(plist) == len(expected)
    assert [plist.row(i).id for i in reversed(range(len(plist)))] == expected[::-1]
    assert plist.index_of(middle.id) is None
    assert plist.place_of(middle.id) == at  # where it would sort, though no longer listed
    del store.proposal_scores
    assert plist.ids == expected  # the whole listing, when asked for (select all)
    assert len(listed(Filters())) == len(cids)
    conn.close()


def test_concordance_and_position(db):
    conn, ids = db
    text = "ក្រសួងបានដាក់ចេញផែនការសម្រាប់ការផ្លាស់ប្តូរឌីជីថល។"
    with transaction(conn):
        doc = conn.execute(
            "INSERT INTO documents (path, title, lang, sha256, text, ingested_at) VALUES ('d','Title','km','x',?,'t')",
            (text,),
        ).lastrowid
        sid = conn.execute('INSERT INTO sentences (document_id, idx, start, "end", lang) VALUES (?,0,0,?,?)', (doc, len(text), "km")).lastrowid
        cand = conn.execute(
            "INSERT INTO candidates (lang, key, text, kind, n_words, freq, doc_freq, cvalue, specificity, unithood, termhood, rank)"
            " VALUES ('km', ?, ?, 'phrase', 2, 1, 1, 1, 1, 1, 1, 1)",
            (__import__("termalign.lang", fromlist=["get"]).get("km").key("ការផ្លាស់ប្ដូរឌីជីថល"), "ការផ្លាស់ប្ដូរឌីជីថល"),
        ).lastrowid
        start = text.index("ការផ្លាស់")
        conn.execute('INSERT INTO occurrences (candidate_id, sentence_id, start, "end", text) VALUES (?,?,?,?,?)',
                     (cand, sid, start, start + 20, text[start:start + 20]))
    # found through the normalized key: coeng TA in the term, coeng DA in the candidate
    count, lines = review.concordance(conn, "km", "ការផ្លាស់ប្តូរឌីជីថល")
    assert (count.freq, count.documents) == (1, 1)
    line = lines[0]
    assert (line.title, line.sentence[line.start:line.end]) == ("Title", "ការផ្លាស់ប្តូរឌីជីថល")
    assert review.concordance(conn, "th", "ไม่มี") == (review.TermCount(0, 0), [])

    assert review.load_position(conn, "a") == (None, Filters())
    review.save_position(conn, "a", ids["eg"], Filters(status="unreviewed", search="số"))
    review.save_position(conn, "a", ids["dt"], Filters(status="unreviewed", search="số"))
    assert review.load_position(conn, "a") == (ids["dt"], Filters(status="unreviewed", search="số"))


def test_undo_walks_back_three_steps_on_one_concept(db):
    # approve, note, edit on one concept; each undo reverts the one before (#17: the second
    # undo was refused, tripping on the version the first undo had bumped)
    conn, ids = db
    dt = ids["dt"]
    review.approve(conn, dt, version=1, reviewer="ana")
    review.add_note(conn, dt, "checked with the ministry glossary", version=2, reviewer="ana")
    en = next(t for t in load_concept(conn, dt).terms if t.lang == "en")
    review.edit_term(conn, dt, en.id, "digital transition", version=3, reviewer="ana")
    for expected in ("edit_term", "note", "approve"):
        assert review.undo(conn, reviewer="ana").action == "undo"
        assert [e.action for e in review.history(conn, dt)][-1] == "undo", expected
    concept = load_concept(conn, dt)
    assert (concept.status, [n.text for n in concept.notes]) == ("unreviewed", [])
    assert "digital transformation" in [t.text for t in concept.terms]
    assert review.undo(conn, reviewer="ana") is None
    for _ in range(3):  # and forward again, in order
        review.redo(conn, reviewer="ana")
    concept = load_concept(conn, dt)
    assert concept.status == "approved" and len(concept.notes) == 1
    assert "digital transition" in [t.text for t in concept.terms]


def test_undo_after_merge_and_note_walks_back_both(db):
    conn, ids = db
    review.merge(conn, ids["dt"], ids["dt2"], target_version=1, source_version=1, reviewer="ana")
    review.add_note(conn, ids["dt"], "merged the Thai loan", version=2, reviewer="ana")
    review.undo(conn, reviewer="ana")
    review.undo(conn, reviewer="ana")
    assert load_concept(conn, ids["dt2"]) is not None
    assert {t.text for t in load_concept(conn, ids["dt2"]).terms} == {"ดิจิทัลทรานส์ฟอร์เมชัน", "chuyển đổi số"}


def test_undo_refuses_only_when_another_reviewer_changed_the_concept(db):
    conn, ids = db
    review.approve(conn, ids["dt"], version=1, reviewer="ana")
    review.add_note(conn, ids["dt"], "mine", version=2, reviewer="ana")
    review.undo(conn, reviewer="ana")  # her note
    review.add_note(conn, ids["dt"], "bob's", version=4, reviewer="bob")
    with pytest.raises(ConflictError, match="changed since by bob"):
        review.undo(conn, reviewer="ana")  # her approval: bob has written since
    review.approve(conn, ids["eg"], version=1, reviewer="bob")
    review.undo(conn, reviewer="bob")  # bob's own history walks back past ana's entries
    review.undo(conn, reviewer="bob")
    assert [n.text for n in load_concept(conn, ids["dt"]).notes] == []


def test_bulk_approve_leaves_decisions_alone_unless_asked(db):
    conn, ids = db
    review.reject(conn, ids["eg"], version=1, reviewer="ana")
    versions = {ids["dt"]: 1, ids["eg"]: 2, ids["sc"]: 1}
    out = review.bulk_approve(conn, versions, reviewer="ana")
    assert out.changed == (ids["dt"],) and out.skipped == (ids["eg"],)
    assert load_concept(conn, ids["eg"]).status == "rejected"  # #17: 7 rejections were overturned unasked
    out = review.bulk_approve(conn, {ids["eg"]: 2}, reviewer="ana", overturn=True)
    assert out.changed == (ids["eg"],) and load_concept(conn, ids["eg"]).status == "approved"


def test_bulk_reject_and_its_undo(db):
    conn, ids = db
    out = review.bulk_reject(conn, {ids["dt"]: 1, ids["dt2"]: 1, ids["sc"]: 1}, reviewer="ana")
    assert set(out.changed) == {ids["dt"], ids["dt2"]} and out.skipped == (ids["sc"],)
    assert _log(conn)[-1] == (None, "ana", "bulk_reject")
    review.undo(conn, reviewer="ana")
    assert {load_concept(conn, i).status for i in (ids["dt"], ids["dt2"])} == {"unreviewed"}


def test_search_through_each_languages_key_and_vietnamese_without_diacritics(db):
    conn, ids = db
    other_spelling = "ផ្លាស់ប្ដូរ"  # U+178A DA under COENG, where the stored term has U+178F TA
    assert other_spelling not in "ការផ្លាស់ប្តូរឌីជីថល"
    assert review.proposal_ids(conn, Filters(search=other_spelling)) == [ids["dt"]]
    assert review.proposal_ids(conn, Filters(search="chuyen doi")) == [ids["dt2"]]
    assert review.proposal_ids(conn, Filters(search="CHINH PHU")) == [ids["eg"]]
    assert review.proposal_ids(conn, Filters(search="chuyển đổi")) == [ids["dt2"]]
    assert review.proposal_ids(conn, Filters(search="chuyến")) == []  # typed with marks: they count
    assert review.matches(conn, ids["dt2"], Filters(search="chuyen doi"))


def test_terms_are_checked_against_their_languages_script(db):
    conn, ids = db
    th = next(t for t in load_concept(conn, ids["dt"]).terms if t.lang == "th")
    with pytest.raises(TermalignError, match="not written in Thai script .it reads as Khmer"):
        review.edit_term(conn, ids["dt"], th.id, "ខេត្ត", version=1, reviewer="ana")
    with pytest.raises(TermalignError, match="not written in Thai script"):
        review.add_term(conn, ids["dt"], "th", "chuyển đổi số", version=1, reviewer="ana")
    with pytest.raises(TermalignError, match="not written in Vietnamese script"):
        review.add_term(conn, ids["eg"], "vi", "រដ្ឋាភិបាល", version=1, reviewer="ana")
    assert _log(conn) == []  # nothing stored
    review.add_term(conn, ids["eg"], "th", "VNeID", version=1, reviewer="ana")  # names stand in every script
    review.add_term(conn, ids["eg"], "km", "ការងារ COVID-19", version=2, reviewer="ana")
    assert {t.text for t in load_concept(conn, ids["eg"]).terms} >= {"VNeID", "ការងារ COVID-19"}


def test_term_actions_deprecate_delete_pos_field_and_history(db):
    conn, ids = db
    dt = ids["dt"]
    concept = load_concept(conn, dt)
    preferred = next(t for t in concept.terms if t.lang == "km" and t.status == "preferred")
    variant = next(t for t in concept.terms if t.lang == "km" and t.status == "admitted")
    review.deprecate(conn, dt, preferred.id, version=1, reviewer="ana")
    km = {t.text: t.status for t in load_concept(conn, dt).terms_in("km")}
    assert km == {"ការផ្លាស់ប្តូរឌីជីថល": "deprecated", "បរិវត្តកម្មឌីជីថល": "preferred"}
    review.undeprecate(conn, dt, preferred.id, version=2, reviewer="ana")
    assert load_concept(conn, dt).terms_in("km")[0].status in {"admitted", "preferred"}
    review.set_pos(conn, dt, variant.id, "Noun", version=3, reviewer="ana")
    with pytest.raises(TermalignError, match="part of speech is one of"):
        review.set_pos(conn, dt, variant.id, "thing", version=4, reviewer="ana")
    review.set_subject_field(conn, dt, "e-government", version=4, reviewer="ana")
    review.delete_term(conn, dt, variant.id, version=5, reviewer="ana")
    concept = load_concept(conn, dt)
    assert concept.subject_field == "e-government" and "បរិវត្តកម្មឌីជីថល" not in [t.text for t in concept.terms]
    assert {t.status for t in concept.terms_in("km")} == {"preferred"}  # the km term is usable again
    review.bulk_approve(conn, {dt: 6}, reviewer="bob")
    steps = [review.describe(e, dt) for e in review.concept_history(conn, dt)]
    assert steps[0] == "deprecate: km:ការផ្លាស់ប្តូរឌីជីថល preferred → deprecated, km:បរិវត្តកម្មឌីជីថល admitted → preferred"
    assert steps[2] == "set_pos: km:បរិវត្តកម្មឌីជីថល — → noun"
    assert steps[-3:] == [
        "set_subject_field: field e-government",
        "delete_term: -km:បរិវត្តកម្មឌីជីថល, km:ការផ្លាស់ប្តូរឌីជីថល admitted → preferred",
        "bulk_approve: unreviewed → approved",  # bob's bulk action is in the concept's history too
    ]
    with pytest.raises(ConflictError, match="changed since by bob"):
        review.undo(conn, reviewer="ana")
    review.undo(conn, reviewer="bob")  # bob takes his approval back: ana's history is hers again
    review.undo(conn, reviewer="ana")  # the deleted variant comes back with its part of speech
    assert {(t.text, t.pos) for t in load_concept(conn, dt).terms_in("km")} >= {("បរិវត្តកម្មឌីជីថល", "noun")}
