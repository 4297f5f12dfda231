"""``termalign translate --engine ray``: documents translated on Ray actors that load the
CTranslate2 model once.

:class:`RayTranslator` stands in for a :class:`Translator` in
:func:`termalign.translate.batch.translate_files`: the run's signature is the local
translator's, and documents come back in input order, so the output file, its progress
record, resuming after a killed job and the per-segment term report are those of the
single-machine run. Each actor builds a :class:`Translator` from the same model directory,
glossary and options, so every document is translated as on one machine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from termalign.distributed import DEFAULT_ACTOR_CPUS, ordered_map
from termalign.translate.engine import DocumentTranslation, RunSignature, TranslationOptions, Translator, _Direction
from termalign.translate.glossary import Glossary


def _actor_translator(
    model_dir: Path, glossary: Glossary | None, options: TranslationOptions, src: str, tgt: str
) -> Callable[[list[tuple[str, str]]], list[DocumentTranslation]]:
    translator = Translator(model_dir, glossary=glossary, options=options)
    translator.ct2  # noqa: B018 - load the model now, once per actor, not on the first batch

    def work(documents: list[tuple[str, str]]) -> list[DocumentTranslation]:
        return list(translator.translate_documents(documents, src, tgt))

    return work


class RayTranslator:
    """A :class:`Translator` whose documents are translated on a Ray cluster."""

    def __init__(self, translator: Translator, *, address: str | None = None, actors: int | None = None) -> None:
        self.local = translator
        self.address = address
        self.actors = actors
        # Each actor gets the CPUs its CTranslate2 threads use.
        o = translator.options
        self.cpus_per_actor = max(DEFAULT_ACTOR_CPUS, o.inter_threads * o.intra_threads)

    def signature(self, src: str, tgt: str) -> RunSignature:
        return self.local.signature(src, tgt)

    def direction(self, src: str, tgt: str) -> _Direction:
        """The local translator's direction: its glossary index (and its conflicts) for the run's report."""
        return self.local.direction(src, tgt)

    def translate_documents(
        self, documents: Iterable[tuple[str, str]], src: str, tgt: str
    ) -> Iterator[DocumentTranslation]:
        """Translate ``(id, text)`` documents on Ray, yielding each in input order."""
        self.local.direction(src, tgt)  # a wrong language pair fails here, before Ray starts
        options = dataclasses.replace(self.local.options)
        model_dir, glossary = self.local.model.path, self.local.glossary

        def make() -> Callable[[list[tuple[str, str]]], list[DocumentTranslation]]:
            return _actor_translator(model_dir, glossary, options, src, tgt)

        return ordered_map(
            documents, make, address=self.address, actors=self.actors, cpus_per_actor=self.cpus_per_actor
        )
