"""Situation detection (pure): every situation with its boundary dates, and the ranking."""

from datetime import date, datetime, timedelta, timezone

import pytest

from app import situations as S
from app.situations import (
    AppointmentFact,
    PatientFacts,
    PlanFact,
    ReferralFact,
    Rules,
    ServiceFact,
    StageFact,
    VisitFact,
    detect,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
CONS = ServiceFact("Консультация стоматолога", "стоматология", is_consultation=True)
FILL = ServiceFact("Пломба", "стоматология")
CLEAN = ServiceFact("Профессиональная гигиена", "стоматология", recall_months=6)


def at(d: date, h=10) -> datetime:
    return datetime(d.year, d.month, d.day, h, tzinfo=timezone.utc)


def facts(**kw) -> PatientFacts:
    kw.setdefault("birth_date", date(1985, 3, 14))
    return PatientFacts(1, "Ольга", "Петровна", "Иванова", "F", **kw)


def codes(f, now=NOW, rules=Rules()):
    return [s.code for s in detect(f, now, rules)]


def visit(days_ago, services=(FILL,), h=10):
    return VisitFact(at(TODAY - timedelta(days=days_ago), h), "Смирнова А. В.", "стоматология", tuple(services))


@pytest.mark.parametrize("days_ago,expected", [(0, False), (1, True), (7, True), (8, False)])
def test_return_after_consultation_from_the_next_day(days_ago, expected):
    f = facts(visits=[visit(days_ago, [CONS])])
    assert (S.RETURN_CONSULTATION in codes(f)) is expected


def test_return_after_consultation_is_due_the_next_day_and_not_when_treatment_booked():
    f = facts(visits=[visit(1, [CONS])])
    s = next(s for s in detect(f, NOW) if s.code == S.RETURN_CONSULTATION)
    assert s.due.date() == TODAY and "treatment not started" in s.reason
    booked = facts(visits=[visit(1, [CONS])],
                   appointments=[AppointmentFact(NOW + timedelta(days=10), "Смирнова А. В.", "Пломба", "scheduled")])
    assert S.RETURN_CONSULTATION not in codes(booked)
    treated = facts(visits=[visit(1, [CONS, FILL])])
    assert S.RETURN_CONSULTATION not in codes(treated)
    # consultation + X-ray, a plan made that day, no stage done yet: treatment not started
    xray = ServiceFact("Ортопантомограмма", "стоматология")
    planned = PlanFact("Имплантация 3.6", "Смирнова А. В.", TODAY - timedelta(days=1), "active",
                       (StageFact("Имплантация", None, "due"),))
    assert S.RETURN_CONSULTATION in codes(facts(visits=[visit(1, [CONS, xray])], plans=[planned]))
    started = PlanFact("Имплантация 3.6", "Смирнова А. В.", TODAY - timedelta(days=1), "active",
                       (StageFact("Удаление", None, "done"), StageFact("Имплантация", None, "due")))
    assert S.RETURN_CONSULTATION not in codes(facts(visits=[visit(1, [CONS, xray])], plans=[started]))


@pytest.mark.parametrize("days_ago,expected", [(364, False), (365, True), (800, True)])
def test_lapsed_after_the_configured_period(days_ago, expected):
    f = facts(visits=[visit(days_ago)])
    assert (S.RETURN_LAPSED in codes(f)) is expected


def test_lapse_period_is_configurable():
    f = facts(visits=[visit(200)])
    assert S.RETURN_LAPSED in codes(f, rules=Rules(lapse_days=180))
    assert S.RETURN_LAPSED not in codes(f)


def test_prevention_uses_the_service_recall_interval_with_lead_days():
    # cleaning 6 months ago -> due today; lead 14 days -> listed from 14 days before
    last = date(2026, 5, 23)
    f = facts(visits=[VisitFact(at(last), "Смирнова А. В.", "стоматология", (CLEAN,))])
    sits = detect(f, NOW)
    p = next(s for s in sits if s.code == S.PREVENTION)
    assert p.data["due_date"] == date(2026, 11, 23) and p.data["due_service"] == CLEAN.name
    # 15 days before the due date: not yet; 14 days before: yes
    assert S.PREVENTION not in codes(f, now=at(date(2026, 11, 8)))
    assert S.PREVENTION in codes(f, now=at(date(2026, 11, 9)))


def test_prevention_interval_by_specialty_and_default():
    gyn = ServiceFact("Приём гинеколога", "гинекология")
    last = TODAY - timedelta(days=300)
    f = facts(visits=[VisitFact(at(last), "Петрова Е. А.", "гинекология", (gyn,))])
    assert S.PREVENTION in codes(f)  # default 6 months
    assert S.PREVENTION not in codes(f, rules=Rules(recall_months_by_specialty={"гинекология": 12}))


def test_prevention_not_when_an_appointment_is_booked():
    f = facts(visits=[VisitFact(at(date(2026, 5, 23)), "Смирнова А. В.", "стоматология", (CLEAN,))],
              appointments=[AppointmentFact(NOW + timedelta(days=5), "Смирнова А. В.", "Гигиена", "confirmed")])
    assert S.PREVENTION not in codes(f)


@pytest.mark.parametrize("days_ago,expected", [(0, True), (1, True), (2, False)])
def test_follow_up_after_today_or_yesterday(days_ago, expected):
    f = facts(visits=[visit(days_ago, h=9)])
    assert (S.FOLLOW_UP in codes(f)) is expected


def test_follow_up_not_for_a_visit_later_today_or_a_no_show():
    later = facts(visits=[visit(0, h=15)])
    assert S.FOLLOW_UP not in codes(later)
    noshow = facts(visits=[VisitFact(at(TODAY, 9), "Смирнова А. В.", "стоматология", (FILL,), "no_show")])
    assert S.FOLLOW_UP not in codes(noshow)


def _appt(delta, status="scheduled"):
    return facts(appointments=[AppointmentFact(NOW + delta, "Смирнова А. В.", "Пломба", status)])


@pytest.mark.parametrize("delta,kind", [
    (timedelta(days=3), None), (timedelta(days=2), "confirm"), (timedelta(hours=5), "confirm"),
    (timedelta(hours=2, minutes=1), "confirm"), (timedelta(hours=2), "remind"), (timedelta(minutes=30), "remind"),
])
def test_confirmation_two_days_and_two_hours_before(delta, kind):
    got = [s for s in detect(_appt(delta), NOW) if s.code == S.CONFIRMATION]
    assert (got[0].data["kind"] if got else None) == kind


def test_confirmed_appointment_gets_only_the_two_hour_reminder():
    assert S.CONFIRMATION not in codes(_appt(timedelta(days=1), "confirmed"))
    assert S.CONFIRMATION in codes(_appt(timedelta(hours=1), "confirmed"))


@pytest.mark.parametrize("days,expected", [(0, True), (7, True), (8, False), (-1, False)])
def test_birthday_in_the_coming_week(days, expected):
    b = TODAY + timedelta(days=days)
    f = facts(birth_date=b.replace(year=1990))
    assert (S.BIRTHDAY in codes(f)) is expected


def test_birthday_on_29_february_and_across_new_year():
    f = facts(birth_date=date(1992, 2, 29))
    assert S.BIRTHDAY in codes(f, now=at(date(2027, 2, 25)))  # 1 March 2027
    g = facts(birth_date=date(1980, 1, 2))
    assert S.BIRTHDAY in codes(g, now=at(date(2026, 12, 28)))


def test_continued_treatment_due_overdue_and_stale_plans():
    def plan(stage_due, created=date(2026, 9, 1), status="due"):
        return PlanFact("Лечение кариеса", "Смирнова А. В.", created, "active",
                        (StageFact("Пломба 36", date(2026, 9, 10), "done"), StageFact("Пломба 46", stage_due, status)))
    overdue = detect(facts(plans=[plan(date(2026, 10, 1))]), NOW)
    ct = next(s for s in overdue if s.code == S.CONTINUED_TREATMENT)
    assert ct.data["overdue"] is True and ct.data["plan_stage"] == "Пломба 46"
    assert S.CONTINUED_TREATMENT in codes(facts(plans=[plan(TODAY + timedelta(days=7))]))
    assert S.CONTINUED_TREATMENT not in codes(facts(plans=[plan(TODAY + timedelta(days=8))]))
    assert S.CONTINUED_TREATMENT in codes(facts(plans=[plan(None, created=TODAY - timedelta(days=30))]))
    assert S.CONTINUED_TREATMENT not in codes(facts(plans=[plan(None, created=TODAY - timedelta(days=29))]))
    assert S.CONTINUED_TREATMENT not in codes(facts(plans=[plan(date(2026, 10, 1), status="declined")]))


def test_referral_thanks_within_the_period():
    f = facts(referrals=[ReferralFact("Анна Сергеевна", TODAY - timedelta(days=60))])
    assert S.REFERRAL_THANKS in codes(f)
    f = facts(referrals=[ReferralFact("Анна Сергеевна", TODAY - timedelta(days=61))])
    assert S.REFERRAL_THANKS not in codes(f)


def test_unknown_number_is_a_new_patient():
    assert [s.code for s in detect(PatientFacts(None), NOW)] == [S.NEW_PATIENT]


def test_ranking_puts_the_time_critical_first():
    f = facts(
        birth_date=TODAY.replace(year=1980) + timedelta(days=2),
        visits=[visit(1, [CONS])],
        plans=[PlanFact("План", "Смирнова А. В.", date(2026, 9, 1), "active",
                        (StageFact("Этап", date(2026, 10, 1), "due"),))],
    )
    # the return call after yesterday's consultation replaces the follow-up (it asks how they are)
    assert codes(f) == [S.RETURN_CONSULTATION, S.CONTINUED_TREATMENT, S.BIRTHDAY]
    assert codes(facts(visits=[visit(1)]))[0] == S.FOLLOW_UP
    f2 = facts(visits=[visit(1)], appointments=[AppointmentFact(NOW + timedelta(hours=1), "Д", "У", "scheduled")])
    assert codes(f2)[0] == S.CONFIRMATION


def test_reasons_in_russian():
    f = facts(visits=[visit(1, [CONS])], birth_date=date(1990, 11, 27))
    assert [s.reason_ru for s in detect(f, NOW)] == [
        "Консультация вчера, врач Смирнова А. В.; лечение не начато: узнать почему",
        "День рождения 27 ноября"]
    plan = PlanFact("Лечение кариеса", "Смирнова А. В.", date(2026, 9, 1), "active",
                    (StageFact("Пломба 46", date(2026, 10, 1), "due"),))
    assert detect(facts(plans=[plan]), NOW)[0].reason_ru == "План «Лечение кариеса»: этап «Пломба 46», срок был 1 октября"
    remind = detect(_appt(timedelta(hours=1)), NOW)[0]
    assert remind.reason_ru == "Сегодня в 13:00 приём, врач Смирнова А. В.: напомнить"
    assert S.new_patient().reason_ru == "Незнакомый номер: новый пациент"
