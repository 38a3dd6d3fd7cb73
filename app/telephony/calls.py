"""CallTracker: call events -> ``calls`` rows, the missed-call list, and the recording hand-off.

Robust to what real PBXs do: duplicate events (ignored), events out of order (an ANSWERED or
HUNGUP for a call never seen ringing creates the row from what it carries), numbers that are
not phone numbers (kept raw, no patient), and a source that dies mid-call (the row is ended,
flagged ``interrupted``, and the audio recorded so far is kept).

Audio from the softphone (the sndfile pair on HUNGUP) is handed over on a single background
thread: ``RecordingStore.import_call_audio(call_id, admin_wav, caller_wav, delete_sources=True)``
when recording is allowed for the patient, then ``JobQueue.enqueue(recording_id)``. When it is
not allowed, the raw files are deleted.

Desk-phone calls (every source but the softphone: AMI, webhook) are recorded on this computer
by ``call_recording`` (:class:`app.recording.calls.CallRecordingController`): ``on_answered``
with the call row id after an ANSWERED, ``on_hangup`` after a HUNGUP (which queues the
transcription); duplicates are not passed on. Softphone calls never reach it (baresip records them).
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import phones
from app.card import CardService
from app.domain import CallDirection, Disposition
from app.telephony.events import CallEvent, EventKind, Source
from app.telephony.missed import close_for_number, record_missed
from db.models import Call, Patient, PatientPhone

log = logging.getLogger("carecall.telephony.calls")


@dataclass
class CallUpdate:
    """What the UI needs after an event: the row id, the event, and on a new row the patients
    whose phone is the number (the card itself is looked up by the UI, in parallel)."""

    call_db_id: int
    event: CallEvent
    patient_ids: list[int] | None = None
    missed: bool = False
    duplicate: bool = False


def default_should_record(patient: Patient | None) -> bool:
    """The recording area's policy (``app.recording.policy.should_record``)."""
    try:
        from app.recording.policy import should_record
    except ImportError:  # pragma: no cover - the recording area is part of the product
        return patient is None or bool(patient.consent_recording)
    decision = should_record(patient)
    allowed = decision[0] if isinstance(decision, tuple) else decision
    return bool(allowed)


