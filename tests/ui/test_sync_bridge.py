"""A card open on this PC follows a disposition saved on another (a second engine = another PC)."""

from __future__ import annotations

from sqlalchemy import update

from db.models import Call
from db.session import make_engine, session_factory
from tests import factories as F
from ui.sync import ChangeBridge, follow_open_card

from PySide6.QtCore import QObject, Signal


class FakeWindow(QObject):
    """Only the two members of MainWindow that follow_open_card uses."""

    patient_opened = Signal(int)

    def __init__(self):
        super().__init__()
        self.reloads = 0

    def reload_card(self):
        self.reloads += 1


def test_open_card_reloads_when_another_pc_saves_a_disposition(qtbot, db_url):
    here, other = make_engine(db_url), make_engine(db_url)
    try:
        with session_factory(other)() as s, s.begin():
            p1, p2 = F.patient(s), F.patient(s, "Петров", "Иван", "", "M", phones=("+79035550011",))
            c1 = Call(direction="inbound", patient_id=p1.id)
            c2 = Call(direction="inbound", patient_id=p2.id)
            s.add_all([c1, c2])
            s.flush()
            ids = (p1.id, c1.id, c2.id)
        bridge = ChangeBridge(here, poll_interval=0.2)
        w = FakeWindow()
        follow_open_card(bridge, w)
        w.patient_opened.emit(ids[0])
        bridge.start()
        try:
            with qtbot.waitSignal(bridge.disposition_saved, timeout=3000) as sig:
                with session_factory(other)() as s, s.begin():
                    s.execute(update(Call).where(Call.id == ids[2]).values(disposition="no_answer"))
            assert sig.args[0] == ids[2] and w.reloads == 0  # another patient's call: no reload
            with qtbot.waitSignal(bridge.disposition_saved, timeout=3000) as sig:
                with session_factory(other)() as s, s.begin():
                    s.execute(update(Call).where(Call.id == ids[1]).values(disposition="booked"))
            assert sig.args == [ids[1], ids[0], "booked"] and w.reloads == 1
        finally:
            bridge.stop()
    finally:
        here.dispose()
        other.dispose()
