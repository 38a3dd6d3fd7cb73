"""The append-only audit log: every playback, export, deletion and score change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.review.access import Action, Principal
from db.models.review import AuditEntry
from db.base import utcnow


class AuditAction:
    SIGN_IN = "sign_in"
    SIGN_IN_REFUSED = "sign_in_refused"
    PLAYBACK = "playback"
    EXPORT = "export"
    DELETE = "delete"
    SCORE_CHANGE = "score_change"
    RETENTION_CHANGE = "retention_change"
    TAG_CHANGE = "tag_change"
    USER_CHANGE = "user_change"
    RETRANSCRIBE = "retranscribe"


def record(s: Session, principal: Principal | None, action: str, object_type: str = "",
           object_id: object = "", details: dict | str | None = None, *, login: str = "") -> AuditEntry:
    """Add one entry to the session (committed with the caller's transaction)."""
    if isinstance(details, dict):
        details = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
    e = AuditEntry(
        at=utcnow(),
        user_id=principal.user_id if principal else None,
        login=principal.login if principal else login,
        role=str(principal.role) if principal else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        details=details or "",
    )
    s.add(e)
    return e


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    login: str
    role: str
    action: str
    object_type: str
    object_id: str
    details: str


class AuditLog:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def entries(self, principal: Principal, action: str | None = None, limit: int = 500) -> list[AuditRow]:
        principal.require(Action.VIEW_AUDIT)
        with self.sessions() as s:
            q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if action:
                q = q.where(AuditEntry.action == action)
            return [AuditRow(e.at, e.login, e.role, e.action, e.object_type, e.object_id, e.details)
                    for e in s.scalars(q)]
