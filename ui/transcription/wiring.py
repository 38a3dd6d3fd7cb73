"""Transcription in the main window: the queue indicator in the status bar, and the background
worker process started (detached, one per user) so queued calls get transcribed."""

from __future__ import annotations

import logging

log = logging.getLogger("carecall.ui.transcription")


def install(window, ctx, runner) -> None:
    from app.transcription.queue import JobQueue
    from ui.transcription.widgets import QueueIndicator

    queue = JobQueue(ctx.sessions)  # counts and status need no key; enqueue/complete load it lazily
    indicator = QueueIndicator(queue, runner, parent=window)
    window.add_status_widget(indicator)
    window.transcription_queue = queue
    if ctx.settings.asr.background_worker:
        from app.transcription.service import start_background_worker

        try:
            # the window's --config file too, so settings made only there (asr.worker_nice...)
            # reach the worker
            start_background_worker(ctx.engine.url, config=getattr(ctx, "config_path", None))
        except OSError as e:
            log.warning("cannot start the transcription worker: %s", e)
