"""The call library: filtered, sorted lists of calls; playback and deletion of recordings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.review import audit
from app.review.scorecards import call_scores
from app.review.access import Action, Principal
from app.review.common import NotFound, call_checked
from app.review.segments import NoTranscripts, SearchHit, Segment, TranscriptSource
from db.models.core import Call, Patient, User
from db.models.recording import Recording
from db.models.review import CallAnalysis, CallTag, ReviewTag
from db.session import write_session


class RecordingAccess(Protocol):
    """What review needs from the recording area (``app.recording.RecordingStore``)."""

    def open_decrypted(self, recording_id: int) -> bytes: ...

    def delete(self, recording_id: int) -> None: ...


SNIPPETS_PER_CALL = 5  # transcript snippets per call row (the page shows up to five)
NOT_NULL_SORTS = ("date", "direction")  # calls.ring_at, calls.direction
SORT_KEYS = ("date", "administrator", "patient", "direction", "situation", "disposition", "score", "duration")


@dataclass
class CallQuery:
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive
    user_ids: Sequence[int] = ()
    patient: str = ""  # part of the name or of the number
    direction: str | None = None
    situation: str | None = None
    disposition: str | None = None
    tag_ids: Sequence[int] = ()  # every one of them must be on the call
    min_score: float | None = None
    max_score: float | None = None
    text: str = ""  # words in the transcript
    call_ids: Sequence[int] = ()  # only these calls
    sort: str = "date"
    descending: bool = True
    limit: int = 500


@dataclass(frozen=True)
class CallRow:
    call_id: int
    ring_at: datetime
    user_id: int | None
    administrator: str
    patient_id: int | None
    patient: str
    number: str
    direction: str
    situation: str
    disposition: str
    duration_s: float | None
    score: float | None
    tags: tuple[str, ...]
    recording_id: int | None
    highlights: tuple[str, ...] = field(default=())


class LibraryService:
    def __init__(self, sessions: sessionmaker[Session], transcripts: TranscriptSource | None = None,
                 recordings: RecordingAccess | None = None):
        self.sessions = sessions
        self.transcripts = transcripts or NoTranscripts()
        self.recordings = recordings

    def retranscribe_queue(self, principal: Principal, jobs) -> GuardedQueue:
        """The transcription queue as this person may use it: reading status is open to
        whoever sees the call; queueing a new transcription needs RETRANSCRIBE and is audited."""
        return GuardedQueue(self.sessions, principal, jobs)

    def query(self, principal: Principal, q: CallQuery) -> list[CallRow]:
        principal.require(Action.VIEW_OWN_CALLS)
        if q.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort {q.sort!r}: use one of {', '.join(SORT_KEYS)}")
        text = q.text.strip()
        conds = []
        if text:
            # the transcript condition goes into this statement, so the filters, order and limit
            # below apply to it in the database; snippets are made for the page only (_page)
            # newest first walks ix_calls_ring_at and stops at the limit; other orders see all
            cond = self.transcripts.call_condition(text, Call.id, walk=q.sort == "date" and q.descending)
            if cond is None:
                return []
            conds.append(cond)
        score = call_scores()
        patient_name = func.trim(Patient.last_name + " " + Patient.first_name + " " + Patient.patronymic)
        stmt = (select(Call, User.full_name, patient_name.label("pname"), score.c.score)
                .outerjoin(User, User.id == Call.user_id)
                .outerjoin(Patient, Patient.id == Call.patient_id)
                .outerjoin(score, score.c.call_id == Call.id))
        if not principal.sees_all_calls:
            conds.append(Call.user_id == principal.user_id)
        if q.date_from is not None:
            conds.append(Call.ring_at >= q.date_from)
        if q.date_to is not None:
            conds.append(Call.ring_at < q.date_to)
        if q.call_ids:
            conds.append(Call.id.in_(list(q.call_ids)))
        if q.user_ids:
            conds.append(Call.user_id.in_(list(q.user_ids)))
        if q.patient.strip():
            p = q.patient.strip().lower().replace("ё", "е")
            digits = re.sub(r"\D", "", p)
            alt = [Patient.name_key.contains(p, autoescape=True)]
            if digits and len(digits) >= 3:
                alt.append(Call.number_e164.contains(digits, autoescape=True))
            conds.append(or_(*alt))
        if q.direction:
            conds.append(Call.direction == q.direction)
        if q.situation:
            conds.append(Call.situation == q.situation)
        if q.disposition:
            conds.append(Call.disposition == q.disposition)
        for tid in q.tag_ids:
            conds.append(Call.id.in_(select(CallTag.call_id).where(CallTag.tag_id == tid)))
        if q.min_score is not None:
            conds.append(score.c.score >= q.min_score)
        if q.max_score is not None:
            conds.append(score.c.score <= q.max_score)
        if conds:
            stmt = stmt.where(and_(*conds))
        order = {
            "date": Call.ring_at, "administrator": User.full_name, "patient": patient_name,
            "direction": Call.direction, "situation": Call.situation, "disposition": Call.disposition,
            "score": score.c.score, "duration": Call.end_at,  # refined in Python below
        }[q.sort]
        order_expr = order.desc() if q.descending else order.asc()
        if q.sort not in NOT_NULL_SORTS:  # "NULLS LAST" on a NOT NULL column would keep
            order_expr = order_expr.nulls_last()  # PostgreSQL from walking ix_calls_ring_at backwards
        stmt = stmt.order_by(order_expr, Call.id.desc())
        with self.sessions() as s:
            if text:
                self.transcripts.prepare(s)
            after = None
            if q.sort == "date":  # a next batch goes on from the last row instead of walking again
                def after(row, desc=q.descending):
                    c = row[0]
                    if desc:
                        return and_(Call.ring_at <= c.ring_at, or_(Call.ring_at < c.ring_at, Call.id < c.id))
                    return and_(Call.ring_at >= c.ring_at, or_(Call.ring_at > c.ring_at, Call.id < c.id))
            rows, hits = self._page(s, stmt, q.limit, text, after)
            ids = [r[0].id for r in rows]
            tags: dict[int, list[str]] = {}
            rids: dict[int, int] = {}
            if ids:
                for cid, name in s.execute(select(CallTag.call_id, ReviewTag.name)
                                           .join(ReviewTag, ReviewTag.id == CallTag.tag_id)
                                           .where(CallTag.call_id.in_(ids)).order_by(ReviewTag.name)):
                    tags.setdefault(cid, []).append(name)
                # the newest recording that is not deleted, for the page's calls only
                rids = dict(s.execute(select(Recording.call_id, func.max(Recording.id))
                                      .where(Recording.call_id.in_(ids), Recording.status != "deleted")
                                      .group_by(Recording.call_id)).all())
            out = []
            for c, admin, pname, sc in rows:
                rid = rids.get(c.id)
                dur = (c.end_at - c.answer_at).total_seconds() if c.end_at and c.answer_at else None
                out.append(CallRow(
                    c.id, c.ring_at, c.user_id, admin or "", c.patient_id, (pname or "").strip(),
                    c.number_e164 or c.number_raw, c.direction, c.situation or "", c.disposition or "",
                    dur, round(float(sc), 2) if sc is not None else None, tuple(tags.get(c.id, ())), rid,
                    hits[c.id].snippets if hits and c.id in hits else (),
                ))
        if q.sort == "duration":
            out.sort(key=lambda r: (r.duration_s is None, -(r.duration_s or 0) if q.descending else (r.duration_s or 0)))
        return out

    def _page(self, s: Session, stmt, limit: int, text: str, after=None) -> tuple[list, dict[int, SearchHit]]:
        """The first *limit* rows of *stmt* and, with a text, their snippets. The transcript
        condition may let through calls whose words are in different segments; those have no
        snippet and are dropped, and the next rows fill the page. *after(row)*: a condition for
        the rows that come after *row* in the statement's order (keyset), so a next batch goes on
        from there (with an OFFSET the database would read the skipped rows again: for a common
        word walked through the date index, a second batch cost as much as the first)."""
        if not text:
            return s.execute(stmt.limit(limit)).all(), {}
        rows: list = []
        hits: dict[int, SearchHit] = {}
        offset, size = 0, limit
        last = None
        while len(rows) < limit:
            if after is not None and last is not None:
                batch = s.execute(stmt.where(after(last)).limit(size)).all()
            else:
                batch = s.execute(stmt.offset(offset).limit(size)).all()
            if batch:
                last = batch[-1]
            found = self.transcripts.snippets(text, [r[0].id for r in batch], SNIPPETS_PER_CALL)
            kept = [r for r in batch if r[0].id in found]
            rows += kept
            hits.update(found)
            if len(batch) < size:
                break
            offset += size
            # usually only a few were dropped: read about as many more as are missing
            size = min(limit, int((limit - len(rows)) * len(batch) / max(len(kept), 1) * 1.2) + 10)
        return rows[:limit], hits

    def situations(self) -> list[str]:
        with self.sessions() as s:
            return sorted(x for x in s.scalars(select(Call.situation).distinct()) if x)

    def segments(self, principal: Principal, call_id: int) -> list[Segment]:
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.VIEW_OWN_CALLS)
        return list(self.transcripts.segments(call_id))

    def recording_of(self, s: Session, call_id: int) -> Recording | None:
        return s.scalar(select(Recording).where(Recording.call_id == call_id, Recording.status != "deleted")
                        .order_by(Recording.id.desc()))

    def open_audio(self, principal: Principal, call_id: int, purpose: str = "player") -> tuple[int, bytes]:
        """The decrypted recording (FLAC, or Ogg for old recordings; in memory) for playback; every
        opening is audited."""
        if self.recordings is None:
            raise NotFound("recordings are not available on this workstation")
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.PLAY)
            r = self.recording_of(s, call_id)
            if r is None:
                raise NotFound(f"call {call_id} has no recording")
            rid = r.id
            audit.record(s, principal, audit.AuditAction.PLAYBACK, "recording", rid,
                         {"call": call_id, "purpose": purpose})
        return rid, self.recordings.open_decrypted(rid)

    def delete_recording(self, principal: Principal, recording_id: int, reason: str = "manual") -> None:
        """Only a manager deletes; the deletion is audited."""
        principal.require(Action.DELETE)
        if self.recordings is None:
            raise NotFound("recordings are not available on this workstation")
        with self.sessions() as s:
            r = s.get(Recording, recording_id)
            if r is None:
                raise NotFound(f"recording {recording_id} does not exist")
            call_id = r.call_id
        self.recordings.delete(recording_id)
        with write_session(self.sessions) as s:
            r = s.get(Recording, recording_id)
            if r is not None and r.status != "deleted":
                r.status = "deleted"
            audit.record(s, principal, audit.AuditAction.DELETE, "recording", recording_id,
                         {"call": call_id, "reason": reason})

    def analysis(self, principal: Principal, call_id: int) -> CallAnalysis | None:
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.VIEW_OWN_CALLS)
            a = s.get(CallAnalysis, call_id)
            if a is not None:
                s.expunge(a)
            return a


class GuardedQueue:
    """A transcription queue wrapper enforcing the re-transcribe permission (see
    :meth:`LibraryService.retranscribe_queue`); everything else passes through."""

    def __init__(self, sessions: sessionmaker[Session], principal: Principal, jobs) -> None:
        self._sessions = sessions
        self._principal = principal
        self._jobs = jobs

    def enqueue(self, recording_id: int, engine: str | None = None, model: str | None = None, **kw) -> int:
        self._principal.require(Action.RETRANSCRIBE)
        job_id = self._jobs.enqueue(recording_id, engine=engine, model=model, **kw)
        with write_session(self._sessions) as s:
            audit.record(s, self._principal, audit.AuditAction.RETRANSCRIBE, "recording", recording_id,
                         {"job": job_id, "engine": engine or "", "model": model or ""})
        return job_id

    def __getattr__(self, name):
        return getattr(self._jobs, name)
