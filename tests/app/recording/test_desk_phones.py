"""Desk-phone calls (AMI, webhook) are recorded on this computer and queued for transcription.

The telephony side is real: the AMI client against the Asterisk-speaking TCP peer of
test_ami.py, the webhook over real HTTP, the services built by ``app.context``, a real
database (SQLite and PostgreSQL), a real keyring. Only the capture Recorder is stood in for
(``_Spy``, built on test_policy's ``_StoreRecorder``): PortAudio cannot open a sound device in
this process; the real capture path is covered by test_capture.py through ALSA in a child
process. The stand-in writes a real encrypted recording through the real store.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid

import pytest
from sqlalchemy import select

from app.context import open_context
from app.recording.calls import CallRecordingController
from app.recording.policy import Reason
from app.secrets import delete_secret, set_secret
from app.telephony.calls import CallTracker
from app.telephony.events import CallEvent, EventKind
from app.telephony.webhook import TOKEN_HEADER
from app.transcription.queue import JobQueue
from db.models import Call, Recording
from db.models.transcription import TranscriptionJob
from db.session import write_session
from tests import factories as f
from tests.app.recording.test_policy import _StoreRecorder
from tests.app.telephony.test_ami import AmiPeer, inbound_call
from tests.app.telephony.sip_agents import wait_for

NUM = "+79161234567"


class _Spy(_StoreRecorder):
    def __init__(self, store):
        super().__init__(store)
        self.calls: list[tuple] = []

    def start(self, call_id):
        self.calls.append(("start", call_id))
        return super().start(call_id)

    def stop(self):
        self.calls.append(("stop",))
        return super().stop()


class _Ended:
    """Collects the controller's states; ``ended`` is set at the recorded call's hang-up."""

    def __init__(self, controller):
        self.states = []
        self.ended = threading.Event()
        controller.subscribe(self)

    def __call__(self, st):
        self.states.append(st)
        if st.ended:
            self.ended.set()


def _jobs(sessions):
    with sessions() as s:
        return [(j.recording_id, j.status) for j in s.scalars(select(TranscriptionJob))]


def _recordings(sessions):
    with sessions() as s:
        return s.scalars(select(Recording.id)).all()


@pytest.fixture
def ctx_for(settings, db_url):
    opened = []

    def make(source: str, **telephony):
        settings.telephony.source = source
        for k, v in telephony.items():
            setattr(settings.telephony, k, v)
        ctx = open_context(settings, db_url)
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


def test_asterisk_desk_phone_call_is_recorded_and_queued(ctx_for, sessions, store, real_keyring):
    with write_session(sessions) as s:
        pid = f.patient(s, phones=(NUM,)).id  # consent to recording (the factory's default)
    user = "cc-" + uuid.uuid4().hex[:8]
    peer = AmiPeer(user=user, secret="amipass")
    set_secret(f"ami:{user}@127.0.0.1", "amipass")
    ctx = ctx_for("ami", ami_port=peer.port, ami_user=user, extension="101")
    svc = None
    try:
        ctl = ctx.call_recording
        assert isinstance(ctl.jobs, JobQueue)  # the context gives the controller the transcription queue
        spy = _Spy(store)
        ctl.recorder = spy  # PortAudio cannot open a device here (see the module docstring)
        seen = _Ended(ctl)
        svc = ctx.telephony
        assert svc.tracker.call_recording is ctl
        svc.start()
        assert svc.source.connected.wait(5)
        linked = "1700000000.77"
        for b in inbound_call(linked, NUM):  # ringing x2, answered x2 (Up, BridgeEnter), hang-up
            peer.send(b)
        assert seen.ended.wait(10), seen.states
        svc.flush()
    finally:
        if svc is not None:
            svc.stop()
        peer.close()
        delete_secret(f"ami:{user}@127.0.0.1")
    with sessions() as s:
        call = s.scalars(select(Call).where(Call.source == "ami", Call.external_id == linked)).one()
        assert call.patient_id == pid and call.answer_at is not None and call.end_at is not None
    assert spy.calls == [("start", call.id), ("stop",)]  # the duplicate ANSWERED did not restart it
    assert [(x.call_id, x.recording, x.reason, x.ended) for x in seen.states] == [
        (call.id, True, Reason.CONSENT, False), (call.id, False, None, True)]
    rid = seen.states[0].recording_id
    assert _recordings(sessions) == [rid] and store.info(rid).status == "complete"
    assert _jobs(sessions) == [(rid, "pending")]
    st = JobQueue(sessions).status(rid)
    assert (st.status, st.engine) == ("pending", ctx.settings.asr.engine)


def _free_port() -> int:
    import socket

    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def _post(port, token, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("POST", "/call", body=json.dumps(body).encode(),
              headers={"Content-Type": "application/json", TOKEN_HEADER: token})
    r = c.getresponse()
    out = r.status, json.loads(r.read())
    c.close()
    return out


def test_webhook_call_of_a_patient_without_consent_records_and_queues_nothing(ctx_for, sessions, store,
                                                                                real_keyring):
    with write_session(sessions) as s:
        f.patient(s, consent_recording=False, phones=(NUM,))
    token = "webhook-token-" + uuid.uuid4().hex
    set_secret("webhook", token)
    ctx = ctx_for("webhook", webhook_port=_free_port())
    svc = None
    try:
        ctl = ctx.call_recording
        spy = _Spy(store)
        ctl.recorder = spy
        seen = _Ended(ctl)
        svc = ctx.telephony
        svc.start()
        port = svc.source.port
        for ev in ("ringing", "answered", "hungup"):
            assert _post(port, token, {"event": ev, "number": NUM, "call_id": "cloud-7"}) == (200, {"ok": True})
        svc.flush()
        assert wait_for(lambda: seen.states, 5)
    finally:
        if svc is not None:
            svc.stop()
        delete_secret("webhook")
    with sessions() as s:
        call = s.scalars(select(Call).where(Call.source == "webhook", Call.external_id == "cloud-7")).one()
        assert call.end_at is not None
    # the controller was asked at the answer and said no; nothing was captured or queued
    assert [(x.call_id, x.recording, x.reason) for x in seen.states] == [(call.id, False, Reason.NO_CONSENT)]
    assert spy.calls == []
    assert _recordings(sessions) == [] and _jobs(sessions) == []


def test_webhook_call_with_consent_is_recorded_and_queued(ctx_for, sessions, store, real_keyring):
    with write_session(sessions) as s:
        f.patient(s, phones=(NUM,))
    token = "webhook-token-" + uuid.uuid4().hex
    set_secret("webhook", token)
    ctx = ctx_for("webhook", webhook_port=_free_port())
    svc = None
    try:
        ctl = ctx.call_recording
        spy = _Spy(store)
        ctl.recorder = spy
        seen = _Ended(ctl)
        svc = ctx.telephony
        svc.start()
        port = svc.source.port
        for ev in ("ringing", "answered", "answered", "hungup", "hungup"):  # a PBX that repeats itself
            assert _post(port, token, {"event": ev, "number": NUM, "call_id": "cloud-8"})[0] == 200
        assert seen.ended.wait(10)
        svc.flush()
    finally:
        if svc is not None:
            svc.stop()
        delete_secret("webhook")
    with sessions() as s:
        cid = s.scalar(select(Call.id).where(Call.source == "webhook", Call.external_id == "cloud-8"))
    assert spy.calls == [("start", cid), ("stop",)]
    rid = seen.states[-1].recording_id
    assert rid is not None and _jobs(sessions) == [(rid, "pending")]


def test_softphone_calls_do_not_touch_the_controller(ctx_for, sessions, store, real_keyring):
    with write_session(sessions) as s:
        f.patient(s, phones=(NUM,))
    ctl = CallRecordingController(sessions, _Spy(store), jobs=JobQueue(sessions))
    seen = _Ended(ctl)
    t = CallTracker(sessions, ctx_for("none").cards, call_recording=ctl)
    try:
        for kind in ("ringing", "answered", "hungup"):
            assert t.handle(CallEvent(EventKind(kind), "sp-1", NUM, "inbound", "softphone")) is not None
        t.drain()
    finally:
        t.close()
    assert seen.states == [] and ctl.recorder.calls == []
    assert _recordings(sessions) == [] and _jobs(sessions) == []
    # and the context does not hand the controller to a softphone source at all
    assert ctx_for("softphone").telephony.tracker.call_recording is None


def test_a_missed_hang_up_still_queues_the_previous_recording(sessions, store):
    with write_session(sessions) as s:
        f.patient(s, phones=(NUM,))
    ctl = CallRecordingController(sessions, _Spy(store), jobs=JobQueue(sessions))
    seen = _Ended(ctl)
    t = CallTracker(sessions, None, call_recording=ctl)
    try:
        t.handle(CallEvent(EventKind.ANSWERED, "a", "", "inbound", "ami"))
        t.handle(CallEvent(EventKind.ANSWERED, "b", "", "inbound", "ami"))  # "a" never hung up
        t.handle(CallEvent(EventKind.HUNGUP, "b", "", "inbound", "ami"))
    finally:
        t.close()
    first, second = seen.states[0].recording_id, seen.states[1].recording_id
    assert first != second
    assert sorted(_jobs(sessions)) == sorted([(first, "pending"), (second, "pending")])
