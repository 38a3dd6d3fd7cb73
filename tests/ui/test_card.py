"""The caller card as an administrator sees it (English source texts)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def window(make_window, clinic):
    return make_window()


def _open(qtbot, w, pid):
    with qtbot.waitSignal(w.patient_opened) as sig:
        w.open_patient(pid)
    assert sig.args == [pid]
    assert w.stack.currentWidget() is w.card_view
    return w.card_view


def test_card_shows_who_is_calling_and_what_to_watch(qtbot, window, clinic):
    v = _open(qtbot, window, clinic["olga"])
    assert v.name_label.text() == "Иванова Ольга Петровна"
    assert v.facts_label.text() == "41 years · female · born 14.03.1985"
    phones = v.phones_label.text()
    assert "+7 916 123-45-67" in phones and "★ primary" in phones and "+7 495 123-45-67" in phones
    assert phones.index("★ primary") < phones.index("+7 495")
    assert v.channel_label.text() == "WhatsApp"
    consents = v.consents_label.text()
    assert "✔</b> calls" in consents and "✔</b> messages" in consents and "✘</b> recording" in consents
    assert v.comments_label.text() == "Боится уколов"
    # alerts at the top, red for the complaint, amber for recording
    alerts = {lab.property("code"): (lab.objectName(), lab.text()) for lab in v.alert_labels}
    assert alerts["no_recording_consent"][0] == "alert_warning"
    assert "No consent to recording" in alerts["no_recording_consent"][1]
    assert alerts["open_complaint"] == ("alert_danger", "✖  Open complaint: Долго ждала в холле")
    assert all(lab.isVisible() for lab in v.alert_labels)
    # bonus: balance, the nearest expiry (amount and date), the cap
    assert v.bonus_balance.text() == "1\u00a0200 points"
    assert v.bonus_expiry.text() == "200 points expire on 30.11.2026"
    assert v.bonus_expiry.property("soon") is True
    assert v.bonus_cap.text() == "can pay up to 50% of a bill"
    # family: clickable, shares the phone
    assert [b.text() for b in v.family_buttons] == [
        "Иванов Пётр Сергеевич, сын, 14 years  ·  ☎ shares this phone"]
    # next appointment
    assert "02.12.2026" in v.appointment_label.text() and "Пломба световая" in v.appointment_label.text()
    # plans: done / overdue / due with date / declined
    stages = [(lab.property("status"), lab.text()) for lab in v.stage_labels]
    assert stages == [
        ("done", "✔  Пломба 36 — 6\u00a0500\u00a0₽  (done)"),
        ("overdue", "●  Пломба 46 — 6\u00a0500\u00a0₽  overdue since 01.07.2026"),
        ("due", "●  Чистка — 4\u00a0500\u00a0₽  due by 15.01.2027"),
        ("declined", "✘  Отбеливание — 15\u00a0000\u00a0₽  (declined)"),
    ]
    # history: newest first
    t = v.visits_table
    rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert [t.horizontalHeaderItem(c).text() for c in range(5)] == ["Date", "Doctor", "Services", "Amount", "Status"]
    assert rows == [
        ["01.06.2026", "Смирнова А.В. (терапевт-стоматолог)", "Пломба световая", "6\u00a0500\u00a0₽", "visited"],
        ["10.05.2026", "Смирнова А.В. (терапевт-стоматолог)", "Консультация стоматолога", "1\u00a0500\u00a0₽", "visited"],
    ]


def test_family_member_opens_their_card(qtbot, window, clinic):
    v = _open(qtbot, window, clinic["olga"])
    with qtbot.waitSignal(window.patient_opened) as sig:
        qtbot.mouseClick(v.family_buttons[0], __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    assert sig.args == [clinic["son"]]
    assert v.name_label.text() == "Иванов Пётр Сергеевич"
    assert v.bonus_balance.text() == "0 points"
    assert not v.bonus_expiry.isVisible()
    assert [lab.text() for lab in v.alert_labels] == []
    assert v.no_visits_label.isVisible() and not v.visits_table.isVisible()


def test_do_not_contact_and_no_call_consent_alerts(qtbot, window, clinic):
    v = _open(qtbot, window, clinic["lone"])
    assert [(lab.objectName(), lab.text()) for lab in v.alert_labels] == [
        ("alert_danger", "✖  Do not contact: the patient asked not to be called")]
    assert "✘</b> calls" in v.consents_label.text()
    assert not v.family.isVisible()
    v = _open(qtbot, window, clinic["maria"])
    assert [(lab.objectName(), lab.text()) for lab in v.alert_labels] == [
        ("alert_warning", "⚠  No consent to calls: send a message instead of calling")]
