"""The translator: documents in, translations out, the glossary enforced and checked.

Text is translated sentence by sentence (the language's own splitter), line by line, so the
paragraph structure survives. A sentence longer than the model accepts is split at a phrase
break, never cut. Each sentence (or part) is sent to CTranslate2 as up to three requests:

* ``plain``  — the sentence as is; its n-best list is reranked by glossary coverage;
* ``mask``   — glossary terms and anchors replaced by placeholders, filled after decoding;
* ``prefix`` — when the sentence *is* a glossary term, the decoder forced to start with the
  target term.

The candidate covering most required terms, then most anchors, wins; on a tie the unmasked
model output wins, then the model score. Whatever wins, the post-check reports per segment
which required target terms appear. A hypothesis that ends without the end token (cut at
``max_decoding_length``) or repeats itself is translated again with repetition guards and
reported, never passed off silently.
"""

from __future__ import annotations

import difflib
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from sacrebleu.metrics import CHRF

from termalign import __version__
from termalign import lang as languages
from termalign.errors import InputError
from termalign.lang import Language
from termalign.store.concepts import Concept
from termalign.translate.glossary import Glossary, TermCheck, TermIndex, TermMatch, is_mark, occurrences
from termalign.translate.masking import (
    Mask,
    ascii_digits,
    assign_unknowns,
    fill,
    find_anchors,
    masked_pieces,
    placeholder,
)
from termalign.translate.models import TranslationModel

ENFORCEMENT = ("nbest", "align", "bias", "prefix", "mask")
#: The strategies used when none are named: none of them needs a model taught to copy placeholders.
DEFAULT_ENFORCEMENT = ("nbest", "align", "bias", "prefix")
#: On a tie in coverage, the candidate of the less intrusive strategy wins (lower first).
STRATEGY_RANK = {"plain": 0, "edit": 1, "align": 2, "bias": 3, "prefix": 4, "mask": 5}
#: ``prefix_bias_beta`` of the ``bias`` strategy: below 1 the decoder follows the suggested
#: target (the model's own translation with the glossary term put in) yet may leave it where
#: its own continuation scores better (Arthur et al. 2019, §4.2; CTranslate2 needs beam > 1).
BIAS_BETA = 0.5
#: The closeness of the unaided 1-best to itself (chrF scale).
FULL_CLOSENESS = 100.0
#: Closeness is chrF with beta=1 (as much precision as recall): added text costs as much as lost text.
_CHRF = CHRF(beta=1)
_BREAKS = ",;:、，"
#: Sentencepiece's word-start mark.
SPM_SPACE = "\u2581"


@dataclass(frozen=True)
class TranslationOptions:
    """Decoding and enforcement settings. Those that change the output enter the signature."""

    beam_size: int = 4
    n_best: int = 4
    length_penalty: float = 1.0
    #: Glossary enforcement strategies (any of :data:`ENFORCEMENT`); empty: none.
    enforce: tuple[str, ...] = DEFAULT_ENFORCEMENT
    #: Mask Latin anchors and numbers too (with ``mask``), so they pass through unchanged.
    mask_anchors: bool = True
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    #: Source/target length limits in tokens; ``None``: the model's (from its manifest).
    max_input_length: int | None = None
    max_decoding_length: int | None = None
    max_batch_tokens: int = 2048
    device: str = "cpu"
    compute_type: str = "default"
    inter_threads: int = 1
    intra_threads: int = 0

    def __post_init__(self) -> None:
        unknown = set(self.enforce) - set(ENFORCEMENT)
        if unknown:
            raise InputError(f"unknown enforcement {', '.join(sorted(unknown))} (known: {', '.join(ENFORCEMENT)})")
        if self.beam_size < 1 or self.n_best < 1 or self.n_best > self.beam_size:
            raise InputError(f"need 1 <= n_best <= beam_size (got n_best={self.n_best}, beam_size={self.beam_size})")
        for name in ("max_input_length", "max_decoding_length"):
            value = getattr(self, name)
            if value is not None and value < 4:
                raise InputError(f"{name} must be at least 4 tokens")
        if self.max_batch_tokens < 1 or self.inter_threads < 1 or self.intra_threads < 0:
            raise InputError("max_batch_tokens and inter_threads must be positive, intra_threads >= 0")


#: Batches per worker sent to CTranslate2 in one call: enough to keep every worker busy,
#: few enough that memory stays bounded and a refused call is retried request by request.
CHUNK_BATCHES = 4

#: Longest 1-best (in words) whose word stretches are each tried as the place of a missing
#: term (``Translator._window_edits``): the candidates grow with the square of the length.
MAX_EDIT_WORDS = 24

#: The guard used on a retry after degenerate output.
GUARD_NGRAM = 3
GUARD_PENALTY = 1.2


@dataclass(frozen=True)
class RunSignature:
    """The settings that produced a translation, sacrebleu-style (``key:value|…``)."""

    fields: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return "|".join(f"{k}:{v}" for k, v in self.fields)

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)


@dataclass
class AnchorCheck:
    text: str
    expected: str
    found: bool

    def to_dict(self) -> dict:
        return {"text": self.text, "expected": self.expected, "found": self.found}


