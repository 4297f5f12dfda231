"""Model families, manifests and model directories: each convention and each bad directory."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from mt_modelkit import PAIRS, Recipe, _spm

from termalign.errors import InputError, ModelError
from termalign.translate.models import (
    FAMILIES,
    MANIFEST,
    Manifest,
    TranslationModel,
    find_models,
)


@pytest.fixture(scope="module")
def pieces(tmp_path_factory):
    """Real sentencepiece pieces of a Khmer term (an spm trained on the test text)."""
    import sentencepiece

    path = tmp_path_factory.mktemp("spm") / "test.spm"
    _spm(Recipe("marian"), path)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(path))
    out = sp.encode(PAIRS[1][0], out_type=str)
    assert len(out) > 1 and all(p in {sp.id_to_piece(i) for i in range(sp.get_piece_size())} for p in out)
    return path, out


def manifest(family: str, **kw) -> Manifest:
    return Manifest(
        family,
        "m",
        "MIT",
        kw.pop("sources", ("km", "th", "vi", "en")),
        kw.pop("targets", ("km", "th", "vi", "en")),
        **kw,
    )


def test_nllb_frames_source_with_language_codes_and_forces_the_target_code(pieces):
    _, p = pieces
    nllb = FAMILIES["nllb"]
    m = manifest("nllb")
    assert nllb.direction_tokens("km", "en", m) == ("khm_Khmr", "eng_Latn")
    assert nllb.direction_tokens("th", "vi", m) == ("tha_Thai", "vie_Latn")
    assert nllb.source_tokens(p, "khm_Khmr", "eng_Latn") == ["khm_Khmr", *p, "</s>"]
    assert nllb.target_prefix("eng_Latn") == ["eng_Latn"]


def test_m2m100_uses_double_underscore_tokens(pieces):
    _, p = pieces
    m2m = FAMILIES["m2m100"]
    m = manifest("m2m100")
    assert m2m.direction_tokens("km", "en", m) == ("__km__", "__en__")
    assert m2m.direction_tokens("vi", "th", m) == ("__vi__", "__th__")
    assert m2m.source_tokens(p, "__km__", "__en__") == ["__km__", *p, "</s>"]
    assert m2m.target_prefix("__en__") == ["__en__"]


def test_marian_bilingual_needs_no_language_token_and_ends_every_source(pieces):
    _, p = pieces
    marian = FAMILIES["marian"]
    m = manifest("marian", sources=("km",), targets=("en",))
    assert marian.direction_tokens("km", "en", m) == (None, None)
    assert marian.source_tokens(p, None, None) == [*p, "</s>"]
    assert marian.target_prefix(None) == []


def test_marian_multi_target_starts_the_source_with_the_target_token(pieces):
    _, p = pieces
    marian = FAMILIES["marian"]
    m = manifest("marian", sources=("en",), targets=("vi", "km"), target_tokens=True)
    assert marian.direction_tokens("en", "vi", m) == (None, ">>vie<<")
    assert marian.source_tokens(p, None, ">>vie<<") == [">>vie<<", *p, "</s>"]
    # a model whose tokens use ISO 639-1 codes records them in the manifest
    m = manifest("marian", sources=("en",), targets=("vi",), target_tokens=True, codes={"vi": "vi"})
    assert marian.direction_tokens("en", "vi", m) == (None, ">>vi<<")


def test_frames_match_the_transformers_tokenizers(pieces, tmp_path):
    """Our framing gives the very sequences the families' own tokenizers produce."""
    transformers = pytest.importorskip("transformers")
    spm_path, p = pieces
    tokens = ["<s>", "<pad>", "</s>", "<unk>", *p]
    vocab = tmp_path / "vocab.json"
    vocab.write_text(json.dumps({t: i for i, t in enumerate(dict.fromkeys(tokens))}))
    m2m_tok = transformers.M2M100Tokenizer(str(vocab), str(spm_path), src_lang="km", tgt_lang="en")
    ids = m2m_tok(PAIRS[1][0]).input_ids
    assert m2m_tok.convert_ids_to_tokens(ids) == FAMILIES["m2m100"].source_tokens(p, "__km__", "__en__")

    marian_vocab = tmp_path / "marian.json"
    marian_vocab.write_text(json.dumps({t: i for i, t in enumerate(["</s>", "<unk>", *dict.fromkeys(p), "<pad>"])}))
    marian_tok = transformers.MarianTokenizer(str(spm_path), str(spm_path), str(marian_vocab))
    ids = marian_tok(PAIRS[1][0]).input_ids
    assert marian_tok.convert_ids_to_tokens(ids) == FAMILIES["marian"].source_tokens(p, None, None)
    assert marian_tok.pad_token_id == len(dict.fromkeys(p)) + 2  # <pad> last: Marian's decoder start


