"""One whole flow on the real PostgreSQL, with real worker threads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.keys import type_text
from ui.tasks import TaskRunner


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def ui_url(pg_url):
    return pg_url


@pytest.mark.postgres
def test_incoming_chooser_quick_create_and_search_on_postgresql(qtbot, make_window, clinic):
    runner = TaskRunner()
    w = make_window(runner=runner)
    with qtbot.waitSignal(w.incoming_shown, timeout=10_000):
        w.show_incoming("+7 916 123-45-67")
    assert w.chooser.rows() == ["1.  Иванова Ольга Петровна, мать, 41 years", "2.  Иванов Пётр Сергеевич, сын, 14 years"]
    with qtbot.waitSignal(w.patient_opened, timeout=10_000):
        qtbot.keyClick(w.chooser.list, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: w.card_view.bonus_balance.text() == "1\u00a0200 points")
    assert w.card_view.bonus_expiry.text() == "200 points expire on 30.11.2026"
    with qtbot.waitSignal(w.incoming_shown, timeout=10_000):
        w.show_incoming("+7 999 123-00-00")
    f = w.new_caller
    type_text(f.last_name, "Ёлкина")
    type_text(f.first_name, "Вера")
    qtbot.mouseClick(f.female, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(w.patient_opened, timeout=10_000):
        qtbot.keyClick(f.last_name, Qt.Key.Key_Return)
    assert w.card_view.name_label.text() == "Ёлкина Вера"
    w.focus_search()
    with qtbot.waitSignal(w.results.results_shown, timeout=10_000) as sig:
        type_text(w.search_field, "елкина")
    assert sig.args == ["елкина", 1]
    runner.wait()
