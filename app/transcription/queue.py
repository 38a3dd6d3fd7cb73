"""The transcription job queue, in the database (SQLite or PostgreSQL).

pending -> running (claimed by a worker with a lease) -> done | failed.

* ``claim`` runs in one write transaction: BEGIN IMMEDIATE on SQLite (one writer at a time,
  across processes), ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (workers on several
  machines skip each other's rows). A job is claimed when pending, or when running with an
  expired lease (its worker died): then it is retried, or failed once ``max_attempts`` claims
  have been used up. Each claim increments ``attempts``.
* ``heartbeat`` extends the lease while the worker still owns the job; ``complete`` writes the
  transcript and marks the job done in one transaction, only if this worker still owns this
  attempt, so a job whose lease was taken over is never done twice (:class:`LeaseLost`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.transcription.crypto import TranscriptKeys
from app.transcription.types import Segment
from db.base import utcnow
from db.models.transcription import TranscriptionJob
from db.session import write_session


class LeaseLost(Exception):
    """This worker no longer owns the job (its lease expired and another worker took it)."""


@dataclass(frozen=True)
class Job:
    id: int
    recording_id: int
    engine: str
    model: str
    language: str
    attempts: int
    max_attempts: int
    worker_id: str
    lease_expires_at: datetime | None


@dataclass(frozen=True)
class JobStatus:
    job_id: int
    recording_id: int
    status: str
    engine: str
    model: str
    attempts: int
    max_attempts: int
    error: str
    progress: float
    created_at: datetime
    finished_at: datetime | None


def _job(r: TranscriptionJob) -> Job:
    return Job(r.id, r.recording_id, r.engine, r.model, r.language, r.attempts, r.max_attempts,
               r.worker_id, r.lease_expires_at)


class JobQueue:
    def __init__(self, sessions: sessionmaker[Session], keys: TranscriptKeys | None = None,
                 default_engine: str = "faster-whisper", default_language: str = "auto",
                 max_attempts: int = 3, clock=utcnow):
        self.sessions = sessions
        self._keys = keys
        self.default_engine = default_engine
        self.default_language = default_language
        self.max_attempts = max_attempts
        self.clock = clock

    @property
    def keys(self) -> TranscriptKeys:
        if self._keys is None:
            from app.transcription.crypto import keys_from_keyring

            self._keys = keys_from_keyring()
        return self._keys

    def enqueue(self, recording_id: int, engine: str | None = None, model: str | None = None,
                priority: int = 0, language: str | None = None) -> int:
        """Queue a transcription; an identical job already waiting is reused (its id returned)."""
        engine = engine or self.default_engine
        model = model or ""
        language = language or self.default_language
        with write_session(self.sessions) as s:
            existing = s.scalar(select(TranscriptionJob.id).where(
                TranscriptionJob.recording_id == recording_id, TranscriptionJob.status == "pending",
                TranscriptionJob.engine == engine, TranscriptionJob.model == model))
            if existing is not None:
                return existing
            job = TranscriptionJob(recording_id=recording_id, engine=engine, model=model, language=language,
                                   priority=priority, status="pending", attempts=0,
                                   max_attempts=self.max_attempts, error="", worker_id="", progress=0.0,
                                   created_at=self.clock())
            s.add(job)
            s.flush()
            return job.id

    def claim(self, worker_id: str, lease_seconds: float = 120) -> Job | None:
        while True:
            with write_session(self.sessions) as s:
                now = self.clock()
                q = (select(TranscriptionJob)
                     .where(or_(TranscriptionJob.status == "pending",
                                (TranscriptionJob.status == "running") & (TranscriptionJob.lease_expires_at < now)))
                     .order_by(TranscriptionJob.priority.desc(), TranscriptionJob.id)
                     .limit(1))
                if s.get_bind().dialect.name == "postgresql":
                    q = q.with_for_update(skip_locked=True)
                row = s.scalar(q)
                if row is None:
                    return None
                if row.status == "running" and row.attempts >= row.max_attempts:
                    row.status, row.finished_at, row.lease_expires_at = "failed", now, None
                    row.error = (f"gave up after {row.attempts} attempts: the worker "
                                 f"{row.worker_id or '?'} stopped without finishing (lease expired)")
                    continue  # committed by write_session; look for the next job
                if row.status == "running":
                    row.error = f"lease of worker {row.worker_id} expired; retried"
                row.status = "running"
                row.attempts += 1
                row.worker_id = worker_id
                row.lease_expires_at = now + timedelta(seconds=lease_seconds)
                row.started_at = now
                row.progress = 0.0
                s.flush()
                return _job(row)

    def _owned(self, job: Job):
        return (TranscriptionJob.id == job.id, TranscriptionJob.status == "running",
                TranscriptionJob.worker_id == job.worker_id, TranscriptionJob.attempts == job.attempts)

    def heartbeat(self, job: Job, lease_seconds: float = 120, progress: float | None = None) -> Job:
        """Extend the lease (and record progress); raises LeaseLost when no longer owned."""
        values = {"lease_expires_at": self.clock() + timedelta(seconds=lease_seconds)}
        if progress is not None:
            values["progress"] = max(0.0, min(1.0, float(progress)))
        with write_session(self.sessions) as s:
            n = s.execute(update(TranscriptionJob).where(*self._owned(job)).values(**values)).rowcount
        if n != 1:
            raise LeaseLost(f"job {job.id} is no longer held by {job.worker_id}")
        return Job(**{**job.__dict__, "lease_expires_at": values["lease_expires_at"]})

    def complete(self, job: Job, segments: list[Segment]) -> None:
        from app.transcription.store import write_segments

        keys = self.keys
        with write_session(self.sessions) as s:
            n = s.execute(update(TranscriptionJob).where(*self._owned(job)).values(
                status="done", finished_at=self.clock(), lease_expires_at=None, progress=1.0,
                error="")).rowcount
            if n != 1:
                raise LeaseLost(f"job {job.id} was taken over by another worker; result discarded")
            write_segments(s, keys, job.recording_id, job.id, segments)

    def fail(self, job: Job, error: str, permanent: bool = True) -> str:
        """Record an error. A permanent error (bad input) fails the job; a transient one puts it
        back in the queue until max_attempts. Returns the new status."""
        with write_session(self.sessions) as s:
            row = s.get(TranscriptionJob, job.id, with_for_update=s.get_bind().dialect.name == "postgresql")
            if row is None or row.status != "running" or row.worker_id != job.worker_id \
                    or row.attempts != job.attempts:
                raise LeaseLost(f"job {job.id} is no longer held by {job.worker_id}")
            row.error = error[:4000]
            row.lease_expires_at = None
            if permanent or row.attempts >= row.max_attempts:
                row.status, row.finished_at = "failed", self.clock()
            else:
                row.status = "pending"
            return row.status

    def retry(self, job_id: int) -> None:
        """Put a failed job back in the queue with fresh attempts (the person pressed retry)."""
        with write_session(self.sessions) as s:
            s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id,
                                                     TranscriptionJob.status == "failed")
                      .values(status="pending", attempts=0, error="", finished_at=None))

    def status(self, recording_id: int) -> JobStatus | None:
        """The newest job of a recording (what the call's status label shows)."""
        with self.sessions() as s:
            r = s.scalar(select(TranscriptionJob).where(TranscriptionJob.recording_id == recording_id)
                         .order_by(TranscriptionJob.id.desc()).limit(1))
            if r is None:
                return None
            return JobStatus(r.id, r.recording_id, r.status, r.engine, r.model, r.attempts, r.max_attempts,
                             r.error, r.progress, r.created_at, r.finished_at)

    def get(self, job_id: int) -> JobStatus | None:
        with self.sessions() as s:
            r = s.get(TranscriptionJob, job_id)
            if r is None:
                return None
            return JobStatus(r.id, r.recording_id, r.status, r.engine, r.model, r.attempts, r.max_attempts,
                             r.error, r.progress, r.created_at, r.finished_at)

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in ("pending", "running", "done", "failed")}
        with self.sessions() as s:
            for st, n in s.execute(select(TranscriptionJob.status, func.count())
                                   .group_by(TranscriptionJob.status)):
                out[st] = n
        return out
