"""The status-bar recording indicator: "● REC", or why the call is not recorded."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget


class RecordingIndicator(QLabel):
    state_shown = Signal(str)  # the text now shown ("" when idle)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recording_indicator")
        self.show_idle()

    def _set(self, text: str, style: str, tip: str = "") -> None:
        self.setText(text)
        self.setStyleSheet(style)
        self.setToolTip(tip)
        self.setVisible(bool(text))
        self.state_shown.emit(text)

    def show_idle(self) -> None:
        self._set("", "")

    def show_recording(self) -> None:
        self._set(self.tr("● REC"), "color: #c62828; font-weight: bold;",
                  self.tr("This call is being recorded (both sides, encrypted)"))

    def show_not_recorded(self, reason: str) -> None:
        texts = {
            "no_consent": self.tr("not recorded: no consent"),
            "unknown_caller_off": self.tr("not recorded: unknown caller"),
            "disabled": self.tr("not recorded: recording is off"),
        }
        self._set(texts.get(reason, self.tr("not recorded")), "color: #555;")

    def show_error(self, message: str) -> None:
        self._set(self.tr("not recorded: device problem"), "color: #c62828;", message)

    @Slot(object)
    def show_state(self, state) -> None:
        """Takes an :class:`app.recording.calls.RecordingState`."""
        if state.ended:
            self.show_idle()
        elif state.recording:
            self.show_recording()
        elif state.error:
            self.show_error(state.error)
        else:
            self.show_not_recorded(state.reason.value if state.reason is not None else "")
