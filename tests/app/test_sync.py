"""Cross-workstation freshness: a disposition saved on one PC reaches another's listener."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import update

from app.sync import ChangeNotifier, record_change
from db.models import Call
from db.session import make_engine, session_factory
from tests import factories as F


def _collector():
    got: list = []
    cond = threading.Condition()

    def cb(events):
        with cond:
            got.extend(events)
            cond.notify_all()

    def wait_for(pred, timeout):
        deadline = time.monotonic() + timeout
        with cond:
            while not pred(got):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                cond.wait(left)
        return True

    return got, cb, wait_for


def test_disposition_saved_on_one_workstation_is_seen_by_another(db_url):
    # two workstations: two engines (two connection pools) on the same database
    ws_a, ws_b = make_engine(db_url), make_engine(db_url)
    try:
        sa = session_factory(ws_a)
        with sa() as s, s.begin():
            p = F.patient(s)
            call = Call(direction="inbound", number_raw="+79161234567", patient_id=p.id)
            s.add(call)
            s.flush()
            call_id, patient_id = call.id, p.id
        got, cb, wait_for = _collector()
        notifier = ChangeNotifier(ws_b, cb, poll_interval=1.0)
        assert notifier.mode == ("listen" if ws_b.dialect.name == "postgresql" else "poll")
        notifier.start()
        try:
            if notifier.mode == "listen":
                assert notifier.listening.wait(5)
            t0 = time.monotonic()
            with sa() as s, s.begin():  # whatever code saves the call: the trigger announces it
                s.execute(update(Call).where(Call.id == call_id).values(disposition="booked", disposition_note="14:00"))
            assert wait_for(lambda g: any(e.entity_id == call_id for e in g), 2.0), "not seen within 2 s"
            seen_after = time.monotonic() - t0
            ev = next(e for e in got if e.entity_id == call_id)
            assert (ev.topic, ev.patient_id, ev.detail) == ("call_disposition", patient_id, "booked")
            if notifier.mode == "listen":
                assert seen_after < 0.9  # NOTIFY, not the 1 s re-read
            # a note changed later is a change too; an unrelated column is not
            with sa() as s, s.begin():
                s.execute(update(Call).where(Call.id == call_id).values(end_reason="hangup"))
                s.execute(update(Call).where(Call.id == call_id).values(disposition_note="15:00"))
                record_change(s, "import", detail="patients")
            assert wait_for(lambda g: len(g) >= 3, 2.0)
            assert [e.topic for e in got] == ["call_disposition", "call_disposition", "import"]
        finally:
            notifier.stop()
    finally:
        ws_a.dispose()
        ws_b.dispose()


@pytest.mark.postgres
def test_listener_survives_a_killed_connection(pg_url):
    from sqlalchemy import text

    e = make_engine(pg_url)
    try:
        got, cb, wait_for = _collector()
        n = ChangeNotifier(e, cb, poll_interval=0.5)
        n.start()
        try:
            assert n.listening.wait(5)
            with e.begin() as c:  # the server drops the listener (a network blip, a restart)
                killed = c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE query LIKE 'LISTEN carecall_changes%' "
                                        "AND datname = current_database()")).scalars().all()
            assert killed == [True]
            with session_factory(e)() as s, s.begin():
                record_change(s, "import", detail="while reconnecting")
            assert wait_for(lambda g: any(ev.detail == "while reconnecting" for ev in g), 5.0)
        finally:
            n.stop()
    finally:
        e.dispose()


def test_old_change_events_are_pruned(sessions, engine):
    from datetime import timedelta

    from sqlalchemy import func, select

    from app.sync import prune_events
    from db.base import utcnow
    from db.models import ChangeEvent

    with sessions() as s, s.begin():
        s.add(ChangeEvent(topic="import", detail="old", created_at=utcnow() - timedelta(days=8)))
        s.add(ChangeEvent(topic="import", detail="new"))
    assert prune_events(engine) == 1
    with sessions() as s:
        assert s.scalars(select(ChangeEvent.detail)).all() == ["new"]
        assert s.scalar(select(func.count()).select_from(ChangeEvent)) == 1
