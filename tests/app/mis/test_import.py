"""MIS import with messy real-world files, on SQLite and the real PostgreSQL."""

from __future__ import annotations

import codecs
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.mis import mapping
from app.mis.importer import Importer
from app.mis.readers import ReadError, read_table
from db.models import (
    Appointment,
    BonusEntry,
    ImportMapping,
    ImportRun,
    Patient,
    PatientPhone,
    PlanStage,
    TreatmentPlan,
    Visit,
    VisitService,
)

TODAY = date(2026, 11, 23)

# A Windows-1251, semicolon-separated patient export the way Russian MIS write it: mixed date
# spellings, phones in every spelling (several in one cell), a duplicate patient, garbage rows.
PATIENTS_CSV = (
    "Номер карты;Фамилия;Имя;Отчество;Пол;Дата рождения;Телефон;E-mail;Комментарий\r\n"
    "1001;Иванова;Ольга;Петровна;Ж;14.03.1985;8 (916) 123-45-67, +7 916 765-43-21;olga@example.ru;аллергия на лидокаин\r\n"
    "1002;ПЕТРОВ;СЕРГЕЙ;ИВАНОВИЧ;м;1979-11-02;79031112233;;\r\n"
    "1003;Сидорова;Анна;;;02/05/91;+7(926)000-11-22 / 8-926-000-11-23;;\r\n"
    "1004;Кузнецов;Пётр;Алексеевич;М;31.02.1980;89160000000;;\r\n"  # no 31 February
    ";;;;;;;;\r\n"  # an empty line in the middle
    "ИТОГО: 5 пациентов;;;;;;;;\r\n"  # a footer row
    "1005;Smith;John;;M;1990-01-15;+44 20 7946 0958;john@example.com;\r\n"
    "1006;Орлова;Мария;Сергеевна;Ж;07.07.1977;тел. не указан;;\r\n"
    "1001;Иванова;Ольга;Петровна;Ж;14.03.1985;8-916-123-45-67;;\r\n"  # the MIS exported her twice
    ";Иванова;Ольга;Петровна;Ж;14.03.1985;+79161112299;;\r\n"  # and once without a card number
)


def write(path, text, encoding):
    path.write_bytes(text.encode(encoding) if encoding != "utf-8-sig" else codecs.BOM_UTF8 + text.encode("utf-8"))
    return path


def counts(sessions, model):
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def run(sessions, path, kind, dry_run=False, name=""):
    table = read_table(path)
    with sessions() as s:
        cols = mapping.load(s, name, kind) if name else mapping.guess(kind, table.headers)
    return Importer(sessions, today=TODAY).run(table, kind, cols, dry_run=dry_run, mapping_name=name)


def test_patients_cp1251_semicolons_dry_run_apply_and_reimport(sessions, tmp_path):
    path = write(tmp_path / "patients.csv", PATIENTS_CSV, "cp1251")
    table = read_table(path)
    assert table.encoding == "cp1251" and table.delimiter == ";"
    assert table.headers[1] == "Фамилия"

    dry = run(sessions, path, "patients", dry_run=True)
    assert counts(sessions, Patient) == 0  # a dry run writes nothing
    assert counts(sessions, ImportRun) == 0
    applied = run(sessions, path, "patients")
    # the dry run's report is the apply's report
    assert [(r.row, r.action, r.reason) for r in dry.rows] == [(r.row, r.action, r.reason) for r in applied.rows]

    by_row = {r.row: r for r in applied.rows}
    assert by_row[2].action == "created" and by_row[3].action == "created" and by_row[4].action == "created"
    assert by_row[5].action == "rejected" and "not a real date" in by_row[5].reason
    assert by_row[7].action == "rejected"  # the footer is not a person
    assert by_row[8].action == "created"  # a foreign number is still a number
    assert by_row[9].action == "created" and "phone skipped" in by_row[9].note
    assert by_row[10].action == "unchanged" and "same patient as row 2" in by_row[10].note
    assert by_row[11].action == "updated" and "row 2" in by_row[11].note  # new phone added
    assert 6 not in by_row  # the empty line is not a row
    assert (applied.created, applied.updated, applied.unchanged, applied.rejected) == (5, 1, 1, 2)

    with sessions() as s:
        olga = s.scalars(select(Patient).where(Patient.external_id == "1001")).one()
        assert olga.sex == "F" and olga.birth_date == date(1985, 3, 14)
        assert [p.e164 for p in olga.phones] == ["+79161234567", "+79167654321", "+79161112299"]
        assert olga.comments == "аллергия на лидокаин"
        petrov = s.scalars(select(Patient).where(Patient.external_id == "1002")).one()
        assert (petrov.last_name, petrov.first_name, petrov.name_key) == ("Петров", "Сергей", "петров сергей иванович")
        sid = s.scalars(select(Patient).where(Patient.external_id == "1003")).one()
        assert sid.sex == "F"  # told from the name: the sex column was empty
        assert sid.birth_date == date(1991, 5, 2)  # dd/mm/yy
        assert {p.e164 for p in sid.phones} == {"+79260001122", "+79260001123"}
        assert s.scalar(select(func.count()).select_from(PatientPhone).where(PatientPhone.e164 == "+79161234567")) == 1

    again = run(sessions, path, "patients")
    assert (again.created, again.updated, again.rejected) == (0, 0, 2)
    assert counts(sessions, Patient) == 5
    assert counts(sessions, ImportRun) == 2


