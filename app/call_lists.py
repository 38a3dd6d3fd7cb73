"""Outbound call lists, pure part: per-list rules, consent/channel routing, family grouping.

Each day one list per situation is built from the patients' top situation (one call covers a
patient's most important reason; the others are in the script panel one click away). A patient
without consent to calls, or who prefers a messenger/SMS/e-mail and agreed to messages, goes to
the day's ``messages`` list instead; do-not-contact patients never appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from app import situations as S
from app.domain import Channel, Disposition

MESSAGES = "messages"


@dataclass(frozen=True)
class ListRules:
    priority: int  # higher is called first
    contact_interval_days: int = 3  # skip a patient contacted (any list) within N days
    retry_hours: int = 3  # after "no answer" / "call back", the entry comes back after N hours
    max_attempts: int = 3  # then the entry is closed as exhausted
    reappear_after_days: int = 30  # a patient closed in this list comes back no sooner
    family_grouping: bool = True  # one call for a family sharing a number

    def with_overrides(self, o: dict) -> ListRules:
        return replace(self, **{k: v for k, v in o.items() if k in self.__dataclass_fields__})


DEFAULT_RULES: dict[str, ListRules] = {
    S.CONFIRMATION: ListRules(S.PRIORITY[S.CONFIRMATION], contact_interval_days=0, retry_hours=1,
                              max_attempts=3, reappear_after_days=0),
    S.FOLLOW_UP: ListRules(S.PRIORITY[S.FOLLOW_UP], contact_interval_days=0, retry_hours=3,
                           max_attempts=2, reappear_after_days=0, family_grouping=False),
    S.RETURN_CONSULTATION: ListRules(S.PRIORITY[S.RETURN_CONSULTATION], contact_interval_days=0,
                                     retry_hours=4, max_attempts=3, reappear_after_days=60),
    S.CONTINUED_TREATMENT: ListRules(S.PRIORITY[S.CONTINUED_TREATMENT], 7, 24, 3, 30),
    S.PREVENTION: ListRules(S.PRIORITY[S.PREVENTION], 14, 24, 3, 90),
    S.RETURN_LAPSED: ListRules(S.PRIORITY[S.RETURN_LAPSED], 30, 48, 2, 180),
    S.REFERRAL_THANKS: ListRules(S.PRIORITY[S.REFERRAL_THANKS], 3, 24, 2, 30),
    S.BIRTHDAY: ListRules(S.PRIORITY[S.BIRTHDAY], 3, 24, 2, 300),
    MESSAGES: ListRules(15, contact_interval_days=3, retry_hours=24, max_attempts=1, reappear_after_days=14,
                        family_grouping=False),
}

# Dispositions that close an entry; the others (no answer, call back) schedule a retry.
FINAL = {Disposition.BOOKED, Disposition.DECLINED, Disposition.WRONG_NUMBER, Disposition.INFO_GIVEN,
         Disposition.COMPLAINT, Disposition.OTHER}


def rules_for(name: str, overrides: dict[str, dict] | None = None) -> ListRules:
    base = DEFAULT_RULES.get(name, ListRules(0))
    return base.with_overrides((overrides or {}).get(name, {}))


@dataclass
class Contact:
    patient_id: int
    family_id: int | None
    phone_e164: str
    do_not_contact: bool
    consent_calls: bool
    consent_messages: bool
    preferred_channel: str


def route(c: Contact) -> str | None:
    """The channel for an outbound contact: "phone", a message channel, or None (do not contact)."""
    if c.do_not_contact:
        return None
    prefers_message = c.preferred_channel != Channel.PHONE
    if c.consent_calls and not (prefers_message and c.consent_messages):
        return Channel.PHONE if c.phone_e164 else None
    if c.consent_messages:
        return c.preferred_channel if prefers_message else Channel.SMS
    return None


@dataclass
class Planned:
    list_name: str
    situation: str
    patient_id: int
    member_ids: list[int]
    phone_e164: str
    channel: str
    reason: str
    priority: int
    due_at: datetime
    family_id: int | None = None


@dataclass
class History:
    """What the database knows that limits who is listed again."""

    last_contact: dict[int, datetime] = field(default_factory=dict)  # patient -> last attempt (any list)
    closed: dict[tuple[str, int], datetime] = field(default_factory=dict)  # (list, patient) -> closed
    listed_today: set[tuple[str, int]] = field(default_factory=set)  # already in today's list
    still_open: set[tuple[str, int]] = field(default_factory=set)  # open entries of earlier days


def plan(people: list[tuple[Contact, list[S.Situation]]], now: datetime, history: History,
         overrides: dict[str, dict] | None = None, lang: str = "en") -> list[Planned]:
    """Entries to add to today's lists, best first."""
    singles: list[Planned] = []
    for c, sits in people:
        sits = [s for s in sits if s.code != S.NEW_PATIENT]
        if not sits:
            continue
        top = sits[0]
        channel = route(c)
        if channel is None:
            continue
        name = top.code if channel == Channel.PHONE else MESSAGES
        r = rules_for(name, overrides)
        if (name, c.patient_id) in history.listed_today:
            continue
        if (name, c.patient_id) not in history.still_open:  # a carried entry keeps its own retry rules
            closed = history.closed.get((name, c.patient_id))
            if closed is not None and (now - closed).days < r.reappear_after_days:
                continue
            last = history.last_contact.get(c.patient_id)
            if last is not None and r.contact_interval_days and (now - last).days < r.contact_interval_days:
                continue
        due = top.due if top.due is not None and top.due > now else now
        singles.append(Planned(name, top.code, c.patient_id, [c.patient_id], c.phone_e164, channel,
                               (top.reason_ru or top.reason) if lang == "ru" else top.reason,
                               top.priority, due, c.family_id))
    # family grouping: one entry per (list, shared number, family)
    out: list[Planned] = []
    groups: dict[tuple, Planned] = {}
    for p in sorted(singles, key=lambda p: (-p.priority, p.due_at, p.patient_id)):
        fam = p.family_id
        r = rules_for(p.list_name, overrides)
        if r.family_grouping and fam is not None and p.channel == Channel.PHONE and p.phone_e164:
            key = (p.list_name, p.phone_e164, fam)
            g = groups.get(key)
            if g is not None:
                g.member_ids.append(p.patient_id)
                g.reason += f"; {p.reason}"
                g.due_at = min(g.due_at, p.due_at)
                continue
            groups[key] = p
        out.append(p)
    return out


def after_attempt(disposition: str, attempts: int, now: datetime, r: ListRules,
                  call_back_at: datetime | None = None) -> tuple[str, datetime | None]:
    """(new status, next attempt time) after an attempt with *disposition*."""
    from datetime import timedelta

    if disposition not in {d.value for d in Disposition}:
        raise ValueError(f"unknown disposition {disposition!r}; use one of {', '.join(d.value for d in Disposition)}")
    if disposition in FINAL:
        return "done", None
    if attempts >= r.max_attempts:
        return "exhausted", None
    if disposition == Disposition.CALL_BACK and call_back_at is not None:
        return "open", call_back_at
    return "open", now + timedelta(hours=r.retry_hours)
