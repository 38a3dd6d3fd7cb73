"""A number shared by several patients: never a silent pick. The administrator chooses.

Keys: digits 1-9 open that person, Up/Down and Enter open the selected one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.card import Lookup, PatientSummary
from ui import labels


class Chooser(QWidget):
    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chooser")
        self.matches: list[PatientSummary] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        self.title = QLabel()
        self.title.setObjectName("chooser_title")
        self.title.setWordWrap(True)
        self.hint = QLabel(self.tr("Ask who is calling, then press the number or Enter."))
        self.hint.setObjectName("hint")
        self.list = QListWidget()
        self.list.setObjectName("chooser_list")
        self.list.itemActivated.connect(self._on_item_activated)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        lay.addWidget(self.list, 1)
        self.setFocusProxy(self.list)
        for n in range(1, 10):
            sc = QShortcut(QKeySequence(str(n)), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda n=n: self.choose_number(n))

    def show_lookup(self, lk: Lookup) -> None:
        self.matches = list(lk.matches)
        self.title.setText(
            self.tr("%1 patients share the number %2: who is calling?")
            .replace("%1", str(len(self.matches))).replace("%2", lk.display)
        )
        self.list.clear()
        for i, m in enumerate(self.matches, 1):
            parts = [m.full_name]
            if m.family_role:
                parts.append(m.family_role)
            parts.append(labels.age(m.age))
            prefix = f"{i}.  " if i <= 9 else "     "
            item = QListWidgetItem(prefix + ", ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.list.addItem(item)
        if self.matches:
            self.list.setCurrentRow(0)

    def rows(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def choose_number(self, n: int) -> None:
        if 1 <= n <= len(self.matches):
            self.chosen.emit(self.matches[n - 1].id)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
