"""Script panel, script editor and call list page, as an administrator/supervisor sees them."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from PySide6.QtCore import Qt

from app.call_list_service import CallListService
from app.card import CardService
from app.scripts.service import ScriptService
from app.situation_service import SituationService
from tests import factories as f
from ui.call_lists.page import CallListPage
from ui.scripts.editor import ScriptEditor
from ui.scripts.panel import ScriptPanel
from ui.tasks import SyncRunner

pytestmark = pytest.mark.usefixtures("english")

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
DAY = NOW.date()


@pytest.fixture
def sessions(sqlite_url):
    from db.session import make_engine, session_factory

    e = make_engine(sqlite_url)
    yield session_factory(e)
    e.dispose()


@pytest.fixture
def ids(sessions):
    with sessions() as s, s.begin():
        d = f.doctor(s)
        cons = f.service(s, "C01", "Консультация стоматолога", price=1500, is_consultation=True)
        olga = f.patient(s, address="ул. Белой Магнолии, 5", birth=date(1985, 11, 27))
        f.visit(s, olga, d, f.dt(2026, 11, 22), [cons])
        f.bonus(s, olga, "accrual", 1000, date(2026, 6, 1), date(2026, 11, 30))
        ivan = f.patient(s, "Петров", "Иван", "Ильич", "M", date(1970, 1, 30), phones=("+79035550011",))
        f.visit(s, ivan, d, f.dt(2026, 11, 22), [cons])
        return {"olga": olga.id, "ivan": ivan.id}


@pytest.fixture
def scripts(sessions):
    return ScriptService(sessions, SituationService(sessions), "ru")


@pytest.fixture
def panel(qtbot, scripts):
    p = ScriptPanel(scripts, SyncRunner(), now=lambda: NOW)
    qtbot.addWidget(p)
    p.resize(600, 800)
    p.show()
    return p


def test_panel_shows_top_script_others_one_click_away_and_checklist(qtbot, panel, ids):
    with qtbot.waitSignal(panel.situation_changed) as sig:
        panel.load_patient(ids["olga"])
    assert sig.args == ["return_consultation"]
    assert [b.text() for b in panel.buttons] == ["Return after a consultation", "Birthday"]
    assert panel.buttons[0].isChecked()
    text = panel.text.toPlainText()
    assert "Здравствуйте, Ольга Петровна!" in text
    assert text.index("что помешало начать лечение") < text.index("этапы") < text.index("1 000 бонусных баллов")
    assert "Баллы действуют до 30 ноября." in text
    assert "treatment not started" in panel.reason_label.text()
    assert panel.version_label.text() == "Script version 1"
    assert [panel.objections.itemText(i) for i in range(panel.objections.count())] == [
        "«Дорого»", "«Я подумаю»", "«Зачем вы звоните?» / боитесь показаться навязчивым"]
    # tick the checklist
    assert panel.checklist() == dict.fromkeys(
        ["care_question", "reason_explored", "value_offered", "bonus_deadline", "booking_confirmed",
         "data_verified"], False)
    with qtbot.waitSignal(panel.checklist_changed) as sig:
        panel.checks["care_question"].click()
    assert sig.args[0]["care_question"] is True
    # the other situation, one click away
    with qtbot.waitSignal(panel.situation_changed) as sig:
        qtbot.mouseClick(panel.buttons[1], Qt.MouseButton.LeftButton)
    assert sig.args == ["birthday"]
    assert "Поздравляем вас с днём рождения (27 ноября)" in panel.text.toPlainText()
    assert panel.checklist()["care_question"] is False  # a fresh checklist for the other script


def test_objections_follow_the_script_shown_first_answer_open(qtbot, panel, ids):
    """The tool box's pages are reused from script to script: what shows is still each script's."""
    from dataclasses import replace

    def shown():
        box = panel.objections
        return [(box.itemText(i), box.widget(i).text()) for i in range(box.count())], box.currentIndex()

    with qtbot.waitSignal(panel.situation_changed):
        panel.load_patient(ids["olga"])
    situations, full = panel.situations[:1], panel.scripts[0]
    three = [(o["question"], o["answer"]) for o in full.objections]
    assert shown() == (three, 0) and len(three) == 3
    panel.objections.setCurrentIndex(2)  # a person opened the third answer
    one = replace(full, objections=[{"question": "«Далеко ехать»", "answer": "Есть парковка у входа."}])
    none = replace(full, objections=[])
    panel.show_scripts(situations, [one])
    assert shown() == ([("«Далеко ехать»", "Есть парковка у входа.")], 0)
    panel.show_scripts(situations, [none])
    assert shown() == ([], -1)
    panel.show_scripts(situations, [full])
    assert shown() == (three, 0)
    panel.objections.setCurrentIndex(1)
    panel.show_scripts(situations, [full])  # the same script again: the first answer open again
    assert shown() == (three, 0)


def test_checklist_and_version_are_saved_with_the_call(qtbot, panel, ids, sessions):
    from db.models import Call

    with sessions() as s, s.begin():
        call = Call(direction="outbound", patient_id=ids["olga"])
        s.add(call)
        s.flush()
        cid = call.id
    panel.load_patient(ids["olga"])
    panel.checks["care_question"].click()
    panel.checks["bonus_deadline"].click()
    done = []
    panel.save_to_call(cid, done.append)
    assert done
    with sessions() as s:
        c = s.get(Call, cid)
        assert c.checklist["care_question"] and c.checklist["bonus_deadline"] and not c.checklist["data_verified"]
        assert c.script_version_id == panel.current_script().version_id and c.situation == "return_consultation"


def test_panel_for_an_unknown_number(qtbot, panel):
    panel.load_new_caller("+7 999 000-00-00")
    assert [b.text() for b in panel.buttons] == ["New patient"]
    assert "Записываю вас на номер +7 999 000-00-00" in panel.text.toPlainText()
    assert "bonus_deadline" not in panel.checklist()


def test_editor_live_preview_refusal_and_new_version(qtbot, scripts, ids, sessions):
    ed = ScriptEditor(scripts, CardService(sessions), SyncRunner(), author="главврач", now=lambda: NOW,
                      role="supervisor")
    qtbot.addWidget(ed)
    ed.show()
    ed.situation.setCurrentIndex(ed.situation.findData("return_consultation"))
    assert ed.version_label.text() == "Version 1 by resources"
    ed.patient_query.setText("Иванова")
    qtbot.mouseClick(ed.patient_find, Qt.MouseButton.LeftButton)
    assert ed.patient.currentText().startswith("Иванова Ольга Петровна")
    assert "Здравствуйте, Ольга Петровна!" in ed.preview.toPlainText()
    # live preview of an edit
    ed.body.setPlainText(ed.body.toPlainText().replace("Будем рады вам помочь.", "Всего доброго!"))
    qtbot.waitUntil(lambda: "Всего доброго!" in ed.preview.toPlainText())
    # an edit that breaks the order is refused, not saved
    good = ed.body.toPlainText()
    ed.body.setPlainText(good.replace('kind = "care"', 'kind = "closing"', 1))
    qtbot.waitUntil(lambda: "care first" in ed.error_label.text())
    assert not ed.save_button.isEnabled()
    ed.body.setPlainText(good)
    qtbot.waitUntil(lambda: ed.save_button.isEnabled())
    with qtbot.waitSignal(ed.saved) as sig:
        qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert sig.args == ["return_consultation", 2]
    assert ed.version_label.text() == "Saved as version 2"
    assert "Всего доброго!" in scripts.current("return_consultation").body


def test_editor_is_read_only_until_a_supervisor_signs_in(qtbot, scripts, ids, sessions):
    from app.review.access import Principal

    ed = ScriptEditor(scripts, CardService(sessions), SyncRunner(), now=lambda: NOW)
    qtbot.addWidget(ed)
    ed.show()
    assert ed.lock_label.isVisible() and ed.body.isReadOnly() and not ed.save_button.isEnabled()
    ed.set_principal(Principal(1, "anna", "Анна", "administrator"))
    assert ed.body.isReadOnly() and not ed.save_button.isEnabled()
    ed.set_principal(Principal(2, "boss", "Главный", "supervisor"))
    assert not ed.lock_label.isVisible() and not ed.body.isReadOnly() and ed.save_button.isEnabled()
    with qtbot.waitSignal(ed.saved):
        ed.save_button.click()
    assert scripts.current(ed.code()).author == "boss"
    ed.set_principal(None)
    assert ed.body.isReadOnly()
    with pytest.raises(PermissionError, match="administrator may not edit scripts"):
        scripts.save("prevention", scripts.current("prevention").body, "anna", role="administrator")


@pytest.fixture
def page(qtbot, sessions, ids):
    svc = CallListService(sessions, SituationService(sessions))
    p = CallListPage(svc, SyncRunner(), "anna", today=lambda: DAY, now=lambda: NOW)
    qtbot.addWidget(p)
    p.show()
    return p


def rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_call_list_page_build_call_and_record(qtbot, page, ids):
    page.refresh()
    assert page.status.text() == "No lists for today yet: build them."
    qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Added 2 entries"
    assert page.lists.item(0).text() == "Return after a consultation — 2 open of 2"
    got = rows(page.table)
    assert [r[0] for r in got] == ["Иванова Ольга Петровна", "Петров Иван Ильич"]
    assert got[0][1] == "+7 916 123-45-67" and got[0][2] == "phone" and got[0][6] == "open"
    assert not page.call_button.isEnabled()
    page.table.selectRow(1)
    assert page.call_button.isEnabled() and not page.release_button.isEnabled()
    with qtbot.waitSignal(page.call_requested) as sig:
        qtbot.mouseClick(page.call_button, Qt.MouseButton.LeftButton)
    assert sig.args == [ids["ivan"], "+79035550011"]
    assert rows(page.table)[1][6] == "taken by anna"
    page.table.selectRow(1)
    assert page.release_button.isEnabled()
    page.disposition.setCurrentIndex(page.disposition.findData("declined"))
    page.note.setText("дорого, подумает")
    page.record_button.click()
    assert page.status.text() == "Recorded: Declined"
    assert page.lists.item(0).text() == "Return after a consultation — 1 open of 2"
    assert rows(page.table)[1][6] == "done"
    # take next: the remaining entry
    with qtbot.waitSignal(page.entry_claimed):
        page.next_button.click()
    assert page.status.text() == "Yours: Иванова Ольга Петровна"
    page.next_button.click()
    assert page.status.text() == "Nothing to call right now in this list."


def test_wired_into_the_main_window(qtbot, make_window, ids, sessions, scripts):
    from types import SimpleNamespace

    from ui.scripts.wiring import install

    w = make_window()
    ctx = SimpleNamespace(scripts=scripts, cards=CardService(sessions),
                          call_lists=CallListService(sessions, SituationService(sessions)))
    parts = install(w, ctx, SyncRunner(), who="anna")
    panel, page = parts["panel"], parts["call_lists"]
    assert w.side_tabs.tabText(w.side_tabs.indexOf(panel)) == "Script"
    assert [w.pages.tabText(i) for i in range(w.pages.count())][-2:] == ["Call lists", "Scripts"]
    with qtbot.waitSignal(panel.situation_changed):
        w.open_patient(ids["olga"])
    assert "Ольга Петровна" in panel.text.toPlainText()
    page.build()
    page.table.selectRow(1)
    with qtbot.waitSignal(w.incoming_shown) as sig:
        page.call_button.click()
    assert sig.args == ["+79035550011"]
    assert w.banner_label.text().startswith("☎  Calling +7 903 555-00-11")
    # an unknown number: the new-patient script
    with qtbot.waitSignal(w.incoming_shown):
        w.show_incoming("+7 999 000-00-00")
    assert [b.text() for b in panel.buttons] == ["New patient"]


def test_checklist_goes_with_the_call_when_the_call_bar_saves_the_outcome(qtbot, make_window, ids, sessions, scripts):
    """The telephony call bar is another area's widget and needs a SIP/PBX service; a stand-in
    with the same public signal (``disposition_saved(call_id, disposition)``) is used here."""
    from types import SimpleNamespace

    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QFrame

    from db.models import Call
    from ui.scripts.wiring import connect_call_bar, install

    class Bar(QFrame):
        disposition_saved = Signal(int, str)

    w = make_window()
    bar = Bar(w)
    bar.setObjectName("call_bar")
    ctx = SimpleNamespace(scripts=scripts, cards=CardService(sessions),
                          call_lists=CallListService(sessions, SituationService(sessions)))
    panel = install(w, ctx, SyncRunner(), who="anna")["panel"]
    assert connect_call_bar(w, panel)
    with sessions() as s, s.begin():
        call = Call(direction="inbound", patient_id=ids["olga"])
        s.add(call)
        s.flush()
        cid = call.id
    with qtbot.waitSignal(panel.situation_changed):
        w.open_patient(ids["olga"])
    panel.checks["reason_explored"].click()
    bar.disposition_saved.emit(cid, "booked")
    with sessions() as s:
        c = s.get(Call, cid)
        assert c.checklist["reason_explored"] is True and c.script_version_id is not None


def test_in_russian(qtbot, russian, scripts, ids, page):
    p = ScriptPanel(scripts, SyncRunner(), now=lambda: NOW)
    qtbot.addWidget(p)
    p.load_patient(ids["olga"])
    assert [b.text() for b in p.buttons] == ["Возврат после консультации", "День рождения"]
    assert p.checklist_box.title() == "Чек-лист"
    assert p.version_label.text() == "Версия сценария 1"
    assert p.checks["care_question"].text() == "Спросил(а) о самочувствии"
    assert p.reason_label.text() == "Консультация вчера, врач Смирнова А.В.; лечение не начато: узнать почему"
    page.refresh()
    assert page.status.text() == "Списков на сегодня ещё нет: соберите их."
    assert page.build_button.text() == "Собрать списки на сегодня"
