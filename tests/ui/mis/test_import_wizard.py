"""The MIS import page as an administrator uses it: file -> mapping -> dry run -> import."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import ImportMapping, Patient
from ui.mis.import_wizard import ImportWizard
from ui.tasks import SyncRunner

CSV = (
    "Карта;Фамилия;Имя;Отчество;Д.Р.;Тел;Колонка X\n"
    "11;Иванова;Ольга;Петровна;14.03.1985;8 (916) 123-45-67;a\n"
    "12;Петров;Сергей;Иванович;1979-11-02;+7 903 111-22-33;b\n"
    "13;;;;;;c\n"
)


def test_wizard_guesses_maps_dry_runs_and_imports(qtbot, sessions, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(CSV.encode("cp1251"))
    w = ImportWizard(sessions, SyncRunner())
    qtbot.addWidget(w)
    w.show()
    assert w.stack.currentIndex() == 0 and not w.read_button.isEnabled()
    w.path_edit.setText(str(path))
    assert w.read_button.isEnabled()
    w.read_button.click()
    assert w.stack.currentIndex() == 1
    # the preview shows the file's rows under a row of field dropdowns
    assert w.preview.columnCount() == 7 and w.preview.item(1, 1).text() == "Иванова"
    assert "Windows-1251" in w.file_info.text()
    assert w.columns() == {"Карта": "external_id", "Фамилия": "last_name", "Имя": "first_name",
                           "Отчество": "patronymic", "Д.Р.": "birth_date", "Тел": "phones"}
    # unmapping the last name makes the mapping unusable: the dry run button says no
    w.set_field("Фамилия", "")
    assert not w.dry_button.isEnabled() and "last_name" in w.mapping_problems.text()
    w.set_field("Фамилия", "last_name")
    w.set_field("Колонка X", "comments")
    assert w.dry_button.isEnabled()
    w.save_name.setText("Наша МИС")
    with qtbot.waitSignal(w.step_changed) as sig:
        w.dry_button.click()
    assert sig.args == [2]
    assert "Rows: 3. New: 2. Updated: 0. Unchanged: 0. Rejected: 1." in w.summary.text()
    assert w.report_rows()[0][:2] == ("4", "rejected")  # rejected rows first, with the reason
    assert "last name and first name are required" in w.report_rows()[0][2]
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 0
    assert w.apply_button.isEnabled()
    with qtbot.waitSignal(w.imported) as done:
        w.apply_button.click()
    assert done.args[0]["created"] == 2
    assert w.title.text() == "Done" and w.new_button.isVisible() and not w.apply_button.isVisible()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 2
        m = s.scalars(select(ImportMapping)).one()
        assert (m.name, m.kind, m.columns["Колонка X"]) == ("Наша МИС", "patients", "comments")
    # the saved mapping is offered next time
    assert w.mapping_combo.findData("Наша МИС") >= 0


def test_unreadable_file_is_a_message(qtbot, sessions, tmp_path):
    w = ImportWizard(sessions, SyncRunner())
    qtbot.addWidget(w)
    w.path_edit.setText(str(tmp_path / "missing.xlsx"))
    w.read_button.click()
    assert w.stack.currentIndex() == 0
    assert "file not found" in w.error.text() and w.read_button.isEnabled()


def test_russian_translation(qtbot, sessions, tmp_path):
    from importlib import resources

    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    qm = resources.files("resources") / "translations" / "mis_ru.qm"
    t = QTranslator()
    assert t.load(str(qm))
    QCoreApplication.installTranslator(t)
    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Russian))
    try:
        path = tmp_path / "export.csv"
        path.write_bytes(CSV.encode("utf-8-sig"))
        w = ImportWizard(sessions, SyncRunner())
        qtbot.addWidget(w)
        assert w.page_title() == "Импорт из МИС"
        assert w.title.text() == "1. Выберите файл выгрузки"
        w.path_edit.setText(str(path))
        w.read_button.click()
        assert w.file_info.text() == "3 строки данных; кодировка: UTF-8"
        assert w.field_combos[1].currentText() == "Фамилия" and w.field_combos[6].currentText() == "(не использовать)"
        w.dry_button.click()
        assert w.summary.text().startswith("Проверка: пока ничего не сохранено. Строк: 3. Новых: 2.")
        assert w.report_rows()[0][1:] == ("отклонена", "нужны фамилия и имя")
    finally:
        QCoreApplication.removeTranslator(t)
        QLocale.setDefault(old)
