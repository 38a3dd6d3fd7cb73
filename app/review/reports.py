"""Per administrator and week: calls, answered, booked first visits and returns, conversion,
average score; CSV export.

* A booking is a call with disposition "booked". It is a *first visit* when the patient had
  no done visit before the call (or the caller is not a known patient), otherwise a *return*.
* Conversion % = bookings / unique answered callers (by number, else patient, else call).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain import Disposition, VisitStatus
from app.review.scorecards import call_scores
from app.review.access import Action, Principal
from app.review.common import week_start
from db.models.core import Call, User, Visit


@dataclass(frozen=True)
class WeekRow:
    week: date
    user_id: int | None
    administrator: str
    calls: int
    answered: int
    booked_first: int
    booked_return: int
    unique_callers: int
    conversion_pct: float
    average_score: float | None

    @property
    def booked(self) -> int:
        return self.booked_first + self.booked_return


class ReportService:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def weekly(self, principal: Principal, date_from: datetime, date_to: datetime) -> list[WeekRow]:
        principal.require(Action.REPORTS)
        with self.sessions() as s:
            score = call_scores()
            rows = s.execute(select(Call, User.full_name, score.c.score)
                             .outerjoin(User, User.id == Call.user_id)
                             .outerjoin(score, score.c.call_id == Call.id)
                             .where(Call.ring_at >= date_from, Call.ring_at < date_to)
                             .order_by(Call.ring_at)).all()
            booked_pids = {c.patient_id for c, _, _ in rows if c.disposition == Disposition.BOOKED and c.patient_id}
            first_done: dict[int, datetime] = {}
            if booked_pids:
                for pid, first in s.execute(select(Visit.patient_id, func.min(Visit.starts_at))
                                            .where(Visit.patient_id.in_(booked_pids), Visit.status == VisitStatus.DONE)
                                            .group_by(Visit.patient_id)):
                    first_done[pid] = first if first.tzinfo else first.replace(tzinfo=date_from.tzinfo)
        acc: dict[tuple[date, int | None], dict] = defaultdict(
            lambda: {"name": "", "calls": 0, "answered": 0, "first": 0, "ret": 0, "callers": set(), "scores": []})
        for c, name, sc in rows:
            a = acc[(week_start(c.ring_at), c.user_id)]
            a["name"] = name or "—"
            a["calls"] += 1
            if c.answer_at is not None:
                a["answered"] += 1
                a["callers"].add(c.number_e164 or (f"p{c.patient_id}" if c.patient_id else f"c{c.id}"))
            if c.disposition == Disposition.BOOKED:
                fd = first_done.get(c.patient_id) if c.patient_id else None
                if fd is not None and fd < c.ring_at:
                    a["ret"] += 1
                else:
                    a["first"] += 1
            if sc is not None:
                a["scores"].append(float(sc))
        out = []
        for (wk, uid), a in sorted(acc.items(), key=lambda kv: (kv[0][0], kv[1]["name"])):
            uniq = len(a["callers"])
            booked = a["first"] + a["ret"]
            out.append(WeekRow(wk, uid, a["name"], a["calls"], a["answered"], a["first"], a["ret"], uniq,
                               round(100.0 * booked / uniq, 1) if uniq else 0.0,
                               round(sum(a["scores"]) / len(a["scores"]), 1) if a["scores"] else None))
        return out


CSV_HEADER = ("week", "administrator", "calls", "answered", "booked first visits", "booked returns",
              "unique answered callers", "conversion %", "average score")


def to_csv(rows: list[WeekRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    for r in rows:
        w.writerow((r.week.isoformat(), r.administrator, r.calls, r.answered, r.booked_first, r.booked_return,
                    r.unique_callers, f"{r.conversion_pct:.1f}",
                    "" if r.average_score is None else f"{r.average_score:.1f}"))
    return buf.getvalue()


def write_csv(rows: list[WeekRow], path: Path | str) -> Path:
    p = Path(path)
    # utf-8-sig so that Excel on a clinic PC opens Cyrillic names correctly
    p.write_text(to_csv(rows), encoding="utf-8-sig", newline="")
    return p
