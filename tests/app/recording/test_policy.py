"""Consent decides recording; the controller follows the call."""

from __future__ import annotations

import pytest

from app.recording.calls import CallRecordingController
from app.recording.policy import Reason, should_record
from db.models import Recording
from db.session import write_session
from tests import factories as f
from tests.app.recording.conftest import new_call


class _P:
    def __init__(self, consent):
        self.consent_recording = consent


def test_should_record_by_consent():
    assert should_record(_P(True)) == (True, Reason.CONSENT)
    assert should_record(_P(False)) == (False, Reason.NO_CONSENT)
    assert should_record(None) == (True, Reason.UNKNOWN_CALLER)
    assert should_record(None, record_unknown=False) == (False, Reason.UNKNOWN_CALLER_OFF)
    assert should_record(_P(True), enabled=False) == (False, Reason.DISABLED)


class _StoreRecorder:
    """Stands in for the capture Recorder, whose PortAudio part cannot run in this process
    (no sound card; the real capture path is tested in test_capture.py through ALSA in a
    child process). It writes a real encrypted recording through the real store."""

    def __init__(self, store):
        self.store = store
        self.error = ""

    def start(self, call_id):
        import numpy as np

        self.w = self.store.start(call_id, 8000)
        self.w.write(np.zeros((8000, 2), np.float32))
        return self.w.recording_id

    def stop(self):
        return self.w.close()


def test_no_consent_patient_is_not_recorded_and_the_state_says_so(sessions, store):
    with write_session(sessions) as s:
        refused = f.patient(s, consent_recording=False, phones=("+79160000001",)).id
        agreed = f.patient(s, last="Петров", first="Иван", sex="M", phones=("+79160000002",)).id
    seen = []
    ctl = CallRecordingController(sessions, _StoreRecorder(store))
    ctl.subscribe(seen.append)
    c1 = new_call(sessions, refused)
    st = ctl.on_answered(c1)
    assert (st.recording, st.reason) == (False, Reason.NO_CONSENT)
    assert ctl.on_hangup(c1) is None
    with sessions() as s:
        assert s.query(Recording).count() == 0
    c2 = new_call(sessions, agreed)
    st = ctl.on_answered(c2)
    assert st.recording and st.reason == Reason.CONSENT and st.recording_id
    rid = ctl.on_hangup(c2)
    assert rid == st.recording_id and store.info(rid).status == "complete"
    assert [(x.call_id, x.recording, x.ended) for x in seen] == [(c1, False, False), (c2, True, False), (c2, False, True)]


def test_unknown_call_is_an_error(sessions, store):
    with pytest.raises(ValueError):
        CallRecordingController(sessions, _StoreRecorder(store)).on_answered(999)


def test_card_json_says_whether_the_call_will_be_recorded(sessions, settings):
    from types import SimpleNamespace

    from app.recording.card_enricher import enrich

    with write_session(sessions) as s:
        refused = f.patient(s, consent_recording=False, phones=("+79160000021",)).id
        agreed = f.patient(s, last="Петров", first="Иван", sex="M", phones=("+79160000022",)).id
    ctx = SimpleNamespace(settings=settings, sessions=sessions)
    out = {"new_caller": False, "cards": [{"patient_id": refused}, {"patient_id": agreed}]}
    enrich(ctx, out, None)
    assert [c["recording"] for c in out["cards"]] == [{"will_record": False, "reason": "no_consent"},
                                                      {"will_record": True, "reason": "consent"}]
    new = {"new_caller": True}
    enrich(ctx, new, None)
    assert new["recording"] == {"will_record": True, "reason": "unknown_caller"}
