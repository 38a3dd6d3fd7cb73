"""Telephony in the window: the call bar, the missed-calls page, and the bridge from the
softphone / AMI / webhook threads to the UI thread.

``install_telephony(window, ctx, runner)`` is called by ``ui.main`` once the window exists.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

log = logging.getLogger("carecall.ui.telephony")


class TelephonyUi(QObject):
    def __init__(self, window, service, runner):
        super().__init__(window)
        from ui.telephony.bridge import TelephonyBridge
        from ui.telephony.call_bar import CallBar
        from ui.telephony.missed_page import MissedCallsPage

        self.window = window
        self.service = service
        self.bridge = TelephonyBridge(window, self)
        self.bar = CallBar(service, runner, window)
        self.page = MissedCallsPage(service, runner)
        window.add_status_widget(self.bar, 1)
        window.add_page(self.page, self.tr("Missed calls"), "Ctrl+M")
        service.events.add(self.bridge.post_event)
        service.updates.add(self.bridge.post_update)
        service.statuses.add(self.bridge.post_status)
        self.bridge.call_event.connect(self.bar.on_call_event)
        self.bridge.call_updated.connect(self.bar.on_call_updated)
        self.bridge.call_updated.connect(self.page.on_call_updated)
        self.bridge.status_changed.connect(self._on_status)
        self.page.callback_requested.connect(self.bar.dial)
        self.page.reload()

    def _on_status(self, st) -> None:
        texts = {
            "ready": self.tr("Softphone ready"),
            "died": self.tr("The softphone stopped unexpectedly; restarting it. A call in progress was kept as interrupted."),
            "restarting": self.tr("Restarting the softphone…"),
            "error": self.tr("Softphone problem: %1"),
            "connected": self.tr("Connected to the PBX"),
            "disconnected": self.tr("No connection to the PBX; retrying…"),
            "login_failed": self.tr("The PBX refused the login: %1"),
        }
        text = texts.get(st.state)
        if text:
            self.window.statusBar().showMessage(text.replace("%1", st.message), 15000 if st.state != "login_failed" else 0)

    def start(self, wait: float = 0.0) -> None:
        try:
            self.service.start(wait=wait)
        except Exception as e:  # noqa: BLE001 - shown plainly; the window still works without a phone
            log.error("telephony did not start: %s", e)
            self.window.statusBar().showMessage(self.tr("Telephony is off: %1").replace("%1", str(e)), 0)

    def stop(self) -> None:
        self.service.stop()


def install_telephony(window, ctx, runner, start: bool = True) -> TelephonyUi | None:
    """Add the call bar and the missed-calls page to *window*, start the configured source."""
    try:
        ui = TelephonyUi(window, ctx.telephony, runner)
    except Exception:  # noqa: BLE001 - the caller window matters more than telephony
        log.exception("cannot set up telephony")
        return None
    if start and ctx.settings.telephony.source != "none":
        ui.start()
    return ui
