"""Style-sheet looks that change at run time: a widget's property or object name that a rule of
the clinic style sheet matches (``QLabel#comments[empty="true"]``, ``QFrame#incoming_banner[warn=
"true"]``, ``QLabel#stage_overdue``). Qt applies such a rule only when the widget is polished
again, and a re-polish sets its font and palette anew and lays it (and what holds it) out again:
1-4 ms a widget, and for the banner the whole window (scripts/bench_ui_stall.py). So it is done
only when the look really changes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def repolish(w: QWidget) -> None:
    """Apply the style sheet to *w* again (after a property or name its rules match changed)."""
    w.style().unpolish(w)
    w.style().polish(w)


def set_look(w: QWidget, name: str, value: bool) -> None:
    """Set the style-sheet property *name* of *w* to *value*; re-polished only if it changed."""
    if w.property(name) is value:
        return
    w.setProperty(name, value)
    repolish(w)
