"""An unknown number: the "new caller" card with a quick create form (the number prefilled).

Only the last and first names and the sex are required; everything else can wait for the
visit. Ctrl+S or Enter saves; the new card opens at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import phones
from app.card import CardService


class NewCallerForm(QWidget):
    created = Signal(int)
    cancelled = Signal()

    def __init__(self, cards: CardService, runner, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("new_caller")
        self._cards = cards
        self._runner = runner
        self._today = today
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        self.title = QLabel()
        self.title.setObjectName("new_caller_title")
        self.title.setWordWrap(True)
        self.hint = QLabel(self.tr("No patient has this number. Ask the name and create the card:"))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(4)
        self.phone = QLineEdit()
        self.last_name = QLineEdit()
        self.first_name = QLineEdit()
        self.patronymic = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("DD.MM.YYYY, optional"))
        self.comments = QLineEdit()
        self.comments.setPlaceholderText(self.tr("why they call, optional"))
        self.female = QRadioButton(self.tr("&Female"))
        self.male = QRadioButton(self.tr("&Male"))
        self.sex_group = QButtonGroup(self)
        self.sex_group.addButton(self.female)
        self.sex_group.addButton(self.male)
        sex_row = QHBoxLayout()
        sex_row.addWidget(self.female)
        sex_row.addWidget(self.male)
        sex_row.addStretch(1)
        self.errors: dict[str, QLabel] = {}

        def add(key: str, title: str, field) -> None:
            err = QLabel()
            err.setObjectName("field_error")
            err.setVisible(False)
            self.errors[key] = err
            box = QVBoxLayout()
            box.setSpacing(0)
            if isinstance(field, QHBoxLayout):
                box.addLayout(field)
            else:
                field.setObjectName(f"new_{key}")
                box.addWidget(field)
            box.addWidget(err)
            form.addRow(title, box)

        add("phone", self.tr("Phone"), self.phone)
        add("last_name", self.tr("Last name"), self.last_name)
        add("first_name", self.tr("First name"), self.first_name)
        add("patronymic", self.tr("Patronymic"), self.patronymic)
        add("sex", self.tr("Sex"), sex_row)
        add("birth_date", self.tr("Birth date"), self.birth_date)
        add("comments", self.tr("Comment"), self.comments)
        form_box = QWidget()
        form_box.setObjectName("new_caller_form")
        form_box.setMaximumWidth(760)
        form_box.setLayout(form)
        form.setContentsMargins(0, 8, 0, 8)
        lay.addWidget(form_box)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Create card (Ctrl+S)"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Back (Esc)"))
        self.cancel_button.clicked.connect(self.cancelled.emit)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("form_status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        lay.addStretch(1)

        for field in (self.phone, self.last_name, self.first_name, self.patronymic, self.birth_date, self.comments):
            field.returnPressed.connect(self.save)
        self.patronymic.textEdited.connect(self._guess_sex)
        sc = QShortcut(QKeySequence("Ctrl+S"), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(self.save)

    def start(self, number_display: str = "") -> None:
        """Empty the form for a caller; *number_display* is prefilled."""
        for f in (self.last_name, self.first_name, self.patronymic, self.birth_date, self.comments):
            f.clear()
        self.sex_group.setExclusive(False)
        self.female.setChecked(False)
        self.male.setChecked(False)
        self.sex_group.setExclusive(True)
        self.phone.setText(number_display)
        self.title.setText(self.tr("New caller: %1").replace("%1", number_display) if number_display
                           else self.tr("New patient"))
        self.hint.setVisible(bool(number_display))
        self._clear_errors()
        self.status.clear()
        self.save_button.setEnabled(True)
        self.last_name.setFocus()

    def error_texts(self) -> dict[str, str]:
        return {k: lab.text() for k, lab in self.errors.items() if not lab.isHidden() and lab.text()}

    # ------------------------------------------------------------------------------------
    def _guess_sex(self, text: str) -> None:
        if self.sex_group.checkedButton() is not None:
            return
        t = text.strip().lower()
        if t.endswith(("вна", "чна", "кызы")):
            self.female.setChecked(True)
        elif t.endswith(("вич", "ьич", "оглы")):
            self.male.setChecked(True)

    def _clear_errors(self) -> None:
        for lab in self.errors.values():
            lab.clear()
            lab.setVisible(False)

    def _error(self, key: str, text: str) -> None:
        self.errors[key].setText(text)
        self.errors[key].setVisible(True)

    def validate(self) -> dict | None:
        self._clear_errors()
        ok = True
        data: dict = {}
        try:
            phones.normalize(self.phone.text(), self._cards.region)
            data["phone"] = self.phone.text().strip()
        except phones.PhoneError as e:
            self._error("phone", self.tr("Not a valid phone number: check the digits"))
            self.errors["phone"].setToolTip(str(e))
            ok = False
        for key, field in (("last_name", self.last_name), ("first_name", self.first_name)):
            if not field.text().strip():
                self._error(key, self.tr("Required"))
                ok = False
            data[key] = field.text().strip()
        data["patronymic"] = self.patronymic.text().strip()
        if self.female.isChecked():
            data["sex"] = "F"
        elif self.male.isChecked():
            data["sex"] = "M"
        else:
            self._error("sex", self.tr("Choose female or male (Alt+F / Alt+M)"))
            ok = False
        text = self.birth_date.text().strip()
        data["birth_date"] = None
        if text:
            try:
                born = datetime.strptime(text.replace("/", ".").replace("-", "."), "%d.%m.%Y").date()
            except ValueError:
                self._error("birth_date", self.tr("Write the date as DD.MM.YYYY"))
                ok = False
            else:
                if born > self._today() or born.year < 1900:
                    self._error("birth_date", self.tr("This birth date is not possible"))
                    ok = False
                data["birth_date"] = born
        data["comments"] = self.comments.text().strip()
        if not ok:
            for key, field in (("phone", self.phone), ("last_name", self.last_name),
                               ("first_name", self.first_name), ("birth_date", self.birth_date)):
                if self.errors[key].isVisibleTo(self):
                    field.setFocus()
                    break
            return None
        return data

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        data = self.validate()
        if data is None:
            return
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        cards = self._cards
        self._runner.run(
            lambda: cards.create_patient(data["last_name"], data["first_name"], data["patronymic"], data["sex"],
                                         data["phone"], data["birth_date"], data["comments"]),
            self._on_saved, self._on_failed,
        )

    def _on_saved(self, patient_id: int) -> None:
        self.status.clear()
        self.save_button.setEnabled(True)
        self.created.emit(patient_id)

    def _on_failed(self, exc: BaseException) -> None:
        import logging

        logging.getLogger("carecall.ui").warning("quick create failed: %s", exc)
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Could not save the card: %1").replace("%1", str(exc)))
