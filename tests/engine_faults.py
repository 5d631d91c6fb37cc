"""A partition task that takes down its own Dask worker, for `tests/test_engine.py`.

It goes in through the engine's one seam for it (`run_dask_analysis(task=...)`) and runs on
the workers, which import it by name: this module stays small (the workers already have
`pipeline.engine.cluster` loaded for their plugin).
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.engine.cluster import analyse_partition
from pipeline.engine.partitions import Partition, PartitionResult

KILLED = 70  # the exit code of a worker this task killed


def dies_at(partition: Partition, number: int, marker: Path | None = None) -> PartitionResult:
    """The engine's own partition task, except that the worker process that gets partition
    `number` exits at once, as one killed by the out-of-memory killer would: every time, or
    only the first time when a `marker` file is given (it is created then)."""
    if partition.number == number and (marker is None or not marker.exists()):
        if marker is not None:
            marker.touch()
        os._exit(KILLED)
    return analyse_partition(partition)
