"""The tag palette: the taxonomy as buttons with number keys; automatic tags shown as such,
with confirm / remove for a supervisor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.review.access import Action, Principal
from app.review.tags import TagService
from ui.review import labels


class TagPalette(QWidget):
    """Press 1..9 (while the palette or the player has focus) to toggle the tag with that key."""

    tags_changed = Signal(int)  # call id
    failed = Signal(str)

    def __init__(self, tags: TagService, principal: Principal, parent: QWidget | None = None):
        super().__init__(parent)
        self.tags = tags
        self.principal = principal
        self.call_id: int | None = None
        self.buttons: dict[int, QPushButton] = {}
        self.applied = QListWidget()
        self.applied.setMaximumHeight(120)
        self.confirm_btn = QPushButton(self.tr("Confirm"))
        self.remove_btn = QPushButton(self.tr("Remove"))
        self.confirm_btn.setToolTip(self.tr("Confirm the selected automatic tag"))
        grid = QGridLayout()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(self.tr("Tags (number keys toggle):")))
        lay.addLayout(grid)
        lay.addWidget(self.applied)
        row = QHBoxLayout()
        row.addWidget(self.confirm_btn)
        row.addWidget(self.remove_btn)
        row.addStretch(1)
        lay.addLayout(row)
        can = principal.can(Action.TAG)
        for n, t in enumerate(self.tags.taxonomy()):
            label = f"{t.hotkey}  {labels.tag(t.name)}" if t.hotkey else labels.tag(t.name)
            b = QPushButton(label)
            b.setCheckable(True)
            b.setEnabled(can)
            b.setProperty("tag_id", t.id)
            b.setProperty("hotkey", t.hotkey)
            b.clicked.connect(lambda _c=False, tid=t.id: self.toggle(tid))
            grid.addWidget(b, n // 3, n % 3)
            self.buttons[t.id] = b
        self.confirm_btn.setEnabled(can)
        self.remove_btn.setEnabled(can)
        self.confirm_btn.clicked.connect(self._on_confirm)
        self.remove_btn.clicked.connect(self._on_remove)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_call(self, call_id: int | None) -> None:
        self.call_id = call_id
        self.refresh()

    def refresh(self) -> None:
        self.applied.clear()
        on = set()
        if self.call_id is not None:
            for t in self.tags.call_tags(self.principal, self.call_id):
                on.add(t.tag_id)
                mark = "" if t.source == "manual" else (self.tr(" (auto, confirmed)") if t.confirmed
                                                        else self.tr(" (auto)"))
                it = QListWidgetItem(labels.tag(t.name) + mark)
                it.setData(Qt.ItemDataRole.UserRole, t.tag_id)
                if t.evidence:
                    it.setToolTip(t.evidence)
                self.applied.addItem(it)
        for tid, b in self.buttons.items():
            b.setChecked(tid in on)

    def toggle(self, tag_id: int) -> None:
        if self.call_id is None:
            return
        try:
            self.tags.toggle(self.principal, self.call_id, tag_id)
        except Exception as e:  # noqa: BLE001 - refusals are shown, not raised into Qt
            self.failed.emit(str(e))
        self.refresh()
        self.tags_changed.emit(self.call_id)

    def key_for(self, key_text: str) -> int | None:
        for tid, b in self.buttons.items():
            if key_text and b.property("hotkey") == key_text:
                return tid
        return None

    def handle_key(self, key_text: str) -> bool:
        tid = self.key_for(key_text)
        if tid is None or self.call_id is None:
            return False
        self.toggle(tid)
        return True

    def keyPressEvent(self, e) -> None:  # noqa: N802
        if not self.handle_key(e.text()):
            super().keyPressEvent(e)

    def _selected(self) -> int | None:
        it = self.applied.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def _on_confirm(self) -> None:
        tid = self._selected()
        if tid is not None and self.call_id is not None:
            try:
                self.tags.confirm(self.principal, self.call_id, tid)
            except Exception as e:  # noqa: BLE001
                self.failed.emit(str(e))
            self.refresh()

    def _on_remove(self) -> None:
        tid = self._selected()
        if tid is not None and self.call_id is not None:
            try:
                self.tags.remove(self.principal, self.call_id, tid)
            except Exception as e:  # noqa: BLE001
                self.failed.emit(str(e))
            self.refresh()
            self.tags_changed.emit(self.call_id)
