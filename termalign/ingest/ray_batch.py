"""``termalign ingest --engine ray``: segmentation on Ray actors that load the segmenters once.

Reading files and storing documents stay in the calling process (one transaction per
document, in input order, as on one machine); only :func:`termalign.ingest.pipeline.process`,
the per-document work, runs on the cluster. Its output is the same as on one machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from termalign import lang as languages
from termalign.corpus import Document, RawDocument
from termalign.distributed import ordered_map
from termalign.ingest.pipeline import process


def _segmenter() -> Callable[[list[RawDocument]], list[Document]]:
    # Each language's segmenter and tagger (khmercut/khmer-nltk, pythainlp's dictionary,
    # pyvi's model) loaded once when an actor starts, not on its first document.
    for language in languages.LANGUAGES.values():
        language.warm()

    def work(raws: list[RawDocument]) -> list[Document]:
        return [process(raw) for raw in raws]

    return work


def process_on_ray(
    raws: Iterable[RawDocument], *, address: str | None = None, actors: int | None = None
) -> Iterator[Document]:
    """:func:`process` of each document on Ray, in input order."""
    return ordered_map(raws, _segmenter, address=address, actors=actors)