class CallTracker:
    def __init__(self, sessions: sessionmaker[Session], cards: CardService, user_id: int | None = None,
                 recordings: Any = None, jobs: Any = None,
                 should_record: Callable[[Patient | None], bool] | None = None,
                 on_update: Callable[[CallUpdate], None] | None = None, call_recording: Any = None):
        self._sessions = sessions
        self.cards = cards
        self.user_id = user_id
        self.recordings = recordings
        self.jobs = jobs
        self.should_record = should_record or default_should_record
        self.on_update = on_update
        self.call_recording = call_recording
        self._lock = threading.Lock()
        self._audio = ThreadPoolExecutor(1, thread_name_prefix="call-audio")
        self._pending: list[Future] = []
        self.errors = 0
        self.recording_ids: dict[int, int] = {}  # call row id -> recording id

    # events ----------------------------------------------------------------------------------
    def __call__(self, ev: CallEvent) -> CallUpdate | None:
        return self.handle(ev)

    def handle(self, ev: CallEvent) -> CallUpdate | None:
        """Apply one event; never raises (a bad event is logged and counted)."""
        try:
            with self._lock:
                upd = self._apply(ev)
        except Exception:  # noqa: BLE001 - a broken event must not stop the source
            self.errors += 1
            log.exception("cannot apply %s for call %r from %s", ev.kind, ev.call_id, ev.source)
            return None
        if upd is not None and self.call_recording is not None:
            self._follow_recording(upd)
        if upd is not None and self.on_update is not None:
            try:
                self.on_update(upd)
            except Exception:  # noqa: BLE001
                log.exception("call update listener failed")
        return upd

    def _follow_recording(self, upd: CallUpdate) -> None:
        """Start / stop the desk-phone recording (outside the lock, after the row is written)."""
        ev = upd.event
        if upd.duplicate or str(ev.source) == Source.SOFTPHONE or ev.audio is not None:
            return  # the softphone's own recording arrives as ev.audio on HUNGUP
        try:
            if ev.kind == EventKind.ANSWERED:
                self.call_recording.on_answered(upd.call_db_id)
            elif ev.kind == EventKind.HUNGUP:
                self.call_recording.on_hangup(upd.call_db_id)
        except Exception:  # noqa: BLE001 - the call goes on without a recording
            log.exception("call %s: recording did not follow the %s event", upd.call_db_id, ev.kind)

    def _find(self, s: Session, ev: CallEvent) -> Call | None:
        if not ev.call_id:
            return None
        return s.scalars(
            select(Call).where(Call.source == str(ev.source), Call.external_id == ev.call_id[:100])
            .order_by(Call.id.desc()).limit(1)
        ).first()

    def _lookup(self, s: Session, number: str) -> tuple[str | None, list[int]]:
        """One indexed query: the card's full lookup runs in the UI at the same time, and this
        write must not compete with it for the CPU more than needed."""
        try:
            e164 = phones.normalize(number, self.cards.region)
        except phones.PhoneError as e:
            log.info("caller number %r is not a phone number (%s); no patient", number[:60], e)
            return None, []
        ids = s.scalars(select(PatientPhone.patient_id).where(PatientPhone.e164 == e164).distinct()).all()
        return e164, sorted(ids)

    def _new_row(self, s: Session, ev: CallEvent, at: datetime) -> tuple[Call, list[int]]:
        e164, ids = self._lookup(s, ev.number) if ev.number else (None, [])
        pid = ids[0] if len(ids) == 1 else None  # several (a family phone): the administrator picks
        direction = CallDirection.OUTBOUND if ev.direction == "outbound" else CallDirection.INBOUND
        row = Call(direction=str(direction), number_raw=ev.number[:200], number_e164=e164, patient_id=pid,
                   user_id=self.user_id, source=str(ev.source)[:16], external_id=ev.call_id[:100], ring_at=at)
        s.add(row)
        s.flush()
        return row, ids

    def _apply(self, ev: CallEvent) -> CallUpdate | None:
        with self._sessions() as s, s.begin():
            row = self._find(s, ev)
            lk = None
            if ev.kind in (EventKind.RINGING, EventKind.DIALING):
                if row is not None and row.end_at is None:
                    return CallUpdate(row.id, ev, duplicate=True)
                if row is not None and row.end_at is not None and (ev.at - row.end_at).total_seconds() < 5:
                    return CallUpdate(row.id, ev, duplicate=True)  # a late duplicate after hang-up
                row, lk = self._new_row(s, ev, ev.at)
                return CallUpdate(row.id, ev, patient_ids=lk)
            if row is None:
                if ev.kind in (EventKind.HOLD, EventKind.RESUME):
                    return None
                log.info("%s for call %r never seen ringing: creating its row", ev.kind, ev.call_id)
                row, lk = self._new_row(s, ev, ev.at)
            if ev.kind == EventKind.ANSWERED:
                if row.answer_at is not None or row.end_at is not None:
                    return CallUpdate(row.id, ev, duplicate=True)
                row.answer_at = max(ev.at, row.ring_at)
                close_for_number(s, row.number_e164, row.answer_at, row.id)
                return CallUpdate(row.id, ev, patient_ids=lk)
            if ev.kind == EventKind.HUNGUP:
                if row.end_at is not None:
                    return CallUpdate(row.id, ev, duplicate=True)
                row.end_at = max(ev.at, row.ring_at)
                row.end_reason = (ev.reason or ("answered" if row.answer_at else "not answered"))[:200]
                if ev.raw.get("interrupted"):
                    row.interrupted = True
                missed = row.answer_at is None and row.direction == CallDirection.INBOUND
                if missed:
                    s.flush()
                    record_missed(s, row, row.end_reason)
                if ev.audio:
                    patient = s.get(Patient, row.patient_id) if row.patient_id else None
                    allowed = self.should_record(patient)
                    self._pending.append(self._audio.submit(self._hand_over, row.id, ev.audio, allowed))
                return CallUpdate(row.id, ev, patient_ids=lk, missed=missed)
            return CallUpdate(row.id, ev)

    # audio ---------------------------------------------------------------------------------------
    def _hand_over(self, call_id: int, audio: tuple[str, str], allowed: bool) -> int | None:
        admin_wav, caller_wav = audio
        if not allowed:
            for p in audio:
                _unlink(p)
            log.info("call %s: no consent to recording, raw audio deleted", call_id)
            return None
        if self.recordings is None:
            log.warning("call %s: no recording store configured; raw audio left at %s", call_id, audio)
            return None
        try:
            rid = self.recordings.import_call_audio(call_id, admin_wav, caller_wav, delete_sources=True)
        except Exception:  # noqa: BLE001 - keep the raw files for a retry
            log.exception("call %s: recording import failed; raw audio kept at %s", call_id, audio)
            return None
        self.recording_ids[call_id] = rid
        if self.jobs is not None:
            try:
                self.jobs.enqueue(rid)
            except Exception:  # noqa: BLE001
                log.exception("call %s: cannot queue transcription of recording %s", call_id, rid)
        return rid

    def drain(self, timeout: float = 60.0) -> None:
        """Wait for audio hand-overs in flight (tests, shutdown)."""
        pending, self._pending = self._pending, []
        for f in pending:
            f.result(timeout)

    def close(self) -> None:
        self._audio.shutdown(wait=True)

    # the administrator's input --------------------------------------------------------------------
    def set_disposition(self, call_db_id: int, disposition: str, note: str = "") -> None:
        d = Disposition(disposition)  # ValueError for an unknown value
        with self._sessions() as s, s.begin():
            row = s.get(Call, call_db_id)
            if row is None:
                raise LookupError(f"no call {call_db_id}")
            row.disposition = str(d)
            row.disposition_note = note

    def set_patient(self, call_db_id: int, patient_id: int | None) -> None:
        """The administrator picked who is calling (a phone shared by a family)."""
        with self._sessions() as s, s.begin():
            row = s.get(Call, call_db_id)
            if row is None:
                raise LookupError(f"no call {call_db_id}")
            row.patient_id = patient_id


def _unlink(p: str) -> None:
    try:
        os.unlink(p)
    except FileNotFoundError:
        pass
