"""The script panel next to the card: the top situation's script, the other situations one
click away, the checklist to tick during the call, quick answers to objections."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Callable

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QToolBox,
    QVBoxLayout,
    QWidget,
)

from app.scripts.renderer import RenderedScript
from app.situations import Situation


def situation_title(code: str) -> str:
    """The situation's name in the UI language."""
    return {
        "confirmation": QCoreApplication.translate("Situations", "Visit confirmation"),
        "follow_up": QCoreApplication.translate("Situations", "Follow-up after a visit"),
        "return_consultation": QCoreApplication.translate("Situations", "Return after a consultation"),
        "continued_treatment": QCoreApplication.translate("Situations", "Continued treatment"),
        "prevention": QCoreApplication.translate("Situations", "Check-up invitation"),
        "return_lapsed": QCoreApplication.translate("Situations", "Lapsed patient"),
        "referral_thanks": QCoreApplication.translate("Situations", "Thanks for a referral"),
        "birthday": QCoreApplication.translate("Situations", "Birthday"),
        "new_patient": QCoreApplication.translate("Situations", "New patient"),
        "messages": QCoreApplication.translate("Situations", "Messages"),
    }.get(code, code)


def now_local() -> datetime:
    return datetime.now().astimezone()


class ScriptPanel(QWidget):
    """Shows rendered scripts (plain data from :class:`app.scripts.service.ScriptService`).

    ``load_patient(id)`` / ``load_new_caller(display)`` fetch through the task runner;
    ``show_scripts(situations, scripts)`` shows given data. Alt+1..9 switch situations.
    """

    #: the ticked checklist changed: {code: bool}
    checklist_changed = Signal(dict)
    #: another situation's script is shown (situation code)
    situation_changed = Signal(str)

    def __init__(self, scripts=None, runner=None, now: Callable[[], datetime] = now_local,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("script_panel")
        self.scripts_service = scripts
        self.runner = runner
        self.now = now
        self.situations: list[Situation] = []
        self.scripts: list[RenderedScript] = []
        self.current = -1
        self._seq = 0
        self.checks: dict[str, QCheckBox] = {}

        lay = QVBoxLayout(self)
        self.empty_label = QLabel(self.tr("Open a card to see why the clinic calls this patient."))
        self.empty_label.setWordWrap(True)
        lay.addWidget(self.empty_label)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("situation_reason")
        self.reason_label.setWordWrap(True)
        lay.addWidget(self.reason_label)
        self.buttons_row = QHBoxLayout()
        lay.addLayout(self.buttons_row)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(self._on_situation_clicked)
        self.buttons: list[QPushButton] = []
        self.text = QTextBrowser()
        self.text.setObjectName("script_text")
        self.text.setOpenLinks(False)
        lay.addWidget(self.text, 3)
        self.checklist_box = QGroupBox(self.tr("Checklist"))
        self.checklist_layout = QVBoxLayout(self.checklist_box)
        lay.addWidget(self.checklist_box)
        self.objections = QToolBox()
        self.objections.setObjectName("objections")
        lay.addWidget(QLabel(self.tr("Objections: quick answers")))
        lay.addWidget(self.objections, 1)
        self.version_label = QLabel()
        self.version_label.setObjectName("script_version")
        lay.addWidget(self.version_label)
        for i in range(9):
            sc = QShortcut(QKeySequence(f"Alt+{i + 1}"), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda i=i: self.select(i))
        self._show_nothing()

    # --- loading ------------------------------------------------------------------------
    def load_patient(self, patient_id: int) -> None:
        self._load(lambda: self.scripts_service.for_patient(patient_id, self.now()))

    def load_new_caller(self, phone_display: str = "") -> None:
        self._load(lambda: self.scripts_service.for_patient(None, self.now(), phone_display=phone_display))

    def _load(self, fn) -> None:
        self._seq += 1
        seq = self._seq

        def done(res) -> None:
            if seq == self._seq:
                self.show_scripts(*res)

        def failed(exc: BaseException) -> None:
            if seq == self._seq:
                self._show_nothing(self.tr("The script could not be loaded: %1").replace("%1", str(exc)))

        self.runner.run(fn, done, failed)

    # --- showing ------------------------------------------------------------------------
    def show_scripts(self, situations: list[Situation], scripts: list[RenderedScript]) -> None:
        self.situations, self.scripts = list(situations), list(scripts)
        for b in self.buttons:
            self.group.removeButton(b)
            b.deleteLater()
        self.buttons = []
        if not scripts:
            self._show_nothing(self.tr("Nothing due for this patient today: no outbound script."))
            return
        self.empty_label.hide()
        for i, s in enumerate(situations):
            b = QPushButton(situation_title(s.code))
            b.setCheckable(True)
            b.setToolTip(f"Alt+{i + 1}" if i < 9 else "")
            b.setObjectName(f"situation_{s.code}")
            self.group.addButton(b, i)
            self.buttons_row.addWidget(b)
            self.buttons.append(b)
        self.select(0)

    def select(self, index: int) -> None:
        if not (0 <= index < len(self.scripts)):
            return
        self.current = index
        self.buttons[index].setChecked(True)
        sc, sit = self.scripts[index], self.situations[index]
        ru = QLocale().language() == QLocale.Language.Russian
        self.reason_label.setText(sit.reason_ru if ru and sit.reason_ru else sit.reason)
        paras = "".join(
            f'<p class="{b["kind"]}">{"<b>" if b["kind"] == "bonus" else ""}{html.escape(b["text"])}'
            f'{"</b>" if b["kind"] == "bonus" else ""}</p>' for b in sc.blocks)
        self.text.setHtml(f"<h3>{html.escape(sc.title)}</h3>{paras}")
        for cb in self.checks.values():
            self.checklist_layout.removeWidget(cb)
            cb.deleteLater()
        self.checks = {}
        for item in sc.checklist:
            cb = QCheckBox(item["text"])
            cb.setObjectName(f"check_{item['code']}")
            cb.toggled.connect(self._on_check_toggled)
            self.checklist_layout.addWidget(cb)
            self.checks[item["code"]] = cb
        self.checklist_box.setVisible(bool(self.checks))
        self._show_objections(sc.objections)
        self.version_label.setText(self.tr("Script version %1").replace("%1", str(sc.version or "-")))
        self.situation_changed.emit(sit.code)
        self.checklist_changed.emit(self.checklist())

    def _show_objections(self, objections: list[dict]) -> None:
        """The objections as the tool box's pages, the first one open. The pages already there
        are reused (new text): each added page is a button and a scroll area, which cost ~2 ms
        apiece on the UI thread under the style sheet, 9 ms a card (scripts/bench_ui_stall.py)."""
        box = self.objections
        while box.count() > len(objections):
            w = box.widget(box.count() - 1)
            box.removeItem(box.count() - 1)
            w.deleteLater()
        for i, o in enumerate(objections):
            if i < box.count():
                box.widget(i).setText(o["answer"])
                box.setItemText(i, o["question"])
                continue
            lbl = QLabel(o["answer"])
            lbl.setWordWrap(True)
            lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addItem(lbl, o["question"])
        if box.count():
            box.setCurrentIndex(0)

    def _show_nothing(self, message: str = "") -> None:
        self.situations, self.scripts, self.current = [], [], -1
        self.empty_label.setText(message or self.tr("Open a card to see why the clinic calls this patient."))
        self.empty_label.show()
        self.reason_label.setText("")
        self.text.clear()
        self.checklist_box.hide()
        self.version_label.setText("")

    # --- state ----------------------------------------------------------------------------
    def checklist(self) -> dict[str, bool]:
        return {code: cb.isChecked() for code, cb in self.checks.items()}

    def current_script(self) -> RenderedScript | None:
        return self.scripts[self.current] if 0 <= self.current < len(self.scripts) else None

    def save_to_call(self, call_id: int, on_done: Callable[[object], None] | None = None) -> None:
        """Store the shown script version and the ticked checklist with the call."""
        sc = self.current_script()
        if sc is None:
            return
        checklist, sid, code = self.checklist(), sc.version_id, sc.situation
        self.runner.run(lambda: self.scripts_service.record_on_call(call_id, sid, checklist, code), on_done)

    def _on_situation_clicked(self, index: int) -> None:
        self.select(index)

    def _on_check_toggled(self, _checked: bool) -> None:
        self.checklist_changed.emit(self.checklist())
