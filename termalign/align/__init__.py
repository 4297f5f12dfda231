"""Align: concept proposals across km, th, vi and en, each with the evidence for it.

Signals (each stored as evidence with its own score):

* **lexicon / compositional** — a term covered by known pairs (base glossary, approved
  concepts, user lexicons) word by word; terms whose English readings coincide (as an
  order-free bag of stems) belong to one concept, whatever their language;
* **cognate** — Khmer–Thai consonant skeletons that coincide (Pali/Sanskrit and English loans);
* **anchor** — the same Latin-script anchor (acronym, name) in several languages;
* **distributional** — Khmer and Thai terms whose contexts, projected into English through
  the lexicon, are mutually most similar (only for terms seen often enough);
* **mt** — with a translation model configured, each term's English translation joins
  the readings (and is kept as an MT suggestion for reviewers).

Clusters are built with union–find over these links; a cluster becomes a proposal only
when at least one signal supports it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from termalign import lang as languages
from termalign.align.attest import Attestation, Proposal
from termalign.align.calibrate import Calibration, calibrate, decisions, fit
from termalign.align.cognates import link_cognates
from termalign.align.distributional import context_vectors, mutual_best_pairs
from termalign.align.documents import DocumentLinks, document_links
from termalign.align.glosses import link_glosses
from termalign.errors import TermalignError
from termalign.extract.ngrams import SHORT_FORM_RE
from termalign.lexicon import build_lexicon
from termalign.lexicon.compose import Hypothesis, compose, compose_from_english, known_cover
from termalign.lexicon.english import english_bag
from termalign.store import StoreLike, TermStore, as_store
from termalign.store.concepts import Concept, Context, Evidence, Term
from termalign.store.concepts import Suggestion as MTSuggestion
from termalign.store.settings import REJECTIONS_NEEDED
from termalign.store.suggestions import TermSuggestion

DEFAULT_PER_LANGUAGE = 400
LATIN_RE = re.compile(r"[A-Za-z]")
_SHORT_FORM = re.compile(SHORT_FORM_RE)
#: How far below the pool a multi-word candidate fully read by known words is still aligned.
EXTENDED_POOL = 10
#: The strength of each signal, the evidence score before scaling by similarity. A curated
#: glossary entry or a shared Latin anchor is near-certain; a reading composed from known
#: words is strong; a cognate is strong when its skeletons match that closely; a loanword
#: guess and an MT reading (small models, short terms) are weaker; a distributional match
#: on comparable (not parallel) news is the weakest.
LEXICON_SCORE = 0.9
ANCHOR_SCORE = 0.9
COMPOSITIONAL_SCORE = 0.8
COGNATE_SCORE = 0.8
LOANWORD_SCORE = 0.6
MT_SCORE = 0.6
DISTRIBUTIONAL_SCORE = 0.5
#: A reading through a word pair induced from parallel text (general words; of 40 pairs read
#: by hand, about 6 were off by sense or inflection): as weak as a loanword guess, below a
#: curated glossary's reading, so that it links terms rather than vouches for them.
INDUCED_SCORE = 0.6
#: The text itself says the two are one (a parenthesis, "or" after a term): above any
#: inferred signal.
GLOSS_SCORE = 0.95
#: Score factor of a proposal whose evidence stays inside one language (an English term
#: that reads itself) against one that links languages.
ONE_LANGUAGE_AGREEMENT = 0.7
#: Rank of the best member at which the score halves: lower-ranked candidates are less
#: term-like, so their proposals come later in review.
RANK_HALF = 200
SCORES = {
    "lexicon": LEXICON_SCORE, "compositional": COMPOSITIONAL_SCORE, "loanword": LOANWORD_SCORE,
    "cognate": COGNATE_SCORE, "anchor": ANCHOR_SCORE, "distributional": DISTRIBUTIONAL_SCORE,
    "mt": MT_SCORE, "gloss": GLOSS_SCORE, "induced": INDUCED_SCORE,
}


def latin_name(kind: str, text: str) -> bool:
    """Whether a candidate is written the same in any language's text: a Latin-script anchor
    in Khmer or Thai text, or a short form (acronym, mixed-case or e- name: NSSF, VssID,
    e-GP) in any language's."""
    return kind == "anchor" or bool(_SHORT_FORM.match(text))


