"""Reading a running process's state from /proc (Linux) in tests."""

from __future__ import annotations

import os


def thread_nices(pid: int) -> dict[int, int]:
    """Each thread's nice value (thread id -> nice) of process *pid*."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/stat") as f:
            stat = f.read()
        out[int(tid)] = int(stat.rsplit(")", 1)[1].split()[16])  # field 19: nice
    return out
