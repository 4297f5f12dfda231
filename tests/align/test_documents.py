"""Documents first: articles that tell the same story are linked, their links are named in
the evidence, and weak links between terms of articles known to be apart are not made."""

from __future__ import annotations

import json
from pathlib import Path

from termalign import lang
from termalign.align import Node, propose
from termalign.align.documents import LINK_MARGIN, DocumentLinks, features
from termalign.cli import main
from termalign.lexicon import INDUCED_PREFIX, Gloss, Lexicon
from termalign.store import open_store
from termalign.store.concepts import load_concept

UNCURATED = INDUCED_PREFIX + "test"


def node(code: str, text: str) -> Node:
    return Node(code, lang.get(code).key(text), text, "term", 1.0, 1)


def test_features_read_digits_of_every_script_and_buddhist_era_years():
    km = features("km", [("២០២៤", "number"), ("៥", "number"), ("CamDX", "latin"), ("Digital", "latin")])
    th = features("th", [("๒๕๖๗", "number"), ("1,250", "number")])
    en = features("en", [("2024", "number"), ("EGDI", "word"), ("Minister", "word")])
    assert km == {"#2024", "camdx"}  # one digit and one capital are in any article
    assert th == {"#2567", "#2024", "#1250"}  # 2567 BE is 2024 CE
    assert en == {"#2024", "egdi"}


def _links(sides: dict) -> DocumentLinks:
    links = DocumentLinks(features={side: set(feats) for side, feats in sides.items()})
    links.link()
    return links


def test_articles_are_linked_only_to_a_clear_mutual_best():
    story = {"#2024", "#1250", "egdi", "#37"}
    other = {"#2019", "#88", "camdx", "#412"}
    links = _links({
        (1, "km"): story | {"#5000"}, (2, "th"): story | {"#61"}, (3, "th"): other,
        (4, "km"): other | {"#19"}, (5, "th"): {"#2024", "#77"},
    })
    assert set(links.pairs) == {((1, "km"), (2, "th")), ((3, "th"), (4, "km"))}
    # an article whose best match barely beats the next is left unlinked
    tied = _links({(1, "km"): {"#10", "#20", "#30", "#40"}, (2, "th"): {"#10", "#20", "#99"}, (3, "th"): {"#30", "#40", "#98"}})
    assert tied.pairs == {}
    assert LINK_MARGIN > 1


def test_apart_needs_every_article_of_one_term_to_have_a_known_counterpart():
    links = _links({(1, "km"): {"#2024", "#1250", "egdi"}, (2, "th"): {"#2024", "#1250", "egdi"},
                    (3, "th"): {"#77", "#88"}})
    a, b, c = node("km", "ក"), node("th", "ก"), node("th", "ข")
    links.occurs = {("km", a.key): frozenset({(1, "km")}), ("th", b.key): frozenset({(2, "th")}),
                    ("th", c.key): frozenset({(3, "th")})}
    links.paths = {1: "km.txt", 2: "th.txt", 3: "other.txt"}
    assert links.linked_pair(a, b) == ((1, "km"), (2, "th"))
    assert not links.apart(a, b) and links.detail(a, b) == ["km.txt", "th.txt"]
    assert links.apart(a, c)  # a's only article has its Thai counterpart, and c is not in it
    links.occurs[("km", a.key)] = frozenset({(1, "km"), (9, "km")})  # also in an article with no counterpart
    assert not links.apart(a, c)  # ... whose counterpart is unknown: no verdict from the articles