@dataclass(frozen=True)
class Node:
    lang: str
    key: str
    text: str
    kind: str
    termhood: float
    rank: int


@dataclass
class AlignReport:
    proposals: int = 0
    attested_terms: int = 0
    suggestions: int = 0
    suggestions_by_origin: dict[str, int] = field(default_factory=dict)
    by_signal: dict[str, int] = field(default_factory=dict)
    lexicon_entries: int = 0
    #: Articles of two languages found to tell the same story: (path, language, path,
    #: language, similarity).
    linked_documents: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    #: Aligner proposals reviewers have approved or rejected, and approved; the scores are
    #: refit on them (``calibrated``) once there are :data:`termalign.align.calibrate.MIN_DECISIONS`.
    decisions: int = 0
    approved: int = 0
    calibrated: bool = False


class _UnionFind:
    """Clusters of nodes. ``refused`` are groups of (lang, key) a reviewer rejected as one
    concept: a union that would put two members of one group in one cluster is not made
    (the link is dropped, both terms stay proposable with others)."""

    def __init__(self, refused: Sequence[frozenset[tuple[str, str]]] = ()) -> None:
        self.parent: dict[Node, Node] = {}
        # (lang, key) → the indices of the refused groups it belongs to
        self.refused_in: dict[tuple[str, str], set[int]] = defaultdict(set)
        for i, group in enumerate(refused):
            for k in group:
                self.refused_in[k].add(i)
        # root → {refused group index → the (lang, key) of that group in the cluster}
        self.groups: dict[Node, dict[int, set[tuple[str, str]]]] = {}
        self.refusals = 0

    def find(self, x: Node) -> Node:
        if x not in self.parent:
            self.parent[x] = x
            mine = self.refused_in.get((x.lang, x.key))
            if mine:
                self.groups[x] = {i: {(x.lang, x.key)} for i in mine}
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ga, gb = self.groups.get(ra, {}), self.groups.get(rb, {})
        if any(i in gb and len(keys | gb[i]) > 1 for i, keys in ga.items()):
            self.refusals += 1
            return
        # The smaller key becomes the root: clusters do not depend on input order.
        if (rb.lang, rb.key) < (ra.lang, ra.key):
            ra, rb = rb, ra
        self.parent[rb] = ra
        merged = self.groups.pop(ra, {})
        for i, keys in self.groups.pop(rb, {}).items():
            merged.setdefault(i, set()).update(keys)
        if merged:
            self.groups[ra] = merged


def rejections_needed(store: TermStore) -> int:
    """The team setting: how many different reviewers must reject a pairing (or a single
    term) before runs keep it out (1: one reviewer's rejection applies to all)."""
    value = store.team_setting(REJECTIONS_NEEDED)
    assert isinstance(value, int)
    return value


def load_nodes(conn: StoreLike, per_language: int, lexicon=None) -> list[Node]:
    """The best ``per_language`` candidates of each language that no reviewer has decided
    on yet, and — with a ``lexicon`` — lower-ranked multi-word candidates that known words
    read entirely (being readable is itself evidence of termhood)."""
    store = as_store(conn)
    decided = store.decided_term_keys(rejections_needed(store))
    rows = store.alignable_candidates(per_language * (EXTENDED_POOL if lexicon is not None else 1))
    # A one-word name written the same in the articles of two languages (an acronym, a
    # Latin name in Khmer text) is evidence of itself, whatever its rank in either.
    written_in: dict[str, set[str]] = defaultdict(set)
    for lang, key, text, kind, *_ in rows:
        if latin_name(kind, text) and " " not in key.strip():
            written_in[key.casefold()].add(lang)
    nodes = []
    for lang, key, text, kind, termhood, rank, n_words in rows:
        if (lang, key) in decided:
            continue
        shared = latin_name(kind, text) and len(written_in.get(key.casefold(), ())) > 1
        if rank > per_language and not shared:
            # known_cover first: most have no loan-free curated reading, told without a
            # segmenter (and the reading asked for below is curated and loan-free).
            if kind == "anchor" or n_words < 2 or not known_cover(lexicon, lang, key, curated=True):
                continue
            readings = compose(lexicon, lang, key)
            if not readings or readings[0].loans or not any(h.curated for h in readings):
                continue
        nodes.append(Node(lang, key, text, kind, termhood, rank))
    return nodes


