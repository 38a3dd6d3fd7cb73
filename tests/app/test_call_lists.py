"""Call lists: building from situations, consent/channel routing, do-not-contact, family
grouping, attempts/intervals, and one entry handed to one administrator at a time."""

import threading
from datetime import date, datetime, timedelta, timezone

import pytest

from app import call_lists as CL
from app.call_list_service import CallListService, ClaimError
from app.situation_service import SituationService
from app.situations import Situation
from db.models import CallListEntry
from db.session import make_engine, session_factory
from tests import factories as f

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


def contact(pid=1, **kw):
    d = dict(family_id=None, phone_e164="+79161234567", do_not_contact=False, consent_calls=True,
             consent_messages=True, preferred_channel="phone")
    d.update(kw)
    return CL.Contact(pid, **d)


@pytest.mark.parametrize("kw,expected", [
    ({}, "phone"),
    ({"preferred_channel": "whatsapp"}, "whatsapp"),
    ({"preferred_channel": "whatsapp", "consent_messages": False}, "phone"),
    ({"consent_calls": False}, "sms"),
    ({"consent_calls": False, "preferred_channel": "telegram"}, "telegram"),
    ({"consent_calls": False, "consent_messages": False}, None),
    ({"do_not_contact": True}, None),
])
def test_routing_by_consent_and_channel(kw, expected):
    assert CL.route(contact(**kw)) == expected


def test_plan_respects_intervals_and_reappear():
    sit = Situation("prevention", 50, "due", None, {})
    people = [(contact(1), [sit]), (contact(2, phone_e164="+79160000002"), [sit]),
              (contact(3, phone_e164="+79160000003"), [sit])]
    hist = CL.History(last_contact={2: NOW - timedelta(days=13)}, closed={("prevention", 3): NOW - timedelta(days=89)})
    assert [p.patient_id for p in CL.plan(people, NOW, hist)] == [1]
    hist = CL.History(last_contact={2: NOW - timedelta(days=14)}, closed={("prevention", 3): NOW - timedelta(days=90)})
    assert sorted(p.patient_id for p in CL.plan(people, NOW, hist)) == [1, 2, 3]
    over = {"prevention": {"contact_interval_days": 0}}
    hist = CL.History(last_contact={2: NOW - timedelta(days=1)})
    assert sorted(p.patient_id for p in CL.plan(people, NOW, hist, over)) == [1, 2, 3]


def test_after_attempt_rules():
    r = CL.rules_for("prevention")
    assert CL.after_attempt("no_answer", 1, NOW, r) == ("open", NOW + timedelta(hours=24))
    assert CL.after_attempt("no_answer", 3, NOW, r) == ("exhausted", None)
    assert CL.after_attempt("booked", 1, NOW, r) == ("done", None)
    later = NOW + timedelta(days=2)
    assert CL.after_attempt("call_back", 1, NOW, r, later) == ("open", later)
    with pytest.raises(ValueError, match="unknown disposition"):
        CL.after_attempt("maybe", 1, NOW, r)


@pytest.fixture
def clinic(sessions):
    """Patients with a due check-up (cleaning on 23 May, recall 6 months) and various consents."""
    with sessions() as s, s.begin():
        d = f.doctor(s)
        clean = f.service(s, "H01", "Профессиональная гигиена", price=4500, recall_months=6)
        cons = f.service(s, "C01", "Консультация", price=1500, is_consultation=True)
        fam = f.family(s)
        ids = {}
        for key, kw in {
            "olga": dict(family=fam, family_role="мать"),
            "son": dict(last="Иванов", first="Пётр", patronymic="Сергеевич", sex="M", birth=date(2012, 5, 2),
                        family=fam, family_role="сын"),
            "dnc": dict(last="Соколов", first="Андрей", sex="M", phones=("+79035550011",), do_not_contact=True),
            "wa": dict(last="Кузнецова", first="Мария", phones=("+79035550012",), preferred_channel="whatsapp"),
            "nocall": dict(last="Орлов", first="Олег", sex="M", phones=("+79035550013",), consent_calls=False),
            "plain": dict(last="Попова", first="Нина", phones=("+79035550014",)),
        }.items():
            p = f.patient(s, birth=kw.pop("birth", date(1970, 1, 30)), **kw)
            f.visit(s, p, d, f.dt(2026, 5, 23), [clean])
            ids[key] = p.id
        fresh = f.patient(s, "Белова", "Вера", "", "F", date(1990, 6, 1), phones=("+79035550015",))
        f.visit(s, fresh, d, f.dt(2026, 11, 22), [cons])  # consultation yesterday -> return, next day
        ids["fresh"] = fresh.id
    return ids


