"""The window side of telephony with a real softphone: a real "patient" baresip dials
CareCall's softphone; the card shows the patient; Answer (F9) answers; the bar follows the call;
the outcome is saved to the call row; the missed-calls page lists an unanswered call in colour
and Enter calls back through the softphone. Every baresip process is stopped by its pid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.card import CardService
from app.settings import Settings
from app.telephony.events import CallEvent, EventKind
from app.telephony.service import TelephonyService
from db.models import Call
from db.session import make_engine, session_factory
from tests import factories as f
from tests.app.telephony.sip_agents import PatientAgent, baresip_available, free_sip_port, phrase, silence
from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.telephony import TelephonyUi
from ui.telephony.missed_page import COLOURS

NUM = "+79161234567"


@pytest.fixture
def sessions(sqlite_url):
    e = make_engine(sqlite_url)
    s = session_factory(e)
    with s() as ss, ss.begin():
        f.patient(ss, "Иванова", "Ольга", "Петровна", phones=(NUM,))
    yield s
    e.dispose()


def softphone_settings(tmp_path) -> Settings:
    st = Settings()
    port = free_sip_port()
    t = st.telephony
    t.source = "softphone"
    t.sip_uri = f"sip:clinic@127.0.0.1:{port}"
    t.sip_options = ";regint=0"
    t.sip_listen = f"127.0.0.1:{port}"
    t.audio_source = f"aufile,{silence(tmp_path / 'silence.wav', 60)}"
    t.audio_player = "aufile,/dev/null"
    t.record_calls = False
    return st


@pytest.fixture
def window(qtbot, sessions):
    runner = TaskRunner()
    w = MainWindow(CardService(sessions), runner)
    qtbot.addWidget(w)
    w.show()
    yield w, runner
    runner.wait(10_000)


@pytest.mark.slow
@pytest.mark.skipif(not baresip_available(), reason="baresip-core is not installed")
def test_ringing_card_answer_hangup_outcome(qtbot, window, sessions, tmp_path):
    w, runner = window
    st = softphone_settings(tmp_path)
    service = TelephonyService(st, sessions, CardService(sessions), secret=lambda name: None)
    tui = TelephonyUi(w, service, runner)
    tui.start(wait=15)
    bar = tui.bar
    try:
        assert not bar.answer_btn.isEnabled() and bar.label.text() == "No call"
        with PatientAgent(tmp_path / "patient", NUM, st.telephony.sip_uri, phrase(tmp_path / "speech")):
            qtbot.waitUntil(lambda: w.current_card is not None and w.current_card.full_name == "Иванова Ольга Петровна",
                            timeout=15000)
            assert "Иванова Ольга Петровна" in w.windowTitle()
            qtbot.waitUntil(lambda: bar.answer_btn.isEnabled(), timeout=5000)
            assert "+7 916 123-45-67" in bar.label.text()
            qtbot.keyClick(w, Qt.Key.Key_F9)  # answer from the keyboard
            qtbot.waitUntil(lambda: bar.state == "talking", timeout=10000)
            assert bar.hangup_btn.isEnabled() and bar.mute_btn.isEnabled() and not bar.answer_btn.isEnabled()
            bar.mute_btn.click()
            qtbot.waitUntil(lambda: "muted" in bar.label.text(), timeout=5000)
            qtbot.waitUntil(lambda: bar.state == "ended", timeout=20000)  # the patient hangs up
        qtbot.waitUntil(lambda: bar.save_btn.isEnabled(), timeout=5000)
        bar.disposition.setCurrentIndex(bar.disposition.findData("booked"))
        bar.note.setText("Tue 10:00")
        with qtbot.waitSignal(bar.disposition_saved, timeout=5000) as sig:
            bar.save_btn.click()
        with sessions() as s:
            row = s.scalars(select(Call)).one()
            assert sig.args == [row.id, "booked"]
            assert (row.disposition, row.disposition_note, row.source) == ("booked", "Tue 10:00", "softphone")
            assert row.answer_at and row.end_at and row.patient_id
    finally:
        tui.stop()
    assert service.source is None


def test_missed_page_colours_and_call_back(qtbot, window, sessions, tmp_path):
    """No softphone needed: events come from the webhook source type, dialling is refused plainly."""
    w, runner = window
    st = Settings()
    st.telephony.source = "webhook"
    service = TelephonyService(st, sessions, CardService(sessions), secret=lambda name: None)
    tui = TelephonyUi(w, service, runner)  # not started: events are fed as the webhook would
    page = tui.page
    qtbot.waitUntil(lambda: page.summary.text() == "0 call(s) to return", timeout=5000)
    with qtbot.waitSignal(page.loaded, timeout=5000, check_params_cb=lambda n: n == 1) as sig:
        service._on_event(CallEvent(EventKind.RINGING, "w1", NUM, "inbound", "webhook"))
        service._on_event(CallEvent(EventKind.HUNGUP, "w1", NUM, "inbound", "webhook", reason="caller hung up"))
    assert sig.args == [1]
    assert page.table.rowCount() == 1
    assert page.table.item(0, 2).text() == "Иванова Ольга Петровна"
    assert page.table.item(0, 1).text() == "+7 916 123-45-67"
    assert page.table.item(0, 0).background().color().name() == COLOURS["within_20_min"]
    assert page.summary.text() == "1 call(s) to return"
    assert not page.call_btn.isEnabled()  # a webhook cannot dial: the button says so by being off
    w.pages.setCurrentWidget(page)
    page.table.setFocus()
    with qtbot.waitSignal(page.callback_requested, timeout=2000) as cb, \
            qtbot.waitSignal(w.incoming_shown, timeout=5000) as shown:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    # a webhook cannot dial: the card opens and the status line asks to dial on the desk phone
    assert cb.args == [NUM] and shown.args == [NUM]
    assert w.current_card.full_name == "Иванова Ольга Петровна"
    assert w.statusBar().currentMessage() == f"Dial {NUM} on your phone"


def test_russian_call_bar(qtbot, sessions, qapp):
    from importlib import resources

    from PySide6.QtCore import QTranslator

    from ui.telephony.call_bar import CallBar

    qm = resources.files("resources") / "translations" / "telephony_ru.qm"
    t = QTranslator()
    assert t.load(str(qm))
    qapp.installTranslator(t)
    try:
        st = Settings()
        service = TelephonyService(st, sessions, CardService(sessions), secret=lambda name: None)
        bar = CallBar(service, TaskRunner())
        qtbot.addWidget(bar)
        assert bar.label.text() == "Нет звонка"
        assert bar.answer_btn.text() == "Ответить (F9)" and not bar.answer_btn.isEnabled()
        assert bar.disposition.itemText(1) == "Записан"
    finally:
        qapp.removeTranslator(t)


def test_wiring_puts_a_call_bar_other_areas_can_find(qtbot, window, sessions):
    """ui.scripts.wiring finds the bar by object name and dials / listens through it."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QWidget

    from ui.telephony import wiring

    w, runner = window
    st = Settings()  # source "none": nothing is started, the bar and the page are there
    ctx = SimpleNamespace(settings=st, telephony=TelephonyService(st, sessions, CardService(sessions),
                                                                  secret=lambda name: None))
    tui = wiring.install(w, ctx, runner)
    bar = w.findChild(QWidget, "call_bar")
    assert bar is tui.bar and hasattr(bar, "dial") and hasattr(bar, "disposition_saved")
    assert w.pages.tabText(w.pages.indexOf(tui.page)) == "Missed calls"
    assert not bar.dial_btn.isEnabled()  # no softphone, no PBX: calling out is off, visibly
    tui.stop()
