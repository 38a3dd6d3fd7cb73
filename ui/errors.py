"""The exception hook: log the traceback, show a short message with collapsible details.

``install_excepthook()`` replaces ``sys.excepthook``; an unexpected error in a slot no longer
ends the program silently. The dialog has "Copy details" for the support e-mail.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("carecall.ui.errors")


class ErrorDialog(QDialog):
    """A short message for the administrator; the technical details folded away."""

    def __init__(self, message: str, details: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error_dialog")
        self.setWindowTitle(self.tr("CareCall: something went wrong"))
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        self.message_label = QLabel(message)
        self.message_label.setObjectName("error_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.message_label)
        hint = QLabel(self.tr("Your work is saved. If this happens again, send the details to support."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)
        lay.addWidget(self.details)
        row = QHBoxLayout()
        self.details_button = QPushButton(self.tr("Show details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._on_details_toggled)
        self.details_button.setEnabled(bool(details))
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        row.addWidget(self.details_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)

    def _on_details_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        self.adjustSize()

    def copy_details(self) -> None:
        text = self.message_label.text() + "\n\n" + self.details.toPlainText()
        QGuiApplication.clipboard().setText(text)
        self.copy_button.setText(self.tr("Copied"))


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def short_message(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


#: the dialogs shown so far (kept alive; tests look at the last one)
shown_dialogs: list[ErrorDialog] = []


def show_error(exc: BaseException, parent: QWidget | None = None, modal: bool = False) -> ErrorDialog | None:
    """Log *exc* and show the error dialog (non-blocking unless *modal*)."""
    log.error("error shown to the user", exc_info=(type(exc), exc, exc.__traceback__))
    if QApplication.instance() is None:
        return None
    from PySide6.QtCore import QCoreApplication

    msg = QCoreApplication.translate("ErrorDialog", "An unexpected error occurred: %1").replace("%1", short_message(exc))
    dlg = ErrorDialog(msg, format_exception(exc), parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    shown_dialogs.append(dlg)
    del shown_dialogs[:-50]
    if modal:
        dlg.exec()
    else:
        dlg.show()
        if QGuiApplication.platformName() != "offscreen":  # no stacking order there (it warns)
            dlg.raise_()
    return dlg


def excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(etype, KeyboardInterrupt):
        sys.__excepthook__(etype, value, tb)
        return
    if value.__traceback__ is None and tb is not None:
        value = value.with_traceback(tb)
    try:
        show_error(value)
    except Exception:  # noqa: BLE001 - never recurse in the hook
        log.exception("the error dialog itself failed")
        sys.__excepthook__(etype, value, tb)


def install_excepthook() -> None:
    sys.excepthook = excepthook
