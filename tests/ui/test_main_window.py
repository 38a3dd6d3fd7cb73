"""The live-call flows: incoming number -> card / chooser / new caller; search; keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from tests.ui.keys import type_text
from ui.tasks import TaskRunner

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def window(make_window, clinic):
    return make_window()


def test_single_match_shows_the_card_and_the_banner(qtbot, window, clinic):
    with qtbot.waitSignal(window.incoming_shown) as sig:
        window.show_incoming("8 (903) 555-00-11")
    assert sig.args == ["+79035550011"]
    assert window.stack.currentWidget() is window.card_view
    assert window.card_view.name_label.text() == "Соколов Андрей Игоревич"
    assert window.banner.isVisible()
    assert window.banner_label.text() == "☎  Incoming call +7 903 555-00-11  —  Соколов Андрей Игоревич"
    assert window.windowTitle() == "Соколов Андрей Игоревич — CareCall"


def test_outbound_call_banner(qtbot, window, clinic):
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("+79035550011", direction="outbound", source="list")
    assert window.banner_label.text().startswith("☎  Calling +7 903 555-00-11")


def test_shared_number_shows_the_chooser_and_no_card_until_a_choice(qtbot, window, clinic):
    opened = []
    window.patient_opened.connect(opened.append)
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("sip:+79161234567@pbx.local")
    assert window.stack.currentWidget() is window.chooser
    assert opened == [] and window.current_card is None
    assert window.chooser.title.text() == "2 patients share the number +7 916 123-45-67: who is calling?"
    assert window.chooser.rows() == ["1.  Иванова Ольга Петровна, мать, 41 years",
                                     "2.  Иванов Пётр Сергеевич, сын, 14 years"]
    assert window.banner_label.text() == "☎  Incoming call +7 916 123-45-67  —  2 patients share this number"
    assert window.chooser.list.hasFocus()
    # digit 2 picks the son
    with qtbot.waitSignal(window.patient_opened) as sig:
        qtbot.keyClick(window.chooser.list, Qt.Key.Key_2)
    assert sig.args == [clinic["son"]]
    assert window.card_view.name_label.text() == "Иванов Пётр Сергеевич"
    # Ctrl+K brings the chooser back; Down + Enter picks the second row again, Up + Enter the first
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.chooser
    qtbot.keyClick(window.chooser.list, Qt.Key.Key_Down)
    qtbot.keyClick(window.chooser.list, Qt.Key.Key_Up)
    with qtbot.waitSignal(window.patient_opened) as sig:
        qtbot.keyClick(window.chooser.list, Qt.Key.Key_Return)
    assert sig.args == [clinic["olga"]]


def test_unknown_number_quick_create_opens_the_new_card(qtbot, window, clinic):
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("+7 999 000-11-22")
    f = window.new_caller
    assert window.stack.currentWidget() is f
    assert f.title.text() == "New caller: +7 999 000-11-22"
    assert f.phone.text() == "+7 999 000-11-22"
    assert "new caller" in window.banner_label.text()
    assert f.last_name.hasFocus()
    type_text(f.last_name, "Новикова")
    type_text(f.first_name, "Мария")
    type_text(f.patronymic, "Ильинична")
    assert f.female.isChecked()  # guessed from the patronymic
    type_text(f.birth_date, "07.03.1991")
    with qtbot.waitSignal(window.patient_opened) as sig:
        qtbot.keyClick(f.first_name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    new_id = sig.args[0]
    assert new_id not in clinic.values()
    v = window.card_view
    assert window.stack.currentWidget() is v
    assert v.name_label.text() == "Новикова Мария Ильинична"
    assert v.facts_label.text() == "35 years · female · born 07.03.1991"
    assert "+7 999 000-11-22" in v.phones_label.text()
    # the number now finds her
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("89990001122")
    assert window.card_view.name_label.text() == "Новикова Мария Ильинична"


def _patients(ui_sessions) -> int:
    from sqlalchemy import func, select

    from db.models import Patient

    with ui_sessions() as s:
        return s.scalar(select(func.count()).select_from(Patient))


def test_validation_messages_and_nothing_saved(qtbot, window, cards, ui_sessions, clinic):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    f = window.new_caller
    assert window.stack.currentWidget() is f and f.title.text() == "New patient"
    f.phone.setText("+7 916 12")
    type_text(f.first_name, "Мария")
    type_text(f.birth_date, "31.02.1990")
    qtbot.mouseClick(f.save_button, Qt.MouseButton.LeftButton)
    assert f.error_texts() == {
        "phone": "Not a valid phone number: check the digits",
        "last_name": "Required",
        "sex": "Choose female or male (Alt+F / Alt+M)",
        "birth_date": "Write the date as DD.MM.YYYY",
    }
    assert f.errors["phone"].isVisible()
    assert f.phone.hasFocus()
    assert window.stack.currentWidget() is f
    assert _patients(ui_sessions) == 4
    # fixing the mistakes clears the messages
    f.phone.setText("garbage")
    qtbot.mouseClick(f.save_button, Qt.MouseButton.LeftButton)
    assert f.error_texts()["phone"] == "Not a valid phone number: check the digits"
    f.phone.setText("8 926 111-22-33")
    f.last_name.setText("Орлова")
    f.birth_date.setText("01.01.2030")
    qtbot.mouseClick(f.male, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(f.save_button, Qt.MouseButton.LeftButton)
    assert f.error_texts() == {"birth_date": "This birth date is not possible"}
    # Esc goes back without saving
    qtbot.keyClick(f.last_name, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.placeholder
    assert _patients(ui_sessions) == 4 and cards.search("орлова") == []


def test_search_by_name_with_the_keyboard(qtbot, window, clinic):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()
    with qtbot.waitSignal(window.results.results_shown) as sig:
        type_text(window.search_field, "иван")
    assert sig.args == ["иван", 2]
    assert window.stack.currentWidget() is window.results
    rows = [window.results.list.item(i).text() for i in range(window.results.list.count())]
    assert rows == ["Иванов Пётр Сергеевич  ·  14 years  ·  +7 916 123-45-67",
                    "Иванова Ольга Петровна  ·  41 years  ·  +7 916 123-45-67, +7 495 123-45-67"]
    assert window.results.title.text().startswith("Found 2 for “иван”")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.patient_opened) as sig:
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert sig.args == [clinic["olga"]]
    assert window.card_view.name_label.text() == "Иванова Ольга Петровна"
    # F3 and Esc: back to the card
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.search_field.hasFocus() and window.search_field.selectedText() == "иван"
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.card_view


def test_search_by_phone_enter_before_results(qtbot, make_window, clinic):
    """Real threads: Enter typed faster than the search answers still opens the first hit."""
    runner = TaskRunner(max_threads=2)
    w = make_window(runner=runner)
    w.focus_search()
    type_text(w.search_field, "8 903 555 00 11")
    with qtbot.waitSignal(w.patient_opened, timeout=5000) as sig:
        qtbot.keyClick(w.search_field, Qt.Key.Key_Return)
    assert sig.args == [clinic["lone"]]
    qtbot.waitUntil(lambda: w.card_view.name_label.text() == "Соколов Андрей Игоревич")
    w.focus_search()
    type_text(w.search_field, "нет такого")
    qtbot.waitUntil(lambda: w.results.title.text() == "Nobody found for “нет такого”")
    assert w.results.list.count() == 0
    runner.wait()


def test_garbage_number_is_shown_not_raised(qtbot, window, clinic):
    window.show_incoming("hello")
    assert window.banner.isVisible() and window.banner.property("warn") is True
    assert window.banner_label.text() == "Unreadable number: hello"


def test_the_banner_looks_the_same_whether_or_not_its_look_changed(qtbot, window, clinic):
    """The banner is re-polished only when its look (warn or not) changes; calls one after
    another show the same colours as the first, and a warning and back switch them."""
    from PySide6.QtCore import QEvent, QObject

    def look():
        img = window.banner.grab().toImage()
        return img.pixelColor(img.width() // 2, 3).name(), window.banner_label.palette().color(
            window.banner_label.foregroundRole()).name()

    class Polishes(QObject):  # a re-polish under the style sheet sets the font again
        n = 0

        def eventFilter(self, o, e):  # noqa: N802
            if e.type() == QEvent.Type.FontChange:
                self.n += 1
            return False

    polishes = Polishes()
    window.banner.installEventFilter(polishes)
    window.show_incoming("+79035550011")
    normal = look()
    assert window.banner.property("warn") is False
    first = polishes.n
    window.show_incoming("+79161234567")
    assert look() == normal and polishes.n == first  # the same look: not re-polished
    window.show_incoming("hello")
    warned = look()
    assert warned != normal and window.banner.property("warn") is True
    assert window.banner_label.text() == "Unreadable number: hello"
    window.show_incoming("+79035550011")
    assert look() == normal and window.banner.property("warn") is False
    assert window.banner_label.text() == "☎  Incoming call +7 903 555-00-11  —  Соколов Андрей Игоревич"


def test_pages_side_panels_and_status_widgets(qtbot, window, clinic):
    page = QLabel("call lists here")
    sc = window.add_page(page, "Call lists")
    assert sc.key().toString() == "Ctrl+2"
    assert window.pages.tabBar().isVisible()
    assert [window.pages.tabText(i) for i in range(window.pages.count())] == ["Caller", "Call lists"]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is page
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.caller_page
    lib = QLabel("library")
    window.add_page(lib, "Library", shortcut="Ctrl+L")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is lib
    # an incoming call always comes back to the caller page
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("+79035550011")
    assert window.pages.currentWidget() is window.caller_page
    assert not window.side_tabs.isVisible()
    panel = QWidget()
    assert window.add_side_panel(panel, "Script") == 0
    assert window.side_tabs.isVisible() and window.side_tabs.tabText(0) == "Script"
    rec = QLabel("● REC")
    window.add_status_widget(rec)
    assert rec.isVisible()


def test_show_incoming_brings_a_minimised_window_back(qtbot, window, clinic):
    window.showMinimized()
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("+79035550011")
    assert window.isVisible() and not window.isMinimized()


def test_after_a_choice_focus_is_on_the_card_not_a_family_button(qtbot, window, clinic):
    with qtbot.waitSignal(window.incoming_shown):
        window.show_incoming("+79161234567")
    with qtbot.waitSignal(window.patient_opened):
        qtbot.keyClick(window.chooser.list, Qt.Key.Key_Return)
    assert window.card_view.hasFocus()
    assert not any(b.hasFocus() for b in window.card_view.family_buttons)
    assert window.banner_label.text() == "☎  Incoming call +7 916 123-45-67  —  Иванова Ольга Петровна"
