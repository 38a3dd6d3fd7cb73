"""Why the clinic wants to talk to a patient today: situation detection and ranking.

Pure: plain dataclasses in (:class:`PatientFacts`), plain data out (:class:`Situation`).
``now`` is always passed in; dates of visits are compared in ``now``'s time zone.
The service that loads facts from the database is :mod:`app.situation_service`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

# situation codes, in the default ranking (first = most important to raise today)
CONFIRMATION = "confirmation"
FOLLOW_UP = "follow_up"
RETURN_CONSULTATION = "return_consultation"
CONTINUED_TREATMENT = "continued_treatment"
PREVENTION = "prevention"
RETURN_LAPSED = "return_lapsed"
REFERRAL_THANKS = "referral_thanks"
BIRTHDAY = "birthday"
NEW_PATIENT = "new_patient"

ALL = [CONFIRMATION, FOLLOW_UP, RETURN_CONSULTATION, CONTINUED_TREATMENT, PREVENTION,
       RETURN_LAPSED, REFERRAL_THANKS, BIRTHDAY, NEW_PATIENT]

# Base priority per situation; a 2-hour reminder and an overdue stage get a bump (see detect()).
PRIORITY = {
    CONFIRMATION: 90, FOLLOW_UP: 85, RETURN_CONSULTATION: 80, CONTINUED_TREATMENT: 70,
    PREVENTION: 50, RETURN_LAPSED: 40, REFERRAL_THANKS: 30, BIRTHDAY: 20, NEW_PATIENT: 10,
}


@dataclass(frozen=True)
class ServiceFact:
    name: str
    specialty: str = ""
    is_consultation: bool = False
    recall_months: int | None = None


@dataclass(frozen=True)
class VisitFact:
    starts_at: datetime
    doctor: str
    specialty: str
    services: tuple[ServiceFact, ...] = ()
    status: str = "done"


@dataclass(frozen=True)
class StageFact:
    title: str
    due_on: date | None
    status: str  # app.domain.StageStatus


@dataclass(frozen=True)
class PlanFact:
    title: str
    doctor: str
    created_on: date
    status: str  # app.domain.PlanStatus
    stages: tuple[StageFact, ...] = ()


@dataclass(frozen=True)
class AppointmentFact:
    starts_at: datetime
    doctor: str
    service: str
    status: str  # app.domain.AppointmentStatus


@dataclass(frozen=True)
class ReferralFact:
    name: str  # the referred patient's name as it may be said ("Анна Сергеевна")
    on_date: date


@dataclass
class PatientFacts:
    patient_id: int | None
    first_name: str = ""
    patronymic: str = ""
    last_name: str = ""
    sex: str = ""
    birth_date: date | None = None
    address: str = ""
    phone_display: str = ""
    email: str = ""
    visits: list[VisitFact] = field(default_factory=list)
    plans: list[PlanFact] = field(default_factory=list)
    appointments: list[AppointmentFact] = field(default_factory=list)
    referrals: list[ReferralFact] = field(default_factory=list)
    bonus_balance: int = 0
    bonus_expiry: date | None = None  # the nearest deadline
    bonus_expiring: int | None = None  # points that lapse on that deadline (None: all of them)
    max_redeem_percent: int = 50


@dataclass(frozen=True)
class Rules:
    """Detection thresholds; built from :class:`app.settings.ScriptSettings`."""

    return_window_days: int = 7
    lapse_days: int = 365
    recall_months_by_specialty: dict[str, int] = field(default_factory=dict)
    recall_months_default: int = 6
    recall_lead_days: int = 14
    stage_lead_days: int = 7
    plan_stale_days: int = 30
    follow_up_days: int = 1
    confirm_days_before: int = 2
    remind_hours_before: int = 2
    birthday_days: int = 7
    referral_days: int = 60

    @classmethod
    def from_settings(cls, s) -> Rules:
        return cls(**{k: getattr(s, k) for k in cls.__dataclass_fields__})


@dataclass
class Situation:
    code: str
    priority: int
    reason: str  # English, one line, for lists and the card
    due: datetime | None = None  # when the call should happen (confirmation: 2 h before...)
    data: dict[str, Any] = field(default_factory=dict)  # fields for the script
    reason_ru: str = ""  # the same in Russian

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code, "priority": self.priority, "reason": self.reason, "reason_ru": self.reason_ru,
            "due": self.due.isoformat() if self.due else None,
            "data": {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in self.data.items()},
        }


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    import calendar

    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def next_birthday(birth: date, today: date) -> date:
    for year in (today.year, today.year + 1):
        try:
            b = birth.replace(year=year)
        except ValueError:  # 29 February in a common year: celebrated on 1 March
            b = date(year, 3, 1)
        if b >= today:
            return b
    raise AssertionError("unreachable")


def _local_date(dt: datetime, now: datetime) -> date:
    return dt.astimezone(now.tzinfo).date() if now.tzinfo else dt.date()


def _at(d: date, now: datetime, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=now.tzinfo)


def detect(f: PatientFacts, now: datetime, rules: Rules = Rules()) -> list[Situation]:
    """All situations that apply to the patient at *now*, best first."""
    if f.patient_id is None:
        return [new_patient()]
    today = now.astimezone(now.tzinfo).date() if now.tzinfo else now.date()
    out: list[Situation] = []
    done = sorted((v for v in f.visits if v.status == "done"), key=lambda v: v.starts_at)
    future = sorted(
        (a for a in f.appointments if a.starts_at > now and a.status in ("scheduled", "confirmed")),
        key=lambda a: a.starts_at,
    )

    # visit confirmation: request 2 days before, reminder 2 hours before
    for a in future:
        left = a.starts_at - now
        a_day = _local_date(a.starts_at, now)
        if left <= timedelta(hours=rules.remind_hours_before):
            out.append(Situation(
                CONFIRMATION, PRIORITY[CONFIRMATION] + 5,
                f"Appointment at {a.starts_at.astimezone(now.tzinfo):%H:%M} today with {a.doctor}: reminder",
                a.starts_at - timedelta(hours=rules.remind_hours_before),
                {"kind": "remind", "doctor": a.doctor, "due_service": a.service,
                 "appointment_at": a.starts_at, "due_date": a_day},
            ))
            break
        if a.status == "scheduled" and (a_day - today).days <= rules.confirm_days_before:
            out.append(Situation(
                CONFIRMATION, PRIORITY[CONFIRMATION],
                f"Appointment on {a_day.isoformat()} with {a.doctor} is not confirmed",
                _at(a_day - timedelta(days=rules.confirm_days_before), now),
                {"kind": "confirm", "doctor": a.doctor, "due_service": a.service,
                 "appointment_at": a.starts_at, "due_date": a_day},
            ))
            break

    # follow-up after today's or yesterday's visit
    recent = [v for v in done if v.starts_at <= now
              and 0 <= (today - _local_date(v.starts_at, now)).days <= rules.follow_up_days]
    if recent:
        v = recent[-1]
        vd = _local_date(v.starts_at, now)
        out.append(Situation(
            FOLLOW_UP, PRIORITY[FOLLOW_UP],
            f"Visit {'today' if vd == today else 'yesterday'} to {v.doctor}: ask how the patient feels",
            now, {"doctor": v.doctor, "specialty": v.specialty, "visit_date": vd,
                  "visit_services": ", ".join(s.name for s in v.services)},
        ))

    last = done[-1] if done else None
    last_day = _local_date(last.starts_at, now) if last else None

    # return after a consultation without treatment: call the next day
    # "did not start treatment": only consultations that day, or a consultation (with diagnostics)
    # where a plan was made and none of its stages is done yet
    fresh_plans = [p for p in f.plans if p.created_on >= last_day] if last else []
    untreated = last is not None and last.services and any(s.is_consultation for s in last.services) and (
        all(s.is_consultation for s in last.services)
        or (fresh_plans and not any(st.status == "done" for p in fresh_plans for st in p.stages)))
    if (untreated and not future and 1 <= (today - last_day).days <= rules.return_window_days
            and not any(st.status == "done" for p in fresh_plans for st in p.stages)):
        out.append(Situation(
            RETURN_CONSULTATION, PRIORITY[RETURN_CONSULTATION],
            f"Consultation on {last_day.isoformat()} with {last.doctor}, treatment not started: ask why",
            _at(last_day + timedelta(days=1), now),
            {"doctor": last.doctor, "specialty": last.specialty, "visit_date": last_day,
             "due_service": last.services[0].name},
        ))
        # the return script asks how the patient is too: one call, not two
        out = [s for s in out if s.code != FOLLOW_UP]

    # continued treatment: a due stage (overdue = abandoned) of an active plan
    best: tuple[date, PlanFact, StageFact] | None = None
    for p in f.plans:
        if p.status != "active":
            continue
        for st in p.stages:
            if st.status != "due":
                continue
            if st.due_on is not None and st.due_on <= today + timedelta(days=rules.stage_lead_days):
                key = st.due_on
            elif st.due_on is None and (today - p.created_on).days >= rules.plan_stale_days:
                key = p.created_on
            else:
                continue
            if best is None or key < best[0]:
                best = (key, p, st)
            break  # only the first due stage of a plan
    if best and not future:
        key, p, st = best
        overdue = st.due_on is None or st.due_on < today
        out.append(Situation(
            CONTINUED_TREATMENT, PRIORITY[CONTINUED_TREATMENT] + (3 if overdue else 0),
            f"Plan '{p.title}': stage '{st.title}' "
            + (f"was due {st.due_on.isoformat()}" if st.due_on and overdue
               else f"is due {st.due_on.isoformat()}" if st.due_on else "not booked"),
            now, {"doctor": p.doctor, "plan_title": p.title, "plan_stage": st.title,
                  "due_service": st.title, "due_date": st.due_on, "overdue": overdue},
        ))

    # prevention invite: check-up due after an interval that depends on the service/specialty
    if last and not future:
        due_on: date | None = None
        what = None
        for s in last.services:
            months = s.recall_months
            if months is None:
                months = rules.recall_months_by_specialty.get(s.specialty or last.specialty)
            if months is None:
                continue
            d = add_months(last_day, months)
            if due_on is None or d < due_on:
                due_on, what = d, s
        if due_on is None:
            months = rules.recall_months_by_specialty.get(last.specialty, rules.recall_months_default)
            due_on = add_months(last_day, months)
        lapsed = (today - last_day).days >= rules.lapse_days
        if today >= due_on - timedelta(days=rules.recall_lead_days) and not lapsed:
            out.append(Situation(
                PREVENTION, PRIORITY[PREVENTION],
                f"Check-up with {last.specialty or last.doctor} due {due_on.isoformat()} "
                f"(last visit {last_day.isoformat()})",
                now, {"doctor": last.doctor, "specialty": last.specialty, "due_date": due_on,
                      "due_service": None if what is None else what.name,
                      "visit_date": last_day},
            ))
        if lapsed:
            out.append(Situation(
                RETURN_LAPSED, PRIORITY[RETURN_LAPSED],
                f"No visit since {last_day.isoformat()} ({(today - last_day).days} days)",
                now, {"doctor": last.doctor, "specialty": last.specialty, "visit_date": last_day},
            ))

    # thanks for a referral
    fresh = [r for r in f.referrals if 0 <= (today - r.on_date).days <= rules.referral_days]
    if fresh:
        r = max(fresh, key=lambda r: r.on_date)
        out.append(Situation(
            REFERRAL_THANKS, PRIORITY[REFERRAL_THANKS],
            f"Recommended the clinic to {r.name} ({r.on_date.isoformat()})", now,
            {"referred_name": r.name},
        ))

    # birthday in the coming week
    if f.birth_date:
        b = next_birthday(f.birth_date, today)
        if (b - today).days <= rules.birthday_days:
            out.append(Situation(
                BIRTHDAY, PRIORITY[BIRTHDAY],
                f"Birthday {'today' if b == today else 'on ' + b.isoformat()}", now,
                {"birthday": b},
            ))

    out.sort(key=lambda s: -s.priority)
    for sit in out:
        sit.reason_ru = reason_ru(sit, now)
    return out


def new_patient() -> Situation:
    return Situation(NEW_PATIENT, PRIORITY[NEW_PATIENT], "Unknown number: a new patient", None, {},
                     "Незнакомый номер: новый пациент")


def reason_ru(s: Situation, now: datetime) -> str:
    """The one-line reason in Russian (the front desk's language)."""
    from app.scripts.renderer import fmt_date

    today = now.date()
    d = s.data

    def day(v):
        if not v:
            return ""
        v = v.date() if isinstance(v, datetime) else v
        return "сегодня" if v == today else "вчера" if v == today - timedelta(days=1) else fmt_date(v, "ru", today)

    doc = d.get("doctor") or ""
    if s.code == CONFIRMATION:
        at = d.get("appointment_at")
        hm = at.astimezone(now.tzinfo).strftime("%H:%M") if at else ""
        if d.get("kind") == "remind":
            return f"Сегодня в {hm} приём, врач {doc}: напомнить"
        return f"Визит {day(d.get('due_date'))} в {hm}, врач {doc}: не подтверждён"
    if s.code == FOLLOW_UP:
        return f"Приём {day(d.get('visit_date'))}, врач {doc}: спросить о самочувствии"
    if s.code == RETURN_CONSULTATION:
        return f"Консультация {day(d.get('visit_date'))}, врач {doc}; лечение не начато: узнать почему"
    if s.code == CONTINUED_TREATMENT:
        due = d.get("due_date")
        when = (f"срок был {day(due)}" if due and d.get("overdue") else f"срок {day(due)}" if due
                else "не записан(а)")
        return f"План «{d.get('plan_title', '')}»: этап «{d.get('plan_stage', '')}», {when}"
    if s.code == PREVENTION:
        return (f"Контрольный осмотр ({d.get('specialty') or doc}) к {day(d.get('due_date'))}, "
                f"последний визит {day(d.get('visit_date'))}")
    if s.code == RETURN_LAPSED:
        v = d.get("visit_date")
        return f"Не был(а) с {day(v)} ({(today - v).days} дн.)" if v else "Давно не был(а)"
    if s.code == REFERRAL_THANKS:
        return f"Порекомендовал(а) клинику: {d.get('referred_name', '')}"
    if s.code == BIRTHDAY:
        return f"День рождения {day(d.get('birthday'))}"
    return "Незнакомый номер: новый пациент"