def test_utf8_bom_commas_and_matching_existing_patients_by_name_and_birth(sessions, tmp_path):
    from tests import factories as F

    with sessions() as s, s.begin():
        F.patient(s, "Иванова", "Ольга", "Петровна", birth=date(1985, 3, 14), phones=("+79161234567",))
    text = (
        "ФИО,Дата рождения,Телефоны,Пол\n"
        "Иванова Ольга Петровна,1985-03-14,\"+7 916 123 45 67; 8 903 555 66 77\",\n"
        "\"Ёлкин Семён Игоревич\",5.6.2001,\"(903) 444-55-66\",\n"
        "Безымянный,01.01.1990,89030000001,\n"
    )
    path = write(tmp_path / "export.csv", text, "utf-8-sig")
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    rep = run(sessions, path, "patients")
    assert [r.action for r in rep.rows] == ["updated", "created", "rejected"]
    assert "matched an existing patient by name and birth date" in rep.rows[0].note
    assert "full name" in rep.rows[2].reason
    with sessions() as s:
        assert counts(sessions, Patient) == 2
        elkin = s.scalars(select(Patient).where(Patient.last_name == "Ёлкин")).one()
        assert elkin.name_key == "елкин семен игоревич" and elkin.sex == "M"
        assert elkin.phones[0].e164 == "+79034445566"
    assert run(sessions, path, "patients").updated == 0


def _patients(sessions, tmp_path):
    path = write(tmp_path / "p.csv", PATIENTS_CSV, "cp1251")
    run(sessions, path, "patients")


def test_visits_xlsx_with_real_date_cells_services_and_idempotence(sessions, tmp_path):
    _patients(sessions, tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["Отчёт по визитам за 2026 год"])  # a title row above the header
    ws.append([])
    ws.append(["Номер карты", "Дата", "Время", "Врач", "Специальность", "Код услуги", "Услуги", "Сумма", "Статус"])
    ws.append(["1001", datetime(2026, 5, 14, 10, 30), None, "Смирнова Анна Викторовна", "стоматолог-терапевт",
               "T01", "Лечение кариеса", 5500, "Выполнен"])
    ws.append(["1001", datetime(2026, 6, 1), "14:00", "Смирнова Анна Викторовна", "", "C01; X01",
               "Консультация; Снимок", "2 500,00 руб.", ""])
    ws.append(["1002", 46100, None, "Смирнова Анна Викторовна", "", "", "Профгигиена", 4000, "неявка"])
    ws.append(["9999", datetime(2026, 6, 2), None, "Смирнова Анна Викторовна", "", "", "", 0, ""])  # no such card
    ws.append(["1003", "вчера", None, "Смирнова Анна Викторовна", "", "", "", 0, ""])
    ws.append(["1003", datetime(2026, 7, 7), None, "", "", "", "", 0, ""])  # no doctor
    ws.append(["1001", datetime(2026, 5, 14, 10, 30), None, "Смирнова Анна Викторовна", "", "T01",
               "Лечение кариеса", 5500, "Выполнен"])  # the same visit exported twice
    path = tmp_path / "visits.xlsx"
    wb.save(path)
    rep = run(sessions, path, "visits")
    assert [r.action for r in rep.rows] == ["created", "created", "created", "rejected", "rejected", "rejected",
                                            "unchanged"]
    assert [r.row for r in rep.rows][:4] == [4, 5, 6, 7]
    assert "no patient with MIS id '9999'" in rep.rows[3].reason
    assert "not a date" in rep.rows[4].reason
    assert "doctor is missing" in rep.rows[5].reason
    with sessions() as s:
        v = s.scalars(select(Visit).order_by(Visit.id)).all()
        assert len(v) == 3
        assert v[0].starts_at.astimezone().replace(tzinfo=None) == datetime(2026, 5, 14, 10, 30)
        assert v[0].amount == 5500 and v[0].status == "done"
        assert [vs.service.code for vs in v[1].services] == ["C01", "X01"] and v[1].amount == 2500
        assert v[1].starts_at.astimezone().replace(tzinfo=None) == datetime(2026, 6, 1, 14, 0)
        assert v[2].starts_at.astimezone().date() == date(2026, 3, 19)  # Excel serial 46100
        assert v[2].status == "no_show"
        assert s.scalar(select(func.count()).select_from(VisitService)) == 4
    again = run(sessions, path, "visits")
    assert (again.created, again.updated, again.rejected) == (0, 0, 3)
    assert counts(sessions, Visit) == 3


