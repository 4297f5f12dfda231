"""Alignment against a gold glossary: right pairings on top, and concepts kept whole."""

from __future__ import annotations

from collections import defaultdict

from termalign import lang as languages
from termalign.gold import GoldConcept
from termalign.lexicon.english import english_bag
from termalign.store import StoreLike, as_store

PAIRS = (("km", "th"), ("km", "en"), ("th", "en"), ("km", "vi"), ("th", "vi"))


def _key(code: str, text: str) -> str:
    # English proposals are compositional readings: compare them as bags of stems.
    return english_bag(text) if languages.get(code).is_pivot else languages.get(code).key(text)


def evaluate_alignment(conn: StoreLike, gold: list[GoldConcept]) -> dict:
    """``pairs``: precision@1 per language pair — for each gold concept with terms in both
    languages, whether the best-scored proposal holding one of its first-language terms
    also holds one of its second-language terms. ``grouped``: share of gold concepts whose
    terms present in the corpus (candidates) all sit in one proposal."""
    concepts_of: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    members: dict[int, set[tuple[str, str]]] = defaultdict(set)
    store = as_store(conn)
    for cid, score, lang, text in store.scored_terms():
        k = (lang, _key(lang, text))
        concepts_of[k].append((score, cid))
        members[cid].add(k)
    present = store.candidate_keys()

    def gold_keys(g: GoldConcept, code: str) -> set[tuple[str, str]]:
        return {(code, _key(code, t)) for t in g.terms.get(code, ())}

    pairs = {}
    for a, b in PAIRS:
        hits = n = 0
        for g in gold:
            ka, kb = gold_keys(g, a), gold_keys(g, b)
            if not ka or not kb:
                continue
            n += 1
            candidates = [c for k in ka for c in concepts_of.get(k, [])]
            if candidates:
                top = max(candidates, key=lambda sc: (sc[0], -sc[1]))[1]
                hits += bool(members[top] & kb)
        pairs[f"{a}-{b}"] = {"p@1": round(hits / n, 4) if n else 0.0, "n": n}
    grouped = n = 0
    for g in gold:
        wanted = {k for code in g.terms for k in gold_keys(g, code) if k in present}
        if not wanted:
            continue
        n += 1
        grouped += any(wanted <= m for m in members.values())
    return {"pairs": pairs, "grouped": {"share": round(grouped / n, 4) if n else 0.0, "n": n}}
