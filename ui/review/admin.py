"""Review settings: the tag taxonomy (supervisor, manager), the retention period and the
audit log (manager only)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
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

        # trackers
        self.tracker_table = QTableWidget(0, 4)
        self.tracker_table.setHorizontalHeaderLabels([self.tr("Tracker"), self.tr("Who says it"), self.tr("Tag"),
                                                      self.tr("Phrases (any word form)")])
        self.tracker_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tracker_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tracker_table.verticalHeader().setVisible(False)
        self.tracker_table.horizontalHeader().setStretchLastSection(True)
        self.tr_name = QLineEdit()
        self.tr_name.setPlaceholderText(self.tr("Tracker name"))
        self.tr_speaker = QComboBox()
        self.tr_speaker.addItem(self.tr("anyone"), None)
        self.tr_speaker.addItem(self.tr("administrator"), 0)
        self.tr_speaker.addItem(self.tr("caller"), 1)
        self.tr_tag = QLineEdit()
        self.tr_tag.setPlaceholderText(self.tr("Tag it applies"))
        self.tr_phrases = QLineEdit()
        self.tr_phrases.setPlaceholderText(self.tr("Phrases separated by ';', e.g. рассрочка; оплата частями; запис*"))
        self.save_tracker_btn = QPushButton(self.tr("Save tracker"))
        trg = QGroupBox(self.tr("Keyword and phrase trackers"))
        trl = QVBoxLayout(trg)
        trl.addWidget(self.tracker_table)
        trow = QHBoxLayout()
        for w in (self.tr_name, self.tr_speaker, self.tr_tag):
            trow.addWidget(w)
        trl.addLayout(trow)
        trow2 = QHBoxLayout()
        trow2.addWidget(self.tr_phrases, 1)
        trow2.addWidget(self.save_tracker_btn)
        trl.addLayout(trow2)
        trg.setVisible(principal.can(Action.EDIT_TAXONOMY))
        lay.addWidget(trg, 1)
        self.save_tracker_btn.clicked.connect(self.save_tracker)
        self.tracker_table.itemSelectionChanged.connect(self._on_tracker_chosen)

        # a new scorecard
        self.card_name = QLineEdit()
        self.card_name.setPlaceholderText(self.tr("Scorecard name"))
        self.card_items = QTableWidget(0, 4)
        self.card_items.setHorizontalHeaderLabels([self.tr("Checkpoint"), self.tr("Weight"), self.tr("Max points"),
                                                   self.tr("Instant fail")])
        self.card_items.verticalHeader().setVisible(False)
        self.card_items.horizontalHeader().setStretchLastSection(False)
        self.card_items.setColumnWidth(0, 420)
        self.add_item_btn = QPushButton(self.tr("Add checkpoint"))
        self.save_card_btn = QPushButton(self.tr("Save scorecard"))
        cg = QGroupBox(self.tr("New scorecard"))
        cl = QVBoxLayout(cg)
        cl.addWidget(self.card_name)
        cl.addWidget(self.card_items)
        crow = QHBoxLayout()
        crow.addWidget(self.add_item_btn)
        crow.addStretch(1)
        crow.addWidget(self.save_card_btn)
        cl.addLayout(crow)
        cg.setVisible(principal.can(Action.EDIT_TAXONOMY))
        lay.addWidget(cg, 1)

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
        # users (manager)
        self.user_table = QTableWidget(0, 4)
        self.user_table.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Name"), self.tr("Role"),
                                                   self.tr("Active")])
        self.user_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.user_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.user_table.verticalHeader().setVisible(False)
        self.user_table.horizontalHeader().setStretchLastSection(True)
        self.u_login = QLineEdit()
        self.u_login.setPlaceholderText(self.tr("login"))
        self.u_name = QLineEdit()
        self.u_name.setPlaceholderText(self.tr("full name"))
        self.u_role = QComboBox()
        for r in ("administrator", "supervisor", "trainer", "manager"):
            self.u_role.addItem(labels.role(r), r)
        self.u_password = QLineEdit()
        self.u_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.u_password.setPlaceholderText(self.tr("password (8+ characters)"))
        self.add_user_btn = QPushButton(self.tr("Add user"))
        self.set_role_btn = QPushButton(self.tr("Set role of selected"))
        self.reset_pw_btn = QPushButton(self.tr("Set password of selected"))
        self.toggle_user_btn = QPushButton(self.tr("Disable / enable selected"))
        ug = QGroupBox(self.tr("Users"))
        ul = QVBoxLayout(ug)
        ul.addWidget(self.user_table)
        urow = QHBoxLayout()
        for w in (self.u_login, self.u_name, self.u_role, self.u_password, self.add_user_btn):
            urow.addWidget(w)
        ul.addLayout(urow)
        urow2 = QHBoxLayout()
        for w in (self.set_role_btn, self.reset_pw_btn, self.toggle_user_btn):
            urow2.addWidget(w)
        urow2.addStretch(1)
        ul.addLayout(urow2)
        ug.setVisible(principal.can(Action.MANAGE_USERS))
        lay.addWidget(ug, 1)
        self.add_user_btn.clicked.connect(self.add_user)
        self.set_role_btn.clicked.connect(self._on_set_role)
        self.reset_pw_btn.clicked.connect(self._on_reset_password)
        self.toggle_user_btn.clicked.connect(self._on_toggle_user)

        manager = principal.can(Action.RETENTION)
        rg.setVisible(manager)
        ag.setVisible(principal.can(Action.VIEW_AUDIT))
        lay.addWidget(rg)
        lay.addWidget(ag, 2)
        lay.addWidget(self.status)

        self.add_item_btn.clicked.connect(lambda: self.add_checkpoint())
        self.save_card_btn.clicked.connect(self.save_scorecard)
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
        self.trackers = self.rs.tags.trackers()
        self.tracker_table.setRowCount(len(self.trackers))
        who = {None: self.tr("anyone"), 0: self.tr("administrator"), 1: self.tr("caller")}
        for i, t in enumerate(self.trackers):
            for j, v in enumerate((t.name, who.get(t.speaker, ""), labels.tag(t.tag or ""), "; ".join(t.phrases))):
                self.tracker_table.setItem(i, j, QTableWidgetItem(v))
        if self.principal.can(Action.MANAGE_USERS):
            self.users = self.rs.users.list(self.principal)
            self.user_table.setRowCount(len(self.users))
            for i, u in enumerate(self.users):
                for j, v in enumerate((u.login, u.full_name, labels.role(u.role),
                                       self.tr("yes") if u.active else self.tr("no"))):
                    self.user_table.setItem(i, j, QTableWidgetItem(v))
        if self.principal.can(Action.VIEW_AUDIT):
            rows = self.rs.audit.entries(self.principal, limit=300)
            self.audit_table.setRowCount(len(rows))
            for i, r in enumerate(rows):
                vals = (r.at.astimezone().strftime("%d.%m.%Y %H:%M:%S"), r.login, labels.audit_action(r.action),
                        f"{r.object_type} {r.object_id}".strip(), r.details)
                for j, v in enumerate(vals):
                    it = QTableWidgetItem(v)
                    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.audit_table.setItem(i, j, it)

    def _on_tracker_chosen(self) -> None:
        r = self.tracker_table.currentRow()
        if 0 <= r < len(self.trackers):
            t = self.trackers[r]
            self.tr_name.setText(t.name)
            self.tr_speaker.setCurrentIndex(max(0, self.tr_speaker.findData(t.speaker)) if t.speaker is not None else 0)
            self.tr_tag.setText(t.tag or "")
            self.tr_phrases.setText("; ".join(t.phrases))

    def save_tracker(self) -> bool:
        name = self.tr_name.text().strip()
        phrases = [p.strip() for p in self.tr_phrases.text().split(";") if p.strip()]
        if not name or not phrases:
            self.status.setText(self.tr("A tracker needs a name and at least one phrase"))
            return False
        try:
            self.rs.tags.save_tracker(self.principal, name, phrases, self.tr_tag.text().strip() or None,
                                      self.tr_speaker.currentData())
        except Exception as e:  # noqa: BLE001
            self.status.setText(str(e))
            return False
        self.status.setText(self.tr("Tracker saved; it applies to calls analysed from now on"))
        self.refresh()
        self.changed.emit()
        return True

    def add_checkpoint(self, text: str = "", weight: float = 1.0, max_points: int = 1,
                       instant_fail: bool = False) -> int:
        r = self.card_items.rowCount()
        self.card_items.insertRow(r)
        self.card_items.setItem(r, 0, QTableWidgetItem(text))
        w = QDoubleSpinBox()
        w.setRange(0, 100)
        w.setValue(weight)
        m = QSpinBox()
        m.setRange(1, 100)
        m.setValue(max_points)
        f = QCheckBox()
        f.setChecked(instant_fail)
        self.card_items.setCellWidget(r, 1, w)
        self.card_items.setCellWidget(r, 2, m)
        self.card_items.setCellWidget(r, 3, f)
        return r

    def save_scorecard(self) -> int | None:
        from app.review.scorecards import ItemDef

        items = []
        for r in range(self.card_items.rowCount()):
            it = self.card_items.item(r, 0)
            text = it.text().strip() if it else ""
            if not text:
                continue
            items.append(ItemDef(text, self.card_items.cellWidget(r, 1).value(),
                                 self.card_items.cellWidget(r, 2).value(), self.card_items.cellWidget(r, 3).isChecked()))
        try:
            cid = self.rs.scorecards.save_scorecard(self.principal, self.card_name.text().strip(), items)
        except Exception as e:  # noqa: BLE001
            self.status.setText(str(e))
            return None
        self.status.setText(self.tr("Scorecard saved"))
        self.card_name.clear()
        self.card_items.setRowCount(0)
        self.changed.emit()
        return cid

    def _user_action(self, fn) -> bool:
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - refusals and bad input are shown
            self.status.setText(str(e))
            return False
        self.refresh()
        return True

    def _selected_login(self) -> str | None:
        r = self.user_table.currentRow()
        return self.users[r].login if 0 <= r < len(getattr(self, "users", [])) else None

    def add_user(self) -> bool:
        ok = self._user_action(lambda: self.rs.users.add(self.principal, self.u_login.text(), self.u_name.text(),
                                                         self.u_role.currentData(), self.u_password.text()))
        if ok:
            self.status.setText(self.tr("User %1 added").replace("%1", self.u_login.text().strip()))
            for w in (self.u_login, self.u_name, self.u_password):
                w.clear()
        return ok

    def _on_set_role(self) -> None:
        login = self._selected_login()
        if login:
            self._user_action(lambda: self.rs.users.set_role(self.principal, login, self.u_role.currentData()))

    def _on_reset_password(self) -> None:
        login = self._selected_login()
        if login:
            if self._user_action(lambda: self.rs.users.set_password(self.principal, login, self.u_password.text())):
                self.u_password.clear()
                self.status.setText(self.tr("Password set for %1").replace("%1", login))

    def _on_toggle_user(self) -> None:
        r = self.user_table.currentRow()
        if 0 <= r < len(getattr(self, "users", [])):
            u = self.users[r]
            if u.login == self.principal.login:
                self.status.setText(self.tr("You cannot disable yourself"))
                return
            self._user_action(lambda: self.rs.users.set_active(self.principal, u.login, not u.active))

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

        self.runner.run(lambda: svc.run(self.principal), done, lambda e: self.status.setText(str(e)), receiver=self)
