"""ACTER-style evaluation of extraction: precision and recall of the ranked candidates."""

from __future__ import annotations

from termalign import lang as languages
from termalign.gold import GoldConcept
from termalign.store import StoreLike, as_store

CUTOFFS = (20, 50, 100)


def evaluate_extraction(
    conn: StoreLike, gold: list[GoldConcept], cutoffs: tuple[int, ...] = CUTOFFS
) -> dict[str, dict[str, float | int]]:
    """Per language: recall@k (gold terms found among the top k candidates, any variant
    counting) and precision@k (share of the top k that are gold terms or their variants)."""
    result: dict[str, dict[str, float | int]] = {}
    store = as_store(conn)
    present = set(store.candidate_languages())
    langs = sorted({code for g in gold for code in g.terms} & present)
    for code in langs:
        wanted = [g.keys(code) for g in gold if g.terms.get(code)]
        all_gold_keys = set().union(*wanted) if wanted else set()
        ranked = store.ranked_variants(code)
        language = languages.get(code)
        keys_at: dict[int, set[str]] = {}
        for rank, key, variant in ranked:
            keys_at.setdefault(rank, {key}).add(language.key(variant) if variant else key)
        ranks = sorted(keys_at)
        row: dict[str, float | int] = {"gold": sum(len(w) for w in wanted), "concepts": len(wanted)}
        for k in cutoffs:
            top = [keys_at[r] for r in ranks[:k]]
            found = set().union(*top) if top else set()
            # Recall counts gold terms (each variant its own term, as ACTER does).
            hits = sum(1 for w in wanted for key in w if key in found)
            row[f"recall@{k}"] = round(hits / row["gold"], 4) if row["gold"] else 0.0
            row[f"precision@{k}"] = round(sum(1 for t in top if t & all_gold_keys) / len(top), 4) if top else 0.0
        result[code] = row
    return result
