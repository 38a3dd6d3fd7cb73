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


def wait_for_worker_lock(proc, lock, timeout: float = 60.0) -> None:
    """Wait until the detached worker *proc* holds its lock file *lock* (its pid written there,
    after it has set its priority); fails if it exits or does not within *timeout* seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not (lock.exists() and lock.read_text().strip() == str(proc.pid)):
        assert proc.poll() is None, f"the worker exited with {proc.returncode}"
        assert time.monotonic() < deadline, "the worker did not take its lock"
        time.sleep(0.05)
