"""Mutual best matches between the terms of two languages, the pairing both the cognate and
the context stage keep: a pair stands when each term is the other's best-scoring match."""

from __future__ import annotations

from typing import Generic, TypeVar

A = TypeVar("A")
B = TypeVar("B")


class MutualBest(Generic[A, B]):
    """Offer scored pairs one by one; :meth:`pairs` keeps those that are best for both
    sides (the first pair offered wins a tie; a score must be above zero to count)."""

    def __init__(self) -> None:
        self._best_a: dict[A, tuple[float, B]] = {}
        self._best_b: dict[B, tuple[float, A]] = {}

    def offer(self, score: float, a: A, b: B) -> None:
        best_a, best_b = self._best_a.get(a), self._best_b.get(b)
        if score > (best_a[0] if best_a else 0.0):
            self._best_a[a] = (score, b)
        if score > (best_b[0] if best_b else 0.0):
            self._best_b[b] = (score, a)

    def pairs(self) -> list[tuple[float, A, B]]:
        """(score, a, b) of every mutual best pair, in the order the ``a`` side first scored."""
        return [(score, a, b) for a, (score, b) in self._best_a.items() if self._best_b[b][1] == a]
