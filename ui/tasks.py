"""One small task runner: plain service calls in a thread pool, results on the UI thread.

In the spirit of Anki's ``QueryOp``::

    runner.run(lambda: cards.search("иван"), on_done=self._on_results, on_error=self._on_failed)

``fn`` runs in a :class:`QThreadPool` worker and must not touch widgets; it opens its own
database session (the services do). Its result (or exception) comes back through a queued
signal, so ``on_done``/``on_error`` always run on the UI thread. The UI thread never waits.

A result never reaches a widget that is gone: each task is tied to a *receiver*, the QObject its
callbacks update (``receiver=``, else the object of a bound-method ``on_done``/``on_error``).
When the receiver has been destroyed by the time the result arrives, or :meth:`TaskRunner.discard`
was called for it or one of its parents (a page being closed), the callbacks are not called.

On Linux the pool's threads run well below the UI thread (``thread_nice``, default
:data:`THREAD_NICE`: nice + 15, set per thread when it takes its first task), so on a busy machine
the UI thread gets a CPU before the window's own decoding and queries (scripts/bench_ui_stall.py).
Nice values rank threads inside the window's own scheduler autogroup only: the pool still gets
its share against other programs and the transcription worker (its own autogroup, niced).
Never start work that must keep real time (the recorder, a telephony source) from a task: threads
made there inherit the lower priority, and a thread cannot raise its own again without privilege
(the recorder's threads set theirs to the main thread's + 10, ``app.recording.capture``).

Tests swap in :class:`SyncRunner`, which has the same API and calls everything at once.
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal, Slot

from app.priority import ThreadLowering, nice_above

log = logging.getLogger("carecall.ui.tasks")

#: how far below the UI thread the pool's threads run (Linux: nice values; elsewhere unchanged).
#: 15 rather than 5 since the worker leaves the window one core (round 9 of docs/ui.md): the UI
#: thread and a pool thread then take turns on that core: at + 5 the UI thread waited 26-34 ms
#: for it in a selection's stalls. 180 s runs, one afternoon: + 5, 9 stalls over 50 ms in 8 runs
#: (longest 40.7-73.5 ms); + 15, 1 in 6 (30.0-53.1 ms); a selected call shown after a median
#: 28-32 ms either way
THREAD_NICE = 15

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


def _log_error(exc: BaseException) -> None:
    log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))


def _receiver_of(*callbacks: Callable | None) -> QObject | None:
    """The QObject of the first bound-method callback (``self._show_rows`` -> the page)."""
    for cb in callbacks:
        owner = getattr(cb, "__self__", None)
        if isinstance(owner, QObject):
            return owner
    return None


def _within(obj: QObject, owner: QObject) -> bool:
    while obj is not None:
        if obj is owner:
            return True
        obj = obj.parent()
    return False


_DISCARDED = object()  # the receiver of a pending task after TaskRunner.discard


class _Task(QRunnable):
    def __init__(self, runner: "TaskRunner", task_id: int, fn: Callable[[], Any]):
        super().__init__()
        self._runner = runner
        self._id = task_id
        self._fn = fn

    def run(self) -> None:  # worker thread
        self._runner._lowering.apply()
        try:
            result = self._fn()
        except BaseException as e:  # noqa: BLE001 - handed to the UI thread
            self._runner._finished.emit(self._id, False, e)
            return
        self._runner._finished.emit(self._id, True, result)


class TaskRunner(QObject):
    """Runs callables in a thread pool; delivers results on the thread that owns the runner."""

    _finished = Signal(int, bool, object)
    #: emitted on the UI thread whenever the number of tasks in flight changes
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2,
                 default_on_error: OnError | None = None, thread_nice: int = THREAD_NICE):
        super().__init__(parent)
        # the pool threads' nice value: the creating (UI) thread's + thread_nice; None = unchanged
        self._lowering = ThreadLowering(nice_above(threading.get_native_id(), thread_nice))
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        # task id -> (on_done, on_error, receiver): the callbacks and the object they update
        self._pending: dict[int, tuple[OnDone | None, OnError | None, object]] = {}
        self.default_on_error: OnError = default_on_error or _log_error
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def run(self, fn: Callable[[], Any], on_done: OnDone | None = None, on_error: OnError | None = None,
            receiver: QObject | None = None) -> int:
        """Run *fn* on a pool thread; then ``on_done(result)`` or ``on_error(exc)`` on this thread,
        unless *receiver* (default: the object of a bound-method callback) was destroyed meanwhile."""
        task_id = next(self._ids)
        if receiver is None:
            receiver = _receiver_of(on_done, on_error)
        self._pending[task_id] = (on_done, on_error, receiver)
        self._pool.start(_Task(self, task_id, fn))
        self.busy_changed.emit(len(self._pending))
        return task_id

    def discard(self, owner: QObject) -> int:
        """Drop the results still to come for *owner* and every receiver under it (its children,
        their children...): call it when a page is closed or about to be deleted. The tasks run to
        their end (a thread cannot be stopped safely); only their callbacks are let go, here, so
        they keep no widget alive. Returns how many results were dropped."""
        dropped = 0
        for task_id, (_done, _error, receiver) in list(self._pending.items()):
            if isinstance(receiver, QObject) and shiboken6.isValid(receiver) and _within(receiver, owner):
                self._pending[task_id] = (None, None, _DISCARDED)
                dropped += 1
        return dropped

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the pool is idle (shutdown and tests only, never during normal work)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _on_finished(self, task_id: int, ok: bool, payload: object) -> None:
        on_done, on_error, receiver = self._pending.pop(task_id, (None, None, None))
        self.busy_changed.emit(len(self._pending))
        if receiver is _DISCARDED or (receiver is not None and not shiboken6.isValid(receiver)):
            # its page was closed or deleted: nothing to show it in (a failure is still logged)
            if not ok:
                exc: BaseException = payload  # type: ignore[assignment]
                log.warning("background task failed after its page was closed",
                            exc_info=(type(exc), exc, exc.__traceback__))
            return
        if ok:
            if on_done is not None:
                on_done(payload)
        else:
            (on_error or self.default_on_error)(payload)  # type: ignore[arg-type]


class SyncRunner:
    """Same API, no threads: ``fn`` runs at once. Errors without a handler are raised."""

    def __init__(self, default_on_error: OnError | None = None):
        self.default_on_error = default_on_error
        self.pending = 0
        self.calls = 0

    def run(self, fn: Callable[[], Any], on_done: OnDone | None = None, on_error: OnError | None = None,
            receiver: QObject | None = None) -> int:
        self.calls += 1
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001
            handler = on_error or self.default_on_error
            if handler is None:
                raise
            handler(e)
            return self.calls
        if on_done is not None:
            on_done(result)
        return self.calls

    def discard(self, owner: QObject) -> int:
        return 0  # nothing is ever pending

    def wait(self, msecs: int = 0) -> bool:
        return True