def _signal_of(h: Hypothesis) -> str:
    if h.sources == ["mt"]:
        return "mt"
    if h.loans:
        return "loanword"
    if not h.curated:
        return "induced"
    return "lexicon" if len([p for p in h.pieces if p[1]]) == 1 else "compositional"


def propose(
    nodes: list[Node], lexicon, contexts: dict | None = None, mt: dict[Node, str] | None = None, model: str = "mt",
    attestation: Attestation | None = None, refused: Sequence[frozenset[tuple[str, str]]] = (),
    documents: DocumentLinks | None = None,
) -> list[Proposal]:
    """Concept proposals from candidate nodes (pure: no store; ``documents`` gets the known
    terms' readings as features and is linked here). ``contexts`` maps nodes to
    English-projected context vectors (see :mod:`termalign.align.distributional`); ``mt``
    maps nodes to their machine translation into English by ``model``; ``attestation``
    says which composed readings the corpus attests (without one, none is: they are all
    suggestions); ``refused``: (lang, key) groups reviewers rejected as one concept, no two
    of whose terms are proposed together; ``documents``: the store's articles (see
    :mod:`termalign.align.documents`), named in the evidence of the cognate and context links
    they hold; context links are not made between terms the articles keep apart."""
    uf = _UnionFind(refused)
    evidence: dict[Node, list[Evidence]] = defaultdict(list)
    hyps: dict[Node, list[Hypothesis]] = {}
    by_bag: dict[str, list[Node]] = defaultdict(list)
    by_anchor: dict[str, list[Node]] = defaultdict(list)

    for node in nodes:
        uf.find(node)
        if node.kind == "anchor":
            by_anchor[node.key.casefold()].append(node)
            if " " in node.key.strip():
                # A Latin name written in a km/th/vi text (Digital Government) is one concept
                # with every English term whose key agrees up to case and inflection.
                by_bag[english_bag(node.text)].append(node)
            continue
        if latin_name(node.kind, node.text):
            by_anchor[node.key.casefold()].append(node)
        hyps[node] = compose(lexicon, node.lang, node.key)
        translation = (mt or {}).get(node)
        if translation and english_bag(translation) not in {h.bag for h in hyps[node]}:
            hyps[node].append(
                Hypothesis(translation, english_bag(translation), None, ((node.text, translation, "mt"),))
            )
        for h in hyps[node]:
            by_bag[h.bag].append(node)
            if h.sources == ["identity"]:
                # An English term reads itself: evidence only when a glossary knows it whole,
                # or knows each of its words (then the other languages are composed).
                if h.bag in lexicon.concepts:
                    sources = sorted({src for pairs in lexicon.concepts[h.bag].values() for _, src in pairs})
                    known = {"term": node.text, "glossary": sources}
                    evidence[node].append(Evidence("lexicon", SCORES["lexicon"], languages.PIVOT, None, known))
                else:
                    composed = {c: t for c in languages.NON_PIVOT if (t := compose_from_english(lexicon, node.text, c))}
                    if composed:
                        built = {"term": node.text, "composed": composed}
                        evidence[node].append(
                            Evidence("compositional", SCORES["compositional"], languages.PIVOT, None, built)
                        )
                continue
            signal = _signal_of(h)
            pieces = [list(p) for p in h.pieces if p[1] or p[2] != "function word"]
            detail = {"term": node.text, "gloss": h.en, "pieces": pieces}
            if signal == "mt":
                detail["model"] = model
            evidence[node].append(Evidence(signal, SCORES[signal], node.lang, languages.PIVOT, detail))

    if documents is not None:
        for node, readings in hyps.items():
            for bag in {h.bag for h in readings if h.curated or h.sources == ["identity"]}:
                documents.add_reading(node, bag)
        documents.link()

    for _bag, members in sorted(by_bag.items()):
        for other in members[1:]:
            uf.union(members[0], other)

    for _key, members in sorted(by_anchor.items()):
        if len({m.lang for m in members}) > 1:
            for m in members:
                shared_name = {"anchor": m.text, "languages": sorted({x.lang for x in members})}
                evidence[m].append(Evidence("anchor", SCORES["anchor"], m.lang, None, shared_name))
            for other in members[1:]:
                uf.union(members[0], other)

    if attestation is not None and attestation.raw:
        gloss_nodes = link_glosses(nodes, attestation.raw, uf.union, evidence, SCORES["gloss"])
        nodes = [*nodes, *gloss_nodes]
    # Cognates speak where no curated list reads a term: a pair a glossary reads is not
    # re-linked, but an uncurated reading (general word pairs) does not silence the strongest
    # km–th signal.
    unread = [n for n in nodes if not any(h.curated for h in hyps.get(n, []))]
    # Cognate letters speak for themselves: linked articles are named, not required (a
    # comparable article need not use every term of its counterpart). Contexts are weak on
    # a few dozen articles, and alike across articles of one theme: they link only terms
    # that the articles do not keep apart.
    where = documents.detail if documents is not None else None
    link_cognates(unread, uf.union, evidence, where)
    if contexts:
        allowed = (lambda a, b: not documents.apart(a, b)) if documents is not None else None
        _distributional(unread, contexts, uf, evidence, allowed, where)

    clusters: dict[Node, list[Node]] = defaultdict(list)
    for node in nodes:
        clusters[uf.find(node)].append(node)
    concepts = []
    for members in clusters.values():
        concept = _to_concept(members, hyps, evidence, lexicon, attestation, model)
        if concept is not None and refused:
            concept = _without_refused_fills(concept, members, refused)
        if concept is not None:
            concepts.append(concept)
    concepts.sort(key=lambda c: (-c.score, [(t.lang, t.key) for t in c.terms]))
    return concepts


