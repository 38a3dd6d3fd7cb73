"""Puts the review area into the main window (listed in ui.main.WINDOW_MODULES)."""

from __future__ import annotations

from ui.review.hub import ReviewHub, install_hub


def install(window, ctx, runner) -> ReviewHub:
    return install_hub(window, ctx.review, runner)