def service(sessions, **kw):
    return CallListService(sessions, SituationService(sessions), **kw)


def test_build_routes_groups_and_never_lists_do_not_contact(sessions, clinic):
    svc = service(sessions)
    counts = svc.build(DAY, NOW)
    assert counts == {"prevention": 2, "messages": 2, "return_consultation": 1}
    prev = svc.entries(DAY, "prevention")
    fam = next(e for e in prev if e.patient_id in (clinic["olga"], clinic["son"]))
    assert sorted(fam.member_ids) == sorted([clinic["olga"], clinic["son"]])  # one call for the family
    msgs = {e.patient_id: e.channel for e in svc.entries(DAY, "messages")}
    assert msgs == {clinic["wa"]: "whatsapp", clinic["nocall"]: "sms"}
    everyone = {m for e in svc.entries(DAY) for m in e.member_ids}
    assert clinic["dnc"] not in everyone
    ret = svc.entries(DAY, "return_consultation")[0]
    assert ret.patient_id == clinic["fresh"] and ret.priority > fam.priority
    assert ret.reason == "Консультация вчера, врач Смирнова А.В.; лечение не начато: узнать почему"
    assert svc.build(DAY, NOW) == {}  # idempotent
    summary = {l.name: l.total for l in svc.lists(DAY)}
    assert summary == {"return_consultation": 1, "prevention": 2, "messages": 2}
    assert [l.name for l in svc.lists(DAY)][0] == "return_consultation"


def test_attempts_retry_interval_max_attempts_and_reappear(sessions, clinic):
    svc = service(sessions)
    svc.build(DAY, NOW)
    e = svc.claim_next(DAY, "anna", NOW, "prevention")
    assert e.status == "claimed" and e.claimed_by == "anna"
    with pytest.raises(ClaimError, match="anna is already working"):
        svc.claim(e.id, "boris", NOW)
    e = svc.record(e.id, "anna", "no_answer", NOW)
    assert e.status == "open" and e.attempts == 1 and e.next_attempt_at == NOW + timedelta(hours=24)
    # not handed out again before the retry interval
    other = svc.claim_next(DAY, "anna", NOW + timedelta(hours=1), "prevention")
    assert other.id != e.id
    svc.release(other.id, "anna")
    for i in (2, 3):
        t = NOW + timedelta(hours=24 * (i - 1))
        svc.claim(e.id, "anna", t)
        e = svc.record(e.id, "anna", "no_answer", t)
    assert e.status == "exhausted" and e.attempts == 3
    with pytest.raises(ClaimError, match="closed"):
        svc.claim(e.id, "anna", NOW + timedelta(days=3))
    # the next days: contact interval then reappear-after keep the patient off the list
    assert e.patient_id not in {x.patient_id for x in _built(svc, DAY + timedelta(days=20), "prevention")}


def _built(svc, day, name):
    svc.build(day, datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc))
    return svc.entries(day, name)


def test_booked_closes_and_disposition_is_validated(sessions, clinic):
    svc = service(sessions)
    svc.build(DAY, NOW)
    e = svc.claim_next(DAY, "anna", NOW, "return_consultation")
    with pytest.raises(ValueError, match="unknown disposition"):
        svc.record(e.id, "anna", "maybe", NOW)
    with pytest.raises(ClaimError, match="anna is working"):
        svc.record(e.id, "boris", "booked", NOW)
    e = svc.record(e.id, "anna", "booked", NOW, note="записана на 25-е")
    assert e.status == "done" and e.disposition == "booked"


