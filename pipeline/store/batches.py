"""Documents in batches and term hits written in batches inside one transaction: both
engines of `focuslex analyse` read the documents a partition at a time (`plan_partitions`;
the local engine in `pipeline.terms.run`, the Dask engine in `pipeline.engine`) and store
each partition's hits as it completes, and the old hits stay visible to readers until the
whole run commits (or stay in place when it fails), as with `Store.replace_term_hits`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import delete, insert

from pipeline.core.records import TermHit
from pipeline.store.database import TERM_HIT_FIELDS, Store, TermHitRow

AddHits = Callable[[Sequence[TermHit]], int]


def plan_partitions(sizes: Sequence[tuple[int, str, int]],
                    partition_words: int) -> list[list[int]]:
    """Document ids in partitions of about `partition_words` words each (whole documents, in
    id order; a document longer than that is a partition of its own). `sizes` is
    `Store.document_sizes()`."""
    plan: list[list[int]] = []
    current: list[int] = []
    words = 0
    for doc_id, _name, count in sizes:
        if current and words + count > partition_words:
            plan.append(current)
            current, words = [], 0
        current.append(doc_id)
        words += count
    if current:
        plan.append(current)
    return plan


@contextmanager
def replacing_term_hits(store: Store, run_id: int | None = None) -> Iterator[AddHits]:
    """Delete every stored hit, then yield a function that bulk-inserts a batch of hits
    (returns the number inserted); all of it is committed at the end of the block, or rolled
    back when the block raises."""
    with store.session() as session:
        session.execute(delete(TermHitRow))

        def add(hits: Sequence[TermHit]) -> int:
            rows = [{**{f: getattr(h, f) for f in TERM_HIT_FIELDS}, "run_id": run_id}
                    for h in hits]
            if rows:
                session.execute(insert(TermHitRow), rows)
            return len(rows)

        yield add
