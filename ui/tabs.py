"""A tab widget that does not repaint all of itself whenever something inside a page re-lays out.

``QTabWidget`` answers every ``LayoutRequest`` by placing its tab bar and page stack again and
calling ``update()`` on its whole rectangle (``QTabWidget::setUpLayout``). A page's layout sends
it one whenever anything in the page changes its size hint, which a label does when its text
changes. So a new caller's card, a selected call's analysis or a search hint repainted the whole
page area (and every container in it) once more after the change itself had been painted:
2-7 window-sized repaints per action, 5-7 ms each on the UI thread (scripts/bench_ui_stall.py
``--paint-stats``; docs/ui.md "UI responsiveness benchmark", round 4).

``TabWidget`` lets a ``LayoutRequest`` through only when something it lays out itself can have
changed: the tab bar's size hint, the corner widgets', or whether the tab bar shows. Otherwise
the page has already laid itself out inside the same rectangle, and Qt repaints what changed in
it. A resize, showing the widget, adding or removing tabs and a page's minimum size growing
(it reaches the window's layout through the page stack's own minimum size) work as before;
tests/ui/test_tabs.py checks each against QTabWidget.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QTabWidget


class TabWidget(QTabWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._laid_out: tuple | None = None

    def _layout_key(self) -> tuple:
        bar = self.tabBar()
        corners = tuple((c.sizeHint(), c.isVisibleTo(self)) if c is not None else None
                        for c in (self.cornerWidget(Qt.Corner.TopRightCorner),
                                  self.cornerWidget(Qt.Corner.TopLeftCorner)))
        return self.size(), self.count(), bar.isVisibleTo(self), bar.sizeHint(), corners

    def event(self, e: QEvent) -> bool:  # noqa: D401 - Qt's override
        if e.type() == QEvent.Type.LayoutRequest and self.isVisible():
            key = self._layout_key()
            if key == self._laid_out:
                return True  # nothing of ours moves; the page re-laid itself out
            self._laid_out = key
        return super().event(e)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt's name
        self._laid_out = None
        super().resizeEvent(e)

    def showEvent(self, e) -> None:  # noqa: N802 - Qt's name
        self._laid_out = None
        super().showEvent(e)

    def tabInserted(self, index: int) -> None:  # noqa: N802 - Qt's name
        self._laid_out = None
        super().tabInserted(index)

    def tabRemoved(self, index: int) -> None:  # noqa: N802 - Qt's name
        self._laid_out = None
        super().tabRemoved(index)
