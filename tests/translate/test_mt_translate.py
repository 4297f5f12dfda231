"""The Translator end to end on the tiny models: families, documents, glossary, guards."""

from __future__ import annotations

import pytest
from mt_modelkit import AMBIGUOUS, PAIRS

from termalign import Translator
from termalign.errors import InputError, ModelError
from termalign.store.concepts import Concept, Term

TRANSITION = AMBIGUOUS[0]  # (km, "digital transition"): in the model's n-best, never its 1-best


def concept(cid: int, km: str | list[str], en: str, *more: Term) -> Concept:
    kms = [km] if isinstance(km, str) else km
    terms = [Term("km", kms[0], "preferred"), *(Term("km", v) for v in kms[1:]), Term("en", en, "preferred"), *more]
    return Concept(terms=terms, status="approved", id=cid)


def test_the_test_pairs_are_reproduced_exactly_by_every_family(any_model):
    translator = Translator(any_model, intra_threads=1)
    segments = translator.translate_sentences([km for km, _ in PAIRS], "km", "en")
    assert [s.target for s in segments] == [en for _, en in PAIRS]
    assert all(s.strategy == "model" and not s.terms and not s.issues for s in segments)


@pytest.mark.parametrize("family", ["m2m100", "nllb"])
def test_the_language_codes_choose_the_direction(family, request):
    model = request.getfixturevalue({"m2m100": "m2m_model", "nllb": "nllb_model"}[family])
    translator = Translator(model, intra_threads=1)
    english = [en for _, en in PAIRS[:8]]
    assert [s.target for s in translator.translate_sentences(english, "en", "km")] == [km for km, _ in PAIRS[:8]]
    assert translator.translate(PAIRS[1][0], "km", "en") == PAIRS[1][1]
    d = translator.direction("en", "km")
    assert (d.src_token, d.tgt_token) == {"m2m100": ("__en__", "__km__"), "nllb": ("eng_Latn", "khm_Khmr")}[family]


def test_documents_keep_their_lines_and_sentences(marian):
    text = "សេដ្ឋកិច្ចឌីជីថល។ សង្គមឌីជីថល។\n\nរដ្ឋាភិបាលឌីជីថល។\n  \nគណៈកម្មាធិការប្រជាជន"
    doc = marian.translate_document(text, "km", "en", id="d1")
    assert doc.text == "digital economy. digital society.\n\ndigital government.\n\nPeople's Committee"
    assert [(s.index, s.line, s.source) for s in doc.segments] == [
        (0, 0, "សេដ្ឋកិច្ចឌីជីថល។"),
        (1, 0, "សង្គមឌីជីថល។"),
        (2, 2, "រដ្ឋាភិបាលឌីជីថល។"),
        (3, 4, "គណៈកម្មាធិការប្រជាជន"),
    ]


def test_a_stream_of_documents_equals_one_by_one_and_keeps_order(marian_model):
    # Small token batches and two workers: many batches in flight, finished out of order.
    translator = Translator(marian_model, max_batch_tokens=24, inter_threads=2, intra_threads=1)
    docs = [(f"d{i}", "\n".join(km for km, _ in PAIRS[i % 5 :: 2])) for i in range(40)]
    streamed = list(translator.translate_documents(iter(docs), "km", "en"))
    assert [d.id for d in streamed] == [d for d, _ in docs]
    expected = {km: en for km, en in PAIRS}
    for (_, text), doc in zip(docs, streamed, strict=True):
        assert doc.text == "\n".join(expected[line] for line in text.split("\n"))


def test_nbest_reranking_produces_a_term_the_model_does_not_produce_unaided(marian_model):
    km, en = TRANSITION
    unaided = Translator(marian_model, intra_threads=1).translate_sentences([km], "km", "en")[0]
    assert unaided.target == "digital transformation"
    enforced = Translator(marian_model, glossary=[concept(1, km, en)], enforce=["nbest"], intra_threads=1)
    segment = enforced.translate_sentences([km], "km", "en")[0]
    assert segment.target == "digital transition"
    assert segment.strategy == "nbest"
    assert [(t.target, t.found) for t in segment.terms] == [("digital transition", True)]


