from datetime import date

import pytest

from app.card import CardService
from app.phones import PhoneError
from tests import factories as f

TODAY = date(2026, 11, 23)


@pytest.fixture
def clinic(sessions):
    with sessions() as s, s.begin():
        d = f.doctor(s)
        cons = f.service(s, "C01", "Консультация стоматолога", price=1500, is_consultation=True)
        fill = f.service(s, "T10", "Пломба световая", price=6500)
        fam = f.family(s)
        olga = f.patient(s, phones=("+79161234567", "+74951234567"), family=fam, family_role="мать",
                         comments="Боится уколов", consent_recording=False)
        son = f.patient(s, "Иванов", "Пётр", "Сергеевич", "M", date(2012, 5, 2), phones=("+79161234567",),
                        family=fam, family_role="сын")
        lone = f.patient(s, "Соколов", "Андрей", "Игоревич", "M", date(1970, 1, 30), phones=("+79035550011",),
                         do_not_contact=True)
        f.visit(s, olga, d, f.dt(2026, 5, 10), [cons])
        f.visit(s, olga, d, f.dt(2026, 6, 1), [fill])
        f.plan(s, olga, d, "Лечение кариеса", date(2026, 5, 10),
               [("Пломба 36", 6500, date(2026, 6, 1), "done"), ("Пломба 46", 6500, date(2026, 7, 1), "due"),
                ("Чистка", 4500, None, "declined")])
        f.appointment(s, olga, d, f.dt(2026, 12, 2, 15), fill)
        f.bonus(s, olga, "accrual", 500, date(2026, 5, 10), date(2026, 11, 30))
        f.bonus(s, olga, "accrual", 1000, date(2026, 6, 1), date(2027, 6, 1))
        f.bonus(s, olga, "redemption", 300, date(2026, 6, 1))
        f.bonus(s, olga, "accrual", 700, date(2025, 1, 1), date(2025, 6, 1))  # long expired
        f.complaint(s, olga, "Долго ждала в холле")
        ids = dict(olga=olga.id, son=son.id, lone=lone.id)
    return ids


SPELLINGS = ["8 (916) 123-45-67", "+7 916 123 45 67", "9161234567", "sip:+79161234567@pbx.local",
             "tel:+7-916-123-45-67"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_finds_the_family_sharing_the_number(sessions, clinic, spelling):
    lk = CardService(sessions).lookup_phone(spelling, TODAY)
    assert lk.e164 == "+79161234567"
    assert lk.needs_choice
    assert {m.id for m in lk.matches} == {clinic["olga"], clinic["son"]}


def test_unknown_number_is_a_new_caller(sessions, clinic):
    lk = CardService(sessions).lookup_phone("+7 999 000-00-00", TODAY)
    assert lk.is_new_caller and lk.matches == []


@pytest.mark.parametrize("garbage", ["hello", "123", "", "sip:@pbx", "+7 916 12"])
def test_garbage_number_is_a_clear_error(sessions, garbage):
    with pytest.raises(PhoneError) as e:
        CardService(sessions).lookup_phone(garbage)
    assert str(e.value)


def test_card_shows_history_plans_bonus_and_alerts(sessions, clinic):
    c = CardService(sessions).card(clinic["olga"], TODAY)
    assert c.full_name == "Иванова Ольга Петровна"
    assert c.age == 41
    assert [p.e164 for p in c.phones] == ["+79161234567", "+74951234567"]
    assert [v.services for v in c.visits] == [["Пломба световая"], ["Консультация стоматолога"]]
    assert c.plans[0].unfinished and [s.status for s in c.plans[0].stages] == ["done", "due", "declined"]
    assert c.next_appointment is not None and c.next_appointment.service == "Пломба световая"
    # 500 (to 30.11) + 1000 - 300 redeemed oldest-expiry first = 200 left of the first lot
    assert c.bonus.balance == 1200
    assert (c.bonus.nearest_expiry_amount, c.bonus.nearest_expiry_date) == (200, date(2026, 11, 30))
    assert c.bonus.redemption_cap_percent == 50
    assert {a.code for a in c.alerts} == {"no_recording_consent", "open_complaint"}
    assert [(m.full_name, m.role, m.shares_phone) for m in c.family] == [("Иванов Пётр Сергеевич", "сын", True)]


def test_bonus_lot_expires_after_its_date(sessions, clinic):
    c = CardService(sessions).card(clinic["olga"], date(2026, 12, 1))
    assert c.bonus.balance == 1000
    assert c.bonus.nearest_expiry_date == date(2027, 6, 1)


def test_do_not_contact_alert(sessions, clinic):
    c = CardService(sessions).card(clinic["lone"], TODAY)
    assert [a.code for a in c.alerts] == ["do_not_contact"]


@pytest.mark.parametrize("query,expected", [
    ("иван", {"olga", "son"}), ("Иванова О", {"olga"}), ("ИВАНОВ пЁТР сер", {"son"}), ("иванов петр", {"olga", "son"}),
    ("соколов", {"lone"}), ("4567", {"olga", "son"}), ("8 903 555 00 11", {"lone"}), ("петрович", set()),
])
def test_search_by_name_or_phone(sessions, clinic, query, expected):
    got = {r.id for r in CardService(sessions).search(query, today=TODAY)}
    assert got == {clinic[k] for k in expected}


def test_quick_create_then_found_by_number(sessions):
    svc = CardService(sessions)
    pid = svc.create_patient("Новикова", "Мария", "Ильинична", "F", "8 926 000-11-22")
    assert [m.id for m in svc.lookup_phone("+79260001122").matches] == [pid]
    with pytest.raises(PhoneError):
        svc.create_patient("Новикова", "Мария", "", "F", "not a phone")
