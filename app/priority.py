"""Threads that can wait run below the thread a person is waiting on.

On Linux every thread has a nice value of its own, so a background thread of the window (the task
runner's pool, the recorder's writer and its PortAudio callbacks) can be ranked below the UI
thread. Nice values rank threads only inside their autogroup (their session), so this does not
hand their share to other programs: it only decides which of the window's own threads gets a
core first when they want it at the same moment. Elsewhere threads share their process's
priority and these functions change nothing. (A whole process: ``app.transcription.service.
lower_priority``.)
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger("carecall.priority")


def nice_above(tid: int, by: int) -> int | None:
    """The nice value *by* above thread *tid*'s (capped at 19), for :class:`ThreadLowering`;
    None when *by* <= 0, where threads have no nice value of their own, or it cannot be read."""
    if by <= 0 or not sys.platform.startswith("linux"):
        return None
    try:
        return min(19, os.getpriority(os.PRIO_PROCESS, tid) + by)
    except OSError:
        return None


def set_this_thread_nice(nice: int | None) -> bool:
    """Give the calling thread nice value *nice* (None: leave it). False if the system refused
    (raising a thread's priority again needs a privilege); the thread then keeps its own."""
    if nice is None:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except OSError:
        log.debug("cannot set thread %s to nice %s", threading.get_native_id(), nice, exc_info=True)
        return False
    return True


class ThreadLowering:
    """Sets each thread that calls :meth:`apply` to nice value *nice* (None: leaves them), once per
    thread: a pool or callback thread calls it at each turn, and only its first call does work."""

    def __init__(self, nice: int | None) -> None:
        self.nice = nice
        self.tried: set[int] = set()  # native ids of the threads that called apply
        self.lowered: set[int] = set()  # ... and of those the system let change

    def apply(self) -> None:
        tid = threading.get_native_id()
        if self.nice is None or tid in self.tried:
            return
        self.tried.add(tid)
        if set_this_thread_nice(self.nice):
            self.lowered.add(tid)
