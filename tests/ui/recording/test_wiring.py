"""The recording area inside the real main window."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QLabel

from app.recording.calls import CallRecordingController
from app.recording.store import RecordingStore
from app.security.keys import KeyManager
from app.settings import Settings
from db.session import write_session
from tests import factories as f
from tests.app.recording.conftest import new_call
from tests.app.recording.test_policy import _StoreRecorder
from ui.recording.wiring import install
from ui.tasks import SyncRunner


def test_status_bar_follows_the_call(qtbot, make_window, ui_sessions, tmp_path, real_keyring):
    store = RecordingStore(ui_sessions, tmp_path / "rec", KeyManager(real_keyring + "wiring"))
    # the capture Recorder's PortAudio part cannot run in this process (no sound card; see
    # test_capture.py); _StoreRecorder writes a real encrypted recording instead
    recorder = _StoreRecorder(store)
    recorder.levels = lambda: None
    controller = CallRecordingController(ui_sessions, recorder)
    ctx = SimpleNamespace(call_recording=controller, recordings=store, settings=Settings())
    w = make_window()
    parts = install(w, ctx, SyncRunner())
    ind = w.findChild(QLabel, "recording_indicator")
    assert ind is parts["indicator"] and ind.isHidden()
    with write_session(ui_sessions) as s:
        refused = f.patient(s, consent_recording=False, phones=("+79160000011",)).id
        agreed = f.patient(s, last="Петров", first="Иван", sex="M", phones=("+79160000012",)).id
    c1 = new_call(ui_sessions, refused)
    controller.on_answered(c1)
    qtbot.waitUntil(lambda: ind.text() == "not recorded: no consent")
    assert ind.isVisible()
    c2 = new_call(ui_sessions, agreed)
    controller.on_answered(c2)
    qtbot.waitUntil(lambda: ind.text() == "● REC")
    assert parts["meter"].isVisible()
    controller.on_hangup(c2)
    qtbot.waitUntil(lambda: ind.isHidden())
    assert not parts["meter"].isVisible()