def _without_refused_fills(
    concept: Proposal, members: list[Node], refused: Sequence[frozenset[tuple[str, str]]]
) -> Proposal | None:
    """The proposal without the terms and suggestions filled in from a glossary or a
    reading that a reviewer refused beside one of its members (the union-find keeps refused
    members apart; a fill must not bring the pairing back)."""
    mine = {(m.lang, m.key) for m in members}
    banned = {k for group in refused if group & mine for k in group} - mine
    if not banned:
        return concept
    concept.terms = [t for t in concept.terms if (t.lang, t.key) not in banned]
    concept.suggestions = [s for s in concept.suggestions if (s.lang, s.key) not in banned]
    return concept if concept.terms and len(concept.terms) + len(concept.suggestions) >= 2 else None


def _distributional(
    unread: list[Node], contexts: dict, uf: _UnionFind, evidence: dict[Node, list[Evidence]],
    allowed=None, documents=None,
) -> None:
    """Link unread Khmer and Thai terms whose projected contexts are mutually most similar
    (the languages of a script of their own, which the lexicon reads least), among the
    pairs ``allowed`` permits; ``documents`` names a pair's linked articles."""
    vectors = {n: contexts[n] for n in unread if n in contexts and n.kind != "anchor"}
    for lang_a, lang_b in languages.COGNATE_PAIRS:
        for sim, a, b in mutual_best_pairs(vectors, lang_a, lang_b, allowed):
            if uf.find(a) == uf.find(b):
                continue
            detail: dict = {lang_a: a.text, lang_b: b.text, "cosine": round(sim, 3)}
            if documents is not None and (paths := documents(a, b)):
                detail["documents"] = paths
            evidence[a].append(
                Evidence("distributional", round(SCORES["distributional"] * sim, 4), lang_a, lang_b, detail)
            )
            uf.union(a, b)