def test_manifest_round_trip(tmp_path):
    m = manifest("nllb", codes={"km": "khm_Khmr"}, quantization="int8", max_input_length=1024)
    m.write(tmp_path)
    data = json.loads((tmp_path / MANIFEST).read_text())
    assert Manifest.from_dict(data, "x") == replace(m, sentencepiece=m.spm)
    assert data["sentencepiece"] == ["sentencepiece.bpe.model", "sentencepiece.bpe.model"]


# -- model directories ------------------------------------------------------------------


def test_model_directory_opens_and_describes_itself(marian_model):
    model = TranslationModel(marian_model)
    info = model.info()
    assert info["family"] == "marian" and info["pairs"] == ["km-en"]
    assert info["direction_tokens"] == {"km-en": [None, None]}
    assert info["ct2"]["eos_token"] == "</s>"
    assert "<pad>" not in model.vocabulary  # the converter drops Marian's decoder-start token
    assert find_models([marian_model.parent]) and marian_model in find_models([marian_model.parent])
    assert find_models([marian_model]) == [marian_model]


@pytest.fixture
def broken(marian_model, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(marian_model, copy)
    return copy


def _edit_manifest(path, **changes):
    data = json.loads((path / MANIFEST).read_text())
    for k, v in changes.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    (path / MANIFEST).write_text(json.dumps(data))


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda p: shutil.rmtree(p), "no such model directory"),
        (lambda p: (shutil.rmtree(p), p.write_text("x")), "not a file"),
        (lambda p: (p / MANIFEST).unlink(), "termalign-model.json is missing"),
        (lambda p: (p / MANIFEST).write_text("{not json"), "not valid JSON"),
        (lambda p: (p / MANIFEST).write_text("[1, 2]"), "not a JSON object"),
        (lambda p: _edit_manifest(p, licence=None), "lacks licence"),
        (lambda p: _edit_manifest(p, family="fairseq"), "unknown model family"),
        (lambda p: _edit_manifest(p, source_languages=["fr"]), "unknown language code 'fr'"),
        (lambda p: _edit_manifest(p, source_languages=[]), "non-empty list"),
        (lambda p: _edit_manifest(p, colour="blue"), "unknown fields: colour"),
        (lambda p: (p / "model.bin").unlink(), "model.bin is missing"),
        (lambda p: (p / "source.spm").unlink(), "source.spm is missing"),
        (lambda p: (p / "shared_vocabulary.json").unlink(), "vocabulary file is missing"),
        (lambda p: _edit_manifest(p, target_tokens=True), "'>>eng<<' is not in the model's vocabulary"),
    ],
)
def test_a_bad_model_directory_is_one_clear_model_error(broken, breakage, message):
    breakage(broken)
    with pytest.raises(ModelError, match=message):
        TranslationModel(broken)


def test_a_corrupt_model_file_fails_on_loading(broken):
    (broken / "model.bin").write_bytes(b"garbage")
    model = TranslationModel(broken)
    with pytest.raises(ModelError, match="CTranslate2 cannot load"):
        model.load()


def test_a_corrupt_sentencepiece_model_is_a_model_error(broken):
    (broken / "source.spm").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="cannot load sentencepiece model source.spm"):
        TranslationModel(broken).encode("x")


def test_language_codes_are_checked(marian_model, nllb_model):
    model = TranslationModel(marian_model)
    with pytest.raises(InputError, match="unknown language code 'fr'"):
        model.check_pair("fr", "en")
    with pytest.raises(ModelError, match="does not translate from 'th'"):
        model.check_pair("th", "en")
    with pytest.raises(ModelError, match="does not translate into 'vi'"):
        model.check_pair("km", "vi")
    with pytest.raises(InputError, match="both 'km'"):
        model.check_pair("km", "km")
    assert TranslationModel(nllb_model).check_pair("en", "km") == ("eng_Latn", "khm_Khmr")
