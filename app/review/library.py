"""The call library: filtered, sorted lists of calls; playback and deletion of recordings."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Protocol, Sequence

from sqlalchemy import DateTime, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from app.recording.errors import RecordingError
from app.recording.peaks import Peaks
from app.review import audit
from app.review.scorecards import call_scores
from app.review.access import Action, Principal
from app.review.common import NotFound, call_checked
from app.review.segments import NoTranscripts, SearchHit, Segment, TranscriptSource
from app.review.waveform import Waveform, waveform_from_peaks
from app.security.keys import KeyError_
from db.models.core import Call, Patient, User
from db.models.recording import Recording
from db.models.review import CallAnalysis, CallTag, ReviewTag
from db.session import any_of_int_array, int_array, write_session

log = logging.getLogger("carecall.review")


class RecordingAccess(Protocol):
    """What review needs from the recording area (``app.recording.RecordingStore``)."""

    def open_decrypted(self, recording_id: int) -> bytes: ...

    def peaks(self, recording_id: int) -> Peaks: ...

    def delete(self, recording_id: int) -> None: ...


SNIPPETS_PER_CALL = 5  # transcript snippets per call row (the page shows up to five)
NOT_NULL_SORTS = ("date", "direction")  # calls.ring_at, calls.direction
SORT_KEYS = ("date", "administrator", "patient", "direction", "situation", "disposition", "score", "duration")
# the call's columns a row of the list needs, in the order query() unpacks them
# (answer_at and end_at only give the duration, a difference: read without UTCDateTime's
# per-value conversion to UTC, which does not change it)
_CALL_COLS = (Call.id, Call.ring_at, Call.user_id, Call.patient_id, Call.number_e164, Call.number_raw,
              Call.direction, Call.situation, Call.disposition,
              type_coerce(Call.answer_at, DateTime(timezone=True)), type_coerce(Call.end_at, DateTime(timezone=True)))
_ID, _RING = 0, 1  # positions of Call.id and Call.ring_at in a result row


@cache
def _page_base():
    """The list's statement before its conditions and order, with the score subquery and the
    patient name it uses. Built once: statements are immutable (where/order_by make new ones),
    and building this one cost about 1 ms of CPU per query."""
    score = call_scores()
    patient_name = func.trim(Patient.last_name + " " + Patient.first_name + " " + Patient.patronymic)
    # plain columns (_CALL_COLS), not the Call entity: no entity loading and identity map
    # for up to 500 rows a page
    stmt = (select(*_CALL_COLS, User.full_name, patient_name.label("pname"), score.c.score)
            .outerjoin(User, User.id == Call.user_id)
            .outerjoin(Patient, Patient.id == Call.patient_id)
            .outerjoin(score, score.c.call_id == Call.id))
    return stmt, score, patient_name


def _among(col, ids: list[int], pg: bool):
    """*col* is one of *ids*. PostgreSQL: ``= ANY(array)``, one parameter (an array literal:
    psycopg's list adapter inspects every int); an IN list of a page's 500 ids had SQLAlchemy
    render and psycopg parse 500 parameters on every query."""
    if pg:
        return any_of_int_array(col, int_array(ids))
    return col.in_(ids)


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
        stmt, score, patient_name = _page_base()
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
                    ring, cid = row[_RING], row[_ID]
                    if desc:
                        return and_(Call.ring_at <= ring, or_(Call.ring_at < ring, Call.id < cid))
                    return and_(Call.ring_at >= ring, or_(Call.ring_at > ring, Call.id < cid))
            rows, hits = self._page(s, stmt, q.limit, text, after)
            ids = [r[_ID] for r in rows]
            tags: dict[int, list[str]] = {}
            rids: dict[int, int] = {}
            if ids:
                pg = s.get_bind().dialect.name == "postgresql"
                c = s.connection()
                for cid, name in c.execute(select(CallTag.call_id, ReviewTag.name)
                                           .join(ReviewTag, ReviewTag.id == CallTag.tag_id)
                                           .where(_among(CallTag.call_id, ids, pg)).order_by(ReviewTag.name)):
                    tags.setdefault(cid, []).append(name)
                # the newest recording that is not deleted, for the page's calls only
                rids = dict(c.execute(select(Recording.call_id, func.max(Recording.id))
                                      .where(_among(Recording.call_id, ids, pg), Recording.status != "deleted")
                                      .group_by(Recording.call_id)).all())
            out = []
            for (cid, ring_at, user_id, patient_id, e164, raw, direction, situation, disposition,
                 answer_at, end_at, admin, pname, sc) in rows:
                dur = (end_at - answer_at).total_seconds() if end_at and answer_at else None
                out.append(CallRow(
                    cid, ring_at, user_id, admin or "", patient_id, (pname or "").strip(),
                    e164 or raw, direction, situation or "", disposition or "",
                    dur, round(float(sc), 2) if sc is not None else None, tuple(tags.get(cid, ())), rids.get(cid),
                    hits[cid].snippets if hits and cid in hits else (),
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
        c = s.connection()  # plain rows: the statement selects columns, no ORM loading needed
        if not text:
            return c.execute(stmt.limit(limit)).all(), {}
        rows: list = []
        hits: dict[int, SearchHit] = {}
        offset, size = 0, limit
        last = None
        while len(rows) < limit:
            if after is not None and last is not None:
                batch = c.execute(stmt.where(after(last)).limit(size)).all()
            else:
                batch = c.execute(stmt.offset(offset).limit(size)).all()
            if batch:
                last = batch[-1]
            found = self.transcripts.snippets(text, [r[_ID] for r in batch], SNIPPETS_PER_CALL)
            kept = [r for r in batch if r[_ID] in found]
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

    def waveform(self, principal: Principal, call_id: int) -> Waveform | None:
        """The waveform of the call's recording, from the envelope kept with it, or None when the call has no recording or no audio to draw. Nothing is played, so
        nothing is audited (:meth:`open_audio` is, when the audio is opened to be heard); only
        someone who may play the call sees it."""
        if self.recordings is None:
            return None
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.PLAY)
            r = self.recording_of(s, call_id)
            if r is None:
                return None
            rid, duration = r.id, r.duration_s
        try:
            peaks = self.recordings.peaks(rid)
        except (RecordingError, KeyError_) as e:  # a damaged or missing file, no key: "No audio"; Play says why
            log.warning("no waveform for call %s: %s", call_id, e)
            return None
        # the row's duration is exact (the envelope's ends on a whole 50 ms); where they disagree
        # by more than that (a row salvaged after a crash, say) the envelope is what is drawn
        exact = duration and abs(duration - peaks.duration) <= peaks.seconds_per_peak
        return waveform_from_peaks(peaks, duration=duration if exact else None)

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
