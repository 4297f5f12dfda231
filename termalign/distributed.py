"""Batch work on Ray: an ordered ``map_batches`` over Python objects with stateful actors.

The ingest and translate engines (``--engine ray``) send their per-document work through
:func:`ordered_map`: each actor builds its heavy state once (segmenters, a CTranslate2 model),
then handles batches of documents; results come back in input order, streaming, so the caller
stores or writes each one as it arrives, exactly as the single-machine run does. Ray is an
optional extra (``pip install -e '.[ray]'``); this module imports it only when called.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from termalign.errors import InputError, TermalignError

#: Documents per batch handed to an actor: large enough to amortize Ray's per-task overhead,
#: small enough that a killed job loses little and results stream back steadily.
DEFAULT_BATCH_SIZE = 8
#: CPUs each actor reserves; the actor's own threads (CTranslate2, segmenters) use them.
DEFAULT_ACTOR_CPUS = 1


def connect(address: str | None) -> None:
    """Join the Ray cluster at ``address`` (``auto``, ``ray://host:10001``, …), or start a
    local one when ``address`` is None and none runs in this process yet."""
    try:
        import ray
    except ImportError:
        raise InputError("Ray is not installed (pip install -e '.[ray]')", path="--engine ray") from None
    if ray.is_initialized():
        return
    ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)


def actor_count(cpus_per_actor: float = DEFAULT_ACTOR_CPUS) -> int:
    """As many actors as the cluster's CPUs hold (at least one)."""
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1) // cpus_per_actor))


class _Worker:
    """The Ray Data actor: ``make()`` once, then ``work`` on each batch of pickled items."""

    def __init__(self, make: Callable[[], Callable[[list[Any]], list[Any]]]) -> None:
        self.work = make()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        items = [pickle.loads(b) for b in batch["item"]]
        results = self.work(items)
        if len(results) != len(items):
            raise RuntimeError(f"an actor returned {len(results)} results for {len(items)} items")
        return {"index": batch["index"], "result": [pickle.dumps(r) for r in results]}


def ordered_map(
    items: Iterable[Any],
    make: Callable[[], Callable[[list[Any]], list[Any]]],
    *,
    address: str | None = None,
    actors: int | None = None,
    cpus_per_actor: float = DEFAULT_ACTOR_CPUS,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[Any]:
    """``work(batch)`` over ``items`` on Ray actors, yielding results in input order.

    ``make`` runs once in each actor and returns the function applied to each batch (a list
    of items → the list of their results). Items and results are pickled, so any Python
    object passes. An error raised by the work comes back as itself when it is a
    :class:`TermalignError` (one clear line at the CLI), else as Ray's error.
    """
    import ray
    import ray.data

    connect(address)
    rows = [{"index": i, "item": pickle.dumps(item)} for i, item in enumerate(items)]
    if not rows:
        return
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    size = actors or actor_count(cpus_per_actor)
    dataset = ray.data.from_items(rows).map_batches(
        _Worker,
        fn_constructor_args=(make,),
        compute=ray.data.ActorPoolStrategy(size=min(size, len(rows))),
        batch_size=batch_size,
        batch_format="numpy",
        num_cpus=cpus_per_actor,
    )
    expected = 0
    try:
        for row in dataset.iter_rows():
            if row["index"] != expected:
                raise RuntimeError(f"Ray returned item {row['index']} where {expected} was due")
            expected += 1
            yield pickle.loads(row["result"])
    except ray.exceptions.RayTaskError as exc:
        cause = _termalign_cause(exc)
        if cause is not None:
            raise cause from None
        raise


def _termalign_cause(exc: BaseException) -> TermalignError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TermalignError):
            return seen
        cause = getattr(seen, "cause", None)
        seen = cause if isinstance(cause, BaseException) and cause is not seen else seen.__cause__
    return None
