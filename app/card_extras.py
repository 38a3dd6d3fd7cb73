"""Hooks that add later parts' data (situations, scripts...) to ``carecall card`` output.

Each module in ENRICHER_MODULES has ``enrich(ctx, out, today)`` and edits ``out`` in place.
"""

from __future__ import annotations

import importlib

ENRICHER_MODULES: list[str] = [
    "app.scripts.card_enricher",  # situations + script (issue 3)
    "app.recording.card_enricher",  # will this call be recorded (consent, issue 4)
]


def enrich(ctx, out: dict, today) -> None:
    for name in ENRICHER_MODULES:
        importlib.import_module(name).enrich(ctx, out, today)
