"""Glossary enforcement on the no-mask models: trained like real models, never taught to copy
placeholders, so only strategies that need no copying can bring a term in."""

from __future__ import annotations

from termalign import Translator
from termalign.store.concepts import Concept, Term

TRANSITION = ("ការផ្លាស់ប្តូរឌីជីថល", "digital transition")


def concept(cid: int, km: str, en: str, *more: Term) -> Concept:
    return Concept(terms=[Term("km", km, "preferred"), Term("en", en, "preferred"), *more], status="approved", id=cid)


def test_a_forbidden_term_is_kept_out_and_the_preferred_one_used(nomask_model):
    km, en = TRANSITION
    glossary = [concept(1, km, en, Term("en", "digital transformation", "deprecated"))]
    unaided = Translator(nomask_model, glossary=glossary, enforce=[], intra_threads=1).translate_sentences(
        [km], "km", "en"
    )[0]
    assert unaided.target == "digital transformation" and unaided.forbidden == ["digital transformation"]
    for strategies in (["align"], ["nbest"], ["nbest", "align", "bias", "prefix"]):
        translator = Translator(nomask_model, glossary=glossary, enforce=strategies, intra_threads=1)
        segment = translator.translate_sentences([km], "km", "en")[0]
        assert segment.forbidden == [] and "digital transformation" not in segment.target, strategies
        assert segment.all_terms and segment.terms[0].count == 1, (strategies, segment.target)


def test_masking_cannot_bring_an_unseen_term_on_a_no_mask_model_alignment_can(nomask_marian):
    glossary = [concept(2, "សង្គម", "community")]
    masked = Translator(nomask_marian, glossary=glossary, enforce=["mask"], intra_threads=1)
    assert not masked.translate_sentences(["សង្គមឌីជីថល"], "km", "en")[0].all_terms
    aligned = Translator(nomask_marian, glossary=glossary, enforce=["align"], intra_threads=1)
    segment = aligned.translate_sentences(["សង្គមឌីជីថល"], "km", "en")[0]
    # "society" is the word សង្គម aligns to: the term takes its place (an edit of the model's
    # 1-best), the rest is the model's.
    assert segment.target == "digital community"
    assert segment.strategy == "edit" and segment.terms[0].count == 1


def test_the_default_strategies_need_no_masking(nomask_marian):
    segment = Translator(
        nomask_marian, glossary=[concept(2, "សង្គម", "community")], intra_threads=1
    ).translate_sentences(["សង្គមឌីជីថល"], "km", "en")[0]
    assert segment.all_terms and segment.strategy != "mask"


def test_a_term_the_model_cannot_spell_is_reported_not_faked(nomask_marian):
    # "w" and "k" never occur in the training text: no strategy can write "network".
    glossary = [concept(3, "ហេដ្ឋារចនាសម្ព័ន្ធ", "network")]
    segment = Translator(nomask_marian, glossary=glossary, intra_threads=1).translate_sentences(
        ["ហេដ្ឋារចនាសម្ព័ន្ធទូរគមនាគមន៍"], "km", "en"
    )[0]
    assert not segment.all_terms and segment.target == "telecommunications infrastructure"
