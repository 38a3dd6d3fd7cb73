"""One logger per area (carecall.<area>) writing to a rotating file."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.settings import Settings

FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"


def setup_logging(settings: Settings, console: bool = False) -> Path:
    d = settings.logging.resolved_dir()
    d.mkdir(parents=True, exist_ok=True)
    path = d / "carecall.log"
    root = logging.getLogger("carecall")
    root.setLevel(settings.logging.level)
    for h in list(root.handlers):
        if getattr(h, "_carecall", False):
            root.removeHandler(h)
            h.close()
    fh = logging.handlers.RotatingFileHandler(
        path, maxBytes=settings.logging.max_bytes, backupCount=settings.logging.backups, encoding="utf-8"
    )
    fh.setFormatter(logging.Formatter(FORMAT))
    fh._carecall = True  # type: ignore[attr-defined]
    root.addHandler(fh)
    if console:
        ch = logging.StreamHandler()
        ch.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        ch.setLevel(logging.WARNING)
        ch._carecall = True  # type: ignore[attr-defined]
        root.addHandler(ch)
    return path
