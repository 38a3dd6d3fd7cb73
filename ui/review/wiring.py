"""Puts the review area into the main window (listed in ui.main.WINDOW_MODULES) and runs two
background jobs: automatic analysis of newly transcribed calls (every five minutes) and the
retention clean-up (a minute after start, then once a day)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer

from app.review.adapters import analyse_pending
from app.review.segments import NoTranscripts
from ui.review.hub import ReviewHub, install_hub

log = logging.getLogger("carecall.review")
DAY_MS = 24 * 3600 * 1000
ANALYSE_MS = 5 * 60 * 1000


def install(window, ctx, runner) -> ReviewHub:
    from app.transcription.queue import JobQueue
    from ui.transcription.widgets import model_choices

    review = ctx.review
    jobs = JobQueue(ctx.sessions, default_engine=ctx.settings.asr.engine, default_language=ctx.settings.asr.language)
    hub = install_hub(window, review, runner, jobs=jobs, retranscribe_choices=model_choices(ctx.settings.asr))
    if not isinstance(review.transcripts, NoTranscripts):
        busy = {"on": False}

        def analyse() -> None:
            if busy["on"]:
                return
            busy["on"] = True

            def finished(res) -> None:
                busy["on"] = False
                if res:
                    log.info("review: analysed %d call(s)", len(res))

            def failed(e) -> None:
                busy["on"] = False
                log.error("review analysis failed: %s", e)

            runner.run(lambda: analyse_pending(review), finished, failed)

        atimer = QTimer(hub)
        atimer.setInterval(ANALYSE_MS)
        atimer.timeout.connect(analyse)
        atimer.start()
        QTimer.singleShot(30_000, hub, analyse)
        hub.analysis_timer = atimer
    if review.recordings is not None:
        timer = QTimer(hub)
        timer.setInterval(DAY_MS)

        def run_retention() -> None:
            timer.setInterval(DAY_MS)
            runner.run(lambda: review.retention.run(None),
                       lambda res: log.info("retention: %d recording(s) deleted", len(res.deleted)),
                       lambda e: log.error("retention failed: %s", e))

        timer.timeout.connect(run_retention)
        QTimer.singleShot(60_000, hub, run_retention)
        timer.start()
        hub.retention_timer = timer
    return hub
