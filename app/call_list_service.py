"""Call lists in the database: build each day, hand an entry to one administrator at a time,
record attempts and outcomes.

Hand-out: on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``; on SQLite the claim runs in a
``BEGIN IMMEDIATE`` write transaction (one writer at a time). A claim older than the claim
timeout is considered abandoned (a crashed workstation) and can be taken again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app import call_lists as CL
from app.situation_service import SituationService
from app.situations import detect
from db.models import CallList, CallListAttempt, CallListEntry, Patient
from db.session import write_session


@dataclass
class EntryView:
    id: int
    list_name: str
    situation: str
    patient_id: int
    patient_name: str
    member_ids: list[int]
    phone_e164: str
    channel: str
    reason: str
    priority: int
    due_at: datetime
    status: str
    claimed_by: str
    attempts: int
    next_attempt_at: datetime | None
    disposition: str | None

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        for k in ("due_at", "next_attempt_at"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass
class ListSummary:
    id: int
    name: str
    on_date: date
    total: int
    open: int
    claimed: int
    done: int
    exhausted: int
    lapsed: int = 0  # moved on: the reason no longer held on a later day

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d["on_date"] = self.on_date.isoformat()
        return d


class ClaimError(Exception):
    """The entry is not yours to work on (taken by someone else, or closed)."""


class CallListService:
    def __init__(self, sessions: sessionmaker[Session], situations: SituationService,
                 overrides: dict[str, dict] | None = None, claim_timeout_minutes: int = 30,
                 language: str = "ru"):
        self.language = language
        self._sessions = sessions
        self.situations = situations
        self.overrides = overrides or {}
        self.claim_timeout = timedelta(minutes=claim_timeout_minutes)

    # building --------------------------------------------------------------------------
    def build(self, on: date, now: datetime | None = None) -> dict[str, int]:
        """Add today's entries (idempotent: a second build adds only what is new). Returns
        how many entries each list got."""
        now = now or datetime.combine(on, time(9), timezone.utc)
        with self._sessions() as s:
            facts = self.situations.facts_many(None, now, s)
            contacts = {}
            for p in s.scalars(select(Patient).options(selectinload(Patient.phones))):
                prim = next((ph for ph in p.phones if ph.is_primary), p.phones[0] if p.phones else None)
                contacts[p.id] = CL.Contact(p.id, p.family_id, prim.e164 if prim else "", p.do_not_contact,
                                            p.consent_calls, p.consent_messages, p.preferred_channel)
            hist = CL.History()
            for pid, at in s.execute(select(CallListEntry.patient_id, func.max(CallListAttempt.at))
                                     .join(CallListAttempt, CallListAttempt.entry_id == CallListEntry.id)
                                     .group_by(CallListEntry.patient_id)):
                hist.last_contact[pid] = at
            for name, pid, closed in s.execute(
                select(CallList.name, CallListEntry.patient_id, func.max(CallListEntry.closed_at))
                .join(CallList).where(CallListEntry.closed_at.is_not(None),
                                      CallListEntry.status.in_(["done", "exhausted"]))
                .group_by(CallList.name, CallListEntry.patient_id)):
                hist.closed[(name, pid)] = closed
            for name, pid, members in s.execute(
                select(CallList.name, CallListEntry.patient_id, CallListEntry.member_ids)
                .join(CallList).where(CallList.on_date < on, CallListEntry.status.in_(["open", "claimed"]))):
                for m in (members or [pid]):
                    hist.still_open.add((name, m))
            for name, pid, members in s.execute(
                select(CallList.name, CallListEntry.patient_id, CallListEntry.member_ids)
                .join(CallList).where(CallList.on_date == on)):
                for m in (members or [pid]):
                    hist.listed_today.add((name, m))
        people = [(contacts[pid], detect(f, now, self.situations.rules)) for pid, f in facts.items()]
        planned = CL.plan(people, now, hist, self.overrides, self.language)
        counts: dict[str, int] = {}
        with write_session(self._sessions) as s:
            lists: dict[str, CallList] = {}
            # Entries still open from earlier days move to today's list when the reason still
            # holds (keeping their attempts); the others lapse. No patient is listed twice.
            by_key = {(p.list_name, p.patient_id): p for p in planned}
            carried: set[int] = set()
            for e, name in s.execute(select(CallListEntry, CallList.name).join(CallList).where(
                    CallList.on_date < on, CallListEntry.status.in_(["open", "claimed"]))).all():
                p = by_key.get((name, e.patient_id))
                if p is None or id(p) in carried:
                    e.status, e.closed_at, e.claimed_by, e.claimed_at = "lapsed", now, "", None
                    continue
                carried.add(id(p))
                cl = lists.get(name) or self._list(s, name, on)
                lists[name] = cl
                e.list_id, e.reason, e.priority, e.due_at = cl.id, p.reason, p.priority, p.due_at
            planned = [p for p in planned if id(p) not in carried]
            for p in planned:
                cl = lists.get(p.list_name) or self._list(s, p.list_name, on)
                lists[p.list_name] = cl
                s.add(CallListEntry(list_id=cl.id, situation=p.situation, patient_id=p.patient_id,
                                    member_ids=p.member_ids, phone_e164=p.phone_e164, channel=p.channel,
                                    reason=p.reason, priority=p.priority, due_at=p.due_at))
                counts[p.list_name] = counts.get(p.list_name, 0) + 1
        return counts

    def _list(self, s: Session, name: str, on: date) -> CallList:
        cl = s.scalars(select(CallList).where(CallList.name == name, CallList.on_date == on)).first()
        if cl is None:
            try:
                with s.begin_nested():
                    cl = CallList(name=name, on_date=on)
                    s.add(cl)
                    s.flush()
            except IntegrityError:
                cl = s.scalars(select(CallList).where(CallList.name == name, CallList.on_date == on)).one()
        return cl

    # reading ---------------------------------------------------------------------------
    def lists(self, on: date) -> list[ListSummary]:
        with self._sessions() as s:
            rows = s.execute(
                select(CallList.id, CallList.name, CallList.on_date, CallListEntry.status, func.count(CallListEntry.id))
                .outerjoin(CallListEntry).where(CallList.on_date == on)
                .group_by(CallList.id, CallList.name, CallList.on_date, CallListEntry.status)).all()
        by: dict[int, ListSummary] = {}
        for lid, name, d, status, n in rows:
            ls = by.setdefault(lid, ListSummary(lid, name, d, 0, 0, 0, 0, 0, 0))
            if status:
                ls.total += n
                setattr(ls, status, getattr(ls, status) + n)
        return sorted(by.values(), key=lambda l: -CL.rules_for(l.name, self.overrides).priority)

    def entries(self, on: date, name: str | None = None) -> list[EntryView]:
        with self._sessions() as s:
            q = (select(CallListEntry, CallList.name, Patient)
                 .join(CallList).join(Patient, Patient.id == CallListEntry.patient_id)
                 .where(CallList.on_date == on))
            if name:
                q = q.where(CallList.name == name)
            rows = s.execute(q.order_by(CallListEntry.priority.desc(), CallListEntry.due_at, CallListEntry.id)).all()
            return [_view(e, n, p) for e, n, p in rows]

    def entry(self, entry_id: int) -> EntryView:
        with self._sessions() as s:
            row = s.execute(select(CallListEntry, CallList.name, Patient).join(CallList)
                            .join(Patient, Patient.id == CallListEntry.patient_id)
                            .where(CallListEntry.id == entry_id)).first()
            if row is None:
                raise LookupError(f"no call list entry {entry_id}")
            return _view(*row)

    # hand-out --------------------------------------------------------------------------
    def _available(self, now: datetime):
        stale = now - self.claim_timeout
        return and_(
            or_(CallListEntry.status == "open",
                and_(CallListEntry.status == "claimed", CallListEntry.claimed_at < stale)),
            or_(CallListEntry.next_attempt_at.is_(None), CallListEntry.next_attempt_at <= now),
            CallListEntry.due_at <= now,
        )

    def claim_next(self, on: date, who: str, now: datetime, name: str | None = None) -> EntryView | None:
        """Hand the best available entry to *who*; None when nothing is left. Never the same
        entry to two administrators."""
        with write_session(self._sessions) as s:
            q = (select(CallListEntry).join(CallList)
                 .where(CallList.on_date == on, self._available(now))
                 .order_by(CallListEntry.priority.desc(), CallListEntry.due_at, CallListEntry.id)
                 .limit(1).with_for_update(skip_locked=True, of=CallListEntry))
            if name:
                q = q.where(CallList.name == name)
            e = s.scalars(q).first()
            if e is None:
                return None
            e.status, e.claimed_by, e.claimed_at = "claimed", who, now
            eid = e.id
        return self.entry(eid)

    def claim(self, entry_id: int, who: str, now: datetime) -> EntryView:
        """Take one particular entry (a click in the list). Raises :class:`ClaimError`."""
        stale = now - self.claim_timeout
        with write_session(self._sessions) as s:
            res = s.execute(update(CallListEntry).where(
                CallListEntry.id == entry_id,
                or_(CallListEntry.status == "open",
                    and_(CallListEntry.status == "claimed",
                         or_(CallListEntry.claimed_by == who, CallListEntry.claimed_at < stale))),
            ).values(status="claimed", claimed_by=who, claimed_at=now))
            if res.rowcount != 1:
                e = s.get(CallListEntry, entry_id)
                if e is None:
                    raise ClaimError(f"no call list entry {entry_id}")
                if e.status == "claimed":
                    raise ClaimError(f"{e.claimed_by} is already working on this entry")
                raise ClaimError(f"this entry is closed ({e.status})")
        return self.entry(entry_id)

    def release(self, entry_id: int, who: str) -> None:
        with write_session(self._sessions) as s:
            res = s.execute(update(CallListEntry).where(
                CallListEntry.id == entry_id, CallListEntry.status == "claimed", CallListEntry.claimed_by == who,
            ).values(status="open", claimed_by="", claimed_at=None))
            if res.rowcount != 1:
                raise ClaimError("this entry is not claimed by you")

    def record(self, entry_id: int, who: str, disposition: str, now: datetime, note: str = "",
               call_id: int | None = None, call_back_at: datetime | None = None) -> EntryView:
        """Record an attempt and its outcome; closes, reschedules or exhausts the entry."""
        with write_session(self._sessions) as s:
            e = s.scalars(select(CallListEntry).where(CallListEntry.id == entry_id)
                          .with_for_update(of=CallListEntry)).first()
            if e is None:
                raise ClaimError(f"no call list entry {entry_id}")
            if e.status in ("done", "exhausted"):
                raise ClaimError(f"this entry is closed ({e.status})")
            if e.status == "claimed" and e.claimed_by != who and e.claimed_at and e.claimed_at >= now - self.claim_timeout:
                raise ClaimError(f"{e.claimed_by} is working on this entry")
            name = s.scalar(select(CallList.name).where(CallList.id == e.list_id))
            r = CL.rules_for(name, self.overrides)
            status, nxt = CL.after_attempt(disposition, e.attempts + 1, now, r, call_back_at)
            s.add(CallListAttempt(entry_id=e.id, at=now, by=who, disposition=disposition, note=note, call_id=call_id))
            e.attempts += 1
            e.disposition = disposition
            e.status, e.next_attempt_at = status, nxt
            e.claimed_by, e.claimed_at = "", None
            if status in ("done", "exhausted"):
                e.closed_at = now
        return self.entry(entry_id)


def _view(e: CallListEntry, name: str, p: Patient) -> EntryView:
    return EntryView(e.id, name, e.situation, e.patient_id, p.full_name, list(e.member_ids or []), e.phone_e164,
                     e.channel, e.reason, e.priority, e.due_at, e.status, e.claimed_by, e.attempts,
                     e.next_attempt_at, e.disposition)
