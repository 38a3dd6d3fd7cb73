"""Today's outbound call lists: counts per list, the entries with reason, channel and priority,
take/release an entry, call it, record the outcome."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import phones
from app.domain import Disposition
from ui.scripts.panel import situation_title


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class CallListPage(QWidget):
    #: the administrator wants to call this patient on this number (patient id, E.164)
    call_requested = Signal(int, str)
    #: an entry is now the administrator's (entry id)
    entry_claimed = Signal(int)

    COLUMNS = ["Patient", "Phone", "Channel", "Reason", "Priority", "Due", "Status", "Attempts"]

    def __init__(self, call_lists, runner, who: str, today: Callable[[], date] = date.today,
                 now: Callable[[], datetime] = _utcnow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("call_list_page")
        self.service, self.runner, self.who, self.today, self.now = call_lists, runner, who, today, now
        self.entries = []
        self.mine: int | None = None  # the entry this administrator holds

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("lists_title")
        self.build_button = QPushButton(self.tr("Build today's lists"))
        self.next_button = QPushButton(self.tr("Take next"))
        self.next_button.setToolTip("Ctrl+Shift+N")
        top.addWidget(self.title, 1)
        top.addWidget(self.build_button)
        top.addWidget(self.next_button)
        lay.addLayout(top)
        split = QSplitter()
        self.lists = QListWidget()
        self.lists.setObjectName("lists")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("entries")
        self.table.setHorizontalHeaderLabels([
            self.tr("Patient"), self.tr("Phone"), self.tr("Channel"), self.tr("Reason"), self.tr("Priority"),
            self.tr("Due"), self.tr("Status"), self.tr("Attempts")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.lists)
        split.addWidget(self.table)
        split.setStretchFactor(1, 4)
        split.setSizes([300, 1000])  # the list names ("Подтверждение визита — 5 из 5 ждут") fit
        lay.addWidget(split, 1)
        bottom = QHBoxLayout()
        self.call_button = QPushButton(self.tr("Call"))
        self.call_button.setToolTip("Ctrl+Return")
        self.release_button = QPushButton(self.tr("Release"))
        self.disposition = QComboBox()
        for d in Disposition:
            self.disposition.addItem(self._disposition_title(d), d.value)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note: the reason for declining, when to call back..."))
        self.record_button = QPushButton(self.tr("Record outcome"))
        self.status = QLabel()
        self.status.setObjectName("lists_status")
        for w in (self.call_button, self.release_button, self.disposition, self.note, self.record_button):
            bottom.addWidget(w, 1 if w is self.note else 0)
        lay.addLayout(bottom)
        lay.addWidget(self.status)

        self.build_button.clicked.connect(self.build)
        self.next_button.clicked.connect(self.take_next)
        self.lists.currentItemChanged.connect(self._on_list_chosen)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.call_button.clicked.connect(self.call_selected)
        self.release_button.clicked.connect(self.release)
        self.record_button.clicked.connect(self.record)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self.take_next)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.call_selected)
        self._update_buttons()

    def _disposition_title(self, d: str) -> str:
        return {
            "booked": self.tr("Booked"), "call_back": self.tr("Call back"), "declined": self.tr("Declined"),
            "no_answer": self.tr("No answer"), "wrong_number": self.tr("Wrong number"),
            "info_given": self.tr("Informed / message sent"), "complaint": self.tr("Complaint"),
            "other": self.tr("Other"),
        }.get(d, d)

    # --- loading ------------------------------------------------------------------------
    def refresh(self) -> None:
        day = self.today()
        self.title.setText(self.tr("Call lists for %1").replace("%1", day.strftime("%d.%m.%Y")))
        self.runner.run(lambda: self.service.lists(day), self._on_lists, self._on_error)

    def _on_lists(self, lists) -> None:
        keep = self.current_list()
        self.lists.blockSignals(True)
        self.lists.clear()
        for l in lists:
            it = QListWidgetItem(self.tr("%1 — %2 open of %3").replace("%1", situation_title(l.name))
                                 .replace("%2", str(l.open)).replace("%3", str(l.total)))
            it.setData(Qt.ItemDataRole.UserRole, l.name)
            self.lists.addItem(it)
        self.lists.blockSignals(False)
        if not lists:
            self.status.setText(self.tr("No lists for today yet: build them."))
            self._on_entries([])
            return
        names = [l.name for l in lists]
        self.lists.setCurrentRow(names.index(keep) if keep in names else 0)

    def current_list(self) -> str | None:
        it = self.lists.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def _on_list_chosen(self, *_):
        name, day = self.current_list(), self.today()
        if name:
            self.runner.run(lambda: self.service.entries(day, name), self._on_entries, self._on_error)

    def _on_entries(self, entries) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            fam = f" (+{len(e.member_ids) - 1})" if len(e.member_ids) > 1 else ""
            vals = [e.patient_name + fam, phones.display(e.phone_e164), self._channel_title(e.channel), e.reason,
                    str(e.priority), e.due_at.astimezone().strftime("%H:%M"), self._status_title(e), str(e.attempts)]
            for c, v in enumerate(vals):
                item = QTableWidgetItem(v)
                item.setToolTip(v)  # the reason is often longer than its column
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()  # names, phones and statuses unclipped
        self._update_buttons()

    def _channel_title(self, code: str) -> str:
        return {"phone": self.tr("phone"), "email": self.tr("e-mail")}.get(code, code)  # WhatsApp, SMS: as is

    def _status_title(self, e) -> str:
        if e.status == "claimed":
            return self.tr("taken by %1").replace("%1", e.claimed_by)
        return {"open": self.tr("open"), "done": self.tr("done"), "exhausted": self.tr("attempts used up"),
                "lapsed": self.tr("no longer due")}.get(
            e.status, e.status)

    # --- actions ------------------------------------------------------------------------
    def build(self) -> None:
        day = self.today()
        self.runner.run(lambda: self.service.build(day), self._on_built, self._on_error)

    def _on_built(self, counts) -> None:
        self.status.setText(self.tr("Added %1 entries").replace("%1", str(sum(counts.values()))))
        self.refresh()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def take_next(self) -> None:
        day, now, who, name = self.today(), self.now(), self.who, self.current_list()
        self.runner.run(lambda: self.service.claim_next(day, who, now, name), self._on_taken, self._on_error)

    def _on_taken(self, e) -> None:
        if e is None:
            self.status.setText(self.tr("Nothing to call right now in this list."))
            return
        self.mine = e.id
        self.status.setText(self.tr("Yours: %1").replace("%1", e.patient_name))
        self.entry_claimed.emit(e.id)
        self._on_list_chosen()

    def call_selected(self) -> None:
        e = self.selected()
        if e is None:
            return
        now, who = self.now(), self.who

        def claimed(view) -> None:
            self.mine = view.id
            self.entry_claimed.emit(view.id)
            self.status.setText(self.tr("Calling %1").replace("%1", view.patient_name))
            self.call_requested.emit(view.patient_id, view.phone_e164)
            self._on_list_chosen()

        self.runner.run(lambda: self.service.claim(e.id, who, now), claimed, self._on_error)

    def release(self) -> None:
        e = self.selected()
        if e is None:
            return
        self.runner.run(lambda: self.service.release(e.id, self.who), lambda _: self._after_release(), self._on_error)

    def _after_release(self) -> None:
        self.mine = None
        self.status.setText(self.tr("Released"))
        self._on_list_chosen()

    def record(self) -> None:
        e = self.selected()
        if e is None:
            return
        disp, note, now, who = self.disposition.currentData(), self.note.text(), self.now(), self.who

        def done(view) -> None:
            self.note.clear()
            self.mine = None
            self.status.setText(self.tr("Recorded: %1").replace("%1", self._disposition_title(view.disposition)))
            self.refresh()

        self.runner.run(lambda: self.service.record(e.id, who, disp, now, note), done, self._on_error)

    def _update_buttons(self) -> None:
        e = self.selected() if self.table.selectionModel() else None
        open_ = e is not None and e.status in ("open", "claimed")
        for b in (self.call_button, self.record_button):
            b.setEnabled(open_)
        self.release_button.setEnabled(e is not None and e.status == "claimed" and e.claimed_by == self.who)

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self._on_list_chosen()