def test_masking_produces_a_term_the_model_never_saw(any_model):
    """ "community" is not in the model's training data: only a placeholder can bring it."""
    glossary = [concept(2, "សង្គម", "community")]
    unaided = Translator(any_model, intra_threads=1).translate("សង្គមឌីជីថល", "km", "en")
    assert unaided == "digital society"
    off = Translator(any_model, glossary=glossary, enforce=[], intra_threads=1).translate_sentences(
        ["សង្គមឌីជីថល"], "km", "en"
    )[0]
    assert off.target == "digital society"
    assert [(t.target, t.found) for t in off.terms] == [("community", False)]  # the post-check flags it
    on = Translator(any_model, glossary=glossary, enforce=["mask"], intra_threads=1).translate_sentences(
        ["សង្គមឌីជីថល"], "km", "en"
    )[0]
    assert on.target == "digital community"
    assert on.strategy == "mask" and on.all_terms


def test_a_forced_miss_is_flagged_by_the_post_check(marian_model):
    """Enforcement that cannot reach a term still delivers a translation, and says so."""
    glossary = [concept(3, "សេដ្ឋកិច្ចឌីជីថល", "data economy"), concept(4, "រដ្ឋាភិបាលឌីជីថល", "digital government")]
    translator = Translator(marian_model, glossary=glossary, enforce=["nbest"], intra_threads=1)
    doc = translator.translate_document("សេដ្ឋកិច្ចឌីជីថល។ រដ្ឋាភិបាលឌីជីថល។", "km", "en")
    first, second = doc.segments
    assert first.target == "digital economy."
    assert [(t.source, t.target, t.found, t.form) for t in first.terms] == [
        ("សេដ្ឋកិច្ចឌីជីថល", "data economy", False, None)
    ]
    assert not first.all_terms
    assert second.all_terms and second.terms[0].form == "digital government"
    assert (doc.terms_required, doc.terms_found) == (2, 1)
    record = doc.to_record("sig")
    assert record["segments"][0]["all_terms"] is False and record["segments"][0]["terms"][0]["found"] is False


def test_prefix_forces_the_target_term_of_a_term_segment(marian_model):
    km, en = TRANSITION
    translator = Translator(marian_model, glossary=[concept(1, km, en)], enforce=["prefix"], intra_threads=1)
    segment = translator.translate_sentences([km + "។"], "km", "en")[0]
    assert segment.target.startswith("digital transition")
    assert segment.strategy == "prefix" and segment.all_terms


def test_source_terms_are_found_by_key_across_encoding_variants(marian_model):
    # The glossary spells ប្តូរ with coeng TA, the text with coeng DA.
    km, en = TRANSITION
    variant = km.replace("ប្តូរ", "ប្ដូរ")
    assert variant != km
    translator = Translator(marian_model, glossary=[concept(1, km, en)], intra_threads=1)
    segment = translator.translate_sentences([variant], "km", "en")[0]
    assert segment.terms[0].source == variant and segment.terms[0].found
    assert segment.target == "digital transition"


def test_admitted_target_terms_are_accepted_deprecated_ones_are_not(marian_model):
    km = "សេដ្ឋកិច្ចឌីជីថល"
    glossary = [concept(5, km, "e-economy", Term("en", "digital economy", "admitted"))]
    segment = Translator(marian_model, glossary=glossary, enforce=[], intra_threads=1).translate_sentences(
        [km], "km", "en"
    )[0]
    assert segment.terms[0].found and segment.terms[0].form == "digital economy"
    glossary = [concept(5, km, "e-economy", Term("en", "digital economy", "deprecated"))]
    segment = Translator(marian_model, glossary=glossary, enforce=[], intra_threads=1).translate_sentences(
        [km], "km", "en"
    )[0]
    assert not segment.terms[0].found


def test_latin_anchors_pass_through(marian_model):
    """Anchors are masked, so this runs on the masking model (trained to copy placeholders)."""
    marian = Translator(marian_model, enforce=["mask"], intra_threads=1)
    segment = marian.translate_document("ខេត្ត Lang Son", "km", "en").segments[0]
    assert segment.target == "Lang Son province"
    assert [(a.text, a.found) for a in segment.anchors] == [("Lang Son", True)]
    unmasked = Translator(marian.model, enforce=["mask"], mask_anchors=False, intra_threads=1)
    segment = unmasked.translate_document("ខេត្ត Lang Son", "km", "en").segments[0]
    assert not segment.anchors[0].found  # the tiny model cannot spell it: the report says so


