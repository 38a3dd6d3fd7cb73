"""The missed-calls page: the callback list with colours by age, Enter calls back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.telephony.events import EventKind, utcnow
from app.telephony.missed import AgeClass

COLOURS = {  # light backgrounds, dark text stays readable
    AgeClass.WITHIN_20_MIN: "#d9f2d9",
    AgeClass.SAME_DAY: "#fff0c2",
    AgeClass.OLDER: "#f8d0d0",
}


class MissedCallsPage(QWidget):
    #: the administrator asked to call back (E.164 or the raw number)
    callback_requested = Signal(str)
    #: the list was (re)loaded: number of open entries
    loaded = Signal(int)

    def __init__(self, service, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("missed_calls_page")
        self.service = service
        self.runner = runner
        self.entries = []
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("missed_summary")
        top.addWidget(self.summary, 1)
        self.show_closed = QCheckBox(self.tr("Show today's called back"))
        self.show_closed.toggled.connect(self.reload)
        top.addWidget(self.show_closed)
        self.call_btn = QPushButton(self.tr("Call back (Enter)"))
        self.call_btn.setObjectName("call_back_button")
        self.call_btn.clicked.connect(self.call_back)
        top.addWidget(self.call_btn)
        lay.addLayout(top)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("missed_table")
        self.table.setHorizontalHeaderLabels([self.tr("Missed at"), self.tr("Number"), self.tr("Patient"),
                                              self.tr("Reason"), self.tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _i: self.call_back())
        lay.addWidget(self.table, 1)
        legend = QLabel(self.tr("Green: within 20 minutes · Amber: same day · Red: older"))
        legend.setObjectName("missed_legend")
        lay.addWidget(legend)
        for key in ("Return", "Enter"):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self.call_back)

    def reload(self) -> None:
        since = None
        if self.show_closed.isChecked():
            now = utcnow().astimezone()
            since = now.replace(hour=0, minute=0, second=0, microsecond=0)
        missed = self.service.missed
        self.runner.run(lambda: missed.entries(include_closed_since=since), self._show)

    @Slot(object)
    def on_call_updated(self, upd) -> None:
        if upd.missed or upd.event.kind == EventKind.ANSWERED:
            self.reload()

    def _show(self, entries) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        open_n = 0
        for r, e in enumerate(entries):
            local = e.missed_at.astimezone()
            status = (self.tr("called back %1").replace("%1", e.closed_at.astimezone().strftime("%H:%M"))
                      if e.closed_at else self.tr("not yet called back"))
            open_n += e.closed_at is None
            values = [local.strftime("%d.%m %H:%M"), e.display, e.patient_name or self.tr("unknown caller"),
                      e.reason, status]
            for c, v in enumerate(values):
                it = QTableWidgetItem(v)
                it.setBackground(QBrush(QColor(COLOURS[e.age_class])))
                it.setForeground(QBrush(QColor("#1a1a1a")))
                it.setData(Qt.ItemDataRole.UserRole, str(e.age_class))
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()  # the number and "not yet called back" unclipped
        if entries and not self.table.selectedItems():
            self.table.selectRow(0)
        self.summary.setText(self.tr("%n call(s) to return", "", open_n))
        self.call_btn.setEnabled(bool(entries) and self.service.can_dial)
        self.loaded.emit(open_n)

    def call_back(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self.entries:
            return
        e = self.entries[rows[0].row()]
        self.callback_requested.emit(e.dial_string)
