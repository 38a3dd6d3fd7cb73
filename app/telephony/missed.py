"""The missed-call callback list.

Every inbound call that ends without being answered (it rang out, or the caller gave up)
enters the list. An entry is closed by a later *answered* call with the same number: the
administrator calling back (outbound), or the patient getting through (inbound). An
unanswered callback attempt leaves it open.

Colour classes (the UI maps them to green / amber / red):
* ``within_20_min`` -- called back within 20 minutes, or still open and not yet 20 minutes old;
* ``same_day`` -- called back (or still open) later the same local day;
* ``older`` -- called back on a later day, or still open from an earlier day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app import phones
from app.telephony.events import utcnow
from db.models import Patient
from db.models.telephony import MissedCall

CALLBACK_TARGET = timedelta(minutes=20)


class AgeClass(StrEnum):
    WITHIN_20_MIN = "within_20_min"
    SAME_DAY = "same_day"
    OLDER = "older"


def age_class(missed_at: datetime, closed_at: datetime | None, now: datetime | None = None) -> AgeClass:
    ref = closed_at or now or utcnow()
    if ref - missed_at <= CALLBACK_TARGET:
        return AgeClass.WITHIN_20_MIN
    if ref.astimezone().date() == missed_at.astimezone().date():
        return AgeClass.SAME_DAY
    return AgeClass.OLDER


@dataclass
class MissedEntry:
    id: int
    call_id: int
    number_e164: str | None
    number_raw: str
    display: str
    patient_id: int | None
    patient_name: str
    missed_at: datetime
    closed_at: datetime | None
    reason: str
    age_class: AgeClass

    @property
    def dial_string(self) -> str:
        return self.number_e164 or self.number_raw


def record_missed(s: Session, call, reason: str) -> MissedCall | None:
    """Add *call* (a ``calls`` row, flushed) to the list unless it is already there."""
    if s.scalar(select(MissedCall.id).where(MissedCall.call_id == call.id)) is not None:
        return None
    m = MissedCall(call_id=call.id, number_e164=call.number_e164, number_raw=call.number_raw,
                   patient_id=call.patient_id, missed_at=call.ring_at, reason=reason[:200])
    s.add(m)
    return m


def close_for_number(s: Session, e164: str | None, at: datetime, by_call_id: int | None) -> int:
    """Close the open entries for *e164* that were missed before *at*; returns how many."""
    if not e164:
        return 0
    res = s.execute(
        update(MissedCall)
        .where(MissedCall.number_e164 == e164, MissedCall.closed_at.is_(None), MissedCall.missed_at <= at)
        .values(closed_at=at, closed_by_call_id=by_call_id)
    )
    return res.rowcount or 0


class MissedCalls:
    def __init__(self, sessions: sessionmaker[Session], region: str = "RU"):
        self._sessions = sessions
        self.region = region

    def entries(self, include_closed_since: datetime | None = None, now: datetime | None = None,
                limit: int = 500) -> list[MissedEntry]:
        """Open entries (oldest first), then entries closed since *include_closed_since*."""
        now = now or utcnow()
        with self._sessions() as s:
            cond = MissedCall.closed_at.is_(None)
            if include_closed_since is not None:
                cond = cond | (MissedCall.closed_at >= include_closed_since)
            rows = s.execute(
                select(MissedCall, Patient.last_name, Patient.first_name, Patient.patronymic)
                .outerjoin(Patient, Patient.id == MissedCall.patient_id)
                .where(cond)
                .order_by(MissedCall.closed_at.is_not(None), MissedCall.missed_at)
                .limit(limit)
            ).all()
        out = []
        for m, last, first, patr in rows:
            name = " ".join(x for x in (last, first, patr) if x) if last else ""
            out.append(MissedEntry(
                m.id, m.call_id, m.number_e164, m.number_raw,
                phones.display(m.number_e164, self.region) if m.number_e164 else m.number_raw,
                m.patient_id, name, m.missed_at, m.closed_at, m.reason,
                age_class(m.missed_at, m.closed_at, now),
            ))
        return out

    def open_count(self) -> int:
        from sqlalchemy import func

        with self._sessions() as s:
            return s.scalar(select(func.count()).select_from(MissedCall).where(MissedCall.closed_at.is_(None))) or 0

    def close(self, entry_id: int, at: datetime | None = None) -> None:
        """Close one entry by hand (e.g. the patient wrote in a messenger instead)."""
        with self._sessions() as s, s.begin():
            m = s.get(MissedCall, entry_id)
            if m is None:
                raise LookupError(f"no missed call {entry_id}")
            if m.closed_at is None:
                m.closed_at = at or utcnow()
