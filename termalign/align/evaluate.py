"""Alignment against a gold glossary: right pairings on top, concepts kept whole, and
whether the score means what it says (a calibration table).

Every figure is computed twice: over the *terms* of the proposals (what an export writes),
and over terms *with the suggestions* waiting beside them (composed and machine-translated
readings no text attests: the vi/en slots of a km/th corpus, say).
"""

from __future__ import annotations

import math
from collections import defaultdict

from termalign import lang as languages
from termalign.gold import GoldConcept
from termalign.lexicon.english import english_bag
from termalign.store import StoreLike, as_store

PAIRS = (("km", "th"), ("km", "en"), ("th", "en"), ("km", "vi"), ("th", "vi"))


def _key(code: str, text: str) -> str:
    # English proposals are compositional readings: compare them as bags of stems.
    return english_bag(text) if languages.get(code).is_pivot else languages.get(code).key(text)


#: Upper edges of the score bins of the calibration table.
BIN_EDGES = (0.2, 0.4, 0.6, 0.8, 1.0)
#: z of the Wilson lower bound: a 95 % two-sided interval.
WILSON_Z = 1.96


def wilson_lower(k: int, n: int, z: float = WILSON_Z) -> float:
    """Wilson score interval lower bound of k successes in n trials."""
    if n == 0:
        return 0.0
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


def calibration(judged: list[tuple[float, bool]]) -> list[dict]:
    """Score bin → share of judged proposals that are right, n, Wilson lower bound."""
    rows = []
    low = 0.0
    for high in BIN_EDGES:
        inside = [ok for score, ok in judged if low <= score < high or (high == BIN_EDGES[-1] and score == high)]
        k = sum(inside)
        rows.append(
            {
                "bin": f"[{low:.1f}, {high:.1f}{']' if high == BIN_EDGES[-1] else ')'}",
                "n": len(inside),
                "share_correct": round(k / len(inside), 4) if inside else None,
                "wilson_lower": round(wilson_lower(k, len(inside)), 4),
            }
        )
        low = high
    return rows


def judge(
    members: dict[int, set[tuple[str, str]]],
    scores: dict[int, float],
    gold: list[GoldConcept],
    present: set[tuple[str, str]] | None = None,
) -> list[tuple[float, bool]]:
    """(score, right) of every proposal that holds a gold term and a term of a second
    language that gold concept can be checked in (it has a term there that the corpus
    holds: ``present``, all gold terms when ``None``). Right when, for one gold concept
    holding one of its terms, its term in every checked language is a gold term of that
    concept: a gold term paired with a term the reference does not give is wrong."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    gold_keys: dict[str, dict[str, set[str]]] = {}
    for g in gold:
        gold_keys[g.id] = {code: {_key(code, t) for t in texts} for code, texts in g.terms.items()}
        for code, texts_keys in gold_keys[g.id].items():
            for k in texts_keys:
                owners[(code, k)].add(g.id)
    judged = []
    for cid, keys in members.items():
        by_lang: dict[str, set[str]] = defaultdict(set)
        for code, k in keys:
            by_lang[code].add(k)
        verdicts = []
        for gid in sorted({g for k in keys for g in owners.get(k, ())}):
            checked = [
                code
                for code, proposed in by_lang.items()
                if any(present is None or (code, k) in present or k in proposed for k in gold_keys[gid].get(code, ()))
            ]
            if len(checked) >= 2:
                verdicts.append(all(by_lang[code] & gold_keys[gid][code] for code in checked))
        if verdicts:
            judged.append((scores[cid], any(verdicts)))
    return judged


def evaluate_alignment(conn: StoreLike, gold: list[GoldConcept], *, with_suggestions: bool = False) -> dict:
    """``pairs``: precision@1 per language pair — for each gold concept with terms in both
    languages, whether the best-scored proposal holding one of its first-language terms
    also holds one of its second-language terms. ``grouped``: share of gold concepts whose
    terms present in the corpus (candidates) all sit in one proposal. ``calibration``: per
    score bin, the share of judged proposals that pair no term wrongly (see :func:`judge`).
    ``with_suggestions``: the waiting suggestions count as members of their proposals."""
    concepts_of: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    members: dict[int, set[tuple[str, str]]] = defaultdict(set)
    store = as_store(conn)
    scores: dict[int, float] = {}
    rows = list(store.scored_terms())
    if with_suggestions:
        rows += store.scored_suggestions()
    for cid, score, lang, text in rows:
        k = (lang, _key(lang, text))
        concepts_of[k].append((score, cid))
        members[cid].add(k)
        scores[cid] = score
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
    return {
        "pairs": pairs,
        "grouped": {"share": round(grouped / n, 4) if n else 0.0, "n": n},
        "calibration": calibration(judge(members, scores, gold, present)),
    }
