"""Russian (the default) and English texts; every area's *_<lang>.qm is loaded."""

from __future__ import annotations

import pytest

from importlib import resources
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from ui.errors import ErrorDialog
from ui.main import translation_files

pytestmark = pytest.mark.usefixtures("english")


def test_every_area_translation_file_is_found():
    d = Path(str(resources.files("resources") / "translations"))
    ru = translation_files("ru")
    assert {Path(p).name for p in ru} == {p.name for p in d.glob("*_ru.qm")}
    assert "carecall_ru.qm" in {Path(p).name for p in ru}
    assert all(Path(p).name.endswith("_en.qm") for p in translation_files("en"))


def test_main_window_in_russian(qtbot, russian, make_window, clinic):
    w = make_window()
    assert w.search_field.placeholderText() == "Поиск по ФИО или телефону (Ctrl+F)"
    with qtbot.waitSignal(w.incoming_shown):
        w.show_incoming("+7 916 123-45-67")
    assert w.chooser.title.text() == "Номер +7 916 123-45-67 общий у нескольких пациентов. Кто звонит?"
    assert w.chooser.rows()[0] == "1.  Иванова Ольга Петровна, мать, 41 год"
    assert w.banner_label.text().startswith("☎  Входящий звонок +7 916 123-45-67")
    with qtbot.waitSignal(w.patient_opened):
        w.chooser.choose_number(1)
    v = w.card_view
    assert v.bonus.title.text() == "Бонусы"
    assert v.plans.title.text() == "Планы лечения"
    assert v.facts_label.text() == "41 год · женщина · д. р. 14.03.1985"
    assert v.bonus_balance.text() == "1\u00a0200 баллов"
    assert v.bonus_expiry.text() == "200 баллов сгорят 30.11.2026"
    assert v.bonus_cap.text() == "можно оплатить до 50% счёта"
    assert [lab.text() for lab in v.alert_labels] == [
        "⚠  Нет согласия на запись: этот звонок не записывать",
        "✖  Открытая жалоба: Долго ждала в холле",
    ]
    assert v.channel_label.text() == "WhatsApp"
    assert [b.text() for b in v.family_buttons] == ["Иванов Пётр Сергеевич, сын, 14 лет  ·  ☎ общий номер"]
    assert v.visits_table.horizontalHeaderItem(0).text() == "Дата"
    assert v.visits_table.item(0, 4).text() == "был(а)"
    assert "просрочен с 01.07.2026" in v.stage_labels[1].text()
    w.quick_create()
    assert w.new_caller.save_button.text() == "Создать карточку (Ctrl+S)"
    # Qt's own texts come from qtbase_ru
    dlg = ErrorDialog("x", "y")
    qtbot.addWidget(dlg)
    close = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "Закрыть"
    assert dlg.copy_button.text() == "Копировать подробности"


def test_main_window_in_english(qtbot, make_window, clinic):
    w = make_window()
    assert w.search_field.placeholderText() == "Search by name or phone (Ctrl+F)"
    with qtbot.waitSignal(w.patient_opened):
        w.open_patient(clinic["olga"])
    assert w.card_view.bonus.title.text() == "Bonus points"
    assert w.card_view.facts_label.text() == "41 years · female · born 14.03.1985"
    with qtbot.waitSignal(w.patient_opened):
        w.open_patient(clinic["lone"])
    assert w.card_view.bonus_balance.text() == "0 points"
