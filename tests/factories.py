"""Small builders for test data (real rows through the real models)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from app.card import name_key
from db.models import (
    Appointment,
    BonusEntry,
    Complaint,
    Doctor,
    Family,
    Patient,
    PatientPhone,
    PlanStage,
    Service,
    TreatmentPlan,
    Visit,
    VisitService,
)


def dt(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=timezone.utc)


def doctor(s, last="Смирнова", first="Анна", patronymic="Викторовна", specialty="терапевт-стоматолог"):
    d = Doctor(last_name=last, first_name=first, patronymic=patronymic, specialty=specialty)
    s.add(d)
    s.flush()
    return d


def service(s, code="C01", name="Консультация стоматолога", specialty="стоматология", price=1500,
            is_consultation=False, recall_months=None):
    sv = Service(code=code, name=name, specialty=specialty, price=price,
                 is_consultation=is_consultation, recall_months=recall_months)
    s.add(sv)
    s.flush()
    return sv


def patient(s, last="Иванова", first="Ольга", patronymic="Петровна", sex="F", birth=date(1985, 3, 14),
            phones=("+79161234567",), family=None, family_role="", **kw):
    p = Patient(last_name=last, first_name=first, patronymic=patronymic, sex=sex, birth_date=birth,
                name_key=name_key(last, first, patronymic), family=family, family_role=family_role, **kw)
    p.phones = [PatientPhone(e164=ph, raw=ph, is_primary=(i == 0)) for i, ph in enumerate(phones)]
    s.add(p)
    s.flush()
    return p


def family(s, name="Ивановы"):
    f = Family(name=name)
    s.add(f)
    s.flush()
    return f


def visit(s, p, d, when, services=(), amount=None, status="done"):
    v = Visit(patient_id=p.id, doctor_id=d.id, starts_at=when, status=status,
              amount=amount if amount is not None else sum(sv.price for sv in services))
    v.services = [VisitService(service_id=sv.id, price=sv.price) for sv in services]
    s.add(v)
    s.flush()
    return v


def plan(s, p, d, title, created_on, stages):
    """stages: [(title, price, due_on, status), ...]"""
    pl = TreatmentPlan(patient_id=p.id, doctor_id=d.id, title=title, created_on=created_on)
    pl.stages = [PlanStage(seq=i + 1, title=t, price=pr, due_on=due, status=st)
                 for i, (t, pr, due, st) in enumerate(stages)]
    s.add(pl)
    s.flush()
    return pl


def appointment(s, p, d, when, sv=None, status="scheduled"):
    a = Appointment(patient_id=p.id, doctor_id=d.id, service_id=sv.id if sv else None, starts_at=when, status=status)
    s.add(a)
    s.flush()
    return a


def bonus(s, p, kind, amount, on, expires=None, reason=""):
    b = BonusEntry(patient_id=p.id, kind=kind, amount=amount, on_date=on, expires_on=expires, reason=reason)
    s.add(b)
    s.flush()
    return b


def complaint(s, p, text, on=date(2026, 11, 1), status="open"):
    c = Complaint(patient_id=p.id, text=text, opened_on=on, status=status)
    s.add(c)
    s.flush()
    return c