def test_plans_appointments_and_bonus_ledger(sessions, tmp_path):
    _patients(sessions, tmp_path)
    plans = (
        "Номер карты;План;Врач;Дата плана;№ этапа;Этап;Стоимость;Срок;Статус этапа\n"
        "1001;Имплантация 3.6;Орлов Игорь Петрович;01.09.2026;1;Удаление зуба;3000;15.09.2026;выполнен\n"
        "1001;Имплантация 3.6;Орлов Игорь Петрович;01.09.2026;2;Установка импланта;45000;01.12.2026;\n"
        "1001;Имплантация 3.6;Орлов Игорь Петрович;01.09.2026;3;Коронка;25 000;;непонятно\n"
        "1002;Брекеты;Орлов Игорь Петрович;2026-10-10;1;Консультация ортодонта;1500;;выполнен\n"
    )
    rep = run(sessions, write(tmp_path / "plans.csv", plans, "utf-8"), "plans")
    assert [r.action for r in rep.rows] == ["created", "created", "rejected", "created"]
    assert "unknown stage status 'непонятно'" in rep.rows[2].reason
    with sessions() as s:
        pls = s.scalars(select(TreatmentPlan).order_by(TreatmentPlan.id)).all()
        assert [p.title for p in pls] == ["Имплантация 3.6", "Брекеты"]
        assert [(st.seq, st.status, st.price) for st in pls[0].stages] == [(1, "done", 3000), (2, "due", 45000)]
        assert pls[0].status == "active" and pls[1].status == "completed"
    assert run(sessions, write(tmp_path / "plans.csv", plans, "utf-8"), "plans").created == 0
    assert counts(sessions, PlanStage) == 3

    appts = (
        "Код записи\tНомер карты\tДата\tВремя\tВрач\tУслуга\tСтатус\n"
        "A1\t1001\t2026-12-01 09:00\t\tОрлов И. П.\tУстановка импланта\tподтверждена\n"
        "A2\t1002\t02.12.2026\t25:00\tОрлов И. П.\t\t\n"
        "A3\t1003\t03.12.2026\t11:15\tНовикова Вера\tКонсультация\t\n"
    )
    rep = run(sessions, write(tmp_path / "appts.tsv", appts, "utf-8"), "appointments")
    assert [r.action for r in rep.rows] == ["created", "rejected", "created"]
    assert "not a time" in rep.rows[1].reason
    with sessions() as s:
        a1 = s.scalars(select(Appointment).order_by(Appointment.id)).first()
        assert a1.status == "confirmed" and a1.doctor.last_name == "Орлов"  # "Орлов И. П." is the same doctor
    appts2 = appts.replace("подтверждена", "отменена")
    rep = run(sessions, write(tmp_path / "appts.tsv", appts2, "utf-8"), "appointments")
    assert (rep.created, rep.updated) == (0, 1)

    bonus = (
        "Номер карты;Операция;Сумма;Дата;Действует до;Основание\n"
        "1001;Начисление;500;14.05.2026;14.11.2026;первый визит\n"
        "1001;Начисление;500;14.05.2026;14.11.2026;первый визит\n"  # two equal lines: both are real
        "1001;Списание;300;01.06.2026;;оплата визита\n"
        "1002;Начисление;1000;01.06.2026;;полгода\n"
        "1002;Подарок;100;01.06.2026;;\n"
        "1003;Начисление;0;01.06.2026;;\n"
    )
    rep = run(sessions, write(tmp_path / "bonus.csv", bonus, "cp1251"), "bonus")
    assert [r.action for r in rep.rows] == ["created", "created", "created", "created", "rejected", "rejected"]
    assert "no expiry date" in rep.rows[3].note
    with sessions() as s:
        b = s.scalars(select(BonusEntry).where(BonusEntry.reason == "полгода")).one()
        assert b.expires_on == date(2026, 11, 28)  # 180 days by default
    assert run(sessions, write(tmp_path / "bonus.csv", bonus, "cp1251"), "bonus").created == 0
    assert counts(sessions, BonusEntry) == 4


