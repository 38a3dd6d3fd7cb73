"""Many workstations against one PostgreSQL: the simulation behind ``scripts/load_test.py``.

N processes (each one a workstation: its own engine and connection pool) loop for a bounded
time over what a front desk does:

* ``take_call``: an incoming number is looked up (app.card: phone -> patient -> card) and the
  call row is written;
* ``save_disposition``: the outcome is saved on that call (the 0006 trigger announces it to
  other workstations);
* ``claim_job``: a transcription job is claimed through the transcription area's JobQueue and
  completed with a canned one-segment transcript (a fake engine: the model is not what is
  measured here); now and then a workstation "dies" holding a job (never completes it; a short
  lease expires and another worker takes the job over);
* ``claim_list_entry``: the next call-list entry is handed out (CallListService.claim_next)
  and its outcome recorded.

Each process reports what it did; :func:`verify` then checks the database: no lost or
duplicated call rows, every saved disposition present and announced, no job completed twice or
claimed by two workers at once, no list entry handed to two administrators.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select, text, update

ABANDON_EVERY = 25  # one claimed job in this many is abandoned (the worker "dies")
ABANDON_LEASE_S = 2.0


@dataclass
class WorkerReport:
    name: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)  # external ids of inserted calls
    dispositions: list[str] = field(default_factory=list)  # external ids whose disposition was saved
    jobs_completed: list[int] = field(default_factory=list)
    jobs_claimed: list[int] = field(default_factory=list)
    jobs_abandoned: list[int] = field(default_factory=list)
    entries: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def timed(self, op: str, t0: float) -> None:
        self.latencies.setdefault(op, []).append(time.perf_counter() - t0)


def seed(url: str, patients: int, jobs: int, entries: int) -> dict:
    """Fill a migrated scratch database: demo clinic, recordings with pending jobs, a call list."""
    from app.demo import generate
    from db.models import CallList, CallListEntry, PatientPhone, Recording
    from db.session import make_engine, session_factory
    from app.transcription.queue import JobQueue

    e = make_engine(url)
    try:
        generate(e, patients)
        S = session_factory(e)
        with S() as s, s.begin():
            recs = [Recording(path=f"load/{i}.ogg", wrapped_key=b"\0" * 40, key_id="load", sha256="0" * 64,
                              status="complete", error="") for i in range(jobs)]
            s.add_all(recs)
            s.flush()
            rec_ids = [r.id for r in recs]
        q = JobQueue(S, keys=_keys(), max_attempts=5)
        for rid in rec_ids:
            q.enqueue(rid)
        now = datetime.now(timezone.utc)
        with S() as s, s.begin():
            pids = s.scalars(select(PatientPhone.patient_id).distinct().limit(entries)).all()
            cl = CallList(name="prevention", on_date=now.date())
            s.add(cl)
            s.flush()
            s.add_all([CallListEntry(list_id=cl.id, situation="prevention", patient_id=pid, member_ids=[pid],
                                     phone_e164="", reason="load test", priority=0,
                                     due_at=now - timedelta(hours=1)) for pid in pids])
            phones = s.scalars(select(PatientPhone.e164).distinct().limit(2000)).all()
        return {"phones": list(phones), "today": now.date().isoformat(), "jobs": jobs, "entries": len(pids)}
    finally:
        e.dispose()


def _keys():
    from app.transcription.crypto import TranscriptKeys

    return TranscriptKeys.from_master(b"load-test-master-key-32-bytes!!!")


def workstation(name: str, url: str, seconds: float, phones: list[str], today: str, start_at: float,
                seed_: int) -> WorkerReport:
    from app.call_list_service import CallListService, ClaimError
    from app.card import CardService
    from app.transcription.queue import JobQueue, LeaseLost
    from app.transcription.types import Segment
    from db.models import Call
    from db.session import make_engine, session_factory, write_session

    rnd = random.Random(seed_)
    rep = WorkerReport(name)
    engine = make_engine(url, pool_size=2, max_overflow=1)
    S = session_factory(engine)
    cards = CardService(S, "RU", 50)
    queue = JobQueue(S, keys=_keys(), max_attempts=5)
    lists = CallListService(S, None, claim_timeout_minutes=30)  # type: ignore[arg-type]
    on = date.fromisoformat(today)
    n = 0
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            n += 1
            # an incoming call: lookup + card, then the call row
            try:
                number = rnd.choice(phones)
                t0 = time.perf_counter()
                lk = cards.lookup_phone(number)
                if lk.matches:
                    cards.card(lk.matches[0].id)
                ext = f"{name}-{n}"
                with write_session(S) as s:
                    c = Call(direction="inbound", number_raw=number, number_e164=lk.e164,
                             patient_id=lk.matches[0].id if lk.matches else None, source="load", external_id=ext)
                    s.add(c)
                    s.flush()
                    call_id = c.id
                rep.timed("take_call", t0)
                rep.calls.append(ext)
                t0 = time.perf_counter()
                with write_session(S) as s:
                    s.execute(update(Call).where(Call.id == call_id).values(
                        disposition=rnd.choice(["booked", "call_back", "info_given"]),
                        disposition_note=f"load {n}", end_at=datetime.now(timezone.utc)))
                rep.timed("save_disposition", t0)
                rep.dispositions.append(ext)
            except Exception as e:  # noqa: BLE001 - counted, the run goes on
                rep.errors.append(f"call: {type(e).__name__}: {e}"[:300])
            # a transcription worker's turn
            try:
                t0 = time.perf_counter()
                abandon = rnd.randrange(ABANDON_EVERY) == 0
                job = queue.claim(name, lease_seconds=ABANDON_LEASE_S if abandon else 60)
                if job is not None:
                    rep.jobs_claimed.append(job.id)
                    if abandon:
                        rep.jobs_abandoned.append(job.id)  # the worker "dies": no complete, lease runs out
                    else:
                        queue.complete(job, [Segment(0, "admin", 0.0, 1.0, f"fake transcript {job.id}")])
                        rep.jobs_completed.append(job.id)
                rep.timed("claim_job" if job is not None else "claim_job_empty", t0)
            except LeaseLost as e:
                rep.errors.append(f"job: lease lost: {e}"[:300])
            except Exception as e:  # noqa: BLE001
                rep.errors.append(f"job: {type(e).__name__}: {e}"[:300])
            # an outbound call list
            try:
                t0 = time.perf_counter()
                now = datetime.now(timezone.utc)
                entry = lists.claim_next(on, name, now)
                if entry is not None:
                    lists.record(entry.id, name, "booked", now)
                    rep.entries.append(entry.id)
                rep.timed("claim_list_entry" if entry is not None else "claim_list_empty", t0)
            except ClaimError as e:
                rep.errors.append(f"list: {e}"[:300])
            except Exception as e:  # noqa: BLE001
                rep.errors.append(f"list: {type(e).__name__}: {e}"[:300])
    finally:
        engine.dispose()
    return rep


def _pct(xs: list[float], p: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def summarize(reports: list[WorkerReport], seconds: float) -> dict:
    ops: dict[str, list[float]] = {}
    for r in reports:
        for op, xs in r.latencies.items():
            ops.setdefault(op, []).extend(xs)
    return {
        op: {"count": len(xs), "per_second": round(len(xs) / seconds, 1),
             "p50_ms": round(_pct(xs, 50) * 1000, 1), "p95_ms": round(_pct(xs, 95) * 1000, 1),
             "max_ms": round(max(xs) * 1000, 1)}
        for op, xs in sorted(ops.items())
    }


def verify(url: str, reports: list[WorkerReport]) -> dict:
    from db.models import Call, CallListAttempt, CallListEntry, ChangeEvent, TranscriptionJob
    from db.models.transcription import TranscriptSegment
    from db.session import make_engine

    e = make_engine(url)
    try:
        with e.connect() as c:
            rows = c.execute(select(Call.external_id, Call.disposition).where(Call.source == "load")).all()
            in_db = Counter(x for x, _ in rows)
            disp = {x: d for x, d in rows}
            reported = [x for r in reports for x in r.calls]
            saved = [x for r in reports for x in r.dispositions]
            events = c.execute(select(func.count()).select_from(ChangeEvent)
                               .where(ChangeEvent.topic == "call_disposition")).scalar_one()
            jobs = c.execute(select(TranscriptionJob.id, TranscriptionJob.status, TranscriptionJob.attempts)).all()
            segs = Counter(c.execute(select(TranscriptSegment.job_id)).scalars().all())
            attempts = Counter(c.execute(select(CallListAttempt.entry_id)).scalars().all())
            entries_done = c.execute(select(func.count()).select_from(CallListEntry)
                                     .where(CallListEntry.status == "done")).scalar_one()
    finally:
        e.dispose()
    claims = Counter(j for r in reports for j in r.jobs_claimed)
    abandons = Counter(j for r in reports for j in r.jobs_abandoned)
    completes = Counter(j for r in reports for j in r.jobs_completed)
    handed = Counter(x for r in reports for x in r.entries)
    status = Counter(s for _, s, _ in jobs)
    return {
        "calls_written": len(reported),
        "calls_lost": sum(1 for x in reported if in_db[x] == 0),
        "calls_duplicated": sum(1 for x, k in in_db.items() if k > 1),
        "calls_unreported": sum(1 for x in in_db if x not in set(reported)),
        "dispositions_saved": len(saved),
        "dispositions_lost": sum(1 for x in saved if not disp.get(x)),
        "disposition_change_events": events,
        "jobs": len(jobs), "jobs_by_status": dict(status),
        "jobs_completed": sum(completes.values()),
        "jobs_abandoned_by_dead_workers": sum(abandons.values()),
        "jobs_abandoned_then_taken_over": sum(1 for j in abandons if claims[j] > abandons[j]),
        # a job claimed again without its previous holder having died = claimed twice
        "jobs_double_claimed": sum(1 for j, k in claims.items() if k - abandons[j] > 1),
        "jobs_done_twice": sum(1 for j, k in completes.items() if k > 1) + sum(1 for k in segs.values() if k > 1),
        "jobs_lost": sum(1 for _, s, _ in jobs if s not in ("pending", "running", "done")),
        "list_entries_handed_out": sum(handed.values()),
        "list_entries_double_claimed": sum(1 for k in handed.values() if k > 1),
        "list_attempts_twice": sum(1 for k in attempts.values() if k > 1),
        "list_entries_done": entries_done,
        "errors": sum(len(r.errors) for r in reports),
        "error_samples": [x for r in reports for x in r.errors][:5],
    }


def ok(checks: dict) -> bool:
    return (checks["calls_lost"] == checks["calls_duplicated"] == checks["calls_unreported"] == 0
            and checks["dispositions_lost"] == 0
            and checks["disposition_change_events"] >= checks["dispositions_saved"]
            and checks["jobs_double_claimed"] == checks["jobs_done_twice"] == checks["jobs_lost"] == 0
            and checks["list_entries_double_claimed"] == checks["list_attempts_twice"] == 0)


def scratch_database(admin_url: str, name: str = "") -> str:
    """(Re)create an empty PostgreSQL database *name* (default: one per process); returns its URL."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = name or f"carecall_load_{os.getpid()}"
    a = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with a.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        a.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    a = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with a.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        a.dispose()
