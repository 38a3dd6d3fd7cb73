"""Settings page: which inputs carry the administrator and the caller (remembered per user)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.settings import SettingsError, save_user_choice

SAME_DEVICE = ""  # caller_device "": channel 2 of the administrator's device


class AudioDevicePage(QWidget):
    saved = Signal(str, str)  # admin device, caller device

    def __init__(self, audio_settings, devices, user_settings: Path | None = None,
                 parent: QWidget | None = None) -> None:
        """``devices``: :func:`app.recording.capture.list_input_devices` (InputDevice list)."""
        super().__init__(parent)
        self._settings = audio_settings
        self._user_settings = user_settings
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.admin = QComboBox(self)
        self.admin.setObjectName("admin_device")
        self.caller = QComboBox(self)
        self.caller.setObjectName("caller_device")
        self.admin.addItem(self.tr("System default input"), "")
        self.caller.addItem(self.tr("Second channel of the administrator's input"), SAME_DEVICE)
        for d in devices:
            self.admin.addItem(d.label, d.name)
            self.caller.addItem(d.label, d.name)
        for combo, current in ((self.admin, audio_settings.admin_device), (self.caller, audio_settings.caller_device)):
            i = combo.findData(current)
            if i < 0 and current:  # remembered device not plugged in now: keep it visible
                combo.addItem(self.tr("%1 (not connected)").replace("%1", current), current)
                i = combo.count() - 1
            combo.setCurrentIndex(max(i, 0))
        form.addRow(self.tr("&Administrator (headset microphone):"), self.admin)
        form.addRow(self.tr("&Caller (loopback or line-in):"), self.caller)
        lay.addLayout(form)
        if not devices:
            lay.addWidget(QLabel(self.tr("No audio inputs found on this computer."), self))
        self.message = QLabel(self)
        self.message.setObjectName("device_message")
        lay.addWidget(self.message)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.clicked.connect(self._on_save)
        lay.addWidget(self.save_button)
        lay.addStretch(1)

    def _on_save(self) -> None:
        admin, caller = self.admin.currentData(), self.caller.currentData()
        try:
            save_user_choice("audio", "admin_device", admin, self._user_settings)
            save_user_choice("audio", "caller_device", caller, self._user_settings)
        except (SettingsError, OSError) as e:
            self.message.setText(self.tr("Not saved: %1").replace("%1", str(e)))
            return
        self._settings.admin_device = admin
        self._settings.caller_device = caller
        self.message.setText(self.tr("Saved. Used from the next call."))
        self.saved.emit(admin, caller)
