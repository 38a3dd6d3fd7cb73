"""The deployment area in the real main window: the import page, and the open card following a
disposition saved on another workstation."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import update

from app.settings import Settings
from db.models import Call
from db.session import make_engine, session_factory
from ui.mis import wiring
from ui.tasks import SyncRunner


def test_import_page_and_card_follows_other_workstation(qtbot, make_window, ui_sessions, clinic):
    engine = ui_sessions.kw["bind"]
    w = make_window()
    ctx = SimpleNamespace(settings=Settings(), sessions=ui_sessions, engine=engine)
    parts = wiring.install(w, ctx, SyncRunner())
    try:
        titles = [w.pages.tabText(i) for i in range(w.pages.count())]
        assert "Import from MIS" in titles
        parts["change_bridge"].notifier.poll_interval = 0.2
        with qtbot.waitSignal(w.patient_opened):
            w.open_patient(clinic["olga"])
        other = make_engine(engine.url.render_as_string(hide_password=False))  # another PC
        try:
            with session_factory(other)() as s, s.begin():
                c = Call(direction="outbound", patient_id=clinic["olga"])
                s.add(c)
            with qtbot.waitSignal(w.patient_opened, timeout=3000) as sig:  # the card reloads by itself
                with session_factory(other)() as s, s.begin():
                    s.execute(update(Call).where(Call.id == c.id).values(disposition="booked"))
            assert sig.args == [clinic["olga"]]
        finally:
            other.dispose()
    finally:
        parts["change_bridge"].stop()
