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


def test_the_looks_that_depend_on_the_card_follow_it_and_are_re_polished_only_on_a_change(qtbot, window, clinic):
    """Grey comments when there are none, a grey zero balance: the style sheet's property rules
    applied card after card; a card with the same looks does not re-polish the labels (a
    re-polish sets the font again: a FontChange each, 1-4 ms a label)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QPalette

    class Changes(QObject):
        def __init__(self, widgets):
            super().__init__()
            self.n = 0
            for w in widgets:
                w.installEventFilter(self)

        def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
            if ev.type() == QEvent.Type.FontChange:
                self.n += 1
            return False

    def colour(label):
        return label.palette().color(QPalette.ColorRole.WindowText).name()

    v = _open(qtbot, window, clinic["olga"])
    olga = (colour(v.comments_label), colour(v.bonus_balance))
    _open(qtbot, window, clinic["son"])
    assert v.comments_label.property("empty") is True and v.bonus_balance.property("zero") is True
    assert (colour(v.comments_label), colour(v.bonus_balance)) == ("#8a959d", "#7d8790") != olga
    _open(qtbot, window, clinic["olga"])
    assert (colour(v.comments_label), colour(v.bonus_balance)) == olga
    changes = Changes([v.comments_label, v.bonus_balance, v.bonus_expiry])
    _open(qtbot, window, clinic["olga"])  # the same looks again
    assert changes.n == 0
    _open(qtbot, window, clinic["son"])
    assert changes.n >= 2 and colour(v.comments_label) == "#8a959d"


def test_a_card_after_another_shows_only_its_own_alerts_and_plans_in_their_looks(qtbot, window, clinic):
    """Alert and plan labels are reused card after card: what shows is the card's own, in order,
    each with the look of its kind (an overdue stage red, whatever the label showed before)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel

    def shown(layout):
        items = (layout.itemAt(i).widget() for i in range(layout.count()))
        return [(w.objectName(), w.text()) for w in items if w is not None and not w.isHidden()]

    def looks(labels):
        return [(lab.objectName(), lab.palette().color(QPalette.ColorRole.WindowText).name()) for lab in labels]

    v = _open(qtbot, window, clinic["olga"])
    plans, alerts = shown(v.plans.body), shown(v.alerts_box)
    stage_looks = looks(v.stage_labels)
    assert ("stage_overdue", "●  Пломба 46 — 6\u00a0500\u00a0₽  overdue since 01.07.2026") in plans
    assert len(alerts) == 2 and plans[0][0] == "plan_title"
    assert len(set(stage_looks)) > 1  # the overdue stage does not look like a done one
    _open(qtbot, window, clinic["son"])
    assert shown(v.plans.body) == [("no_plans", "No treatment plans")]
    assert shown(v.alerts_box) == [] and v.alert_labels == []
    _open(qtbot, window, clinic["olga"])
    assert shown(v.plans.body) == plans and shown(v.alerts_box) == alerts
    assert [(lab.objectName(), lab.text()) for lab in v.plan_titles + v.stage_labels] == \
        [p for p in plans if p[0] == "plan_title"] + [p for p in plans if p[0] != "plan_title"]
    assert looks(v.stage_labels) == stage_looks
    made = len(v.findChildren(QLabel))
    _open(qtbot, window, clinic["son"])
    _open(qtbot, window, clinic["olga"])
    assert len(v.findChildren(QLabel)) == made  # nothing made again


def test_do_not_contact_and_no_call_consent_alerts(qtbot, window, clinic):
    v = _open(qtbot, window, clinic["lone"])
    assert [(lab.objectName(), lab.text()) for lab in v.alert_labels] == [
        ("alert_danger", "✖  Do not contact: the patient asked not to be called")]
    assert "✘</b> calls" in v.consents_label.text()
    assert not v.family.isVisible()
    v = _open(qtbot, window, clinic["maria"])
    assert [(lab.objectName(), lab.text()) for lab in v.alert_labels] == [
        ("alert_warning", "⚠  No consent to calls: send a message instead of calling")]


def test_family_buttons_are_reused_card_after_card_and_open_the_member_shown(qtbot, window, clinic):
    """The family buttons are made once: a later card sets their text and patient, hides the
    rest; a click opens the member the button shows now, not the one it was made for."""
    from PySide6.QtCore import Qt

    v = _open(qtbot, window, clinic["olga"])
    made = v.family_buttons[0]
    _open(qtbot, window, clinic["son"])
    assert v.family_buttons == [made] and made.text().startswith("Иванова Ольга Петровна, мать")
    _open(qtbot, window, clinic["lone"])
    assert v.family_buttons == [] and not v.family.isVisible() and made.isHidden()
    _open(qtbot, window, clinic["son"])
    assert v.family_buttons == [made] and made.isVisible()
    with qtbot.waitSignal(window.patient_opened) as sig:
        qtbot.mouseClick(made, Qt.MouseButton.LeftButton)
    assert sig.args == [clinic["olga"]]
    assert v.name_label.text() == "Иванова Ольга Петровна"


def test_visit_history_columns_fit_their_texts_without_measuring_every_layout_pass(qtbot, window, clinic):
    """Date, doctor, amount and status columns are as wide as their widest text (nothing elided),
    fitted once per card (ui.tables) rather than by ResizeToContents on each layout pass; the
    services column takes the rest."""
    from PySide6.QtWidgets import QHeaderView

    window.resize(1366, 820)
    v = _open(qtbot, window, clinic["olga"])
    t = v.visits_table
    head, fm = t.horizontalHeader(), t.fontMetrics()
    for c in (0, 1, 3, 4):
        widest = max(fm.horizontalAdvance(t.item(r, c).text()) for r in range(t.rowCount()))
        assert head.sectionSize(c) >= widest + 4, c
        assert head.sectionResizeMode(c) == QHeaderView.ResizeMode.Fixed
    assert head.sectionResizeMode(2) == QHeaderView.ResizeMode.Stretch


def test_who_and_how_to_reach_can_be_copied_the_alerts_and_plans_are_read_only(qtbot, window, clinic):
    """Name, phones, comments and the appointment can be selected and copied; alerts and plan
    lines (many a card, read at a glance) are plain labels, laid out without a text document."""
    from PySide6.QtCore import Qt

    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    v = _open(qtbot, window, clinic["olga"])
    for lab in (v.name_label, v.phones_label, v.comments_label, v.appointment_label, v.bonus_balance):
        assert lab.textInteractionFlags() & selectable, lab.objectName()
    assert v.alert_labels and v.stage_labels and v.plan_titles
    for lab in v.alert_labels + v.stage_labels + v.plan_titles:
        assert not lab.textInteractionFlags() & selectable, lab.objectName()
