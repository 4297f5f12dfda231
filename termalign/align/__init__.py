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

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from termalign import lang as languages
from termalign.align.distributional import context_vectors, mutual_best_pairs
from termalign.errors import TermalignError
from termalign.lexicon import build_lexicon
from termalign.lexicon.compose import Hypothesis, compose, compose_from_english
from termalign.lexicon.english import english_bag
from termalign.lexicon.translit import SKELETONS, similarity
from termalign.store.concepts import Concept, Context, Evidence, Term, insert_concept
from termalign.store.db import transaction

DEFAULT_PER_LANGUAGE = 400
#: Proposals a new run replaces: the aligner's own, which no reviewer has touched (every
#: review action — a decision, an edit, a note — raises the version). The terms of every
#: other concept are taken and not proposed again.
REPLACEABLE = "origin = 'align' AND status = 'unreviewed' AND version = 1"
#: How far below the pool a multi-word candidate fully read by known words is still aligned.
EXTENDED_POOL = 10
COGNATE_THRESHOLD = 0.8
SCORES = {
    "lexicon": 0.9, "compositional": 0.8, "loanword": 0.6, "cognate": 0.8, "anchor": 0.9, "distributional": 0.5, "mt": 0.6,
}


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
    by_signal: dict[str, int] = field(default_factory=dict)
    lexicon_entries: int = 0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, x: Node) -> Node:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root: clusters do not depend on input order.
            if (rb.lang, rb.key) < (ra.lang, ra.key):
                ra, rb = rb, ra
            self.parent[rb] = ra


def load_nodes(conn: sqlite3.Connection, per_language: int, lexicon=None) -> list[Node]:
    """The best ``per_language`` candidates of each language that no reviewer has decided
    on yet, and — with a ``lexicon`` — lower-ranked multi-word candidates that known words
    read entirely (being readable is itself evidence of termhood)."""
    decided = {
        (r[0], r[1])
        for r in conn.execute(
            f"SELECT lang, key FROM terms WHERE concept_id NOT IN (SELECT id FROM concepts WHERE {REPLACEABLE})"
        )
    }
    rows = conn.execute(
        "SELECT lang, key, text, kind, termhood, rank, n_words FROM candidates WHERE rank <= ? ORDER BY lang, rank",
        (per_language * (EXTENDED_POOL if lexicon is not None else 1),),
    ).fetchall()
    nodes = []
    for lang, key, text, kind, termhood, rank, n_words in rows:
        if (lang, key) in decided:
            continue
        if rank > per_language:
            if kind == "anchor" or n_words < 2:
                continue
            readings = compose(lexicon, lang, key)
            if not readings or readings[0].loans:
                continue
        nodes.append(Node(lang, key, text, kind, termhood, rank))
    return nodes


def _signal_of(h: Hypothesis) -> str:
    if h.sources == ["mt"]:
        return "mt"
    if h.loans:
        return "loanword"
    return "lexicon" if len([p for p in h.pieces if p[1]]) == 1 else "compositional"


