"""Small helpers shared by the review services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from app.review.access import Action, Principal, require_call_visible
from db.models.core import Call


class NotFound(Exception):
    pass


def call_checked(s: Session, principal: Principal, call_id: int, action: Action) -> Call:
    """The call, if this person may do *action* on it (administrators: only their own)."""
    principal.require(action)
    c = s.get(Call, call_id)
    if c is None:
        raise NotFound(f"call {call_id} does not exist")
    require_call_visible(principal, c.user_id, action)
    return c


def week_start(d: date | datetime) -> date:
    if isinstance(d, datetime):
        d = d.date()
    return d - timedelta(days=d.weekday())


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    a = datetime.combine(monday, time(0), tzinfo=timezone.utc)
    return a, a + timedelta(days=7)