def _to_concept(
    members: list[Node], hyps: dict[Node, list[Hypothesis]], evidence: dict[Node, list[Evidence]], lexicon,
    attestation: Attestation | None = None, model: str = "mt",
) -> Proposal | None:
    found = [e for m in members for e in evidence[m]]
    if not found:
        return None
    langs = {m.lang for m in members}
    if len(langs) == 1 and all(e.signal == "induced" for e in found):
        # General words read through induced pairs link terms of two languages; alone they
        # are no proposal (every common word of the corpus would be one).
        return None
    terms: list[Term] = []
    for code in languages.CODES:
        mine = sorted((m for m in members if m.lang == code), key=lambda m: (m.rank, m.key))
        for i, m in enumerate(mine):
            source = f"gloss:{m.kind.split(':')[1]}" if m.kind.startswith("gloss:") else "corpus"
            terms.append(Term(code, m.text, "preferred" if i == 0 else "admitted", source=source))
    # Languages the corpus lacks (km th vi en) are filled from the reading most members share
    # (it is what holds the cluster together), taken from the best-ranked member.
    ranked = sorted(members, key=lambda m: (m.rank, m.lang, m.key))
    shared = Counter(h.bag for m in ranked for h in hyps.get(m, []))
    best = None
    if shared:

        def reader_rank(bag: str) -> int:
            # the rank of the best-ranked member that reads this bag
            return min(m.rank for m in ranked if any(h.bag == bag for h in hyps.get(m, [])))

        top_bag = max(shared, key=lambda bag: (shared[bag], -reader_rank(bag)))
        best = next(h for m in ranked for h in hyps.get(m, []) if h.bag == top_bag)
    suggestions: list[TermSuggestion] = []

    def fill(code: str, text: str, origin: str, detail: dict) -> None:
        # An attested reading is a term (it is in the corpus of its language); any other
        # is a suggestion with its origin, never a term until a reviewer accepts it.
        if attestation is not None and attestation.attested(code, text):
            terms.append(Term(code, text, "preferred", source="corpus"))
        else:
            suggestions.append(TermSuggestion(code, text, origin, detail))

    if best is not None:
        # A glossary that knows the whole concept gives its terms (a shipped source names
        # them: attested); else the composition, as a suggestion unless the corpus has it.
        known = lexicon.concepts.get(best.bag, {})
        for code in languages.CODES:
            if code not in langs and known.get(code):
                # No Latin string in a slot of a non-Latin script unless its text writes it.
                latin_script = languages.get(code).script == "latin"
                native = [(t, src) for t, src in known[code] if latin_script or not LATIN_RE.search(t)]
                if native:
                    text, source = native[0]
                    terms.append(Term(code, text, "preferred", source=source))
        filled = {t.lang for t in terms}
        origin = f"mt:{model}" if best.sources == ["mt"] else "compositional"
        detail = {"from": best.en, "pieces": [list(p) for p in best.pieces if p[1]]}
        if languages.PIVOT in langs:
            for code in languages.NON_PIVOT:
                if code not in filled and (text := compose_from_english(lexicon, best.en, code)):
                    fill(code, text, "compositional", {"from": best.en})
                    filled.add(code)
        if languages.PIVOT not in filled and not best.en.startswith("concept#"):
            fill(languages.PIVOT, best.en, origin, detail)
            filled.add(languages.PIVOT)
        if languages.GLOSS not in filled and best.vi:
            fill(languages.GLOSS, best.vi, "compositional", detail)
        terms.sort(key=lambda t: languages.CODES.index(t.lang))
    if not terms or len(terms) + len(suggestions) < 2:
        return None
    # Noisy-or of the strongest evidence of each signal, scaled by how term-like the best member is.
    # An abbreviation the text writes in its own letters (กระทรวงการต่างประเทศ (กต.)) says two
    # terms of one language are one, nothing of a proposal's links across languages: it
    # counts only where the proposal has one language. (A Latin acronym glossing a term is
    # evidence across scripts and counts.)
    strongest: dict[str, float] = {}
    for e in found:
        if len(langs) > 1 and e.detail.get("abbreviation"):
            continue
        strongest[e.signal] = max(strongest.get(e.signal, 0.0), e.score)
    miss = 1.0
    for s in strongest.values():
        miss *= 1 - s
    agreement = 1.0 if len(langs) > 1 else ONE_LANGUAGE_AGREEMENT
    best_rank = min(m.rank for m in members)
    score = round((1 - miss) * agreement * (1 / (1 + best_rank / RANK_HALF)), 4)
    unique = {(e.signal, e.lang_a, e.lang_b, str(sorted(e.detail.items()))): e for e in found}
    return Proposal(terms=terms, score=score, origin="align", evidence=list(unique.values()), suggestions=suggestions)


