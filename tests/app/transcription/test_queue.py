"""The job queue on SQLite and the real PostgreSQL: claims, leases, retries, races.

No speech model here: results are written as plain Segment data (queue plumbing only)."""

import threading
from datetime import timedelta

import pytest

from app.transcription.queue import JobQueue, LeaseLost
from app.transcription.types import Segment
from db.base import utcnow
from db.session import make_engine, session_factory

from .conftest import add_recordings


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


def seg(text, ch=1, start=0.0):
    return Segment(ch, "caller" if ch else "admin", start, start + 1, text)


def test_lifecycle_and_counts(sessions, keys):
    q = JobQueue(sessions, keys)
    r1, r2 = add_recordings(sessions, 2)
    j1 = q.enqueue(r1)
    assert q.enqueue(r1) == j1  # the same job still waiting is reused
    j2 = q.enqueue(r2, priority=5)
    assert q.counts() == {"pending": 2, "running": 0, "done": 0, "failed": 0}
    job = q.claim("w1", lease_seconds=60)
    assert job.id == j2 and job.attempts == 1  # higher priority first
    assert q.status(r2).status == "running"
    q.heartbeat(job, 60, progress=0.5)
    assert q.status(r2).progress == 0.5
    q.complete(job, [seg("hello")])
    assert q.status(r2).status == "done"
    job = q.claim("w1")
    assert q.fail(job, "broken file") == "failed"
    assert q.status(r1).error == "broken file"
    assert q.claim("w1") is None
    assert q.counts() == {"pending": 0, "running": 0, "done": 1, "failed": 1}
    j3 = q.enqueue(r2, engine="openai-whisper", model="/models/small.pt")  # re-transcribe with another model
    assert j3 != j2 and q.status(r2).engine == "openai-whisper"


def test_lease_expiry_retries_and_late_worker_cannot_finish(sessions, keys):
    clock = Clock()
    q = JobQueue(sessions, keys, clock=clock, max_attempts=3)
    (r,) = add_recordings(sessions, 1)
    q.enqueue(r)
    dead = q.claim("dies", lease_seconds=30)
    assert q.claim("other", lease_seconds=30) is None  # still leased
    clock.now += timedelta(seconds=31)
    again = q.claim("other", lease_seconds=30)
    assert again.id == dead.id and again.attempts == 2 and again.worker_id == "other"
    with pytest.raises(LeaseLost):
        q.heartbeat(dead)
    with pytest.raises(LeaseLost):
        q.complete(dead, [seg("late result")])  # never done twice
    q.complete(again, [seg("the result")])
    st = q.status(r)
    assert st.status == "done" and st.attempts == 2


def test_max_attempts_then_failed(sessions, keys):
    clock = Clock()
    q = JobQueue(sessions, keys, clock=clock, max_attempts=2)
    r1, r2 = add_recordings(sessions, 2)
    q.enqueue(r1)
    for _ in range(2):
        assert q.claim("w", lease_seconds=10).recording_id == r1
        clock.now += timedelta(seconds=11)
    q.enqueue(r2)
    nxt = q.claim("w", lease_seconds=10)  # r1 is given up, the queue goes on with r2
    assert nxt.recording_id == r2
    st = q.status(r1)
    assert st.status == "failed" and st.attempts == 2 and "lease expired" in st.error
    # a transient error is retried until max attempts
    assert q.fail(nxt, "RuntimeError: out of memory", permanent=False) == "pending"
    j = q.claim("w")
    assert q.fail(j, "RuntimeError: out of memory", permanent=False) == "failed"


def test_two_workers_racing_never_double_claim(db_url, keys):
    engines = [make_engine(db_url) for _ in range(3)]
    try:
        setup = session_factory(engines[0])
        recs = add_recordings(setup, 30)
        q0 = JobQueue(setup, keys)
        for r in recs:
            q0.enqueue(r)
        claimed: dict[str, list[int]] = {"a": [], "b": []}
        errors = []
        start = threading.Barrier(2)

        def work(name, engine):
            q = JobQueue(session_factory(engine), keys)  # its own engine, connections and sessions
            try:
                start.wait()
                while (job := q.claim(name, lease_seconds=60)) is not None:
                    claimed[name].append(job.id)
                    q.complete(job, [seg(f"job {job.id}")])
            except Exception as e:  # noqa: BLE001
                errors.append(e)

        ts = [threading.Thread(target=work, args=(n, e)) for n, e in zip("ab", engines[1:])]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        assert errors == []
        all_ids = claimed["a"] + claimed["b"]
        assert len(all_ids) == 30 and len(set(all_ids)) == 30
        assert q0.counts()["done"] == 30
    finally:
        for e in engines:
            e.dispose()
