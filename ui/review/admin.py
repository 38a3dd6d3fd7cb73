"""Review settings: the tag taxonomy (supervisor, manager), the retention period and the
audit log (manager only)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.review.access import Action, Principal
from app.review.services import ReviewServices
from ui.review import labels


class ReviewAdminPage(QWidget):
    changed = Signal()

    def __init__(self, services: ReviewServices, principal: Principal, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.rs = services
        self.principal = principal
        self.runner = runner
        lay = QVBoxLayout(self)
        self.status = QLabel()

        # taxonomy
        self.tag_table = QTableWidget(0, 3)
        self.tag_table.setHorizontalHeaderLabels([self.tr("Tag"), self.tr("Key"), self.tr("Kind")])
        self.tag_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tag_table.verticalHeader().setVisible(False)
        self.tag_table.horizontalHeader().setStretchLastSection(True)
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText(self.tr("New tag, e.g. \u201coffered a staged plan\u201d"))
        self.new_key = QComboBox()
        self.new_key.addItem(self.tr("no key"), "")
        for k in "123456789":
            self.new_key.addItem(k, k)
        self.new_polarity = QComboBox()
        for text, val in ((self.tr("good"), 1), (self.tr("neutral"), 0), (self.tr("bad"), -1)):
            self.new_polarity.addItem(text, val)
        self.new_polarity.setCurrentIndex(1)
        self.add_tag_btn = QPushButton(self.tr("Add tag"))
        tg = QGroupBox(self.tr("Tags"))
        tl = QVBoxLayout(tg)
        tl.addWidget(self.tag_table)
        row = QHBoxLayout()
        for w in (self.new_tag, self.new_key, self.new_polarity, self.add_tag_btn):
            row.addWidget(w)
        tl.addLayout(row)
        tg.setVisible(principal.can(Action.EDIT_TAXONOMY))
        lay.addWidget(tg, 1)

        # retention + audit (manager)
        self.retention_days = QSpinBox()
        self.retention_days.setRange(1, 365 * 25)
        self.retention_days.setSuffix(self.tr(" days"))
        self.apply_retention_btn = QPushButton(self.tr("Save period"))
        self.run_retention_btn = QPushButton(self.tr("Delete older recordings now"))
        self.run_retention_btn.setEnabled(self.rs.recordings is not None)
        rg = QGroupBox(self.tr("Keep recordings for"))
        rl = QHBoxLayout(rg)
        for w in (self.retention_days, self.apply_retention_btn, self.run_retention_btn):
            rl.addWidget(w)
        rl.addStretch(1)
        self.audit_table = QTableWidget(0, 5)
        self.audit_table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Action"),
                                                    self.tr("Object"), self.tr("Details")])
        self.audit_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.audit_table.verticalHeader().setVisible(False)
        self.audit_table.horizontalHeader().setStretchLastSection(True)
        ag = QGroupBox(self.tr("Audit log"))
        al = QVBoxLayout(ag)
        al.addWidget(self.audit_table)
        manager = principal.can(Action.RETENTION)
        rg.setVisible(manager)
        ag.setVisible(principal.can(Action.VIEW_AUDIT))
        lay.addWidget(rg)
        lay.addWidget(ag, 2)
        lay.addWidget(self.status)

        self.add_tag_btn.clicked.connect(self.add_tag)
        self.new_tag.returnPressed.connect(self.add_tag)
        self.apply_retention_btn.clicked.connect(self.save_retention)
        self.run_retention_btn.clicked.connect(self.run_retention)
        self.refresh()

    def refresh(self) -> None:
        tags = self.rs.tags.taxonomy()
        self.tag_table.setRowCount(len(tags))
        kinds = {1: self.tr("good"), 0: self.tr("neutral"), -1: self.tr("bad")}
        for i, t in enumerate(tags):
            for j, v in enumerate((labels.tag(t.name), t.hotkey, kinds.get(t.polarity, ""))):
                self.tag_table.setItem(i, j, QTableWidgetItem(v))
        if self.principal.can(Action.RETENTION):
            self.retention_days.setValue(self._retention().period_days() if self.rs.recordings is not None
                                         else self.rs.retention_days)
        if self.principal.can(Action.VIEW_AUDIT):
            rows = self.rs.audit.entries(self.principal, limit=300)
            self.audit_table.setRowCount(len(rows))
            for i, r in enumerate(rows):
                vals = (r.at.astimezone().strftime("%d.%m.%Y %H:%M:%S"), r.login, r.action,
                        f"{r.object_type} {r.object_id}".strip(), r.details)
                for j, v in enumerate(vals):
                    it = QTableWidgetItem(v)
                    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.audit_table.setItem(i, j, it)

    def _retention(self):
        from app.review.retention import RetentionService

        return RetentionService(self.rs.sessions, self.rs.recordings, self.rs.retention_days)

    def add_tag(self) -> None:
        try:
            self.rs.tags.add_tag(self.principal, self.new_tag.text(), self.new_polarity.currentData(),
                                 self.new_key.currentData())
        except Exception as e:  # noqa: BLE001
            self.status.setText(str(e))
            return
        self.new_tag.clear()
        self.refresh()
        self.changed.emit()

    def save_retention(self) -> None:
        try:
            self._retention().set_period(self.principal, self.retention_days.value())
        except Exception as e:  # noqa: BLE001
            self.status.setText(str(e))
            return
        self.status.setText(self.tr("Recordings are kept for %1 days").replace("%1", str(self.retention_days.value())))
        self.refresh()

    def run_retention(self) -> None:
        svc = self._retention()

        def done(res) -> None:
            self.status.setText(self.tr("Deleted %1 recording(s)").replace("%1", str(len(res.deleted))))
            self.refresh()

        self.runner.run(lambda: svc.run(self.principal), done, lambda e: self.status.setText(str(e)))