@dataclass
class Segment:
    """One translated sentence with its term report."""

    index: int
    line: int
    source: str
    target: str
    strategy: str
    score: float
    terms: list[TermCheck] = field(default_factory=list)
    anchors: list[AnchorCheck] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    #: Why the segment could not be translated (its target is then empty); ``None``: translated.
    error: str | None = None
    #: Forbidden (deprecated) target terms found in the translation: should stay empty.
    forbidden: list[str] = field(default_factory=list)

    @property
    def all_terms(self) -> bool:
        """Every required target term appears (vacuously true without required terms)."""
        return all(t.found for t in self.terms)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "line": self.line,
            "source": self.source,
            "target": self.target,
            "strategy": self.strategy,
            "score": round(self.score, 4),
            "terms": [t.to_dict() for t in self.terms],
            "all_terms": self.all_terms,
            "anchors": [a.to_dict() for a in self.anchors],
            "issues": self.issues,
            "error": self.error,
            "forbidden": self.forbidden,
        }


@dataclass
class DocumentTranslation:
    """A translated document: the text with its line structure, and its segments."""

    id: str
    src: str
    tgt: str
    text: str
    segments: list[Segment]

    @property
    def terms_required(self) -> int:
        return sum(len(s.terms) for s in self.segments)

    @property
    def terms_found(self) -> int:
        return sum(t.found for s in self.segments for t in s.terms)

    @property
    def failed(self) -> int:
        """Segments the model could not translate."""
        return sum(s.error is not None for s in self.segments)

    def to_record(self, signature: RunSignature | str | None = None) -> dict:
        record: dict[str, Any] = {"id": self.id, "src": self.src, "tgt": self.tgt, "text": self.text}
        record["terms"] = {"required": self.terms_required, "found": self.terms_found}
        record["failed"] = self.failed
        record["segments"] = [s.to_dict() for s in self.segments]
        if signature is not None:
            record["signature"] = str(signature)
        return record


# -- plans: what is sent to the model, and what came back --------------------------------


@dataclass
class _Hypothesis:
    text: str
    tokens: list[str]
    score: float
    finished: bool
    #: Attention of each target token (after the frame) over the source tokens.
    attention: list[list[float]] | None = None


@dataclass
class _Request:
    kind: str  # plain | edit | align | bias | prefix | mask
    source: list[str]
    prefix: list[str]
    drop: int  # leading target tokens that belong to the family's frame
    masks: tuple[Mask, ...] = ()
    #: Decoding options of this request that differ from the run's (``prefix_bias_beta``).
    options: tuple[tuple[str, Any], ...] = ()
    #: Not decoded but scored: the model's own translation with the term put in, as is.
    scored: bool = False
    hypotheses: list[_Hypothesis] = field(default_factory=list)
    #: Why the model could not translate this request (CTranslate2's message).
    error: str | None = None


@dataclass
class _Pick:
    """The hypothesis chosen for a part, and how."""

    request: _Request
    hyp: _Hypothesis
    strategy: str
    issues: list[str] = field(default_factory=list)


@dataclass
class _Part:
    text: str
    matches: list[TermMatch]
    anchors: list[str]
    requests: list[_Request]
    #: What the glossary's collision rules decided here (overlaps, shared source terms).
    notes: list[str] = field(default_factory=list)
    #: The model's own translation with the terms put in place (``align``): what an enforced
    #: candidate should read like.
    expected: str | None = None


@dataclass
class _SegmentPlan:
    index: int
    line: int
    source: str
    parts: list[_Part]
    issues: list[str]


@dataclass
class _DocumentPlan:
    id: str
    lines: list[list[_SegmentPlan]]
    pending: int = 0

    def parts(self) -> Iterator[_Part]:
        for line in self.lines:
            for segment in line:
                yield from segment.parts

    def requests(self) -> Iterator[_Request]:
        for part in self.parts():
            yield from part.requests


class _Direction:
    """Everything fixed for one source → target pair."""

    def __init__(self, model: TranslationModel, src: str, tgt: str, index: TermIndex | None) -> None:
        self.src, self.tgt = src, tgt
        self.source: Language = languages.get(src)
        self.target: Language = languages.get(tgt)
        self.src_token, self.tgt_token = model.check_pair(src, tgt)
        self.frame_prefix = model.family.target_prefix(self.tgt_token)
        self.overhead = len(model.source_tokens([], self.src_token, self.tgt_token))
        #: Where the first sentencepiece piece sits in a framed source.
        self.lead = model.source_tokens([SPM_SPACE], self.src_token, self.tgt_token).index(SPM_SPACE)
        self.index = index
        #: Target tokens of a part translated without one of its terms: (part, start, end) → tokens.
        self.without: dict[tuple[str, int, int], list[str]] = {}
        # Forbidden target terms (the glossary's deprecated ones) as token sequences that
        # CTranslate2 keeps out of every hypothesis, as written and capitalized.
        forbidden = sorted({f for e in index.entries for f in e.forbidden} if index is not None else set())
        self.forbidden = forbidden
        sequences = [model.target_pieces(form) for f in forbidden for form in dict.fromkeys([f, f[:1].upper() + f[1:]])]
        # A sequence with a token outside the vocabulary cannot be produced (and CTranslate2 refuses it).
        self.suppress = [seq for seq in sequences if seq and set(seq) <= model.target_vocabulary]


# -- the translator ---------------------------------------------------------------------