def test_stale_claim_can_be_taken_over(sessions, clinic):
    svc = service(sessions, claim_timeout_minutes=30)
    svc.build(DAY, NOW)
    e = svc.claim_next(DAY, "anna", NOW, "return_consultation")
    assert svc.claim_next(DAY, "boris", NOW + timedelta(minutes=29), "return_consultation") is None
    got = svc.claim_next(DAY, "boris", NOW + timedelta(minutes=31), "return_consultation")
    assert got.id == e.id and got.claimed_by == "boris"


@pytest.mark.postgres
def test_postgres_locked_entry_is_skipped_not_handed_out_twice(pg_url):
    engine = make_engine(pg_url)
    sessions = session_factory(engine)
    try:
        _seed_many(sessions, 2)
        svc = service(sessions)
        svc.build(DAY, NOW)
        ids = sorted(e.id for e in svc.entries(DAY))
        # another workstation is in the middle of claiming the first entry (row locked)
        other = sessions()
        other.begin()
        locked = other.scalars(CallListEntryQ(ids[0])).one()
        got = svc.claim_next(DAY, "boris", NOW)
        assert got.id == ids[1]  # skipped the locked row instead of waiting or taking it
        locked.status, locked.claimed_by, locked.claimed_at = "claimed", "anna", NOW
        other.commit()
        other.close()
        assert svc.claim_next(DAY, "carol", NOW) is None
        assert {svc.entry(i).claimed_by for i in ids} == {"anna", "boris"}
    finally:
        engine.dispose()


def CallListEntryQ(eid):
    from sqlalchemy import select

    return select(CallListEntry).where(CallListEntry.id == eid).with_for_update()


def _seed_many(sessions, n):
    with sessions() as s, s.begin():
        d = f.doctor(s)
        cons = f.service(s, "C01", "Консультация", price=1500, is_consultation=True)
        for i in range(n):
            p = f.patient(s, f"Пациент{i}", "Иван", "", "M", phones=(f"+7916{i:07d}",))
            f.visit(s, p, d, f.dt(2026, 11, 22), [cons])


def test_racing_administrators_never_get_the_same_entry(db_url):
    """Four workstations (own engines) claim until the list is empty: every entry exactly once."""
    engines = [make_engine(db_url) for _ in range(4)]
    try:
        _seed_many(session_factory(engines[0]), 12)
        service(session_factory(engines[0])).build(DAY, NOW)
        got: dict[str, list[int]] = {}
        barrier = threading.Barrier(4)

        def work(i):
            svc = service(session_factory(engines[i]))
            barrier.wait()
            mine = got.setdefault(f"admin{i}", [])
            while (e := svc.claim_next(DAY, f"admin{i}", NOW)) is not None:
                mine.append(e.id)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        all_ids = [i for v in got.values() for i in v]
        assert len(all_ids) == 12 and len(set(all_ids)) == 12
    finally:
        for e in engines:
            e.dispose()


def test_open_entries_carry_over_to_the_next_day_or_lapse(sessions, clinic):
    svc = service(sessions)
    svc.build(DAY, NOW)
    first = {e.patient_id: e.id for e in svc.entries(DAY, "prevention")}
    e = svc.claim_next(DAY, "anna", NOW, "prevention")
    svc.record(e.id, "anna", "no_answer", NOW)
    # the next day the plain patient books a check-up: that reason no longer holds
    with sessions() as s, s.begin():
        from db.models import Doctor

        d = s.query(Doctor).first()
        plain = s.get(__import__("db.models", fromlist=["Patient"]).Patient, clinic["plain"])
        f.appointment(s, plain, d, f.dt(2026, 12, 10))
    nxt = DAY + timedelta(days=1)
    added = svc.build(nxt, NOW + timedelta(days=1))
    assert "prevention" not in added  # nothing new: the open entries moved
    moved = {x.patient_id: x for x in svc.entries(nxt, "prevention")}
    assert clinic["plain"] not in moved
    assert {pid: x.id for pid, x in moved.items()} == {pid: i for pid, i in first.items() if pid != clinic["plain"]}
    assert moved[e.patient_id].attempts == 1  # history kept
    old = {x.patient_id: x.status for x in svc.entries(DAY, "prevention")}
    assert old == {clinic["plain"]: "lapsed"}
    assert [l.lapsed for l in svc.lists(DAY) if l.name == "prevention"] == [1]
