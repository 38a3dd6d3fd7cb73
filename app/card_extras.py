"""Hooks that add later parts' data (situations, scripts...) to ``carecall card`` output.

Each enricher is ``fn(ctx, out, today)`` and edits ``out`` in place.
"""

from __future__ import annotations

ENRICHERS: list = []


def enrich(ctx, out: dict, today) -> None:
    for fn in ENRICHERS:
        fn(ctx, out, today)
