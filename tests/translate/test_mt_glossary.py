"""Finding glossary terms, the post-check, anchors, placeholders and the repetition detector."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termalign import lang
from termalign.store.concepts import Concept, Term
from termalign.translate.engine import repeats
from termalign.translate.glossary import Glossary, check_terms
from termalign.translate.masking import (
    Mask,
    ascii_digits,
    assign_unknowns,
    fill,
    find_anchors,
    masked_pieces,
    placeholder,
)

KM, TH, EN = lang.get("km"), lang.get("th"), lang.get("en")


def glossary() -> Glossary:
    return Glossary(
        [
            Concept(
                id=1,
                status="approved",
                terms=[
                    Term("km", "ការផ្លាស់ប្តូរឌីជីថល", "preferred"),
                    Term("km", "បរិវត្តកម្មឌីជីថល"),
                    Term("km", "ការបំប្លែងឌីជីថល", "deprecated"),
                    Term("th", "การเปลี่ยนแปลงทางดิจิทัล", "preferred"),
                    Term("en", "digital transformation", "preferred"),
                    Term("en", "digital transition", "admitted"),
                    Term("en", "digitalisation", "deprecated"),
                ],
            ),
            Concept(
                id=2, status="approved", terms=[Term("km", "សង្គម", "preferred"), Term("en", "society", "preferred")]
            ),
            Concept(
                id=3,
                status="approved",
                terms=[Term("km", "ហេដ្ឋារចនាសម្ព័ន្ធ", "preferred"), Term("en", "infrastructure", "preferred")],
            ),
            Concept(
                id=4, status="rejected", terms=[Term("km", "ឌីជីថល", "preferred"), Term("en", "digital", "preferred")]
            ),
            Concept(
                id=5, status="approved", terms=[Term("en", "AI", "preferred"), Term("km", "បញ្ញាសិប្បនិម្មិត", "preferred")]
            ),
        ]
    )


def test_every_source_variant_is_found_and_located_in_the_original():
    index = glossary().direction("km", "en")
    text = "អនុវត្តបរិវត្តកម្មឌីជីថល និងការបំប្លែងឌីជីថល ក្នុងសង្គម"
    found = index.find(text)
    assert [(m.text, m.entry.target) for m in found] == [
        ("បរិវត្តកម្មឌីជីថល", "digital transformation"),
        ("ការបំប្លែងឌីជីថល", "digital transformation"),  # a deprecated source form still triggers
        ("សង្គម", "society"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_encoding_variants_match_and_the_span_is_the_original_spelling():
    index = glossary().direction("km", "en")
    # coeng DA for coeng TA, and signs in another order (as in the seeds)
    text = "តួនាទីនៃហេដ្ឋារចនាសម័្ពន្ធ និងការផ្លាស់ប្ដូរឌីជីថល"
    found = index.find(text)
    assert [m.text for m in found] == ["ហេដ្ឋារចនាសម័្ពន្ធ", "ការផ្លាស់ប្ដូរឌីជីថល"]
    assert [m.entry.concept_id for m in found] == [3, 1]


def test_a_term_inside_a_letter_cluster_is_not_a_match():
    index = glossary().direction("km", "en")
    assert index.find("សង្គមា") == []  # សង្គម followed by a vowel sign is another word


def test_spaced_languages_match_whole_words_only():
    index = glossary().direction("en", "km")
    assert [m.text for m in index.find("AI and KPIs, not MAIL; the AI.")] == ["AI", "AI"]
    assert index.find("FAIR play") == []


def test_rejected_concepts_and_missing_directions_are_left_out():
    g = glossary()
    assert len(g) == 4
    index = g.direction("th", "en")
    assert [e.concept_id for e in index.entries] == [1]
    assert index.version != g.direction("km", "en").version


def test_post_check_accepts_preferred_and_admitted_not_deprecated():
    index = glossary().direction("km", "en")
    matches = index.find("ការផ្លាស់ប្តូរឌីជីថល")
    assert [c.form for c in index.check("A Digital Transition.", matches)] == ["digital transition"]
    assert [c.found for c in index.check("digitalisation", matches)] == [False]
    assert [c.found for c in index.check("digital transformational", matches)] == [False]  # whole words
    assert [c.found for c in index.check("digital transformations", matches)] == [True]  # a plural


def test_post_check_counts_each_concept_once():
    index = glossary().direction("km", "en")
    matches = index.find("សង្គម និងសង្គម")
    assert len(matches) == 2
    assert len(check_terms("society", [(m.text, m.entry) for m in matches], EN)) == 1


def test_anchors_by_script():
    km_text = "ខេត្ត Lang Son ប្រើ VNeID 4.0 នៅឆ្នាំ ២០២៣ (GovTech)."
    assert [km_text[s:e] for s, e in find_anchors(km_text, KM)] == ["Lang Son", "VNeID 4.0", "២០២៣", "GovTech"]
    en_text = "Lang Son uses VNeID and OCOP in 2023, e.g. 4.0 Industry."
    assert [en_text[s:e] for s, e in find_anchors(en_text, EN)] == ["VNeID", "OCOP", "2023", "4.0"]
    th_text = "จังหวัดบั๊กกัน ปี 2566"
    assert [th_text[s:e] for s, e in find_anchors(th_text, TH)] == ["2566"]


def test_ascii_digits():
    assert ascii_digits("ឆ្នាំ២០២២ / ๒๕๖๖ / 2023") == "ឆ្នាំ2022 / 2566 / 2023"


def test_placeholders_are_outside_the_vocabulary():
    assert placeholder("term", 0, set()) == "｟T0｠"
    assert placeholder("anchor", 3, {"｟A3｠"}) == "⟦A3⟧"


def test_masked_pieces_and_fill_round_trip():
    text = "ខេត្ត Lang Son និងសង្គម"
    masks = [Mask(6, 14, "｟A0｠", "Lang Son", "anchor"), Mask(18, 23, "｟T0｠", "community", "term")]
    pieces = masked_pieces(text, masks, lambda chunk: [f"▁{w}" for w in chunk.split()])
    assert pieces == ["▁ខេត្ត", "｟A0｠", "▁និង", "｟T0｠"]
    vocab = {"▁digital", "▁province", "."}

    def decode(ps):
        return "".join(ps).replace("▁", " ").strip()

    out = fill(["｟A0｠", "▁province", "."], masks, decode, vocab.__contains__, spaced=True)
    assert out == "Lang Son province."
    assert fill(["▁digital", "｟T0｠"], masks, decode, vocab.__contains__, spaced=True) == "digital community"
    # a copied source token outside the target vocabulary is kept as written
    assert fill(["▁digital", "▁VNeID"], [], decode, vocab.__contains__, spaced=True) == "digital VNeID"


def test_unknowns_are_assigned_to_placeholders_by_attention_each_once():
    source = ["▁a", "｟T0｠", "▁b", "｟T1｠", "</s>"]
    attention = [[0, 0, 0, 0.9, 0.1], [0.5, 0.1, 0.3, 0.05, 0.05], [0, 0.2, 0, 0.8, 0]]
    # step 0 looks at T1; step 2 looks at T1 again, but T1 is taken: T0 it is
    out = assign_unknowns(["<unk>", "▁x", "<unk>"], "<unk>", source, attention, ["｟T0｠", "｟T1｠"])
    assert out == ["｟T1｠", "▁x", "｟T0｠"]
    # without placeholders: the most attended source token, never a framing token
    out = assign_unknowns(["<unk>"], "<unk>", source, [[0, 0, 0.3, 0, 0.7]], (), {"</s>"})
    assert out == ["▁b"]


def test_repetition_detector():
    assert repeats(["a", "a", "a", "a"])
    assert repeats(["x", "y", "x", "y", "x", "y"])
    assert repeats(["one", "two", "three", "one", "two", "three", "one", "two", "three"])
    assert not repeats(["the", "digital", "economy", "and", "the", "digital", "society"])
    assert not repeats(["very", "very", "good"])


@given(st.lists(st.sampled_from(["▁a", "b", "▁c", "."]), max_size=12))
def test_fill_without_masks_is_plain_decoding(pieces):
    def decode(ps):
        return "".join(ps).replace("▁", " ").strip()

    assert fill(pieces, [], decode, lambda t: True, spaced=True) == decode(pieces)


# -- whole words by script, inflection, collisions (the false positives of a substring test) --

TH_LANG = lang.get("th")


def required(lang_code: str, target: str, cid: int = 1):
    from termalign.translate.glossary import GlossaryEntry

    return [("x", GlossaryEntry(cid, ("x",), target, (target,)))], lang.get(lang_code)


def test_a_khmer_word_inside_a_longer_word_is_not_found():
    req, km = required("km", "រដ្ឋ")
    assert [c.found for c in check_terms("ពលរដ្ឋឌីជីថល", req, km)] == [False]  # ពលរដ្ឋ: citizen
    assert [(c.found, c.count) for c in check_terms("រដ្ឋ និង ពលរដ្ឋ", req, km)] == [(True, 1)]


def test_a_khmer_consonant_inside_a_cluster_is_not_found():
    req, km = required("km", "ស")
    assert [c.found for c in check_terms("ស្រុក", req, km)] == [False]


def test_a_thai_word_inside_a_longer_word_is_not_found():
    req, th = required("th", "รัฐ")
    assert [c.found for c in check_terms("รัฐบาลดิจิทัล", req, th)] == [False]  # รัฐบาล: government
    assert [c.found for c in check_terms("รัฐบาลดิจิทัลของรัฐ", req, th)] == [True]


def test_english_terms_match_inflected_and_hyphenated_forms():
    req, en = required("en", "digital economy")
    for text in ("Two digital economies grow.", "the digital-economy plan", "The Digital Economy's rules"):
        assert [c.found for c in check_terms(text, req, en)] == [True], text
    assert [c.found for c in check_terms("digital economist", req, en)] == [False]


def test_vietnamese_terms_match_whole_syllables_only():
    req, vi = required("vi", "kinh tế số")
    assert [c.found for c in check_terms("Phát triển kinh tế số.", req, vi)] == [True]
    assert [c.found for c in check_terms("kinh tế số hoá", req, vi)] == [True]
    assert [c.found for c in check_terms("kinh tế sốt", req, vi)] == [False]


def test_a_source_term_inside_a_longer_word_is_not_a_match():
    concepts = [
        Concept(id=9, status="approved", terms=[Term("km", "រដ្ឋ", "preferred"), Term("en", "state", "preferred")])
    ]
    index = Glossary(concepts).direction("km", "en")
    assert index.find("ពលរដ្ឋឌីជីថល") == []
    assert [m.text for m in index.find("រដ្ឋ និង ពលរដ្ឋ")] == ["រដ្ឋ"]


def test_english_sources_match_their_inflected_forms():
    concepts = [
        Concept(
            id=9,
            status="approved",
            terms=[Term("en", "digital economy", "preferred"), Term("km", "សេដ្ឋកិច្ចឌីជីថល", "preferred")],
        )
    ]
    index = Glossary(concepts).direction("en", "km")
    assert [m.text for m in index.find("Digital economies and the digital-economy plan")] == [
        "Digital economies",
        "digital-economy",
    ]


def test_an_overlapped_term_is_reported_and_the_leftmost_longest_enforced():
    concepts = [
        Concept(
            id=1,
            status="approved",
            terms=[Term("en", "digital economy", "preferred"), Term("km", "សេដ្ឋកិច្ចឌីជីថល", "preferred")],
        ),
        Concept(
            id=2,
            status="approved",
            terms=[Term("en", "economy policy", "preferred"), Term("km", "គោលនយោបាយសេដ្ឋកិច្ច", "preferred")],
        ),
        Concept(
            id=3, status="approved", terms=[Term("en", "economy", "preferred"), Term("km", "សេដ្ឋកិច្ច", "preferred")]
        ),
    ]
    found = Glossary(concepts).direction("en", "km").find_all("The digital economy policy.")
    assert [m.entry.concept_id for m in found.matches] == [1]
    assert sorted(found.overlaps) == [("economy", "digital economy"), ("economy policy", "digital economy")]
    assert len(found.issues()) == 2 and all("enforced" in i for i in found.issues())


def test_two_concepts_with_one_source_term_the_rule_picks_one_and_says_so():
    concepts = [
        Concept(
            id=7,
            status="approved",
            terms=[
                Term("km", "សង្គម", "admitted"),
                Term("km", "សហគមន៍", "preferred"),
                Term("en", "community", "preferred"),
            ],
        ),
        Concept(id=4, status="approved", terms=[Term("km", "សង្គម", "admitted"), Term("en", "society", "preferred")]),
        Concept(id=2, status="approved", terms=[Term("km", "សង្គម", "preferred"), Term("en", "social", "preferred")]),
    ]
    index = Glossary(concepts).direction("km", "en")
    # preferred term first (concept 2), whatever the order or ids of the others
    (conflict,) = index.conflicts
    assert (conflict.winner, conflict.losers) == (2, (4, 7))
    (match,) = index.find("សង្គមឌីជីថល")
    assert match.entry.concept_id == 2 and match.shadowed == (4, 7)
    concepts[2] = Concept(
        id=2, status="approved", terms=[Term("km", "សង្គម", "admitted"), Term("en", "social", "preferred")]
    )
    index = Glossary(concepts).direction("km", "en")
    assert index.find("សង្គមឌីជីថល")[0].entry.concept_id == 2  # then the lower id
    assert "also names concept(s) 4, 7" in index.find_all("សង្គមឌីជីថល").issues()[0]


def test_a_do_not_translate_term_is_checked_as_written():
    # A concept that writes its English term as its Khmer one (a name) is copied, not translated.
    g = Glossary(
        [
            Concept(
                id=7,
                status="approved",
                terms=[Term("km", "VNeID", "preferred"), Term("en", "VNeID", "preferred"), Term("en", "vneid app")],
            ),
            Concept(id=8, status="approved", terms=[Term("km", "សង្គម", "preferred"), Term("en", "society", "preferred")]),
        ]
    )
    index = g.direction("km", "en")
    matches = index.find("កម្មវិធី VNeID និងសង្គម")
    by_concept = {m.entry.concept_id: m.entry for m in matches}
    assert by_concept[7].keep and not by_concept[8].keep
    (kept, other) = index.check("The VNeID app serves Society.", matches)
    assert (kept.found, kept.form, kept.keep, kept.to_dict()["do_not_translate"]) == (True, "VNeID", True, True)
    assert other.found and not other.keep  # a translated term still matches by its key (case folded)
    # Not as written: another case, an admitted variant, or inside a longer word.
    for wrong in ("The vneid app.", "The Vneid app.", "The vneid app app.", "The VNeIDs app."):
        assert not index.check(wrong, matches)[0].found, wrong
