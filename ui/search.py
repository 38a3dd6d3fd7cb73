"""Search by name or phone while the phone rings: type, Up/Down, Enter.

The search field lives in the window's top bar; :class:`SearchResults` is the list shown in
the card area. Queries run through the task runner; a slow answer to an old query is dropped.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.card import CardService, PatientSummary
from ui import labels


class SearchResults(QWidget):
    """The result list. Emits ``chosen(patient_id)`` and ``results_shown(query, count)``."""

    chosen = Signal(int)
    results_shown = Signal(str, int)
    #: the field was emptied or Esc pressed: the window goes back to the card
    cancelled = Signal()

    DELAY_MS = 150

    def __init__(self, field: QLineEdit, cards: CardService, runner, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("search_results")
        self._field = field
        self._cards = cards
        self._runner = runner
        self._today = today
        self._seq = 0
        self.results: list[PatientSummary] = []
        self.query = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        self.title = QLabel()
        self.title.setObjectName("results_title")
        self.list = QListWidget()
        self.list.setObjectName("results_list")
        self.list.itemActivated.connect(lambda it: self.chosen.emit(int(it.data(Qt.ItemDataRole.UserRole))))
        lay.addWidget(self.title)
        lay.addWidget(self.list, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self._start)
        field.textEdited.connect(self._on_text_edited)
        field.returnPressed.connect(self._on_return)
        field.installEventFilter(self)

    # typing -------------------------------------------------------------------------------
    def _on_text_edited(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._seq += 1
            self.cancelled.emit()
            return
        self._timer.start()

    def search_now(self, text: str | None = None) -> None:
        if text is not None:
            self._field.setText(text)
        self._timer.stop()
        self._start()

    def _start(self) -> None:
        q = self._field.text().strip()
        if not q:
            return
        self._seq += 1
        seq = self._seq
        today = self._today()
        self._runner.run(lambda: self._cards.search(q, limit=50, today=today),
                         lambda res: self._on_results(seq, q, res))

    def _on_results(self, seq: int, q: str, res: list[PatientSummary]) -> None:
        if seq != self._seq:
            return  # an older query answered late
        self.query = q
        self.results = res
        self.list.clear()
        for m in res:
            parts = [m.full_name, labels.age(m.age)]
            if m.phones:
                parts.append(", ".join(m.phones[:2]))
            item = QListWidgetItem("  ·  ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.list.addItem(item)
        if res:
            self.list.setCurrentRow(0)
            self.title.setText(self.tr("Found %1 for “%2” — Up/Down to pick, Enter to open")
                               .replace("%1", str(len(res))).replace("%2", q))
        else:
            self.title.setText(self.tr("Nobody found for “%1”").replace("%1", q))
        self.results_shown.emit(q, len(res))

    # keys in the field ------------------------------------------------------------------------
    def _on_return(self) -> None:
        if self._timer.isActive() or self.query != self._field.text().strip():
            # Enter before the results arrived: search now and open the first one then
            self._open_first_when_ready()
            return
        self.open_current()

    def _open_first_when_ready(self) -> None:
        def once(_q: str, n: int) -> None:
            self.results_shown.disconnect(once)
            if n:
                self.open_current()

        self.results_shown.connect(once)
        self.search_now()

    def open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if obj is self._field and ev.type() == QEvent.Type.KeyPress and self.list.count() and self.isVisible():
            key = ev.key()
            row = self.list.currentRow()
            if key == Qt.Key.Key_Down:
                self.list.setCurrentRow(min(row + 1, self.list.count() - 1))
                return True
            if key == Qt.Key.Key_Up:
                self.list.setCurrentRow(max(row - 1, 0))
                return True
        return super().eventFilter(obj, ev)
