"""Loads :class:`app.situations.PatientFacts` from the database and detects situations."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app import phones
from app.bonus import LedgerLine, replay
from app.situations import (
    AppointmentFact,
    PatientFacts,
    PlanFact,
    ReferralFact,
    Rules,
    ServiceFact,
    Situation,
    StageFact,
    VisitFact,
    detect,
)
from db.models import Appointment, BonusEntry, Patient, TreatmentPlan, Visit, VisitService


class SituationService:
    def __init__(self, sessions: sessionmaker[Session], rules: Rules = Rules(), region: str = "RU",
                 redemption_cap_percent: int = 50):
        self._sessions = sessions
        self.rules = rules
        self.region = region
        self.cap = redemption_cap_percent

    def facts(self, patient_id: int, now: datetime) -> PatientFacts:
        got = self.facts_many([patient_id], now)
        if patient_id not in got:
            raise LookupError(f"no patient with id {patient_id}")
        return got[patient_id]

    def detect(self, patient_id: int, now: datetime) -> list[Situation]:
        return detect(self.facts(patient_id, now), now, self.rules)

    def facts_many(self, ids: Iterable[int] | None, now: datetime, s: Session | None = None) -> dict[int, PatientFacts]:
        """Facts for the given patients (``None``: everybody), in a few bulk queries."""
        if s is None:
            with self._sessions() as s2:
                return self._load(s2, ids, now)
        return self._load(s, ids, now)

    def _load(self, s: Session, ids, now: datetime) -> dict[int, PatientFacts]:
        today = now.date()
        q = select(Patient).options(selectinload(Patient.phones))
        if ids is not None:
            ids = list(ids)
            q = q.where(Patient.id.in_(ids))
        out: dict[int, PatientFacts] = {}
        for p in s.scalars(q):
            prim = next((ph for ph in p.phones if ph.is_primary), p.phones[0] if p.phones else None)
            out[p.id] = PatientFacts(
                p.id, p.first_name, p.patronymic, p.last_name, p.sex, p.birth_date, p.address,
                phones.display(prim.e164, self.region) if prim else "", p.email,
                max_redeem_percent=self.cap,
            )
        if not out:
            return out
        keys = list(out)

        def chunks():
            for i in range(0, len(keys), 900):
                yield keys[i:i + 900]

        for part in chunks():
            for v in s.scalars(
                select(Visit).where(Visit.patient_id.in_(part))
                .options(selectinload(Visit.doctor), selectinload(Visit.services).selectinload(VisitService.service))
            ):
                out[v.patient_id].visits.append(VisitFact(
                    v.starts_at, v.doctor.short_name, v.doctor.specialty,
                    tuple(ServiceFact(vs.service.name, vs.service.specialty, vs.service.is_consultation,
                                      vs.service.recall_months) for vs in v.services),
                    v.status))
            for pl in s.scalars(
                select(TreatmentPlan).where(TreatmentPlan.patient_id.in_(part))
                .options(selectinload(TreatmentPlan.stages), selectinload(TreatmentPlan.doctor))
            ):
                out[pl.patient_id].plans.append(PlanFact(
                    pl.title, pl.doctor.short_name, pl.created_on, pl.status,
                    tuple(StageFact(st.title, st.due_on, st.status) for st in pl.stages)))
            for a in s.scalars(
                select(Appointment).where(Appointment.patient_id.in_(part),
                                          Appointment.starts_at >= now - timedelta(days=1))
                .options(selectinload(Appointment.doctor), selectinload(Appointment.service))
            ):
                out[a.patient_id].appointments.append(AppointmentFact(
                    a.starts_at, a.doctor.short_name, a.service.name if a.service else a.doctor.specialty, a.status))
            since = datetime.combine(today - timedelta(days=self.rules.referral_days), datetime.min.time(), timezone.utc)
            for r in s.scalars(select(Patient).where(Patient.referred_by_id.in_(part), Patient.created_at >= since)):
                out[r.referred_by_id].referrals.append(ReferralFact(
                    " ".join(x for x in (r.first_name, r.patronymic) if x), r.created_at.date()))
            ledger = defaultdict(list)
            for row in s.execute(
                select(BonusEntry.patient_id, BonusEntry.kind, BonusEntry.amount, BonusEntry.on_date, BonusEntry.expires_on)
                .where(BonusEntry.patient_id.in_(part))
            ):
                ledger[row[0]].append(LedgerLine(*row[1:]))
            for pid, lines in ledger.items():
                st = replay(lines, today)
                out[pid].bonus_balance = st.balance
                out[pid].bonus_expiry = st.nearest_expiry.expires_on if st.nearest_expiry else None
                out[pid].bonus_expiring = st.nearest_expiry.remaining if st.nearest_expiry else None
        return out


def today_of(now: datetime) -> date:
    return now.date()
