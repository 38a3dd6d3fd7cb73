"""The call control bar: who is on the line, answer / hang up / mute / hold / call, and the
disposition of the call that just ended. Every action has a shortcut (see SHORTCUTS)."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app import phones
from app.domain import Disposition
from app.telephony.events import EventKind

log = logging.getLogger("carecall.ui.telephony")

SHORTCUTS = {"answer": "F9", "hangup": "F10", "mute": "F11", "hold": "F12", "dial": "Ctrl+D",
             "save": "Ctrl+S"}


class CallBar(QFrame):
    """Calls the telephony service through the task runner (a ctrl_tcp command may wait)."""

    #: the disposition was saved (call row id, disposition)
    disposition_saved = Signal(int, str)
    #: a call-control command failed (message for the person)
    command_failed = Signal(str)

    def __init__(self, service, runner, window=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("call_bar")
        self.service = service
        self.runner = runner
        self.window = window
        self.state = "idle"  # idle, ringing, dialing, talking, ended
        self.muted = False
        self.held = False
        self.number = ""
        self.call_db_id: int | None = None
        self.ended_call_id: int | None = None
        self._call_ext_id = ""
        self._since = 0.0

        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        self.label = QLabel()
        self.label.setObjectName("call_state")
        lay.addWidget(self.label, 1)
        self.answer_btn = self._button(lay, "answer", self.tr("Answer"), self.answer)
        self.hangup_btn = self._button(lay, "hangup", self.tr("Hang up"), self.hangup)
        self.mute_btn = self._button(lay, "mute", self.tr("Mute"), self.toggle_mute)
        self.hold_btn = self._button(lay, "hold", self.tr("Hold"), self.toggle_hold)
        self.dial_btn = self._button(lay, "dial", self.tr("Call patient"), self.dial_card)
        self.disposition = QComboBox()
        self.disposition.setObjectName("disposition")
        self.disposition.addItem(self.tr("Outcome…"), "")
        for d, text in self._dispositions():
            self.disposition.addItem(text, str(d))
        self.note = QLineEdit()
        self.note.setObjectName("disposition_note")
        self.note.setPlaceholderText(self.tr("Note"))
        self.note.setMinimumWidth(140)  # room for the placeholder and a short note
        self.save_btn = QPushButton(self.tr("Save"))
        self.save_btn.setObjectName("save_disposition")
        self.save_btn.clicked.connect(self.save_disposition)
        self.save_btn.setToolTip(SHORTCUTS["save"])
        for w in (self.disposition, self.note, self.save_btn):
            lay.addWidget(w)
        sc = QShortcut(QKeySequence(SHORTCUTS["save"]), window or self)
        sc.activated.connect(self.save_disposition)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh)
        self._refresh()

    def _dispositions(self):
        return [
            (Disposition.BOOKED, self.tr("Booked")), (Disposition.CALL_BACK, self.tr("Call back")),
            (Disposition.INFO_GIVEN, self.tr("Information given")), (Disposition.DECLINED, self.tr("Declined")),
            (Disposition.NO_ANSWER, self.tr("No answer")), (Disposition.WRONG_NUMBER, self.tr("Wrong number")),
            (Disposition.COMPLAINT, self.tr("Complaint")), (Disposition.OTHER, self.tr("Other")),
        ]

    def _button(self, lay, name: str, text: str, slot) -> QPushButton:
        b = QPushButton(f"{text} ({SHORTCUTS[name]})")
        b.setObjectName(f"{name}_button")
        b.clicked.connect(slot)
        lay.addWidget(b)
        sc = QShortcut(QKeySequence(SHORTCUTS[name]), self.window or self)
        sc.activated.connect(lambda: b.isEnabled() and b.click())
        return b

    # events (UI thread) ---------------------------------------------------------------------------
    @Slot(object)
    def on_call_event(self, ev) -> None:
        if ev.kind in (EventKind.RINGING, EventKind.DIALING):
            if self.state in ("ringing", "dialing", "talking") and ev.call_id != self._call_ext_id:
                return  # a second call while busy: the first stays on the bar
            self.state = "ringing" if ev.kind == EventKind.RINGING else "dialing"
            self._call_ext_id = ev.call_id
            self.number = _display(ev.number, self.service)
            self.muted = self.held = False
            self.call_db_id = None
        elif ev.call_id != self._call_ext_id and self._call_ext_id:
            return
        elif ev.kind == EventKind.ANSWERED:
            self.state = "talking"
            self._since = time.monotonic()
            self._timer.start()
        elif ev.kind == EventKind.HUNGUP:
            self.state = "ended"
            self._timer.stop()
            self._call_ext_id = ""
            self.ended_call_id = self.call_db_id
            if ev.raw.get("interrupted"):
                self.number += "  " + self.tr("(interrupted: the softphone stopped)")
        elif ev.kind == EventKind.HOLD:
            self.held = True
        elif ev.kind == EventKind.RESUME:
            self.held = False
        self._refresh()

    @Slot(object)
    def on_call_updated(self, upd) -> None:
        if upd.event.call_id == self._call_ext_id or (self.state == "ended" and upd.event.kind == EventKind.HUNGUP):
            self.call_db_id = upd.call_db_id
            if self.state == "ended":
                self.ended_call_id = upd.call_db_id
            self._refresh()

    # actions --------------------------------------------------------------------------------------
    def _run(self, fn, done=None) -> None:
        self.runner.run(fn, done, lambda e: self._failed(e))

    def _failed(self, exc: BaseException) -> None:
        msg = str(exc)
        log.warning("call control: %s", msg)
        self.command_failed.emit(msg)
        if self.window is not None:
            self.window.statusBar().showMessage(msg, 10000)

    def answer(self) -> None:
        self._run(self.service.answer)

    def hangup(self) -> None:
        self._run(self.service.hangup)

    def toggle_mute(self) -> None:
        def done(_):
            self.muted = not self.muted
            self._refresh()

        self._run(self.service.mute, done)

    def toggle_hold(self) -> None:
        want = not self.held

        def done(_):
            self.held = want
            self._refresh()

        self._run(self.service.hold if want else self.service.resume, done)

    def dial(self, number: str) -> None:
        """Click-to-call (also used by the missed-calls page and other call lists).

        Without a softphone or an Asterisk connection the card is opened for the number and
        the status line asks the administrator to dial it on the desk phone."""
        if not self.service.can_dial:
            if self.window is not None:
                self.window.show_incoming(number, "outbound", "list")
                self.window.statusBar().showMessage(self.tr("Dial %1 on your phone").replace("%1", number), 15000)
            return
        self._run(lambda: self.service.dial(number))

    def dial_card(self) -> None:
        card = getattr(self.window, "current_card", None)
        if card is None or not card.phones:
            self._failed(RuntimeError(self.tr("Open a patient's card first")))
            return
        primary = next((p for p in card.phones if p.primary), card.phones[0])
        self.dial(primary.e164)

    def save_disposition(self) -> None:
        cid = self.ended_call_id or self.call_db_id
        value = self.disposition.currentData()
        if cid is None or not value:
            return
        note = self.note.text().strip()

        def done(_):
            self.disposition_saved.emit(cid, value)
            self.disposition.setCurrentIndex(0)
            self.note.clear()
            if self.window is not None:
                self.window.statusBar().showMessage(self.tr("Outcome saved"), 5000)

        self._run(lambda: self.service.set_disposition(cid, value, note), done)

    # view -----------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        s = self.state
        if s == "idle":
            text = self.tr("No call")
        elif s == "ringing":
            text = "☎ " + self.tr("Ringing: %1").replace("%1", self.number)
        elif s == "dialing":
            text = "☎ " + self.tr("Calling %1").replace("%1", self.number)
        elif s == "talking":
            secs = int(time.monotonic() - self._since)
            text = "☎ " + self.tr("In call with %1").replace("%1", self.number) + f"  {secs // 60:02d}:{secs % 60:02d}"
            if self.held:
                text += "  · " + self.tr("on hold")
            if self.muted:
                text += "  · " + self.tr("muted")
        else:
            text = self.tr("Call ended: %1").replace("%1", self.number)
        self.label.setText(text)
        control = self.service.can_control
        for b in (self.answer_btn, self.hangup_btn, self.mute_btn, self.hold_btn):
            b.setVisible(control)  # a desk phone (PBX webhook/AMI) is answered on the phone: no dead buttons
        self.dial_btn.setVisible(self.service.can_dial)
        self.answer_btn.setEnabled(control and s == "ringing")
        self.hangup_btn.setEnabled(control and s in ("ringing", "dialing", "talking"))
        self.mute_btn.setEnabled(control and s == "talking")
        self.hold_btn.setEnabled(control and s == "talking")
        self.mute_btn.setText((self.tr("Unmute") if self.muted else self.tr("Mute")) + f" ({SHORTCUTS['mute']})")
        self.hold_btn.setText((self.tr("Resume") if self.held else self.tr("Hold")) + f" ({SHORTCUTS['hold']})")
        self.dial_btn.setEnabled(self.service.can_dial and s in ("idle", "ended"))
        has_call = (self.ended_call_id or self.call_db_id) is not None
        for w in (self.disposition, self.note, self.save_btn):
            w.setEnabled(has_call)


def _display(number: str, service) -> str:
    region = service.settings.phone.default_region
    e164 = phones.try_normalize(number, region)
    return phones.display(e164, region) if e164 else (number[:40] or "?")