def _two_stories() -> tuple[DocumentLinks, Node, Node, Node]:
    # Two stories, each in Khmer and in Thai; a Khmer term of the first, a Thai term of each.
    km, th_same, th_other = node("km", "ក្រដាស"), node("th", "สมุด"), node("th", "หนังสือ")
    links = _links({(1, "km"): {"#2024", "#1250", "egdi"}, (2, "th"): {"#2024", "#1250", "egdi"},
                    (3, "km"): {"#77", "#88", "camdx"}, (4, "th"): {"#77", "#88", "camdx"}})
    links.occurs = {("km", km.key): frozenset({(1, "km")}), ("th", th_same.key): frozenset({(2, "th")}),
                    ("th", th_other.key): frozenset({(4, "th")})}
    links.paths = {1: "a-km.txt", 2: "a-th.txt", 3: "b-km.txt", 4: "b-th.txt"}
    return links, km, th_same, th_other


#: One projected context for every term: the context stage would link any two.
SAME_CONTEXT = {"paper": 1.0}


def test_contexts_do_not_link_terms_of_two_stories():
    links, km, _, th_other = _two_stories()
    contexts = {km: SAME_CONTEXT, th_other: SAME_CONTEXT}
    assert ["km", "th"] in [c.languages() for c in propose([km, th_other], Lexicon(), contexts)]
    assert ["km", "th"] not in [
        c.languages() for c in propose([km, th_other], Lexicon(), contexts, documents=links)
    ]


def test_contexts_link_terms_of_one_story_and_name_its_articles():
    links, km, th_same, th_other = _two_stories()
    contexts = {km: SAME_CONTEXT, th_same: SAME_CONTEXT, th_other: SAME_CONTEXT}
    linked = [c for c in propose([km, th_other, th_same], Lexicon(), contexts, documents=links)
              if c.languages() == ["km", "th"]]
    assert [sorted(t.text for t in c.terms) for c in linked] == [sorted([km.text, th_same.text])]
    found = [e for e in linked[0].evidence if e.signal == "distributional"]
    assert found and found[0].detail["documents"] == ["a-km.txt", "a-th.txt"]


def test_a_reading_links_across_stories():
    # Articles need not use every term of their counterpart: only contexts are held apart.
    links, km, _, th_other = _two_stories()
    lx = Lexicon()
    lx.add("km", km.key, Gloss("paper", UNCURATED))
    lx.add("th", th_other.key, Gloss("paper", UNCURATED))
    assert ["km", "th"] in [c.languages() for c in propose([km, th_other], lx, documents=links)]


def test_build_reports_linked_articles_and_cognate_evidence_names_them(tmp_path: Path, capsys):
    # Pali/Sanskrit "economy" spelled alike (cognates), in a Khmer and a Thai article that
    # share their figures and acronyms, and a Thai article of another story; written for this test.
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "story_km.txt").write_text(
        "សេដ្ឋកិច្ចឌីជីថល EGDI ឆ្នាំ ២០២៤ មាន ១២៥០ គម្រោង។ សេដ្ឋកិច្ច CamDX ៣៧ ភាគរយ។\n", encoding="utf-8"
    )
    (articles / "story_th.txt").write_text(
        "เศรษฐกิจดิจิทัล EGDI ปี ๒๕๖๗ มี ๑๒๕๐ โครงการ เศรษฐกิจ CamDX ร้อยละ ๓๗\n", encoding="utf-8"
    )
    (articles / "other_th.txt").write_text("โรงพยาบาล ๘๘ แห่ง เปิดบริการ ๔๑๒ วัน\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert main(["build", str(articles), "--db", str(db), "-o", str(tmp_path / "out"), "--json"]) == 0
    linked = json.loads(capsys.readouterr().out)["linked_documents"]
    assert [(Path(d["a"]).name, d["a_lang"], Path(d["b"]).name, d["b_lang"]) for d in linked] == [
        ("story_km.txt", "km", "story_th.txt", "th")
    ]
    conn = open_store(db)
    cognates = [
        e for (cid,) in conn.execute("SELECT id FROM concepts").fetchall()
        for e in load_concept(conn, cid).evidence if e.signal == "cognate"
    ]
    assert cognates and all(
        [Path(p).name for p in e.detail["documents"]] == ["story_km.txt", "story_th.txt"] for e in cognates
    )
