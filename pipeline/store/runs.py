"""Which process a run belongs to, so that a run whose process died (killed, power cut)
is marked `interrupted` on the next start instead of staying `running` forever.

A run records the process id, the host name and, where /proc exists (Linux), the process
start time (so a recycled process id is not taken for the same process). A run of a
process on another host cannot be checked from here and is left as it is.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any


def _start_ticks(pid: int) -> int | None:
    """The start time of a process in clock ticks after boot (/proc/PID/stat, field 22)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces.
    fields = stat[stat.rfind(")") + 2:].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def process_identity() -> dict[str, Any]:
    """This process: pid, host and start time, as stored in a run's details."""
    pid = os.getpid()
    return {"pid": pid, "host": socket.gethostname(), "started": _start_ticks(pid)}


def process_alive(identity: Any) -> bool | None:
    """Whether the process of a run still runs: True, False, or None when it cannot be
    told (another host, or a run recorded without its process)."""
    if not isinstance(identity, dict) or identity.get("host") != socket.gethostname():
        return None
    pid = identity.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    started = identity.get("started")
    return started is None or _start_ticks(pid) in (None, started)
