"""The supervisor's script editor: edit a situation's script with a live preview on a real
patient; saving stores a new version (the old ones stay, calls keep pointing at theirs)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.scripts.renderer import ScriptError
from app.situations import ALL, PatientFacts, Situation, detect
from ui.scripts.panel import now_local, situation_title


class ScriptEditor(QWidget):
    #: a new version was saved: (situation, version)
    saved = Signal(str, int)

    def __init__(self, scripts, cards, runner, author: str = "", now: Callable[[], datetime] = now_local,
                 role: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.role = role
        self.setObjectName("script_editor")
        self.scripts_service, self.cards, self.runner, self.author, self.now = scripts, cards, runner, author, now
        self.facts: PatientFacts | None = None
        self.current_version = None

        lay = QVBoxLayout(self)
        self.lock_label = QLabel()
        self.lock_label.setObjectName("editor_lock")
        self.lock_label.setWordWrap(True)
        lay.addWidget(self.lock_label)
        form = QFormLayout()
        self.situation = QComboBox()
        for code in ALL:
            self.situation.addItem(situation_title(code), code)
        self.language = QComboBox()
        self.language.addItem(self.tr("Russian"), "ru")
        self.language.addItem(self.tr("English"), "en")
        form.addRow(self.tr("Situation"), self.situation)
        form.addRow(self.tr("Language"), self.language)
        prow = QHBoxLayout()
        self.patient_query = QLineEdit()
        self.patient_query.setPlaceholderText(self.tr("Name or phone of a real patient for the preview"))
        self.patient_find = QPushButton(self.tr("Find"))
        self.patient = QComboBox()
        self.patient.setMinimumWidth(260)
        prow.addWidget(self.patient_query, 1)
        prow.addWidget(self.patient_find)
        prow.addWidget(self.patient, 1)
        form.addRow(self.tr("Preview patient"), prow)
        lay.addLayout(form)
        split = QSplitter()
        self.body = QPlainTextEdit()
        self.body.setObjectName("script_body")
        self.preview = QTextBrowser()
        self.preview.setObjectName("script_preview")
        split.addWidget(self.body)
        split.addWidget(self.preview)
        lay.addWidget(split, 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("script_error")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        lay.addWidget(self.error_label)
        row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("What changed (optional)"))
        self.save_button = QPushButton(self.tr("Save as a new version"))
        self.save_button.setToolTip("Ctrl+S")
        self.version_label = QLabel()
        self.version_label.setObjectName("editor_version")
        row.addWidget(self.version_label, 1)
        row.addWidget(self.note, 1)
        row.addWidget(self.save_button)
        lay.addLayout(row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.update_preview)
        self.body.textChanged.connect(self._timer.start)
        self.situation.currentIndexChanged.connect(self._on_script_chosen)
        self.language.currentIndexChanged.connect(self._on_script_chosen)
        self.patient_find.clicked.connect(self._on_find)
        self.patient_query.returnPressed.connect(self._on_find)
        self.patient.currentIndexChanged.connect(self._on_patient_chosen)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self._on_script_chosen()
        self._apply_role()

    # --- who may edit -------------------------------------------------------------------
    def may_edit(self) -> bool:
        from app.scripts.service import EDITOR_ROLES

        return self.role in EDITOR_ROLES

    def set_principal(self, principal) -> None:
        """The signed-in person (``app.review.access.Principal``) or None after signing out."""
        self.role = str(principal.role) if principal is not None else None
        if principal is not None:
            self.author = principal.login
        self._apply_role()

    def _apply_role(self) -> None:
        ok = self.may_edit()
        self.body.setReadOnly(not ok)
        self.note.setEnabled(ok)
        self.lock_label.setVisible(not ok)
        self.lock_label.setText(self.tr("Read only: sign in as a supervisor (Review page) to edit scripts."))
        self.update_preview()

    # --- choosing ---------------------------------------------------------------------
    def code(self) -> str:
        return self.situation.currentData()

    def lang(self) -> str:
        return self.language.currentData()

    def _on_script_chosen(self, *_):
        code, lang = self.code(), self.lang()

        def done(v) -> None:
            self.current_version = v
            self.version_label.setText(self.tr("Version %1 by %2").replace("%1", str(v.version))
                                       .replace("%2", v.author or "-"))
            self.body.setPlainText(v.body)
            self.update_preview()

        self.runner.run(lambda: self.scripts_service.current(code, lang), done, self._on_error)

    def _on_find(self) -> None:
        q = self.patient_query.text()
        self.runner.run(lambda: self.cards.search(q, 20), self._on_found, self._on_error)

    def _on_found(self, rows) -> None:
        self.patient.blockSignals(True)
        self.patient.clear()
        for r in rows:
            self.patient.addItem(f"{r.full_name} ({', '.join(r.phones[:1])})", r.id)
        self.patient.blockSignals(False)
        if rows:
            self.patient.setCurrentIndex(0)
            self._on_patient_chosen()
        else:
            self.error_label.setText(self.tr("No patient found"))

    def choose_patient(self, patient_id: int) -> None:
        """Preview on this patient (also used by the tests and by 'open in editor')."""
        now = self.now()
        self.runner.run(lambda: self.scripts_service.situations.facts(patient_id, now), self._on_facts,
                        self._on_error)

    def _on_patient_chosen(self, *_):
        pid = self.patient.currentData()
        if pid is not None:
            self.choose_patient(pid)

    def _on_facts(self, facts: PatientFacts) -> None:
        self.facts = facts
        self.update_preview()

    # --- preview and save -----------------------------------------------------------------
    def update_preview(self) -> None:
        if not self.body.toPlainText().strip():
            return  # the script is still loading
        facts = self.facts or PatientFacts(None)
        now = self.now()
        found = [s for s in detect(facts, now, self.scripts_service.situations.rules) if s.code == self.code()] \
            if facts.patient_id is not None else []
        sit = found[0] if found else Situation(self.code(), 0, "", None, {})
        try:
            r = self.scripts_service.render_body(self.body.toPlainText(), facts, sit, now, self.lang())
        except ScriptError as e:
            self.error_label.setText(str(e))
            self.save_button.setEnabled(False)
            return
        self.error_label.setText("" if found or facts.patient_id is None else self.tr(
            "This situation does not apply to the patient today: neutral phrases are shown."))
        self.save_button.setEnabled(self.may_edit())
        checklist = "".join(f"<li>{c['text']}</li>" for c in r.checklist)
        self.preview.setPlainText("")
        self.preview.setHtml(
            f"<h3>{r.title}</h3>" + "".join(f"<p>{b['text']}</p>" for b in r.blocks)
            + (f"<h4>{self.tr('Checklist')}</h4><ul>{checklist}</ul>" if checklist else ""))

    def save(self) -> None:
        if not self.may_edit():
            return
        body, code, lang, note = self.body.toPlainText(), self.code(), self.lang(), self.note.text()
        author, role = self.author, self.role

        def done(v) -> None:
            self.current_version = v
            self.version_label.setText(self.tr("Saved as version %1").replace("%1", str(v.version)))
            self.note.clear()
            self.saved.emit(code, v.version)

        self.runner.run(lambda: self.scripts_service.save(code, body, author, note, lang, role), done, self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        self.error_label.setText(str(exc))
