"""Recording follows the call: it starts when the call is answered and stops at hang-up,
unless the patient did not consent (then nothing is captured and the card says so).

The telephony side calls :meth:`CallRecordingController.on_answered` / :meth:`on_hangup` for
desk-phone calls (AMI, webhook: ``app.telephony.calls.CallTracker``; the softphone records
through baresip instead). At hang-up the recording is queued for transcription when a ``jobs``
queue (:class:`app.transcription.queue.JobQueue`) was given. The UI subscribes with
:meth:`subscribe` (callbacks run on the caller's thread: the UI bridges them to a queued Qt
signal).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable

from app.recording.policy import Reason, should_record
from db.models import Call, Patient

log = logging.getLogger("carecall.recording.calls")


@dataclass(frozen=True)
class RecordingState:
    call_id: int
    recording: bool
    reason: Reason | None  # why (not) recorded; None once the call has ended
    recording_id: int | None = None
    error: str = ""
    ended: bool = False


class CallRecordingController:
    def __init__(self, sessions, recorder, *, enabled: bool = True, record_unknown: bool = True,
                 jobs=None) -> None:
        """``recorder``: an :class:`app.recording.capture.Recorder` (or anything with
        ``start(call_id) -> id`` and ``stop() -> id``); ``jobs``: anything with
        ``enqueue(recording_id)`` (the transcription queue), or None to queue nothing."""
        self.sessions = sessions
        self.recorder = recorder
        self.jobs = jobs
        self.enabled = enabled
        self.record_unknown = record_unknown
        self._active: int | None = None
        self._lock = threading.Lock()
        self._subscribers: list[Callable[[RecordingState], None]] = []

    def subscribe(self, fn: Callable[[RecordingState], None]) -> None:
        self._subscribers.append(fn)

    def _tell(self, state: RecordingState) -> RecordingState:
        for fn in list(self._subscribers):
            try:
                fn(state)
            except Exception:  # noqa: BLE001 - a listener must not stop the recording
                log.exception("recording listener failed")
        return state

    def decide(self, call_id: int) -> tuple[bool, Reason]:
        with self.sessions() as s:
            call = s.get(Call, call_id)
            if call is None:
                raise ValueError(f"call {call_id} does not exist")
            patient = s.get(Patient, call.patient_id) if call.patient_id else None
            return should_record(patient, enabled=self.enabled, record_unknown=self.record_unknown)

    def on_answered(self, call_id: int) -> RecordingState:
        ok, reason = self.decide(call_id)
        if not ok:
            log.info("call %s not recorded: %s", call_id, reason.value)
            return self._tell(RecordingState(call_id, False, reason))
        with self._lock:
            if self._active is not None:  # the previous call's hang-up never came
                prev = self._active
                self._queue_transcription(prev, self._stop_locked())
            try:
                rid = self.recorder.start(call_id)
            except Exception as e:  # noqa: BLE001 - RecorderError, keyring, disk: say it, keep the call
                log.error("call %s: recording did not start: %s", call_id, e)
                return self._tell(RecordingState(call_id, False, reason, error=str(e)))
            self._active = call_id
        return self._tell(RecordingState(call_id, True, reason, rid))

    def on_hangup(self, call_id: int) -> int | None:
        with self._lock:
            if self._active != call_id:
                return None
            rid = self._stop_locked()
        self._queue_transcription(call_id, rid)
        self._tell(RecordingState(call_id, False, None, rid, error=getattr(self.recorder, "error", ""), ended=True))
        return rid

    def _queue_transcription(self, call_id: int, rid: int | None) -> None:
        if rid is None or self.jobs is None:
            return
        try:
            self.jobs.enqueue(rid)
        except Exception:  # noqa: BLE001 - the recording is kept; it can be queued again from review
            log.exception("call %s: cannot queue transcription of recording %s", call_id, rid)

    def _stop_locked(self) -> int | None:
        call_id, self._active = self._active, None
        try:
            return self.recorder.stop()
        except Exception:  # noqa: BLE001
            log.exception("call %s: stopping the recording failed", call_id)
            return None
