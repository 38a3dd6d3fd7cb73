"""Review and training UI (issue 6): library, player, tagging, scorecards, case review,
meeting mode, reports, sign-in. Widgets call the services in app.review; they keep no
business state beyond what they show."""

from __future__ import annotations

import sys


def _pyside_none_refcount_guard() -> bool:
    """PySide6 6.12.0 on Python 3.11 returns ``None`` from every void method (setText,
    QPainter.drawLine, ...) without taking a reference, so each call lowers None's reference
    count by one; after a few thousand calls CPython aborts with "none_dealloc: deallocating
    None". Python 3.12+ has an immortal None and 6.11.x does not have the bug. Until the
    project pins PySide6 < 6.12 (or moves to Python 3.12), give None a huge reference count
    once, which is what 3.12's immortality amounts to. Returns True when applied."""
    if sys.version_info >= (3, 12):
        return False
    try:
        import PySide6
    except ImportError:
        return False
    if not PySide6.__version__.startswith("6.12."):
        return False
    import ctypes

    refcnt = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field (CPython)
    if refcnt.value < (1 << 40):
        refcnt.value += 1 << 40
    return True


NONE_GUARD = _pyside_none_refcount_guard()