class Translator:
    """Translate documents with a CTranslate2 model, enforcing an approved glossary.

    >>> t = Translator("models/nllb-200-600M", glossary=concepts)     # doctest: +SKIP
    >>> t.translate("ការផ្លាស់ប្តូរឌីជីថល។", src="km", tgt="en")       # doctest: +SKIP
    'Digital transformation.'

    ``model`` is a model directory (or a :class:`TranslationModel`); ``glossary`` a
    :class:`Glossary` or approved :class:`Concept` objects; keyword arguments override
    :class:`TranslationOptions`.
    """

    def __init__(
        self,
        model: str | Path | TranslationModel,
        *,
        glossary: Glossary | Iterable[Concept] | None = None,
        options: TranslationOptions | None = None,
        **overrides: Any,
    ) -> None:
        self.model = model if isinstance(model, TranslationModel) else TranslationModel(model)
        known = {f.name for f in fields(TranslationOptions)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        if "enforce" in overrides:
            overrides["enforce"] = tuple(overrides["enforce"] or ())
        self.options = replace(options or TranslationOptions(), **overrides)
        if glossary is not None and not isinstance(glossary, Glossary):
            glossary = Glossary(glossary)
        self.glossary = glossary
        self._directions: dict[tuple[str, str], _Direction] = {}

    # -- resources ----------------------------------------------------------------------
    @cached_property
    def ct2(self):
        o = self.options
        return self.model.load(
            device=o.device, compute_type=o.compute_type, inter_threads=o.inter_threads, intra_threads=o.intra_threads
        )

    @cached_property
    def _unk(self) -> str:
        return self.model.ct2_config.get("unk_token", "<unk>")

    @cached_property
    def _eos(self) -> str:
        return self.model.ct2_config.get("eos_token", "</s>")

    @property
    def max_input_length(self) -> int:
        wanted = self.options.max_input_length or self.model.max_input_length
        return min(wanted, self.model.positions or wanted)

    @property
    def max_decoding_length(self) -> int:
        wanted = self.options.max_decoding_length or self.model.max_decoding_length
        return min(wanted, self.model.positions or wanted)

    def direction(self, src: str, tgt: str) -> _Direction:
        key = (src, tgt)
        if key not in self._directions:
            self.model.check_pair(src, tgt)  # InputError / ModelError before anything else
            index = self.glossary.direction(src, tgt) if self.glossary is not None else None
            self._directions[key] = _Direction(self.model, src, tgt, index)
        return self._directions[key]

    def signature(self, src: str, tgt: str) -> RunSignature:
        """What produced (and reproduces) a translation: model, glossary version, settings."""
        import ctranslate2

        o = self.options
        index = self.direction(src, tgt).index
        return RunSignature(
            (
                ("model", f"{self.model.name}@{self.model.checksum[:12]}"),
                ("family", self.model.family.name),
                ("pair", f"{src}-{tgt}"),
                ("glossary", f"{len(index)}@{index.version}" if index is not None else "none"),
                ("enforce", "+".join(o.enforce) or "none"),
                ("beam", str(o.beam_size)),
                ("nbest", str(o.n_best)),
                ("lp", str(o.length_penalty)),
                ("rep", f"{o.repetition_penalty}/{o.no_repeat_ngram_size}"),
                ("maxlen", f"{self.max_input_length}/{self.max_decoding_length}"),
                ("compute", o.compute_type),
                ("ct2", ctranslate2.__version__),
                ("version", __version__),
            )
        )

    # -- public API ---------------------------------------------------------------------
    def translate(self, text: str, src: str, tgt: str) -> str:
        """The translation of ``text``, line structure kept."""
        return self.translate_document(text, src, tgt).text

    def translate_document(self, text: str, src: str, tgt: str, id: str = "0") -> DocumentTranslation:
        """The translation of one document with its per-segment term report."""
        return next(self.translate_documents([(id, text)], src, tgt))

    def translate_sentences(self, sentences: Sequence[str], src: str, tgt: str) -> list[Segment]:
        """Each string translated as one segment (no sentence splitting): one segment per
        string, in order (terms, titles, aligned lines)."""
        sentences = list(sentences)
        for i, s in enumerate(sentences):
            if not s.strip():
                raise InputError(f"sentence {i} is empty")
        direction = self.direction(src, tgt)
        plans = (self._plan(f"s{i}", s, direction, split=False) for i, s in enumerate(sentences))
        segments = [seg for doc in self._run(plans, direction) for seg in doc.segments]
        for i, segment in enumerate(segments):
            segment.index = segment.line = i
        return segments

    def translate_documents(
        self, documents: Iterable[tuple[str, str]], src: str, tgt: str
    ) -> Iterator[DocumentTranslation]:
        """Translate a stream of ``(id, text)`` documents, yielding each as soon as it is done.

        Memory stays bounded: documents are read as the model needs input, and
        CTranslate2 batches by tokens across document boundaries.
        """
        direction = self.direction(src, tgt)
        plans = (self._plan(doc_id, text, direction) for doc_id, text in documents)
        return self._run(plans, direction)

    # -- planning -----------------------------------------------------------------------
    def _plan(self, doc_id: str, text: str, d: _Direction, split: bool = True) -> _DocumentPlan:
        if not text.strip():
            raise InputError(f"document {doc_id} is empty: nothing to translate")
        lines: list[list[_SegmentPlan]] = []
        index = 0
        # Unsplit text (translate_sentences) is one segment, whatever line breaks it holds.
        for lineno, line in enumerate(text.split("\n") if split else [" ".join(text.split())]):
            spans = d.source.split_sentences(line) if split else [(0, len(line))]
            segments = []
            for start, end in spans:
                sentence = line[start:end].strip()
                if not sentence:
                    continue
                segments.append(self._plan_segment(index, lineno, sentence, d))
                index += 1
            lines.append(segments)
        plan = _DocumentPlan(doc_id, lines)
        plan.pending = sum(1 for _ in plan.requests())
        return plan

    def _plan_segment(self, index: int, lineno: int, sentence: str, d: _Direction) -> _SegmentPlan:
        normalized = d.source.normalize(sentence)
        texts = self._fit(normalized, d)
        issues = []
        if len(texts) > 1:
            issues.append(f"split into {len(texts)} parts: longer than max_input_length={self.max_input_length}")
        return _SegmentPlan(index, lineno, sentence, [self._plan_part(t, d) for t in texts], issues)

    def _source_length(self, text: str, d: _Direction) -> int:
        return len(self.model.encode(text)) + d.overhead

    def _fit(self, text: str, d: _Direction) -> list[str]:
        """``text`` in parts that each fit ``max_input_length`` (split at phrase breaks,
        then at spaces, as a last resort between sentencepiece pieces)."""
        limit = self.max_input_length
        if self._source_length(text, d) <= limit:
            return [text]
        protected = [(m.start, m.end) for m in d.index.find(text)] if d.index is not None else []
        protected += find_anchors(text, d.source)

        def free(i: int) -> bool:
            return not any(s < i < e for s, e in protected)

        middle = len(text) / 2
        for breaks in (_BREAKS, " "):
            cuts = [i + 1 for i, c in enumerate(text) if c in breaks and free(i + 1) and 0 < i + 1 < len(text)]
            if cuts:
                cut = min(cuts, key=lambda i: abs(i - middle))
                head, tail = text[:cut].strip(), text[cut:].strip()
                if head and tail:
                    return self._fit(head, d) + self._fit(tail, d)
        # Last resort: between sentencepiece pieces near the middle, cut in the original text
        # (lossless) and checked again, since re-encoding a part may give other pieces.
        at = _piece_cut(text, self.model.encode(text), free)
        if at is None:
            return [text]  # one piece: nothing left to split; the run reports it if it fails
        return self._fit(text[:at], d) + self._fit(text[at:], d)

    def _plan_part(self, text: str, d: _Direction) -> _Part:
        o = self.options
        found = d.index.find_all(text) if d.index is not None else None
        matches = found.matches if found is not None else []
        anchor_spans = [
            (s, e) for s, e in find_anchors(text, d.source) if not any(m.start < e and s < m.end for m in matches)
        ]
        anchors = [text[s:e] for s, e in anchor_spans]
        pieces = self.model.encode(text)
        drop = len(d.frame_prefix)
        requests = [_Request("plain", self.model.source_tokens(pieces, d.src_token, d.tgt_token), d.frame_prefix, drop)]
        if "mask" in o.enforce and (matches or (o.mask_anchors and anchor_spans)):
            masks = [
                Mask(m.start, m.end, placeholder("term", i, self.model.vocabulary), m.entry.target, "term")
                for i, m in enumerate(matches)
            ]
            if o.mask_anchors:
                masks += [
                    Mask(s, e, placeholder("anchor", i, self.model.vocabulary), ascii_digits(text[s:e]), "anchor")
                    for i, (s, e) in enumerate(anchor_spans)
                ]
            source = self.model.source_tokens(masked_pieces(text, masks, self.model.encode), d.src_token, d.tgt_token)
            if len(source) <= self.max_input_length:
                requests.append(_Request("mask", source, d.frame_prefix, drop, tuple(masks)))
        if "prefix" in o.enforce and len(matches) == 1 and _is_whole(text, matches[0]):
            forced = self.model.target_pieces(matches[0].entry.target)
            requests.append(_Request("prefix", requests[0].source, [*d.frame_prefix, *forced], drop))
        return _Part(text, matches, anchors, requests, found.issues() if found is not None else [])

    # -- running ------------------------------------------------------------------------
    def _decode_options(self, **changes: Any) -> dict[str, Any]:
        o = self.options
        options: dict[str, Any] = {
            "beam_size": o.beam_size,
            "num_hypotheses": o.n_best if "nbest" in o.enforce else 1,
            "length_penalty": o.length_penalty,
            "repetition_penalty": o.repetition_penalty,
            "no_repeat_ngram_size": o.no_repeat_ngram_size,
            # Lengths are checked (and long sources split) before decoding: never truncate.
            "max_input_length": 0,
            "max_decoding_length": self.max_decoding_length,
            "return_scores": True,
            "return_end_token": True,
            "return_attention": True,
        }
        options.update(changes)
        return options

    def _run(self, plans: Iterator[_DocumentPlan], d: _Direction) -> Iterator[DocumentTranslation]:
        """Requests go to the model in chunks of a few batches; each document is yielded as
        soon as its last request is back, in input order."""
        waiting: deque[_DocumentPlan] = deque()
        chunk: list[tuple[_DocumentPlan, _Request]] = []
        budget = self.options.max_batch_tokens * self.options.inter_threads * CHUNK_BATCHES
        tokens = 0
        for plan in plans:
            waiting.append(plan)
            for request in plan.requests():
                chunk.append((plan, request))
                tokens += len(request.source) + len(request.prefix)
                if tokens >= budget:
                    self._translate_chunk(chunk, d)
                    chunk, tokens = [], 0
                    while waiting and waiting[0].pending == 0:
                        yield self._finish(waiting.popleft(), d)
        self._translate_chunk(chunk, d)
        while waiting:
            yield self._finish(waiting.popleft(), d)

    def _translate_chunk(self, chunk: list[tuple[_DocumentPlan, _Request]], d: _Direction) -> None:
        self._translate_requests([r for _, r in chunk], d)
        for plan, _ in chunk:
            plan.pending -= 1

    def _translate_requests(self, requests: list[_Request], d: _Direction) -> None:
        """Translate requests, one call per set of decoding options; if CTranslate2 refuses a
        call, each of its requests alone, so that only the requests it refuses fail (their
        error is kept)."""
        groups: dict[tuple, list[_Request]] = {}
        for request in requests:
            groups.setdefault(request.options, []).append(request)
        for changes, group in groups.items():
            options = self._decode_options(
                max_batch_size=self.options.max_batch_tokens, batch_type="tokens", **dict(changes)
            )
            if d.suppress and self.options.enforce:
                options["suppress_sequences"] = d.suppress
            try:
                results = self.ct2.translate_batch(
                    [r.source for r in group], target_prefix=[r.prefix for r in group], **options
                )
            except (RuntimeError, ValueError):
                results = None
            for i, request in enumerate(group):
                if results is not None:
                    request.hypotheses = self._hypotheses(results[i], request, d)
                    continue
                try:
                    result = self.ct2.translate_batch([request.source], target_prefix=[request.prefix], **options)[0]
                except (RuntimeError, ValueError) as exc:
                    request.error = str(exc)
                    continue
                request.hypotheses = self._hypotheses(result, request, d)

    def _score_requests(self, requests: list[_Request], d: _Direction) -> None:
        """Score each request's prefix as a whole translation (CTranslate2 ``score_batch``):
        its one hypothesis, scored like a decoded one (mean log-probability per token)."""
        if not requests:
            return
        try:
            results = self.ct2.score_batch(
                [r.source for r in requests],
                [r.prefix for r in requests],
                max_batch_size=self.options.max_batch_tokens,
                batch_type="tokens",
                max_input_length=0,
            )
        except (RuntimeError, ValueError) as exc:
            for request in requests:
                request.error = str(exc)
            return
        for request, result in zip(requests, results, strict=True):
            tokens = request.prefix[request.drop :]
            logs = result.log_probs[request.drop :]
            text = fill(tokens, (), self.model.decode, self.model.is_target_piece, d.target.spaced)
            request.hypotheses = [_Hypothesis(text, tokens, sum(logs) / max(1, len(logs)), True)]

    def _hypotheses(self, result: Any, request: _Request, d: _Direction) -> list[_Hypothesis]:
        out = []
        attention = getattr(result, "attention", None) or []
        placeholders = [m.token for m in request.masks]
        framing = {d.src_token, d.tgt_token, self._eos}
        for i, tokens in enumerate(result.hypotheses):
            finished = bool(tokens) and tokens[-1] == self._eos
            tokens = tokens[: -1 if finished else None]
            rows = attention[i] if i < len(attention) else None
            tokens, rows = tokens[request.drop :], rows[request.drop :] if rows else None
            if self._unk in tokens:
                tokens = assign_unknowns(tokens, self._unk, request.source, rows, placeholders, framing)
            text = fill(tokens, request.masks, self.model.decode, self.model.is_target_piece, d.target.spaced)
            out.append(_Hypothesis(text, tokens, float(result.scores[i]), finished, rows))
        return out

    def _finish(self, plan: _DocumentPlan, d: _Direction) -> DocumentTranslation:
        picks = {id(part): self._pick(part, d) for part in plan.parts()}
        # Second round: constrained continuation where the model's own 1-best lacks a term
        # (or has it twice) — even when a lower n-best hypothesis has every term: that one
        # often drops the rest of the sentence, and whether the n-best list holds it at all
        # varies with the batch a sentence is decoded in. The pick then weighs both.
        lacking = [
            part
            for part in plan.parts()
            if picks[id(part)] is not None
            and d.index is not None
            and part.requests[0].hypotheses
            and not all(c.count == 1 for c in d.index.check(part.requests[0].hypotheses[0].text, part.matches))
        ]
        self._translate_without_terms(lacking, d)
        constrained: list[_Request] = []
        for part in lacking:
            more = self._constrained(part, d)
            part.requests.extend(more)
            constrained.extend(more)
        if constrained:
            self._translate_requests([r for r in constrained if not r.scored], d)
            self._score_requests([r for r in constrained if r.scored], d)
            picks = {id(part): self._pick(part, d) for part in plan.parts()}
        self._guard([p for p in picks.values() if p is not None and self._problems(p.hyp)], d)
        lines_out: list[str] = []
        segments: list[Segment] = []
        for line in plan.lines:
            texts = []
            for seg_plan in line:
                segment = self._segment(seg_plan, [(part, picks[id(part)]) for part in seg_plan.parts], d)
                segments.append(segment)
                texts.append(segment.target)
            lines_out.append(" ".join(t for t in texts if t))
        return DocumentTranslation(plan.id, d.src, d.tgt, "\n".join(lines_out), segments)

    def _pick(self, part: _Part, d: _Direction) -> _Pick | None:
        """The candidate covering most required terms, then with fewest forbidden terms, then
        with most terms exactly once, then most anchors; on a tie the least intrusive
        strategy (:data:`STRATEGY_RANK`), then the model score. ``None`` when the model
        translated none of the part's requests."""
        nbest = "nbest" in self.options.enforce
        best_key: tuple | None = None
        best: _Pick | None = None
        unaided = part.expected or next(
            (r.hypotheses[0].text for r in part.requests if r.kind == "plain" and r.hypotheses), ""
        )
        for request in part.requests:
            for rank, hyp in enumerate(
                request.hypotheses if nbest or request.kind != "plain" else request.hypotheses[:1]
            ):
                checks = d.index.check(hyp.text, part.matches) if d.index is not None else []
                key = (
                    sum(c.found for c in checks),
                    -len(_forbidden_in(hyp.text, d)),
                    sum(c.count == 1 for c in checks),
                    sum(a.found for a in _check_anchors(hyp.text, part.anchors)),
                    # The enforced candidate that changes least else of the model's own translation
                    # (compared with that translation, the terms put in where they align).
                    _closeness(hyp.text, unaided)
                    if request.kind in ("edit", "align", "bias") or rank
                    else FULL_CLOSENESS,
                    -STRATEGY_RANK[request.kind],
                    hyp.score,
                )
                if best_key is None or key > best_key:
                    strategy = request.kind if request.kind != "plain" else ("model" if rank == 0 else "nbest")
                    best_key, best = key, _Pick(request, hyp, strategy)
        return best

    # -- constrained continuation -------------------------------------------------------
    def _constrained(self, part: _Part, d: _Direction) -> list[_Request]:
        """``align`` and ``bias`` requests for a part whose candidates miss a required term
        (or hold it more than once): the model's own 1-best, each missing term put at the
        target position its source term aligns to (by attention), then

        * ``align``: the decoder forced through that point (``target_prefix``) and left to
          continue on its own;
        * ``bias``: the whole edited translation suggested with ``prefix_bias_beta``.
        """
        o = self.options
        plain = part.requests[0]
        if d.index is None or not part.matches or not plain.hypotheses or not {"align", "bias"} & set(o.enforce):
            return []
        base = plain.hypotheses[0]
        checks = d.index.check(base.text, part.matches)
        if all(c.count == 1 for c in checks) or not base.attention:
            return []
        edits = self._window_edits(part, base, d)
        offsets = _piece_offsets(part.text, self.model.encode(part.text))
        if offsets is None:
            return []
        spans: list[tuple[int, int, list[str]]] = []  # (target start, end, term pieces)
        attention = base.attention[: len(base.tokens)]
        for match, check in zip(part.matches, checks, strict=True):
            if check.count == 1:
                continue
            source = [d.lead + i for i, (s, e) in enumerate(offsets) if s < match.end and match.start < e and e > s]
            taken = {j for a, b, _ in spans for j in range(a, b)}
            # What the source term contributes: the tokens of the 1-best that the sentence
            # without the term does not have; else where attention puts the source term.
            without = d.without.get((part.text, match.start, match.end), [])
            aligned = _contributed(base.tokens, without, taken) or _aligned_targets(attention, source, taken)
            if aligned is None:
                continue
            start, end = _whole_words(base.tokens, *aligned, d.target.spaced)
            if d.target.spaced:
                size = max(1, len(match.entry.target.split()))
                start, end = _narrow(base.tokens, start, end, size, attention, source)
            pieces = self._term_pieces(match.entry.target, start > 0, d)
            if not set(pieces) <= self.model.target_vocabulary:
                continue  # the model cannot write the term's pieces: masking or the n-best must do
            spans.append((start, end, pieces))
        spans.sort()
        if not spans or any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
            return edits  # no alignment, or two terms aligned to one place: edits or the n-best must do
        edited: list[str] = []
        cursor = 0
        for start, end, pieces in spans:
            edited += base.tokens[cursor:start] + pieces
            cursor = end
        forced = [*d.frame_prefix, *edited]
        whole = [*forced, *base.tokens[cursor:]]
        part.expected = fill(
            whole[len(d.frame_prefix) :], (), self.model.decode, self.model.is_target_piece, d.target.spaced
        )
        requests = []
        if "align" in o.enforce:
            # Forced up to the term and left to continue; and forced through the model's own
            # remainder (the decoder still decides where to end).
            for prefix in dict.fromkeys([tuple(forced), tuple(whole)]):
                if len(prefix) < self.max_decoding_length:
                    requests.append(_Request("align", plain.source, list(prefix), plain.drop))
            if len(whole) < self.max_decoding_length:
                requests.append(_Request("align", plain.source, whole, plain.drop, scored=True))
        if "bias" in o.enforce and o.beam_size > 1:
            suggested = whole[: self.max_decoding_length - 1]
            requests.append(
                _Request("bias", plain.source, suggested, plain.drop, options=(("prefix_bias_beta", BIAS_BETA),))
            )
        return requests + edits

    def _window_edits(self, part: _Part, base: _Hypothesis, d: _Direction) -> list[_Request]:
        """``edit`` candidates for a part with one term that a spaced target lacks: the model's
        1-best with each stretch of up to as many words as the term has replaced by the term,
        each scored by the model (``score_batch``). They keep the rest of the 1-best as it is,
        where a continuation forced through the term often does not (a tiny or a weak model
        goes on with words of its training text); attention alone can point at the wrong
        word (``community society``), the model's score of each edit picks the place."""
        if "align" not in self.options.enforce or len(part.matches) != 1 or not d.target.spaced:
            return []
        pieces = self._term_pieces(part.matches[0].entry.target, True, d)
        if not set(pieces) <= self.model.target_vocabulary:
            return []
        tokens = base.tokens
        starts = [i for i, t in enumerate(tokens) if t.startswith(SPM_SPACE)]
        if not starts or len(starts) > MAX_EDIT_WORDS:
            return []
        bounds = [*starts, len(tokens)]
        size = max(1, len(part.matches[0].entry.target.split()))
        plain = part.requests[0]
        requests = []
        for i in range(len(starts)):
            for j in range(i + 1, min(len(starts), i + size) + 1):
                end = bounds[j]
                # Punctuation after the replaced words is the sentence's, not the term's.
                while end > bounds[i] + 1 and not any(c.isalnum() for c in tokens[end - 1]):
                    end -= 1
                whole = [*d.frame_prefix, *tokens[: bounds[i]], *pieces, *tokens[end:]]
                if len(whole) < self.max_decoding_length:
                    requests.append(_Request("edit", plain.source, whole, plain.drop, scored=True))
        return requests

    def _translate_without_terms(self, parts: list[_Part], d: _Direction) -> None:
        """Translate each part once without each of its terms (leave-one-out), in one batch:
        comparing with the whole part's translation shows which target words the term
        brought. Cached per direction by (part, term span)."""
        if not {"align", "bias"} & set(self.options.enforce):
            return
        keys, requests = [], []
        for part in parts:
            for m in part.matches:
                key = (part.text, m.start, m.end)
                rest = " ".join((part.text[: m.start] + " " + part.text[m.end :]).split())
                if key in d.without or not any(c.isalnum() for c in rest):
                    continue
                source = self.model.source_tokens(self.model.encode(rest), d.src_token, d.tgt_token)
                keys.append(key)
                requests.append(_Request("plain", source, d.frame_prefix, len(d.frame_prefix)))
        self._translate_requests(requests, d)
        for key, request in zip(keys, requests, strict=True):
            d.without[key] = request.hypotheses[0].tokens if request.hypotheses else []

    def _term_pieces(self, term: str, inside: bool, d: _Direction) -> list[str]:
        """Target pieces of a term; inside a sentence of an unspaced language without the
        word-start mark sentencepiece puts first (it would insert a space)."""
        pieces = self.model.target_pieces(term)
        if inside and not d.target.spaced and pieces and pieces[0].startswith(SPM_SPACE):
            bare = pieces[0][len(SPM_SPACE) :]
            if not bare:
                pieces = pieces[1:]
            elif self.model.is_target_piece(bare):
                pieces = [bare, *pieces[1:]]
        return pieces

    def _problems(self, hyp: _Hypothesis) -> list[str]:
        problems = []
        if not hyp.finished:
            problems.append(f"cut at max_decoding_length={self.max_decoding_length}")
        if repeats(hyp.tokens):
            problems.append("degenerate repetition")
        return problems

    def _guard(self, picks: list[_Pick], d: _Direction) -> None:
        """Translate again, with repetition guards and in one batch, the picks that were cut
        off or repeat themselves; record what happened in each pick's issues."""
        if not picks:
            return
        options = self._decode_options(
            num_hypotheses=1,
            no_repeat_ngram_size=max(GUARD_NGRAM, self.options.no_repeat_ngram_size),
            repetition_penalty=max(GUARD_PENALTY, self.options.repetition_penalty),
            max_batch_size=self.options.max_batch_tokens,
            batch_type="tokens",
        )
        guard = (
            f"retried with no_repeat_ngram_size={options['no_repeat_ngram_size']}, "
            f"repetition_penalty={options['repetition_penalty']}"
        )
        try:
            results = self.ct2.translate_batch(
                [p.request.source for p in picks], target_prefix=[p.request.prefix for p in picks], **options
            )
        except (RuntimeError, ValueError) as exc:
            for pick in picks:  # the first translation stands, its problems reported
                pick.issues.append(f"{'; '.join(self._problems(pick.hyp))}: retry failed ({exc})")
            return
        for pick, result in zip(picks, results, strict=True):
            problems = self._problems(pick.hyp)
            pick.hyp = self._hypotheses(result, pick.request, d)[0]
            left = self._problems(pick.hyp)
            pick.issues.append(f"{'; '.join(problems)}: {guard}" + (f"; still {' and '.join(left)}" if left else ""))

    def _segment(self, plan: _SegmentPlan, picks: list[tuple[_Part, _Pick | None]], d: _Direction) -> Segment:
        """A segment from the picks of its parts, with the post-check of terms and anchors.
        A part the model could not translate fails the segment: its target stays empty and
        the reason is reported (a partial translation would pass for a whole one)."""
        failed = [part for part, pick in picks if pick is None]
        if failed:
            reasons = dict.fromkeys(r.error or "no hypothesis" for part in failed for r in part.requests)
            error = f"not translated ({len(failed)} of {len(picks)} parts): {'; '.join(reasons)}"
            return Segment(plan.index, plan.line, plan.source, "", "none", 0.0, issues=list(plan.issues), error=error)
        terms: list[TermCheck] = []
        anchors: list[AnchorCheck] = []
        issues = list(plan.issues)
        done = [(part, pick) for part, pick in picks if pick is not None]
        for part, pick in done:
            if d.index is not None:
                terms.extend(d.index.check(pick.hyp.text, part.matches))
            anchors.extend(_check_anchors(pick.hyp.text, part.anchors))
            issues.extend(part.notes + pick.issues)
        targets = [pick.hyp.text for _, pick in done if pick.hyp.text]
        joiner = " " if d.target.spaced or len(targets) > 1 else ""
        strategy = next((p.strategy for _, p in done if p.strategy != "model"), "model")
        score = sum(p.hyp.score for _, p in done) / len(done)
        target = joiner.join(targets)
        segment = Segment(plan.index, plan.line, plan.source, target, strategy, score, terms, anchors, issues)
        segment.forbidden = _forbidden_in(target, d)
        return segment


def _piece_offsets(text: str, pieces: Sequence[str]) -> list[tuple[int, int]] | None:
    """The character span of each piece in ``text``; ``None`` where sentencepiece's
    normalization changed the text (pieces then do not map to characters)."""
    if "".join(pieces).replace(SPM_SPACE, " ").strip() != text.strip():
        return None
    spans, at = [], len(text) - len(text.lstrip())
    for i, piece in enumerate(pieces):
        size = len(piece.replace(SPM_SPACE, " ")) - (1 if i == 0 and piece.startswith(SPM_SPACE) else 0)
        spans.append((at, at + size))
        at += size
    return spans


def _contributed(tokens: Sequence[str], without: Sequence[str], taken: set[int]) -> tuple[int, int] | None:
    """The one stretch of ``tokens`` that ``without`` (the translation with a term left out)
    lacks: what the term contributed. ``None`` when there is no such single stretch."""
    if not without:
        return None
    matcher = difflib.SequenceMatcher(a=list(tokens), b=list(without), autojunk=False)
    stretches = [(i1, i2) for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("replace", "delete") and i2 > i1]
    stretches = [s for s in stretches if not taken & set(range(*s))]
    if len(stretches) != 1:
        return None
    start, end = stretches[0]
    # Punctuation is the sentence's, not the term's.
    while start < end and not any(c.isalnum() for c in tokens[start]):
        start += 1
    while end > start and not any(c.isalnum() for c in tokens[end - 1]):
        end -= 1
    words = sum(t.startswith(SPM_SPACE) for t in tokens)
    if start == end or (words > 1 and sum(t.startswith(SPM_SPACE) for t in tokens[start:end]) == words):
        return None  # nothing, or every word: the comparison says nothing about this term
    return start, end


def _aligned_targets(
    attention: Sequence[Sequence[float]],
    source: Sequence[int],
    taken: set[int] = frozenset(),  # type: ignore[assignment]
) -> tuple[int, int] | None:
    """The target tokens a source span aligns to: those whose strongest attention falls in
    it (first to last), else the one token that attends to it most; tokens already given
    to another term are not considered."""
    if not source:
        return None
    inside = set(source)
    free = [j for j in range(len(attention)) if j not in taken and attention[j]]
    aligned = [j for j in free if max(range(len(attention[j])), key=attention[j].__getitem__) in inside]
    if aligned:
        return aligned[0], aligned[-1] + 1
    mass = {j: sum(attention[j][i] for i in source if i < len(attention[j])) for j in free}
    if not mass or max(mass.values()) <= 0:
        return None
    j = max(mass, key=mass.__getitem__)
    return j, j + 1


def _whole_words(tokens: Sequence[str], start: int, end: int, spaced: bool) -> tuple[int, int]:
    """Widen a token span to whole words (a spaced target's words start with ``▁``)."""
    if spaced:
        while start > 0 and not tokens[start].startswith(SPM_SPACE):
            start -= 1
        while end < len(tokens) and not tokens[end].startswith(SPM_SPACE) and any(c.isalnum() for c in tokens[end]):
            end += 1
    return start, end


def _narrow(
    tokens: Sequence[str], start: int, end: int, words: int, attention: Sequence[Sequence[float]], source: Sequence[int]
) -> tuple[int, int]:
    """Of a stretch of whole words aligned to a source term, the ``words`` consecutive words
    that attend most to it: a term takes the place of as many words as it has (an aligned
    ``telecommunications infrastructure`` gives ``infrastructure`` to a one-word term)."""
    starts = [i for i in range(start, end) if tokens[i].startswith(SPM_SPACE) or i == start]
    if len(starts) <= words:
        return start, end
    bounds = [*starts, end]

    def mass(i: int) -> float:
        rows = attention[bounds[i] : bounds[i + words]]
        return sum(row[k] for row in rows for k in source if k < len(row))

    best = max(range(len(starts) - words + 1), key=mass)
    return bounds[best], bounds[best + words]


def _closeness(text: str, unaided: str) -> float:
    """chrF of a candidate against the model's unaided 1-best: how much of the rest of the
    translation enforcement left intact."""
    return _CHRF.sentence_score(text, [unaided]).score if unaided else 0.0


def _forbidden_in(text: str, d: _Direction) -> list[str]:
    """The forbidden target terms that occur in ``text`` (as whole words)."""
    if not d.forbidden:
        return []
    key = d.target.key(text)
    return [f for f in d.forbidden if occurrences(key, d.target.key(f), d.target)]


def _piece_cut(text: str, pieces: Sequence[str], free: Callable[[int], bool]) -> int | None:
    """An offset of ``text`` between two of its ``pieces``, nearest the middle, outside a
    protected span where possible, never before a combining mark; ``None`` for one piece."""
    offsets, at = [], 0
    for piece in pieces[:-1]:
        at += len(piece.replace(SPM_SPACE, " ")) - (1 if at == 0 and piece.startswith(SPM_SPACE) else 0)
        offsets.append(at)
    # spm normalization may have changed the text: then pieces do not map to offsets, and
    # characters are counted instead.
    if "".join(pieces).replace(SPM_SPACE, " ").strip() != text.strip():
        offsets = list(range(1, len(text)))
    offsets = [i for i in offsets if 0 < i < len(text) and not is_mark(text[i])]
    if not offsets:
        return None
    middle = len(text) / 2
    return min(offsets, key=lambda i: (not free(i), abs(i - middle)))


def _is_whole(text: str, match: TermMatch) -> bool:
    """The part consists of the term and punctuation only."""
    rest = text[: match.start] + text[match.end :]
    return not any(c.isalnum() for c in rest)


def _check_anchors(text: str, anchors: Sequence[str]) -> list[AnchorCheck]:
    folded = ascii_digits(text)
    checks = []
    for anchor in anchors:
        expected = ascii_digits(anchor)
        checks.append(AnchorCheck(anchor, expected, expected in folded))
    return checks


def repeats(tokens: Sequence[str], max_unigram: int = 4, max_ngram: int = 3, longest: int = 6) -> bool:
    """Degenerate repetition: one token ``max_unigram`` times in a row, or an n-gram
    (2 ≤ n ≤ ``longest``) ``max_ngram`` times in a row."""
    tokens = list(tokens)
    run = 1
    for a, b in itertools.pairwise(tokens):
        run = run + 1 if a == b else 1
        if run >= max_unigram:
            return True
    for n in range(2, longest + 1):
        for start in range(len(tokens) - n * max_ngram + 1):
            gram = tokens[start : start + n]
            if all(tokens[start + k * n : start + (k + 1) * n] == gram for k in range(1, max_ngram)):
                return True
    return False