def test_numbers_pass_through_as_ascii_digits(marian_model):
    marian = Translator(marian_model, enforce=["mask"], intra_threads=1)
    segment = marian.translate_sentences(["ខេត្ត ២០២៣"], "km", "en")[0]
    assert segment.target == "2023 province"
    assert [(a.text, a.expected, a.found) for a in segment.anchors] == [("២០២៣", "2023", True)]


def test_a_long_sentence_is_split_never_truncated(marian_model):
    model = Translator(marian_model).model
    parts = ["សេដ្ឋកិច្ចឌីជីថល,", "សង្គមឌីជីថល"]
    limit = max(len(model.encode(p)) for p in parts) + 1  # each part fits with its </s>, the whole does not
    assert len(model.encode(" ".join(parts))) + 1 > limit
    translator = Translator(marian_model, max_input_length=limit, intra_threads=1)
    segment = translator.translate_sentences([" ".join(parts)], "km", "en")[0]
    assert segment.target == "digital economy digital society"
    assert segment.issues == [f"split into 2 parts: longer than max_input_length={limit}"]
    translator = Translator(marian_model, max_input_length=8, intra_threads=1)
    # without a phrase break it is still split (between pieces), and reported
    segment = translator.translate_sentences(["ហេដ្ឋារចនាសម្ព័ន្ធទូរគមនាគមន៍"], "km", "en")[0]
    assert "split into" in segment.issues[0]


def test_a_hypothesis_cut_at_the_decoding_limit_is_reported(marian_model):
    translator = Translator(marian_model, max_decoding_length=4, intra_threads=1)
    segment = translator.translate_sentences(["ក្រសួងវិទ្យាសាស្ត្រ និងបច្ចេកវិទ្យា"], "km", "en")[0]
    assert "Ministry of Science and Technology".startswith(segment.target)
    assert any("cut at max_decoding_length=4" in issue for issue in segment.issues)


def test_degenerate_repetition_is_retried_with_guards_and_reported(random_model):
    translator = Translator(random_model, max_decoding_length=24, intra_threads=1)
    segment = translator.translate_sentences([PAIRS[0][0]], "km", "en")[0]
    assert segment.issues, segment
    issue = segment.issues[0]
    assert "retried with no_repeat_ngram_size=3, repetition_penalty=1.2" in issue
    assert "degenerate repetition" in issue or "cut at max_decoding_length" in issue


def test_empty_input_and_bad_languages_are_clear_errors(marian):
    with pytest.raises(InputError, match="empty"):
        marian.translate("  \n ", "km", "en")
    with pytest.raises(InputError, match="empty"):
        marian.translate_sentences(["ok", ""], "km", "en")
    assert [s.target for s in marian.translate_sentences(["សេដ្ឋកិច្ចឌីជីថល\n", "\nសង្គម\nឌីជីថល"], "km", "en")] == [
        "digital economy",
        "digital society",
    ]
    with pytest.raises(InputError, match="unknown language code 'xx'"):
        marian.translate("សង្គមឌីជីថល", "xx", "en")
    with pytest.raises(ModelError, match="does not translate from 'th'"):
        marian.translate("สังคมดิจิทัล", "th", "en")


def test_options_are_checked():
    from termalign.translate import TranslationOptions

    with pytest.raises(InputError, match="unknown enforcement"):
        TranslationOptions(enforce=("magic",))
    with pytest.raises(InputError, match="n_best <= beam_size"):
        TranslationOptions(beam_size=2, n_best=4)


def test_the_signature_names_model_glossary_and_settings(marian_model):
    km, en = TRANSITION
    plain = Translator(marian_model)
    with_glossary = Translator(marian_model, glossary=[concept(1, km, en)], beam_size=5)
    a, b = plain.signature("km", "en").as_dict(), with_glossary.signature("km", "en").as_dict()
    assert a["model"].startswith("tiny-marian@") and a["glossary"] == "none" and a["pair"] == "km-en"
    assert b["glossary"].startswith("1@") and b["beam"] == "5" and a["model"] == b["model"]
    other = Translator(marian_model, glossary=[concept(1, km, "digital shift")]).signature("km", "en").as_dict()
    assert other["glossary"] != b["glossary"]
    assert str(plain.signature("km", "en")).count("|") == len(a) - 1


def test_termalign_translator_is_the_engine():
    import termalign
    from termalign.translate import Translator as Engine

    assert termalign.Translator is Engine