def propose(
    nodes: list[Node], lexicon, contexts: dict | None = None, mt: dict[Node, str] | None = None, model: str = "mt"
) -> list[Concept]:
    """Concept proposals from candidate nodes (pure: no store). ``contexts`` maps nodes to
    English-projected context vectors (see :mod:`termalign.align.distributional`); ``mt``
    maps nodes to their machine translation into English by ``model``."""
    uf = _UnionFind()
    evidence: dict[Node, list[Evidence]] = defaultdict(list)
    hyps: dict[Node, list[Hypothesis]] = {}
    by_bag: dict[str, list[Node]] = defaultdict(list)
    by_anchor: dict[str, list[Node]] = defaultdict(list)

    for node in nodes:
        uf.find(node)
        if node.kind == "anchor":
            by_anchor[node.key.casefold()].append(node)
            continue
        hyps[node] = compose(lexicon, node.lang, node.key)
        translation = (mt or {}).get(node)
        if translation and english_bag(translation) not in {h.bag for h in hyps[node]}:
            hyps[node].append(Hypothesis(translation, english_bag(translation), None, ((node.text, translation, "mt"),)))
        for h in hyps[node]:
            by_bag[h.bag].append(node)
            if h.sources == ["identity"]:
                # An English term reads itself: evidence only when a glossary knows it whole,
                # or knows each of its words (then the other languages are composed).
                if h.bag in lexicon.concepts:
                    sources = sorted({src for pairs in lexicon.concepts[h.bag].values() for _, src in pairs})
                    evidence[node].append(Evidence("lexicon", SCORES["lexicon"], "en", None, {"term": node.text, "glossary": sources}))
                else:
                    composed = {c: t for c in ("km", "th", "vi") if (t := compose_from_english(lexicon, node.text, c))}
                    if composed:
                        evidence[node].append(
                            Evidence("compositional", SCORES["compositional"], "en", None, {"term": node.text, "composed": composed})
                        )
                continue
            signal = _signal_of(h)
            detail = {"term": node.text, "gloss": h.en, "pieces": [list(p) for p in h.pieces if p[1] or p[2] != "function word"]}
            if signal == "mt":
                detail["model"] = model
            evidence[node].append(Evidence(signal, SCORES[signal], node.lang, "en", detail))

    for bag, members in sorted(by_bag.items()):
        for other in members[1:]:
            uf.union(members[0], other)

    for key, members in sorted(by_anchor.items()):
        if len({m.lang for m in members}) > 1:
            for m in members:
                evidence[m].append(Evidence("anchor", SCORES["anchor"], m.lang, None, {"anchor": m.text, "languages": sorted({x.lang for x in members})}))
            for other in members[1:]:
                uf.union(members[0], other)

    # Cognates speak where the lexicon is silent: a pair the lexicon reads is not re-linked.
    unread = [n for n in nodes if not hyps.get(n)]
    _cognates(unread, uf, evidence)
    if contexts:
        _distributional(unread, contexts, uf, evidence)

    clusters: dict[Node, list[Node]] = defaultdict(list)
    for node in nodes:
        clusters[uf.find(node)].append(node)
    concepts = []
    for members in clusters.values():
        concept = _to_concept(members, hyps, evidence, lexicon)
        if concept is not None:
            concepts.append(concept)
    concepts.sort(key=lambda c: (-c.score, [(t.lang, t.key) for t in c.terms]))
    return concepts


def _cognates(unread: list[Node], uf: _UnionFind, evidence: dict[Node, list[Evidence]]) -> None:
    """Mutual best Khmer–Thai skeleton matches between terms the lexicon cannot read."""
    km = [(n, SKELETONS["km"](n.key)) for n in unread if n.lang == "km" and n.kind != "anchor"]
    th = [(n, SKELETONS["th"](n.key)) for n in unread if n.lang == "th" and n.kind != "anchor"]
    km = [(n, s) for n, s in km if len(s) >= 4]
    th = [(n, s) for n, s in th if len(s) >= 4]
    best_km: dict[Node, tuple[float, Node]] = {}
    best_th: dict[Node, tuple[float, Node]] = {}
    for a, sa in km:
        for b, sb in th:
            if abs(len(sa) - len(sb)) > 2:
                continue
            sim = similarity(sa, sb)
            if sim >= COGNATE_THRESHOLD:
                if sim > best_km.get(a, (0.0, None))[0]:
                    best_km[a] = (sim, b)
                if sim > best_th.get(b, (0.0, None))[0]:
                    best_th[b] = (sim, a)
    for a, (sim, b) in sorted(best_km.items(), key=lambda kv: (kv[0].key, kv[1][1].key)):
        if best_th.get(b, (0, None))[1] == a:
            detail = {"km": a.text, "th": b.text, "skeleton": SKELETONS["km"](a.key), "similarity": round(sim, 3)}
            evidence[a].append(Evidence("cognate", round(SCORES["cognate"] * sim, 4), "km", "th", detail))
            uf.union(a, b)


def _distributional(unread: list[Node], contexts: dict, uf: _UnionFind, evidence: dict[Node, list[Evidence]]) -> None:
    """Link unread Khmer and Thai terms whose projected contexts are mutually most similar."""
    vectors = {n: contexts[n] for n in unread if n in contexts and n.kind != "anchor"}
    for sim, a, b in mutual_best_pairs(vectors):
        if uf.find(a) == uf.find(b):
            continue
        detail = {"km": a.text, "th": b.text, "cosine": round(sim, 3)}
        evidence[a].append(Evidence("distributional", round(SCORES["distributional"] * sim, 4), "km", "th", detail))
        uf.union(a, b)


