"""Retention: recordings older than the configured period are deleted, each with an audit entry.

The period comes from ``settings.review.retention_days``; a manager may change it at run time
(stored in the database, audited), which then wins over the settings file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.review import audit
from app.review.access import Action, Principal
from app.review.library import RecordingAccess
from db.base import utcnow
from db.models.recording import Recording
from db.models.review import ReviewOption
from db.session import write_session

KEY = "retention_days"


class RetentionError(Exception):
    pass


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    deleted: tuple[int, ...]
    failed: tuple[tuple[int, str], ...]


class RetentionService:
    def __init__(self, sessions: sessionmaker[Session], recordings: RecordingAccess, default_days: int):
        self.sessions = sessions
        self.recordings = recordings
        self.default_days = default_days

    def period_days(self) -> int:
        with self.sessions() as s:
            o = s.get(ReviewOption, KEY)
            return int(o.value) if o is not None else self.default_days

    def set_period(self, principal: Principal, days: int) -> None:
        principal.require(Action.RETENTION)
        if days < 1:
            raise RetentionError("the retention period must be at least one day")
        with write_session(self.sessions) as s:
            o = s.get(ReviewOption, KEY)
            old = int(o.value) if o is not None else self.default_days
            if o is None:
                o = ReviewOption(key=KEY, value=str(days))
                s.add(o)
            o.value, o.changed_at, o.changed_by_id = str(days), utcnow(), principal.user_id
            audit.record(s, principal, audit.AuditAction.RETENTION_CHANGE, "setting", KEY, {"old": old, "new": days})

    def due(self, now: datetime | None = None) -> list[int]:
        cutoff = (now or utcnow()) - timedelta(days=self.period_days())
        with self.sessions() as s:
            return list(s.scalars(select(Recording.id).where(Recording.created_at < cutoff,
                                                             Recording.status != "deleted",
                                                             Recording.status != "recording")
                                  .order_by(Recording.id)))

    def run(self, principal: Principal | None = None, now: datetime | None = None) -> RetentionResult:
        """Delete what is due. ``principal=None`` is the scheduled job (audited as "retention");
        a person running it by hand must be a manager."""
        if principal is not None:
            principal.require(Action.DELETE)
        now = now or utcnow()
        cutoff = now - timedelta(days=self.period_days())
        deleted, failed = [], []
        for rid in self.due(now):
            try:
                self.recordings.delete(rid)
            except Exception as e:  # noqa: BLE001 - one broken file must not stop the rest
                failed.append((rid, str(e)))
                continue
            with write_session(self.sessions) as s:
                r = s.get(Recording, rid)
                call_id = r.call_id if r else None
                if r is not None and r.status != "deleted":
                    r.status = "deleted"
                audit.record(s, principal, audit.AuditAction.DELETE, "recording", rid,
                             {"call": call_id, "reason": "retention", "cutoff": cutoff.isoformat()},
                             login="" if principal else "retention")
            deleted.append(rid)
        return RetentionResult(cutoff, tuple(deleted), tuple(failed))
