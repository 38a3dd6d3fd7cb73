"""The bonus ledger in the database: balance, redemption with refusals, programme accruals,
compensations, expiry bookkeeping, discount and free-service status, programme measurement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.bonus import BonusState, LedgerLine, replay
from app.bonus_programme import (
    Measurement,
    Programme,
    RedemptionRefused,
    check_redemption,
    compensation,
    discount_percent,
    due_accruals,
    is_free_service,
    measure,
)
from app.domain import BonusKind, Disposition, VisitStatus
from db.models import BonusEntry, Call, CallList, CallListEntry, Patient, Visit, VisitService
from db.session import write_session


@dataclass
class PatientBonus:
    patient_id: int
    balance: int
    nearest_expiry_date: date | None
    nearest_expiry_amount: int | None
    total_paid: int
    discount_percent: int
    services_done: int
    next_service_free: bool

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d["nearest_expiry_date"] = self.nearest_expiry_date.isoformat() if self.nearest_expiry_date else None
        return d


class BonusService:
    def __init__(self, sessions: sessionmaker[Session], programme: Programme = Programme()):
        self._sessions = sessions
        self.p = programme

    # reading ---------------------------------------------------------------------------
    def _lines(self, s: Session, patient_id: int) -> list[LedgerLine]:
        return [LedgerLine(*r) for r in s.execute(
            select(BonusEntry.kind, BonusEntry.amount, BonusEntry.on_date, BonusEntry.expires_on)
            .where(BonusEntry.patient_id == patient_id))]

    def _patient(self, s: Session, patient_id: int, lock: bool = False) -> Patient:
        q = select(Patient).where(Patient.id == patient_id)
        if lock and s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()  # serialise redemptions of one patient (SQLite: BEGIN IMMEDIATE)
        p = s.scalars(q).first()
        if p is None:
            raise LookupError(f"no patient with id {patient_id}")
        return p

    def state(self, patient_id: int, today: date) -> BonusState:
        with self._sessions() as s:
            self._patient(s, patient_id)
            return replay(self._lines(s, patient_id), today)

    def summary(self, patient_id: int, today: date) -> PatientBonus:
        with self._sessions() as s:
            self._patient(s, patient_id)
            st = replay(self._lines(s, patient_id), today)
            paid = s.scalar(select(func.coalesce(func.sum(Visit.amount - Visit.bonus_paid), 0)).where(
                Visit.patient_id == patient_id, Visit.status == VisitStatus.DONE)) or 0
            n = s.scalar(select(func.coalesce(func.sum(VisitService.quantity), 0)).join(Visit).where(
                Visit.patient_id == patient_id, Visit.status == VisitStatus.DONE)) or 0
        ne = st.nearest_expiry
        return PatientBonus(patient_id, st.balance, ne.expires_on if ne else None, ne.remaining if ne else None,
                            int(paid), discount_percent(int(paid), self.p), int(n), is_free_service(int(n) + 1, self.p))

    # writing ---------------------------------------------------------------------------
    def redeem(self, patient_id: int, amount: int, bill: int, today: date, reason: str = "",
               visit_id: int | None = None) -> int:
        """Write a redemption; raises :class:`RedemptionRefused` above the cap or the balance.
        Returns the balance after it."""
        with write_session(self._sessions) as s:
            self._patient(s, patient_id, lock=True)
            st = replay(self._lines(s, patient_id), today)
            check_redemption(amount, bill, st.balance, self.p)
            s.add(BonusEntry(patient_id=patient_id, kind=BonusKind.REDEMPTION, amount=amount, on_date=today,
                             reason=reason or f"bill {bill}", visit_id=visit_id))
            return st.balance - amount

    def accrue(self, patient_id: int, amount: int, today: date, reason: str, expires_on: date | None = None,
               kind: str = BonusKind.ACCRUAL) -> None:
        if amount <= 0:
            raise ValueError("an accrual must be a positive number of points")
        with write_session(self._sessions) as s:
            self._patient(s, patient_id)
            s.add(BonusEntry(patient_id=patient_id, kind=kind, amount=amount, on_date=today,
                             expires_on=expires_on or today + timedelta(days=self.p.expiry_days), reason=reason))

    def compensate(self, patient_id: int, amount_spent: int, today: date, reason: str = "complaint reviewed") -> int:
        """Compensation bonuses (10% of the amount spent by default). Returns the points granted."""
        pts = compensation(amount_spent, self.p)
        if pts <= 0:
            raise ValueError("nothing to compensate: the amount spent must be positive")
        self.accrue(patient_id, pts, today, f"{reason} (spent {amount_spent})", kind=BonusKind.COMPENSATION)
        return pts

    def apply_programme(self, patient_id: int, today: date) -> list[str]:
        """Add the programme accruals the patient has earned and does not have yet."""
        with write_session(self._sessions) as s:
            self._patient(s, patient_id, lock=True)
            days = [v.date() for v in s.scalars(select(Visit.starts_at).where(
                Visit.patient_id == patient_id, Visit.status == VisitStatus.DONE))]
            have = set(s.scalars(select(BonusEntry.reason).where(
                BonusEntry.patient_id == patient_id, BonusEntry.kind == BonusKind.ACCRUAL)))
            added = []
            for a in due_accruals(days, today, self.p):
                if a.reason in have:
                    continue
                s.add(BonusEntry(patient_id=patient_id, kind=BonusKind.ACCRUAL, amount=a.amount,
                                 on_date=a.on_date, expires_on=a.expires_on, reason=a.reason))
                added.append(a.reason)
            return added

    def record_expiries(self, patient_id: int, today: date) -> int:
        """Write EXPIRY entries for lots that lapsed with points left. Returns the points expired."""
        with write_session(self._sessions) as s:
            self._patient(s, patient_id, lock=True)
            lines = self._lines(s, patient_id)
            done = set(s.scalars(select(BonusEntry.reason).where(
                BonusEntry.patient_id == patient_id, BonusEntry.kind == BonusKind.EXPIRY)))
            total = 0
            for exp in sorted({l.expires_on for l in lines if l.expires_on and l.expires_on < today}):
                tag = f"expired {exp.isoformat()}"
                if tag in done:
                    continue
                left = sum(l.remaining for l in replay(lines, exp).lots if l.expires_on == exp)
                if left > 0:
                    s.add(BonusEntry(patient_id=patient_id, kind=BonusKind.EXPIRY, amount=left,
                                     on_date=exp + timedelta(days=1), reason=tag))
                    total += left
            return total

    def apply_all(self, today: date, patient_ids: list[int] | None = None) -> dict:
        """The programme accruals and expiry bookkeeping for everybody (or the given patients)."""
        if patient_ids is None:
            with self._sessions() as s:
                patient_ids = list(s.scalars(select(Visit.patient_id).distinct()))
                patient_ids += [p for p in s.scalars(select(BonusEntry.patient_id).distinct()) if p not in set(patient_ids)]
        accruals = expired = touched = 0
        for pid in patient_ids:
            added = self.apply_programme(pid, today)
            exp = self.record_expiries(pid, today)
            accruals += len(added)
            expired += exp
            touched += bool(added or exp)
        return {"accruals": accruals, "expired_points": expired, "patients": touched}

    # measurement -----------------------------------------------------------------------
    def measure(self, start: date, end: date) -> Measurement:
        if end < start:
            raise ValueError("the period ends before it starts")
        t0 = datetime.combine(start, time.min, timezone.utc)
        t1 = datetime.combine(end + timedelta(days=1), time.min, timezone.utc)
        with self._sessions() as s:
            acc: dict[int, int] = defaultdict(int)
            for pid, amt in s.execute(select(BonusEntry.patient_id, BonusEntry.amount).where(
                    BonusEntry.kind.in_([BonusKind.ACCRUAL, BonusKind.COMPENSATION]),
                    BonusEntry.on_date >= start, BonusEntry.on_date <= end)):
                acc[pid] += amt
            used: dict[int, int] = defaultdict(int)
            for pid, amt in s.execute(select(BonusEntry.patient_id, BonusEntry.amount).where(
                    BonusEntry.kind == BonusKind.REDEMPTION, BonusEntry.on_date >= start, BonusEntry.on_date <= end)):
                used[pid] += amt
            told: set[int] = set()
            for pid, checklist in s.execute(select(Call.patient_id, Call.checklist).where(
                    Call.ring_at >= t0, Call.ring_at < t1, Call.patient_id.is_not(None), Call.checklist.is_not(None))):
                if isinstance(checklist, dict) and checklist.get("bonus_deadline"):
                    told.add(pid)
            told |= set(s.scalars(select(CallListEntry.patient_id).join(CallList).where(
                CallList.name == "messages", CallListEntry.disposition == Disposition.INFO_GIVEN,
                CallListEntry.closed_at >= t0, CallListEntry.closed_at < t1)))
        return measure(dict(acc), told, dict(used), start, end)


__all__ = ["BonusService", "PatientBonus", "RedemptionRefused"]
