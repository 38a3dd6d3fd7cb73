"""Script templates: every situation x language x with/without bonus renders with no field left,
the care -> value -> bonus order is enforced, the bonus line always names its deadline."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from app import situations as S
from app.scripts import loader
from app.scripts.renderer import ScriptError, fmt_date, fmt_number, parse, render, values_for
from app.situations import PatientFacts, Situation

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
FIELD = re.compile(r"\{[^}]*\}")

DATA = {
    S.CONFIRMATION: {"kind": "confirm", "doctor": "Смирнова А. В.", "due_service": "Пломба",
                     "appointment_at": NOW + timedelta(days=2), "due_date": date(2026, 11, 25)},
    S.FOLLOW_UP: {"doctor": "Смирнова А. В.", "visit_date": date(2026, 11, 22), "visit_services": "Пломба"},
    S.RETURN_CONSULTATION: {"doctor": "Смирнова А. В.", "visit_date": date(2026, 11, 22), "due_service": "Консультация"},
    S.CONTINUED_TREATMENT: {"doctor": "Смирнова А. В.", "plan_title": "Лечение кариеса", "plan_stage": "Пломба 46",
                            "due_date": date(2026, 10, 1), "overdue": True},
    S.PREVENTION: {"doctor": "Смирнова А. В.", "due_date": date(2026, 12, 1), "due_service": "Гигиена"},
    S.RETURN_LAPSED: {"doctor": "Смирнова А. В.", "visit_date": date(2025, 1, 10)},
    S.REFERRAL_THANKS: {"referred_name": "Анна Сергеевна"},
    S.BIRTHDAY: {"birthday": date(2026, 11, 28)},
    S.NEW_PATIENT: {},
}


def patient(bonus: bool, **kw) -> PatientFacts:
    return PatientFacts(1, "Ольга", "Петровна", "Иванова", "F", date(1985, 3, 14), "ул. Белой Магнолии, 5",
                        "+7 916 123-45-67", bonus_balance=1000 if bonus else 0,
                        bonus_expiry=date(2026, 11, 30) if bonus else None, max_redeem_percent=50, **kw)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("code", S.ALL)
@pytest.mark.parametrize("bonus", [True, False])
def test_every_builtin_script_renders_fully(lang, code, bonus):
    tpl = loader.builtin(code, lang)
    sit = Situation(code, 1, "", None, DATA[code])
    facts = PatientFacts(None, phone_display="+7 999 000-00-00") if code == S.NEW_PATIENT else patient(bonus)
    r = render(tpl, values_for(facts, sit, lang, NOW.date(), tz=timezone.utc), lang, sit.data)
    blob = r.text + "".join(o["answer"] + o["question"] for o in r.objections) + "".join(c["text"] for c in r.checklist)
    assert not FIELD.search(blob)
    kinds = [b["kind"] for b in r.blocks]
    assert kinds[0] == "opening" and "care" in kinds
    assert {o["code"] for o in r.objections} >= {"price", "think", "intrusive"}
    has_bonus = "bonus" in kinds
    assert has_bonus is (bonus and code != S.NEW_PATIENT)
    assert ("bonus_deadline" in [c["code"] for c in r.checklist]) is has_bonus
    if has_bonus:
        assert kinds.index("care") < kinds.index("value") < kinds.index("bonus")
        line = r.blocks[kinds.index("bonus")]["text"]
        if lang == "ru":
            assert "1 000 бонусных баллов" in line and "до 50%" in line and "до 30 ноября" in line
        else:
            assert "1,000 bonus points" in line and "until 30 November" in line
    assert "Ольга Петровна" in r.text or code == S.NEW_PATIENT


def test_the_example_bonus_line_in_russian():
    tpl = loader.builtin(S.PREVENTION, "ru")
    sit = Situation(S.PREVENTION, 1, "", None, DATA[S.PREVENTION])
    r = render(tpl, values_for(patient(True), sit, "ru", NOW.date()), "ru", sit.data)
    assert ("Кстати, Ольга Петровна, у вас на счёте 1 000 бонусных баллов: ими можно оплатить до 50% счёта "
            "за осмотр. Баллы действуют до 30 ноября.") in r.text
    assert "У нас указан адрес ул. Белой Магнолии, 5 — он по-прежнему верный?" in r.text  # verify by stating


def test_missing_values_fall_back_or_drop_without_leaving_fields():
    tpl = loader.builtin(S.CONTINUED_TREATMENT, "ru")
    data = {"overdue": True, "plan_title": "Лечение", "plan_stage": "Этап 2"}  # no doctor, no date
    sit = Situation(S.CONTINUED_TREATMENT, 1, "", None, data)
    f = PatientFacts(1, "Ольга")
    r = render(tpl, values_for(f, sit, "ru", NOW.date()), "ru", sit.data)
    assert not FIELD.search(r.text)
    assert "Здравствуйте, Ольга! Вас беспокоит администратор клиники." in r.text
    assert "остался этап — Этап 2" in r.text and "врач — ваш врач" in r.text
    assert "verify" not in [b["kind"] for b in r.blocks]  # no phone: the optional line is dropped


def test_bonus_without_deadline_is_never_said():
    tpl = loader.builtin(S.PREVENTION, "en")
    sit = Situation(S.PREVENTION, 1, "", None, DATA[S.PREVENTION])
    f = patient(False)
    f.bonus_balance = 500  # points that never expire: no deadline to name -> no bonus line
    r = render(tpl, values_for(f, sit, "en", NOW.date()), "en", sit.data)
    assert "bonus" not in r.text.lower()


def test_dates_and_numbers_in_russian_and_english():
    assert fmt_number(1000, "ru") == "1 000" and fmt_number(1234567, "ru") == "1 234 567"
    assert fmt_number(1000, "en") == "1,000"
    assert fmt_date(date(2026, 11, 30), "ru", date(2026, 11, 23)) == "30 ноября"
    assert fmt_date(date(2027, 3, 1), "ru", date(2026, 11, 23)) == "1 марта 2027 г."
    assert fmt_date(date(2026, 5, 2), "en", date(2026, 11, 23)) == "2 May"


BAD_ORDER = """
situation = "prevention"
[[blocks]]
kind = "care"
text = "Как вы?"
[[blocks]]
kind = "value"
text = "Осмотр помогает."
[[blocks]]
kind = "bonus"
text = "У вас {bonus_balance} баллов до {bonus_expiry}."
[[blocks]]
kind = "value"
text = "Пора на осмотр."
"""


def test_renderer_refuses_value_after_bonus():
    with pytest.raises(ScriptError, match="care first, value second, bonus last"):
        parse(BAD_ORDER)


def test_renderer_refuses_a_bonus_without_care_and_value():
    body = '[[blocks]]\nkind = "opening"\ntext = "Здравствуйте!"\n[[blocks]]\nkind = "bonus"\ntext = "{bonus_balance} до {bonus_expiry}"\n'
    with pytest.raises(ScriptError, match="real medical reason"):
        parse(body)


def test_renderer_refuses_a_bonus_line_without_deadline_and_unknown_fields():
    body = ('[[blocks]]\nkind = "care"\ntext = "Как вы?"\n[[blocks]]\nkind = "value"\ntext = "Пора."\n'
            '[[blocks]]\nkind = "bonus"\ntext = "У вас {bonus_balance} баллов."\n')
    with pytest.raises(ScriptError, match="deadline"):
        parse(body)
    with pytest.raises(ScriptError, match="unknown field"):
        parse('[[blocks]]\nkind = "care"\ntext = "Здравствуйте, {nmae}!"\n')
    with pytest.raises(ScriptError, match="not valid TOML"):
        parse('[[blocks]\nkind = ')


def test_a_partly_expiring_balance_says_how_much_lapses():
    sit = Situation(S.PREVENTION, 1, "", None, DATA[S.PREVENTION])
    f = patient(True)
    f.bonus_balance, f.bonus_expiry, f.bonus_expiring = 700, date(2026, 12, 13), 200
    ru = render(loader.builtin(S.PREVENTION, "ru"), values_for(f, sit, "ru", NOW.date()), "ru", sit.data)
    assert "у вас на счёте 700 бонусных баллов" in ru.text
    assert "Баллы действуют до 13 декабря (сгорают 200 из них, остальные позже)." in ru.text
    en = render(loader.builtin(S.PREVENTION, "en"), values_for(f, sit, "en", NOW.date()), "en", sit.data)
    assert "valid until 13 December (200 of them; the rest later)." in en.text
