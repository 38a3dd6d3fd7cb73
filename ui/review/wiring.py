"""Puts the review area into the main window (listed in ui.main.WINDOW_MODULES) and runs the
retention clean-up in the background: a minute after start, then once a day."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer

from ui.review.hub import ReviewHub, install_hub

log = logging.getLogger("carecall.review")
DAY_MS = 24 * 3600 * 1000


def install(window, ctx, runner) -> ReviewHub:
    review = ctx.review
    hub = install_hub(window, review, runner)
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