def attach_contexts(conn: StoreLike, concepts: Sequence[Concept], per_term: int = 1) -> None:
    """Give each corpus term the sentence it first occurs in, with its document as source."""
    store = as_store(conn)
    for concept in concepts:
        for term in concept.terms:
            if term.source != "corpus":
                continue
            rows = store.first_contexts(term.lang, term.key, per_term)
            term.contexts = [Context(text, Path(path.split("#")[0]).name) for text, path in rows]


def mt_readings(translator, nodes: list[Node]) -> dict[Node, str]:
    """English machine translations of the non-English terms a model covers."""
    readings: dict[Node, str] = {}
    for code in languages.NON_PIVOT:
        mine = [n for n in nodes if n.lang == code and n.kind != "anchor"]
        if not mine:
            continue
        try:
            segments = translator.translate_sentences([n.text for n in mine], code, languages.PIVOT)
        except TermalignError:
            continue  # the model does not translate this language
        # translate_sentences returns one segment per string, in order.
        readings.update({n: seg.target.strip() for n, seg in zip(mine, segments, strict=True) if seg.target.strip()})
    return readings


def align(
    conn: StoreLike,
    *,
    per_language: int = DEFAULT_PER_LANGUAGE,
    lexicons: list[Path] | None = None,
    translator=None,
    lexicon=None,
) -> AlignReport:
    """Replace the untouched aligner proposals with fresh ones (one transaction).

    ``translator`` (a :class:`termalign.translate.Translator`) adds the MT signal and
    stores each term's translation as an MT suggestion. ``lexicon`` is one already built
    (with ``lexicons``) by the caller, as ``termalign build`` does for extraction too.
    """
    if lexicon is None:
        lexicon = build_lexicon(conn, lexicons)
    nodes = load_nodes(conn, per_language, lexicon)
    mt = mt_readings(translator, nodes) if translator is not None else {}
    model = translator.model.name if translator is not None else "mt"
    store = as_store(conn)
    documents = document_links(conn, per_language * EXTENDED_POOL)
    concepts = propose(
        nodes, lexicon, context_vectors(conn, lexicon, nodes), mt, model, Attestation.of_store(conn),
        store.rejected_groups(rejections_needed(store)), documents,
    )
    attach_contexts(conn, concepts)
    report = AlignReport(proposals=len(concepts), lexicon_entries=lexicon.size())
    decided = decisions(store)
    calibration: Calibration | None = fit(decided)
    report.decisions, report.approved = len(decided), sum(ok for _, ok in decided)
    report.linked_documents = [
        (documents.paths.get(a[0], str(a[0])), a[1], documents.paths.get(b[0], str(b[0])), b[1], similarity)
        for (a, b), similarity in sorted(documents.pairs.items())
    ]
    for c in concepts:
        for signal in {e.signal for e in c.evidence}:
            report.by_signal[signal] = report.by_signal.get(signal, 0) + 1
        report.attested_terms += len(c.terms)
        report.suggestions += len(c.suggestions)
        for sug in c.suggestions:
            origin = sug.origin.split(":")[0]
            report.suggestions_by_origin[origin] = report.suggestions_by_origin.get(origin, 0) + 1
    if calibration is not None:
        calibrate(concepts, calibration)
        concepts.sort(key=lambda c: -c.score)  # stable: the rule's order among equal scores
        report.calibrated = True
    by_key = {(n.lang, n.key): n for n in mt}
    store.replace_proposals(
        (
            (
                concept,
                [
                    MTSuggestion(t.lang, languages.PIVOT, t.text, mt[by_key[(t.lang, t.key)]], None, model)
                    for t in concept.terms
                    if (t.lang, t.key) in by_key
                ],
                concept.suggestions,
            )
            for concept in concepts
        ),
    )
    return report


__all__ = ["AlignReport", "Node", "Proposal", "align", "propose"]