def _to_concept(
    members: list[Node], hyps: dict[Node, list[Hypothesis]], evidence: dict[Node, list[Evidence]], lexicon
) -> Concept | None:
    found = [e for m in members for e in evidence[m]]
    if not found:
        return None
    langs = {m.lang for m in members}
    terms: list[Term] = []
    for code in languages.CODES:
        mine = sorted((m for m in members if m.lang == code), key=lambda m: (m.rank, m.key))
        for i, m in enumerate(mine):
            terms.append(Term(code, m.text, "preferred" if i == 0 else "admitted", source="corpus"))
    # Languages the corpus lacks (km th vi en) are filled from the reading most members share
    # (it is what holds the cluster together), taken from the best-ranked member.
    ranked = sorted(members, key=lambda m: (m.rank, m.lang, m.key))
    shared = Counter(h.bag for m in ranked for h in hyps.get(m, []))
    best = None
    if shared:
        top_bag = max(shared, key=lambda bag: (shared[bag], -min(m.rank for m in ranked if any(h.bag == bag for h in hyps.get(m, [])))))
        best = next(h for m in ranked for h in hyps.get(m, []) if h.bag == top_bag)
    if best is not None:
        # A glossary that knows the whole concept gives its terms; else the composition.
        known = lexicon.concepts.get(best.bag, {})
        for code in languages.CODES:
            if code not in langs and known.get(code):
                text, source = known[code][0]
                terms.append(Term(code, text, "preferred", source=source))
        filled = {t.lang for t in terms}
        if "en" in langs:
            for code in ("km", "th", "vi"):
                if code not in filled and (text := compose_from_english(lexicon, best.en, code)):
                    terms.append(Term(code, text, "preferred", source="compositional"))
                    filled.add(code)
        if "en" not in filled and not best.en.startswith("concept#"):
            terms.append(Term("en", best.en, "preferred", source="compositional"))
        if "vi" not in filled and best.vi:
            terms.append(Term("vi", best.vi, "preferred", source="compositional"))
        terms.sort(key=lambda t: languages.CODES.index(t.lang))
    if len(terms) < 2:
        return None
    # Noisy-or of the strongest evidence of each signal, scaled by how term-like the best member is.
    strongest: dict[str, float] = {}
    for e in found:
        strongest[e.signal] = max(strongest.get(e.signal, 0.0), e.score)
    miss = 1.0
    for s in strongest.values():
        miss *= 1 - s
    agreement = 1.0 if len(langs) > 1 else 0.7
    best_rank = min(m.rank for m in members)
    score = round((1 - miss) * agreement * (1 / (1 + best_rank / 200)), 4)
    unique = {(e.signal, e.lang_a, e.lang_b, str(sorted(e.detail.items()))): e for e in found}
    return Concept(terms=terms, score=score, origin="align", evidence=list(unique.values()))


def attach_contexts(conn: sqlite3.Connection, concepts: list[Concept], per_term: int = 1) -> None:
    """Give each corpus term the sentence it first occurs in, with its document as source."""
    for concept in concepts:
        for term in concept.terms:
            if term.source != "corpus":
                continue
            rows = conn.execute(
                'SELECT substr(d.text, s.start + 1, s."end" - s.start), d.path FROM candidates c '
                "JOIN occurrences o ON o.candidate_id = c.id JOIN sentences s ON s.id = o.sentence_id "
                "JOIN documents d ON d.id = s.document_id WHERE c.lang = ? AND c.key = ? "
                "ORDER BY d.path, s.idx, o.start LIMIT ?",
                (term.lang, term.key, per_term),
            ).fetchall()
            term.contexts = [Context(text, Path(path.split("#")[0]).name) for text, path in rows]


def mt_readings(translator, nodes: list[Node]) -> dict[Node, str]:
    """English machine translations of the non-English terms a model covers."""
    readings: dict[Node, str] = {}
    for code in ("km", "th", "vi"):
        mine = [n for n in nodes if n.lang == code and n.kind != "anchor"]
        if not mine:
            continue
        try:
            segments = translator.translate_sentences([n.text for n in mine], code, "en")
        except TermalignError:
            continue  # the model does not translate this language
        readings.update({n: seg.target.strip() for n, seg in zip(mine, segments) if seg.target.strip()})
    return readings


def align(
    conn: sqlite3.Connection,
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
    concepts = propose(nodes, lexicon, context_vectors(conn, lexicon, nodes), mt, model)
    attach_contexts(conn, concepts)
    report = AlignReport(proposals=len(concepts), lexicon_entries=lexicon.size())
    for c in concepts:
        for signal in {e.signal for e in c.evidence}:
            report.by_signal[signal] = report.by_signal.get(signal, 0) + 1
    by_key = {(n.lang, n.key): n for n in mt}
    with transaction(conn):
        conn.execute(f"DELETE FROM concepts WHERE {REPLACEABLE}")
        for concept in concepts:
            insert_concept(conn, concept)
            conn.executemany(
                "INSERT INTO mt_suggestions (concept_id, src_lang, tgt_lang, source_text, text, score, model) "
                "VALUES (?,?,?,?,?,?,?)",
                [
                    (concept.id, t.lang, "en", t.text, mt[by_key[(t.lang, t.key)]], None, model)
                    for t in concept.terms
                    if (t.lang, t.key) in by_key
                ],
            )
    return report


__all__ = ["AlignReport", "Node", "align", "propose"]
