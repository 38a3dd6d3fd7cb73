"""The tag palette: the taxonomy as buttons with number keys; automatic tags shown as such,
with confirm / remove for a supervisor."""

from __future__ import annotations

from typing import Callable

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


COLUMNS = 3  # tag buttons per row


class TagPalette(QWidget):
    """Press 1..9 (while the palette or the player has focus) to toggle the tag with that key.

    Reads and changes go through the task runner (``runner``; immediate without one): a tag
    write waits for the database's write lock, which the transcription worker also takes."""

    tags_changed = Signal(int)  # call id
    failed = Signal(str)

    def __init__(self, tags: TagService, principal: Principal, parent: QWidget | None = None, runner=None,
                 taxonomy: list | None = None):
        """``taxonomy``: ``tags.taxonomy()`` read beforehand on a worker thread (read here when None)."""
        super().__init__(parent)
        self.tags = tags
        self.principal = principal
        if runner is None:
            from ui.tasks import SyncRunner

            runner = SyncRunner()
        self.runner = runner
        self.call_id: int | None = None
        #: the tags applied to ``call_id`` as last shown (``AppliedTag``)
        self.applied_tags: list = []
        self._changes: list = []  # (call id, change, notify) waiting for the one running
        self._changing = False
        self._asked = self._answered = 0  # numbered reads: an older answer never replaces a newer one
        self.buttons: dict[int, QPushButton] = {}
        self.applied = QListWidget()
        self.applied.setMaximumHeight(120)
        self.confirm_btn = QPushButton(self.tr("Confirm"))
        self.remove_btn = QPushButton(self.tr("Remove"))
        self.confirm_btn.setToolTip(self.tr("Confirm the selected automatic tag"))
        # the buttons beside the applied tags, not above them: the call library's table above
        # the palette keeps room for its rows in a 1366 x 820 window (6 rows, against 2 when the
        # applied list and its buttons came below the buttons)
        grid = QGridLayout()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(self.tr("Tags (number keys toggle):")))
        body = QHBoxLayout()
        lay.addLayout(body)
        body.addLayout(grid, 3)
        side = QVBoxLayout()
        body.addLayout(side, 1)
        side.addWidget(self.applied, 1)
        row = QHBoxLayout()
        row.addWidget(self.confirm_btn)
        row.addWidget(self.remove_btn)
        side.addLayout(row)
        can = principal.can(Action.TAG)
        for n, t in enumerate(self.tags.taxonomy() if taxonomy is None else taxonomy):
            label = f"{t.hotkey}  {labels.tag(t.name)}" if t.hotkey else labels.tag(t.name)
            b = QPushButton(label)
            b.setCheckable(True)
            b.setEnabled(can)
            b.setProperty("tag_id", t.id)
            b.setProperty("hotkey", t.hotkey)
            b.clicked.connect(lambda _c=False, tid=t.id: self.toggle(tid))
            grid.addWidget(b, n // COLUMNS, n % COLUMNS)
            self.buttons[t.id] = b
        self.confirm_btn.setEnabled(can)
        self.remove_btn.setEnabled(can)
        self.confirm_btn.clicked.connect(self._on_confirm)
        self.remove_btn.clicked.connect(self._on_remove)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_call(self, call_id: int | None) -> None:
        """Show *call_id*'s tags (read on the runner)."""
        self.call_id = call_id
        self.refresh()

    def show_tags(self, call_id: int | None, applied: list) -> None:
        """Show *call_id* with tags already read elsewhere (e.g. with the rest of the call)."""
        self.call_id = call_id
        self._show(applied)

    def reading(self, call_id: int) -> Callable[[list], None]:
        """Switch to *call_id* now, its tags to be read elsewhere (with the rest of the call, in
        one task): returns what shows them, on the UI thread. An answer that comes after a newer
        one, or for a call no longer chosen, is not shown."""
        self.call_id = call_id
        self._asked += 1
        n = self._asked
        return lambda applied: self._shown_for(n, call_id, applied)

    def refresh(self) -> None:
        cid = self.call_id
        if cid is None:
            self._show([])
            return
        self.runner.run(lambda: self.tags.call_tags(self.principal, cid), self.reading(cid),
                        lambda e: self.failed.emit(str(e)), receiver=self)

    def _shown_for(self, n: int, call_id: int, applied: list, changed: bool = False) -> None:
        if call_id != self.call_id or n < self._answered:
            return  # another call was selected meanwhile, or a newer answer is on screen
        self._answered = n
        self._show(applied)
        if changed:
            self.tags_changed.emit(call_id)

    def _show(self, applied: list) -> None:
        self.applied_tags = list(applied)
        self.applied.clear()
        on = set()
        for t in self.applied_tags:
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

    def _change(self, change, notify: bool) -> None:
        """Run *change* (a TagService write) and read the call's tags again, on the runner.
        Changes run one after another in the order they were asked for: "4" pressed twice
        quickly is on, then off, never two concurrent toggles of the same tag."""
        cid = self.call_id
        if cid is None:
            return
        self._changes.append((cid, change, notify))
        if not self._changing:
            self._next_change()

    def _next_change(self) -> None:
        if not self._changes:
            self._changing = False
            return
        self._changing = True
        cid, change, notify = self._changes.pop(0)
        failures: list[str] = []
        self._asked += 1
        n = self._asked

        def work():
            try:
                change(cid)
            except Exception as e:  # noqa: BLE001 - refusals are shown, not raised into Qt
                failures.append(str(e))
            return self.tags.call_tags(self.principal, cid)

        def done(applied: list) -> None:
            for msg in failures:
                self.failed.emit(msg)
            self._shown_for(n, cid, applied, changed=notify)
            self._next_change()

        def failed(e: BaseException) -> None:
            self.failed.emit(str(e))
            self._next_change()

        self.runner.run(work, done, failed, receiver=self)

    def toggle(self, tag_id: int) -> None:
        self._change(lambda cid: self.tags.toggle(self.principal, cid, tag_id), notify=True)

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
            self._change(lambda cid: self.tags.confirm(self.principal, cid, tid), notify=False)

    def _on_remove(self) -> None:
        tid = self._selected()
        if tid is not None and self.call_id is not None:
            self._change(lambda cid: self.tags.remove(self.principal, cid, tid), notify=True)
