"""Transcription in the window: a status-bar queue indicator, a per-call status label and a
"re-transcribe with model…" action. Standalone widgets; every database call goes through the
task runner (ui.tasks), so the UI thread never waits."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QWidget

from app.transcription.queue import JobQueue, JobStatus

# (label, engine, model): what "re-transcribe with model…" offers
DEFAULT_CHOICES = [("faster-whisper, bundled base model", "faster-whisper", "")]


def model_choices(asr) -> list[tuple[str, str, str]]:
    """What this installation can transcribe with (``asr``: :class:`app.settings.AsrSettings`):
    faster-whisper with its configured model (the bundled one unless ``asr.model_path``), and
    openai-whisper when ``asr.openai_model_path`` names its weights. Model "" = the worker's setting."""
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate("RetranscribeAction", text)

    out = [(tr("faster-whisper, bundled base model") if not asr.model_path
            else tr("faster-whisper, %s") % Path(asr.model_path).name, "faster-whisper", "")]
    if asr.openai_model_path:
        out.append((tr("openai-whisper, %s") % Path(asr.openai_model_path).name, "openai-whisper", ""))
    return out


class QueueIndicator(QLabel):
    """"Transcription: 2 waiting · 1 running · 1 failed", refreshed by polling the queue."""

    counts_changed = Signal(dict)

    def __init__(self, queue: JobQueue, runner, interval_ms: int = 3000, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transcription_queue")
        self._queue = queue
        self._runner = runner
        self._busy = False
        self.counts: dict[str, int] = {}
        self.setText(self.tr("Transcription: …"))
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._runner.run(self._queue.counts, on_done=self._on_counts, on_error=self._on_error)

    def stop(self) -> None:
        self._timer.stop()

    def _on_counts(self, counts: dict) -> None:
        self._busy = False
        self.counts = dict(counts)
        parts = []
        if counts.get("pending"):
            parts.append(self.tr("%n waiting", "", counts["pending"]))
        if counts.get("running"):
            parts.append(self.tr("%n running", "", counts["running"]))
        if counts.get("failed"):
            parts.append(self.tr("%n failed", "", counts["failed"]))
        self.setText(self.tr("Transcription: ") + (" · ".join(parts) if parts else self.tr("idle")))
        self.setToolTip(self.tr("Transcribed calls: %n", "", counts.get("done", 0)))
        self.setProperty("failed", bool(counts.get("failed")))
        self.counts_changed.emit(self.counts)

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        self.setText(self.tr("Transcription: queue unavailable"))
        self.setToolTip(str(exc))


def status_text(st: JobStatus | None, tr: Callable[[str], str] = lambda s: s) -> str:
    if st is None:
        return tr("No transcript")
    if st.status == "pending":
        return tr("Waiting for transcription") + (tr(" (retry %d of %d)") % (st.attempts + 1, st.max_attempts)
                                                  if st.attempts else "")
    if st.status == "running":
        return tr("Transcribing… %d%%") % round(st.progress * 100)
    if st.status == "done":
        return tr("Transcribed (%s)") % (st.engine + (f", {st.model}" if st.model else ""))
    return tr("Transcription failed: %s") % (st.error.splitlines()[0] if st.error else tr("unknown error"))


class CallTranscriptStatus(QLabel):
    """The transcription state of one call's recording; polls while the job is not finished."""

    status_changed = Signal(str)

    def __init__(self, queue: JobQueue, runner, interval_ms: int = 2000, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transcription_status")
        self._queue = queue
        self._runner = runner
        self._recording_id: int | None = None
        self.status: JobStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self.setText("")

    def set_recording(self, recording_id: int | None) -> None:
        self.reading(recording_id)
        if recording_id is not None:
            self.refresh()

    def reading(self, recording_id: int | None) -> Callable[[JobStatus | None], None]:
        """Switch to *recording_id* now, its state to be read elsewhere (with the rest of the
        call, in one task): returns what shows it, on the UI thread (a state read for another
        recording than the one shown by then is dropped). Polling goes on from there."""
        self._recording_id = recording_id
        self.status = None
        self.setText("" if recording_id is None else self.tr("…"))
        self._timer.stop()
        return lambda st: self._on_status(recording_id, st)

    def refresh(self) -> None:
        rid = self._recording_id
        if rid is None:
            return
        self._runner.run(lambda: self._queue.status(rid), on_done=lambda st: self._on_status(rid, st),
                         on_error=self.show_error)

    def _on_status(self, rid: int, st: JobStatus | None) -> None:
        if rid != self._recording_id:
            return  # an answer for a call no longer shown
        self.status = st
        self.setText(status_text(st, self.tr))
        self.setToolTip(st.error if st and st.error else "")
        if st is not None and st.status in ("pending", "running"):
            self._timer.start()
        else:
            self._timer.stop()
        self.status_changed.emit(st.status if st else "none")

    def show_error(self, exc: BaseException) -> None:
        self.setText(self.tr("Transcription status unavailable"))
        self.setToolTip(str(exc))


class RetranscribeAction(QAction):
    """"Re-transcribe with model…": asks which engine/model, then queues a new job."""

    requeued = Signal(int)

    def __init__(self, queue: JobQueue, runner, choices: list[tuple[str, str, str]] | None = None,
                 chooser: Callable[[QWidget | None, list[str]], int | None] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setText(self.tr("Re-transcribe with model…"))
        self.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.setObjectName("retranscribe")
        self._queue = queue
        self._runner = runner
        self.choices = choices or DEFAULT_CHOICES
        self._chooser = chooser or self._ask
        self._recording_id: int | None = None
        self.setEnabled(False)
        self.triggered.connect(self._on_triggered)

    def set_recording(self, recording_id: int | None) -> None:
        self._recording_id = recording_id
        self.setEnabled(recording_id is not None)

    def _ask(self, parent, labels: list[str]) -> int | None:
        item, ok = QInputDialog.getItem(parent, self.tr("Re-transcribe"), self.tr("Model:"), labels, 0, False)
        return labels.index(item) if ok else None

    def _on_triggered(self) -> None:
        rid = self._recording_id
        if rid is None:
            return
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        idx = self._chooser(parent, [c[0] for c in self.choices])
        if idx is None:
            return
        _, engine, model = self.choices[idx]
        self._runner.run(lambda: self._queue.enqueue(rid, engine=engine, model=model, priority=1),
                         on_done=self.requeued.emit)
