"""One small task runner: plain service calls in a thread pool, results on the UI thread.

In the spirit of Anki's ``QueryOp``::

    runner.run(lambda: cards.search("иван"), on_done=self._on_results, on_error=self._on_failed)

``fn`` runs in a :class:`QThreadPool` worker and must not touch widgets; it opens its own
database session (the services do). Its result (or exception) comes back through a queued
signal, so ``on_done``/``on_error`` always run on the UI thread. The UI thread never waits.

Tests swap in :class:`SyncRunner`, which has the same API and calls everything at once.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal, Slot

log = logging.getLogger("carecall.ui.tasks")

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


def _log_error(exc: BaseException) -> None:
    log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))


class _Task(QRunnable):
    def __init__(self, runner: "TaskRunner", task_id: int, fn: Callable[[], Any]):
        super().__init__()
        self._runner = runner
        self._id = task_id
        self._fn = fn

    def run(self) -> None:  # worker thread
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
                 default_on_error: OnError | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[OnDone | None, OnError | None]] = {}
        self.default_on_error: OnError = default_on_error or _log_error
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def run(self, fn: Callable[[], Any], on_done: OnDone | None = None, on_error: OnError | None = None) -> int:
        task_id = next(self._ids)
        self._pending[task_id] = (on_done, on_error)
        self._pool.start(_Task(self, task_id, fn))
        self.busy_changed.emit(len(self._pending))
        return task_id

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the pool is idle (shutdown and tests only, never during normal work)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _on_finished(self, task_id: int, ok: bool, payload: object) -> None:
        on_done, on_error = self._pending.pop(task_id, (None, None))
        self.busy_changed.emit(len(self._pending))
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

    def run(self, fn: Callable[[], Any], on_done: OnDone | None = None, on_error: OnError | None = None) -> int:
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

    def wait(self, msecs: int = 0) -> bool:
        return True
