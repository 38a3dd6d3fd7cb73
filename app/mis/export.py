"""Export of calls, dispositions and tags to CSV, for the MIS or a spreadsheet.

The default dialect opens directly in a Russian Excel: UTF-8 with a BOM, ``;`` between
fields, dates as ``dd.mm.yyyy hh:mm`` in the clinic's local time. ``--delimiter ,`` and
``--encoding cp1251`` suit older MIS importers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Call, Patient, User

COLUMNS = [
    "call_id", "date", "time", "direction", "number", "patient_mis_id", "patient", "administrator",
    "situation", "disposition", "note", "duration_s", "tags",
]


@dataclass
class ExportResult:
    path: str
    rows: int


def _local(dt: datetime | None) -> datetime | None:
    return dt.astimezone() if dt is not None else None


def export_calls(sessions: sessionmaker[Session], out: str | Path, date_from: date | None = None,
                 date_to: date | None = None, delimiter: str = ";", encoding: str = "utf-8-sig") -> ExportResult:
    """Write one row per call in [date_from, date_to] (local dates, inclusive)."""
    with sessions() as s:
        stmt = (select(Call, Patient, User).outerjoin(Patient, Patient.id == Call.patient_id)
                .outerjoin(User, User.id == Call.user_id).order_by(Call.ring_at, Call.id))
        if date_from:
            stmt = stmt.where(Call.ring_at >= datetime.combine(date_from, time()).astimezone())
        if date_to:
            stmt = stmt.where(Call.ring_at < datetime.combine(date_to + timedelta(days=1), time()).astimezone())
        rows = s.execute(stmt).all()
        tags = _tags(s, [c.id for c, _, _ in rows])
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding=encoding, errors="replace", newline="") as f:
        w = csv.writer(f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
        w.writerow(COLUMNS)
        for call, pat, user in rows:
            ring = _local(call.ring_at)
            dur = ""
            if call.answer_at and call.end_at:
                dur = str(int((call.end_at - call.answer_at).total_seconds()))
            w.writerow([
                call.id, ring.strftime("%d.%m.%Y") if ring else "", ring.strftime("%H:%M") if ring else "",
                call.direction, call.number_e164 or call.number_raw, (pat.external_id or "") if pat else "",
                pat.full_name if pat else "", (user.full_name or user.login) if user else "",
                call.situation or "", call.disposition or "", _one_line(call.disposition_note), dur,
                ", ".join(tags.get(call.id, [])),
            ])
    tmp.replace(path)
    return ExportResult(str(path), len(rows))


def _one_line(s: str) -> str:
    return " ".join((s or "").split())


def _tags(s: Session, call_ids: list[int]) -> dict[int, list[str]]:
    """Tags of the review area (manual, and auto tags a supervisor confirmed), if that area is installed."""
    if not call_ids or not inspect(s.get_bind()).has_table("review_call_tags"):
        return {}
    try:
        from db.models.review import CallTag, ReviewTag
    except ImportError:  # pragma: no cover
        return {}
    out: dict[int, list[str]] = {}
    for i in range(0, len(call_ids), 500):
        chunk = call_ids[i: i + 500]
        q = (select(CallTag.call_id, ReviewTag.name).join(ReviewTag, ReviewTag.id == CallTag.tag_id)
             .where(CallTag.call_id.in_(chunk))
             .where((CallTag.source == "manual") | CallTag.confirmed)
             .order_by(CallTag.call_id, ReviewTag.name))
        for cid, name in s.execute(q).all():
            if name not in out.setdefault(cid, []):
                out[cid].append(name)
    return out
