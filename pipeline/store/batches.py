"""Term hits written in batches inside one transaction: the Dask engine (`pipeline.engine`)
stores each partition's hits as it completes, and the old hits stay visible to readers until
the whole run commits (or stay in place when it fails), as with `Store.replace_term_hits`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import delete, insert

from pipeline.core.records import TermHit
from pipeline.store.database import TERM_HIT_FIELDS, Store, TermHitRow

AddHits = Callable[[Sequence[TermHit]], int]


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
