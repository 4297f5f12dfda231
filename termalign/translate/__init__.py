"""Machine translation with CTranslate2 models and an enforced, checked glossary.

* :mod:`~termalign.translate.models` — model directories, manifests, one class per family;
* :mod:`~termalign.translate.engine` — :class:`Translator`: sentences, batching, n-best,
  length checks, repetition guard;
* :mod:`~termalign.translate.glossary` — finding source terms, the post-check;
* :mod:`~termalign.translate.masking` — anchors and placeholders;
* :mod:`~termalign.translate.batch` — streaming, resumable translation of files;
* :mod:`~termalign.translate.evaluate` — BLEU, chrF++, TER and term accuracy;
* :mod:`~termalign.translate.convert` — transformers checkpoints to model directories.
"""

from termalign.translate.engine import (
    ENFORCEMENT,
    DocumentTranslation,
    RunSignature,
    Segment,
    TranslationOptions,
    Translator,
)
from termalign.translate.glossary import Glossary, TermCheck, load_glossary
from termalign.translate.models import (
    FAMILIES,
    MANIFEST,
    Manifest,
    TranslationModel,
    find_models,
)

__all__ = [
    "ENFORCEMENT",
    "FAMILIES",
    "MANIFEST",
    "DocumentTranslation",
    "Glossary",
    "Manifest",
    "RunSignature",
    "Segment",
    "TermCheck",
    "TranslationModel",
    "TranslationOptions",
    "Translator",
    "find_models",
    "load_glossary",
]
