"""CallTracker and the missed-call list on SQLite and PostgreSQL: duplicates, out-of-order
events, garbage numbers, missed calls and their callbacks, dispositions, consent."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.card import CardService
from app.telephony.calls import CallTracker
from app.telephony.events import CallEvent, EventKind
from app.telephony.missed import AgeClass, MissedCalls, age_class
from db.models import Call, MissedCall
from tests import factories as f

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
NUM = "+79161234567"


def ev(kind, cid="c1", at=0, number=NUM, direction="inbound", source="webhook", **kw):
    return CallEvent(EventKind(kind), cid, number, direction, source, T0 + timedelta(seconds=at), **kw)


@pytest.fixture
def patient_id(sessions):
    with sessions() as s, s.begin():
        return f.patient(s, phones=(NUM,)).id


@pytest.fixture
def tracker(sessions):
    t = CallTracker(sessions, CardService(sessions), user_id=None)
    yield t
    t.close()


def rows(sessions):
    with sessions() as s:
        return s.scalars(select(Call).order_by(Call.id)).all(), s.scalars(select(MissedCall)).all()


def test_answered_call_with_duplicates(tracker, sessions, patient_id):
    u = tracker.handle(ev("ringing", number="sip:+79161234567@10.0.0.5"))
    assert u.patient_ids == [patient_id]
    assert tracker.handle(ev("ringing", at=1)).duplicate
    tracker.handle(ev("answered", at=5))
    assert tracker.handle(ev("answered", at=6)).duplicate
    tracker.handle(ev("hungup", at=65, reason="Normal Clearing"))
    assert tracker.handle(ev("hungup", at=66)).duplicate
    assert tracker.handle(ev("ringing", at=67)).duplicate  # a late duplicate after hang-up
    calls, missed = rows(sessions)
    assert len(calls) == 1 and missed == []
    c = calls[0]
    assert (c.patient_id, c.number_e164, c.number_raw) == (patient_id, NUM, "sip:+79161234567@10.0.0.5")
    assert (c.ring_at, c.answer_at, c.end_at) == (T0, T0 + timedelta(seconds=5), T0 + timedelta(seconds=65))
    assert c.end_reason == "Normal Clearing"


def test_out_of_order_and_unknown_call_ids_make_one_row_each(tracker, sessions, patient_id):
    tracker.handle(ev("answered", cid="late", at=3))  # the PBX lost the ringing event
    tracker.handle(ev("ringing", cid="late", at=1))  # ... which then arrives late
    tracker.handle(ev("hungup", cid="late", at=9))
    tracker.handle(ev("hungup", cid="only-hangup", at=20))  # we only heard the end
    tracker.handle(ev("hold", cid="never-seen", at=21))  # nothing to attach to: ignored
    calls, missed = rows(sessions)
    assert [c.external_id for c in calls] == ["late", "only-hangup"]
    assert calls[0].answer_at == T0 + timedelta(seconds=3) and calls[0].end_at == T0 + timedelta(seconds=9)
    assert [m.call_id for m in missed] == [calls[1].id]


def test_garbage_numbers_keep_the_row_without_a_patient(tracker, sessions, patient_id):
    tracker.handle(ev("ringing", cid="anon", number="anonymous"))
    tracker.handle(ev("hungup", cid="anon", at=10, reason="Request Terminated"))
    calls, missed = rows(sessions)
    assert (calls[0].number_raw, calls[0].number_e164, calls[0].patient_id) == ("anonymous", None, None)
    assert missed[0].number_raw == "anonymous" and missed[0].reason == "Request Terminated"
    assert tracker.errors == 0


def test_missed_call_is_listed_and_closed_by_an_answered_callback(tracker, sessions, patient_id):
    tracker.handle(ev("ringing", cid="m1", at=0))
    u = tracker.handle(ev("hungup", cid="m1", at=30, reason="caller gave up"))
    assert u.missed
    mc = MissedCalls(sessions)
    [e] = mc.entries(now=T0 + timedelta(minutes=5))
    assert (e.patient_id, e.patient_name, e.age_class, e.dial_string) == (
        patient_id, "Иванова Ольга Петровна", AgeClass.WITHIN_20_MIN, NUM)
    assert mc.entries(now=T0 + timedelta(minutes=45))[0].age_class in (AgeClass.SAME_DAY, AgeClass.OLDER)
    assert mc.entries(now=T0 + timedelta(days=2))[0].age_class == AgeClass.OLDER
    # an unanswered callback attempt does not close it
    tracker.handle(ev("dialing", cid="o1", at=600, direction="outbound", number="8 916 123-45-67"))
    tracker.handle(ev("hungup", cid="o1", at=630, direction="outbound"))
    assert mc.open_count() == 1
    # the answered one does
    tracker.handle(ev("dialing", cid="o2", at=700, direction="outbound", number="8 916 123-45-67"))
    tracker.handle(ev("answered", cid="o2", at=710, direction="outbound"))
    assert mc.open_count() == 0
    [closed] = mc.entries(include_closed_since=T0, now=T0 + timedelta(hours=5))
    assert closed.closed_at == T0 + timedelta(seconds=710)
    assert closed.age_class == AgeClass.WITHIN_20_MIN  # called back within 20 minutes
    with sessions() as s:
        m = s.scalars(select(MissedCall)).one()
        back = s.scalars(select(Call).where(Call.external_id == "o2")).one()
        assert m.closed_by_call_id == back.id and back.patient_id == patient_id


def test_age_classes():
    now = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc).astimezone()
    assert age_class(now - timedelta(minutes=20), None, now) == AgeClass.WITHIN_20_MIN
    early = now.replace(hour=0, minute=30) if now.hour >= 1 else now - timedelta(minutes=21)
    if early.date() == now.date() and now - early > timedelta(minutes=20):
        assert age_class(early, None, now) == AgeClass.SAME_DAY
    assert age_class(now - timedelta(days=1), None, now) == AgeClass.OLDER
    assert age_class(now - timedelta(days=1), now - timedelta(days=1) + timedelta(minutes=3), now) == AgeClass.WITHIN_20_MIN


def test_disposition_and_patient_choice(tracker, sessions, patient_id):
    u = tracker.handle(ev("ringing"))
    tracker.set_disposition(u.call_db_id, "call_back", "wants an evening slot")
    with pytest.raises(ValueError):
        tracker.set_disposition(u.call_db_id, "maybe")
    with pytest.raises(LookupError):
        tracker.set_disposition(99999, "booked")
    tracker.set_patient(u.call_db_id, None)
    calls, _ = rows(sessions)
    assert (calls[0].disposition, calls[0].disposition_note, calls[0].patient_id) == (
        "call_back", "wants an evening slot", None)


def test_no_recording_consent_deletes_the_raw_audio(sessions, tmp_path):
    with sessions() as s, s.begin():
        f.patient(s, phones=(NUM,), consent_recording=False)
    admin, caller = tmp_path / "enc.wav", tmp_path / "dec.wav"
    admin.write_bytes(b"RIFF")
    caller.write_bytes(b"RIFF")
    t = CallTracker(sessions, CardService(sessions), recordings=object())  # must not be called
    try:
        t.handle(ev("ringing", source="softphone"))
        t.handle(ev("answered", at=2, source="softphone"))
        t.handle(ev("hungup", at=9, source="softphone", audio=(str(admin), str(caller))))
        t.drain()
    finally:
        t.close()
    assert not admin.exists() and not caller.exists() and t.recording_ids == {}


def test_a_failing_database_write_is_logged_not_raised(sessions, patient_id, caplog):
    t = CallTracker(sessions, CardService(sessions))
    try:
        bad = CallEvent(EventKind.RINGING, "x" * 5, NUM, "inbound", "webhook", datetime(2026, 1, 1))  # naive time
        assert t.handle(bad) is None and t.errors == 1
        assert t.handle(ev("ringing", cid="ok")) is not None  # the tracker still works
    finally:
        t.close()
    assert "cannot apply" in caplog.text


def test_the_service_records_the_administrator_at_this_workstation(sessions, patient_id):
    import getpass

    from app.settings import Settings
    from app.telephony.service import TelephonyService
    from db.models import User

    with sessions() as s, s.begin():
        s.add(User(login=getpass.getuser(), full_name="Анна Администратор", role="administrator"))
    svc = TelephonyService(Settings(), sessions, CardService(sessions), secret=lambda n: None)
    try:
        u = svc.tracker.handle(ev("ringing"))
        with sessions() as s:
            uid = s.scalar(select(User.id))
            assert s.get(Call, u.call_db_id).user_id == uid
    finally:
        svc.tracker.close()