def test_mapping_guess_save_and_load(sessions):
    headers = ["№ карты", "Фамилия", "Имя", "Отчество", "Дата рождения", "Телефон мобильный", "Телефон 2",
               "Непонятная колонка"]
    cols = mapping.guess("patients", headers)
    assert cols == {"№ карты": "external_id", "Фамилия": "last_name", "Имя": "first_name",
                    "Отчество": "patronymic", "Дата рождения": "birth_date", "Телефон мобильный": "phones",
                    "Телефон 2": "phones"}
    assert mapping.validate("patients", cols, headers) == []
    assert mapping.validate("visits", {"Дата": "date"}) != []
    with sessions() as s, s.begin():
        mapping.save(s, "Medods", "patients", cols)
    with sessions() as s, s.begin():
        mapping.save(s, "Medods", "patients", {**cols, "Непонятная колонка": "comments"})
    with sessions() as s:
        assert mapping.load(s, "Medods", "patients")["Непонятная колонка"] == "comments"
        assert s.scalar(select(func.count()).select_from(ImportMapping)) == 1
        assert "Medods" in mapping.names(s, "patients") and "generic-ru" in mapping.names(s, "patients")
        assert mapping.load(s, "generic-ru", "visits")["Дата"] == "date"


def test_unreadable_files_are_clear_errors(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ReadError, match="not a readable Excel"):
        read_table(tmp_path / "fake.xlsx")
    with pytest.raises(ReadError, match="not found"):
        read_table(tmp_path / "missing.csv")


def test_patients_xlsx_with_date_cells_numeric_phones_and_two_phone_columns(sessions, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Пациенты"
    ws.append(["ID", "Last name", "First name", "Middle name", "Date of birth", "Phone", "Phone 2", "Sex"])
    ws.append([7001, "Волкова", "Ирина", "Олеговна", datetime(1988, 2, 29), 79161230001, "8 (495) 123-00-02", None])
    ws.append([7002.0, "Зайцев", "Олег", "", 30000, "+7 916 123 00 03", None, "male"])  # Excel serial 30000
    ws.append([7003, "Лисицына", "Ева", "", "1990-13-45", None, None, "Ж"])  # no 13th month
    path = tmp_path / "patients.xlsx"
    wb.save(path)
    table = read_table(path)
    cols = mapping.guess("patients", table.headers)
    assert cols["Phone"] == cols["Phone 2"] == "phones" and cols["ID"] == "external_id"
    rep = Importer(sessions, today=TODAY).run(table, "patients", cols)
    assert [r.action for r in rep.rows] == ["created", "created", "rejected"]
    assert rep.rows[2].row == 4 and "not a real date" in rep.rows[2].reason
    with sessions() as s:
        volkova = s.scalars(select(Patient).where(Patient.external_id == "7001")).one()
        assert volkova.birth_date == date(1988, 2, 29) and volkova.sex == "F"
        assert [p.e164 for p in volkova.phones] == ["+79161230001", "+74951230002"]
        zaitsev = s.scalars(select(Patient).where(Patient.external_id == "7002")).one()
        assert zaitsev.birth_date == date(1982, 2, 18) and zaitsev.sex == "M"
    again = Importer(sessions, today=TODAY).run(read_table(path), "patients", cols)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.parametrize("encoding", ["koi8-r", "cp866", "utf-16"])
def test_rarer_encodings_of_old_mis_are_recognised(tmp_path, encoding):
    text = ("Фамилия\tИмя\tОтчество\tТелефон\nИванова\tОльга\tПетровна\t89161234567\n"
            "Петров\tСергей\tИванович\t89031112233\nСидорова\tАнна\tПавловна\t8 926 000 11 22\n")
    path = tmp_path / "old.txt"
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.delimiter == "\t"
    assert table.headers == ["Фамилия", "Имя", "Отчество", "Телефон"]
    assert table.rows[2][1][:3] == ["Сидорова", "Анна", "Павловна"]


def test_report_reasons_in_russian(sessions, tmp_path):
    from app.mis.messages import localize

    rep = run(sessions, write(tmp_path / "patients.csv", PATIENTS_CSV, "cp1251"), "patients")
    ru = {r.row: localize(r.reason or r.note) for r in rep.rows}
    assert ru[5] == "'31.02.1980' — такой даты не бывает"
    assert ru[7] == "нужны фамилия и имя"  # the footer row "ИТОГО: 5 пациентов"
    assert localize("'Кот 2' does not look like a person's name") == "'Кот 2' не похоже на ФИО человека"
    assert ru[9] == "телефон пропущен: 'тел. не указан' — нет цифр"
    assert ru[11] == "тот же пациент, что в строке 2"
    assert localize("unknown stage status 'x' (known: done, due)") == \
        "неизвестное значение «статус этапа»: 'x' (известные: done, due)"
    assert localize("something new", "ru") == "something new"
    assert localize("the doctor is missing", "en") == "the doctor is missing"
