"""The aligner's batched and short-cut scoring decides as the pair-by-pair definitions do,
on the words of the seeds: cognates found a row at a time, the cover test that skips
unreadable candidates, the loan matcher's shortlist scores."""

from __future__ import annotations

import pytest

from termalign import lang
from termalign.align import Node
from termalign.align.cognates import COGNATE_THRESHOLD, MAX_LENGTH_GAP, MIN_LETTERS, cognate_links
from termalign.lexicon import build_lexicon
from termalign.lexicon.compose import compose, known_cover
from termalign.lexicon.loans import loan_score
from termalign.lexicon.translit import cognate_similarity
from termalign.store import as_store, open_store

#: Adjacent words joined into one test key, at most: seed words and short phrases.
MAX_JOINED = 3


@pytest.fixture(scope="module")
def seed_keys(seeds_db) -> dict[str, list[str]]:
    """Per Khmer and Thai, distinct keys of 1 to MAX_JOINED adjacent words of the seeds."""
    store = as_store(open_store(seeds_db, create=False))
    keys: dict[str, list[str]] = {}
    for code in ("km", "th"):
        rows = [r for r in store.token_rows(code) if r[6] == "word"]
        found: dict[str, None] = {}
        for i in range(len(rows)):
            for n in range(1, MAX_JOINED + 1):
                run = rows[i : i + n]
                if len(run) == n and len({r[0] for r in run}) == 1:
                    found.setdefault("".join(r[5] for r in run), None)
        keys[code] = list(found)
    return keys


def pairwise_cognates(nodes: list[Node], lang_a: str, lang_b: str) -> list[tuple[float, Node, Node]]:
    """The definition: every pair scored, mutual best matches at or above the threshold."""
    def lettered(code):
        language = lang.get(code)
        pairs = [(n, language.cognate_letters(n.key)) for n in nodes if n.lang == code]
        return [(n, s) for n, s in pairs if len(s) >= MIN_LETTERS]

    best_a: dict = {}
    best_b: dict = {}
    for a, sa in lettered(lang_a):
        for b, sb in lettered(lang_b):
            if abs(len(sa) - len(sb)) > MAX_LENGTH_GAP:
                continue
            sim = cognate_similarity(sa, sb)
            if sim >= COGNATE_THRESHOLD:
                if sim > best_a.get(a, (0.0, None))[0]:
                    best_a[a] = (sim, b)
                if sim > best_b.get(b, (0.0, None))[0]:
                    best_b[b] = (sim, a)
    return [
        (sim, a, b)
        for a, (sim, b) in sorted(best_a.items(), key=lambda kv: (kv[0].key, kv[1][1].key))
        if best_b.get(b, (0, None))[1] == a
    ]


def test_cognates_found_a_row_at_a_time_are_the_pairwise_mutual_best(seed_keys):
    nodes = [
        Node(code, key, key, "term", 1.0, rank)
        for code in ("km", "th")
        for rank, key in enumerate(seed_keys[code][:1500], 1)
    ]
    links = cognate_links(nodes, "km", "th")
    assert len(links) >= 5
    assert links == pairwise_cognates(nodes, "km", "th")


def test_a_cognate_pair_exactly_at_the_threshold_is_linked():
    # Ministry of Justice: 3 letters apart over 15, a similarity of exactly 0.8, which a
    # floating-point cut-off at the threshold drops.
    km = Node("km", lang.get("km").key("ក្រសួងយុត្តិធម៌"), "ក្រសួងយុត្តិធម៌", "term", 1.0, 1)
    th = Node("th", lang.get("th").key("กระทรวงยุติธรรม"), "กระทรวงยุติธรรม", "term", 1.0, 1)
    letters = lang.get("km").cognate_letters(km.key), lang.get("th").cognate_letters(th.key)
    assert cognate_similarity(*letters) == COGNATE_THRESHOLD
    assert [(a, b) for _, a, b in cognate_links([km, th], "km", "th")] == [(km, th)]


def test_the_cover_test_rejects_only_keys_compose_cannot_read_without_a_loan(seed_keys):
    lexicon = build_lexicon()
    rejected = 0
    for code in ("km", "th"):
        for key in seed_keys[code][:400]:
            if known_cover(lexicon, code, key):
                continue
            rejected += 1
            readings = compose(lexicon, code, key)
            assert not readings or readings[0].loans, (code, key)
    assert rejected >= 100


def test_loan_matcher_scores_its_best_match_as_loan_score_does(seed_keys):
    matcher = build_lexicon().loan_matcher()
    checked = 0
    for code in ("km", "th"):
        for key in seed_keys[code][:300]:
            found = matcher.best(code, key)
            if found is not None:
                checked += 1
                assert found[1] == loan_score(code, key, found[0]), (code, key)
    assert checked >= 100
