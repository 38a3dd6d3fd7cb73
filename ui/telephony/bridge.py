"""From telephony threads to the UI thread: queued signals, never a widget touched elsewhere."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from app.telephony.events import EventKind

log = logging.getLogger("carecall.ui.telephony")


class TelephonyBridge(QObject):
    """Lives on the UI thread. ``post_*`` may be called from any thread (softphone reader, AMI,
    webhook); the signals are then delivered queued on the UI thread.

    With a window, a ringing (or dialled) number goes straight to
    ``MainWindow.show_incoming(number, direction, source)``: the card pops before the call row
    is written."""

    #: a CallEvent from the source (ringing, dialing, answered, hungup, hold, resume)
    call_event = Signal(object)
    #: a CallUpdate after the tracker wrote the row (call_db_id, missed...)
    call_updated = Signal(object)
    #: a StatusEvent (softphone died / restarted, AMI login failed...)
    status_changed = Signal(object)

    def __init__(self, window=None, parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.call_event.connect(self._on_call_event)

    # any thread
    def post_event(self, ev) -> None:
        self.call_event.emit(ev)

    def post_update(self, upd) -> None:
        self.call_updated.emit(upd)

    def post_status(self, st) -> None:
        self.status_changed.emit(st)

    @Slot(object)
    def _on_call_event(self, ev) -> None:
        if self.window is None or ev.kind not in (EventKind.RINGING, EventKind.DIALING):
            return
        try:
            self.window.show_incoming(ev.number, ev.direction, str(ev.source))
        except Exception:  # noqa: BLE001 - the card must never take the softphone down
            log.exception("cannot show the incoming call %r", ev.number)
