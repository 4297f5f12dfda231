"""Uncurated word pairs (induced from parallel text, Thai WordNet's) add readings without
silencing what the curated lists and the cognate and loan signals already say."""

from __future__ import annotations

from termalign import lang
from termalign.align import Node, propose
from termalign.lexicon import INDUCED_PREFIX, Gloss, Lexicon, build_lexicon
from termalign.lexicon.compose import MAX_ALTERNATIVES, compose

UNCURATED = INDUCED_PREFIX + "test"


def node(code, text, rank=1):
    return Node(code, lang.get(code).key(text), text, "term", 1.0, rank)


def test_an_uncurated_reading_does_not_silence_a_cognate():
    # Pali/Sanskrit "science" spelled letter by letter alike, written for this test
    km, th = node("km", "វិទ្យាសាស្ត្រ"), node("th", "วิทยาศาสตร์")
    lx = Lexicon()
    lx.add("th", th.key, Gloss("knowledge", UNCURATED))
    linked = [c for c in propose([km, th], lx) if c.languages() == ["km", "th"]]
    assert linked and "cognate" in {e.signal for e in linked[0].evidence}


def test_curated_covers_are_found_whatever_the_uncurated_ones():
    lx = Lexicon()
    lx.add("th", "สุขภาพ", Gloss("health", "test"))
    lx.add("th", "ประกัน", Gloss("insurance", "test"))
    # an uncurated list reading every syllable, and every pair of them, several ways
    key = lang.get("th").key("ประกันสุขภาพ")
    for i in range(len(key)):
        for j in range(i + 1, min(len(key), i + 4) + 1):
            for k in range(3):
                lx.add("th", key[i:j], Gloss(f"w{i}x{j}x{k}", UNCURATED))
    readings = compose(lx, "th", key)
    assert len(readings) >= MAX_ALTERNATIVES  # the uncurated covers alone fill the cap
    assert any(h.curated and h.bag == compose(_curated_only(lx), "th", key)[0].bag for h in readings)


def _curated_only(lx: Lexicon) -> Lexicon:
    out = Lexicon()
    for code, entries in lx.entries.items():
        for key, glosses in entries.items():
            for g in glosses:
                if not g.source.startswith(INDUCED_PREFIX):
                    out.add(code, key, g)
    return out


def test_an_uncurated_word_inside_a_loan_does_not_make_it_native():
    lx = Lexicon()
    lx.add_concept({"en": ["cryptocurrency"]}, "test")
    key = lang.get("th").key("คริปโทเคอร์เรนซี")
    (hyp,) = compose(lx, "th", key)
    assert hyp.en == "cryptocurrency"
    for i in range(1, len(key)):
        lx.add("th", key[:i], Gloss("noise", UNCURATED))
        lx.add("th", key[i:], Gloss("noise", UNCURATED))
    assert "cryptocurrency" in {h.en for h in compose(lx, "th", key)}


def test_thai_wordnet_pairs_ship_under_their_own_source():
    lx = build_lexicon()
    glosses = lx.lookup("th", lang.get("th").key("นายจ้าง"))
    assert ("employer", INDUCED_PREFIX + "thai-wordnet") in {(g.en, g.source) for g in glosses}


def test_lists_read_without_recomputing_keys_hold_keys():
    """The lists loaded as keys (``INDUCED_KEYED``) hold each term in its key form: a change
    to a language's key function makes this fail until the list is written again."""
    from importlib import resources

    from termalign.lexicon import INDUCED_KEYED

    folder = resources.files("termalign.glossaries") / "induced"
    for name in INDUCED_KEYED:
        rows = [line.split("\t") for line in folder.joinpath(name).read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")]
        assert len(rows) > 50_000
        stale = [term for code, term, *_ in rows if lang.get(code).key(term) != term]
        assert stale == [], f"{name}: {len(stale)} terms not in key form, e.g. {stale[:3]}"
