"""Cross-workstation freshness in the window: change events from :mod:`app.sync` delivered on
the UI thread.

    bridge = ChangeBridge(ctx.engine, parent=window)
    bridge.disposition_saved.connect(lambda call_id, patient_id, disposition: ...)
    follow_open_card(bridge, window)   # reload the open card when its patient changes elsewhere
    bridge.start(); ...; bridge.stop()  # stop before ctx.close()
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.sync import ChangeEvent, ChangeNotifier


class ChangeBridge(QObject):
    # raw events (list[ChangeEvent]) on the UI thread
    changed = Signal(list)
    # call id, patient id (0 = no patient), disposition
    disposition_saved = Signal(int, int, str)
    # a MIS import changed data (kind)
    imported = Signal(str)
    _arrived = Signal(list)

    def __init__(self, engine, poll_interval: float = 1.0, parent: QObject | None = None):
        super().__init__(parent)
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        self.notifier = ChangeNotifier(engine, self._arrived.emit, poll_interval)

    def start(self) -> None:
        self.notifier.start()

    def stop(self) -> None:
        self.notifier.stop()

    @Slot(list)
    def _on_arrived(self, events: list[ChangeEvent]) -> None:
        self.changed.emit(events)
        for e in events:
            if e.topic == "call_disposition":
                self.disposition_saved.emit(e.entity_id or 0, e.patient_id or 0, e.detail)
            elif e.topic == "import":
                self.imported.emit(e.detail)


def follow_open_card(bridge: ChangeBridge, window) -> None:
    """Reload the window's open card when a disposition for that patient is saved anywhere.

    ``window`` needs the ``patient_opened(int)`` signal and ``reload_card()`` of MainWindow.
    """
    state = {"patient": 0}
    window.patient_opened.connect(lambda pid: state.__setitem__("patient", pid))

    def on_saved(_call_id: int, patient_id: int, _disposition: str) -> None:
        if patient_id and patient_id == state["patient"]:
            window.reload_card()

    bridge.disposition_saved.connect(on_saved)
