"""The call library shows the selected call's transcription state and re-transcribes it with
another model. Real services, a real queue on a real database (SQLite), real Ogg Opus files;
the model dialog is answered the way a person would (pick an item, press OK)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QInputDialog
from sqlalchemy import select

from app.domain import Role
from app.review.segments import MemoryTranscripts
from app.review.services import ReviewServices
from app.settings import AsrSettings
from app.transcription.queue import JobQueue
from db.models.transcription import TranscriptionJob
from db.session import make_engine, session_factory
from tests.app.review.helpers import FolderRecordings, call, make_ogg, recording, user
from ui.review.hub import ReviewHub
from ui.review.library import CallLibraryPage  # imports QtMultimedia at collection, as test_flows does:
# its one-time "pipewire" start-up warning then falls outside the tests
from ui.tasks import SyncRunner
from ui.transcription.widgets import model_choices

pytestmark = pytest.mark.qt_log_ignore("PulseAudioService", extend=True)

NOW = datetime.now(timezone.utc).replace(hour=4, minute=0, second=0, microsecond=0)
CHOICES = [("faster-whisper, bundled base model", "faster-whisper", ""),
           ("openai-whisper, large-v3.pt", "openai-whisper", "/models/large-v3.pt")]


@pytest.fixture
def env(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова", password="ana-password")
        user(s, "sup", Role.SUPERVISOR, "Светлана Супервайзер", password="sup-password")
        failed = call(s, ana, NOW - timedelta(hours=3))
        waiting = call(s, ana, NOW - timedelta(hours=2))
        unrecorded = call(s, ana, NOW - timedelta(hours=1))
        r1 = recording(s, failed, NOW - timedelta(hours=3))
        r2 = recording(s, waiting, NOW - timedelta(hours=2))
        s.commit()
        ids = dict(failed=failed.id, waiting=waiting.id, unrecorded=unrecorded.id, r1=r1.id, r2=r2.id)
    store = FolderRecordings(tmp_path / "rec")
    for rid in (r1.id, r2.id):
        store.put(rid, make_ogg(tmp_path / f"{rid}.ogg", 2.0))
    jobs = JobQueue(sessions)
    jobs.enqueue(ids["r1"])
    job = jobs.claim("pc-7")
    jobs.fail(job, "the audio file is empty\n(traceback)")
    jobs.enqueue(ids["r2"])
    rs = ReviewServices(sessions, transcripts=MemoryTranscripts({}), recordings=store)
    rs.ensure_defaults()
    yield rs, jobs, ids, sessions
    engine.dispose()


def _open(qtbot, rs, jobs, login, password):
    hub = ReviewHub(rs, SyncRunner(), jobs=jobs, retranscribe_choices=CHOICES)
    qtbot.addWidget(hub)
    hub.show()
    hub.sign_in_form.login.setText(login)
    hub.sign_in_form.password.setText(password)
    with qtbot.waitSignal(hub.signed_in):
        qtbot.mouseClick(hub.sign_in_form.button, Qt.MouseButton.LeftButton)
    assert isinstance(hub.library, CallLibraryPage)
    return hub, hub.library


def _select(qtbot, lib, call_id):
    with qtbot.waitSignal(lib.call_selected) as sig:
        lib.select_call(call_id)
    assert sig.args == [call_id]


def _answer_model_dialog(label: str, seen: list) -> None:
    """Poll for the model dialog; pick *label* and press OK, as a person would."""
    def attempt() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QInputDialog):
            QTimer.singleShot(20, attempt)
            return
        box = dlg.findChild(QComboBox)
        seen.append([box.itemText(i) for i in range(box.count())])
        box.setCurrentIndex(box.findText(label))
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, attempt)


def test_supervisor_sees_each_calls_status_and_re_transcribes_with_another_model(qtbot, env):
    rs, jobs, ids, sessions = env
    hub, lib = _open(qtbot, rs, jobs, "sup", "sup-password")
    qtbot.waitUntil(lambda: len(lib.rows) == 3)
    status, btn = lib.transcript_status, lib.retranscribe_btn
    assert status.isVisible() and btn.isVisible()

    _select(qtbot, lib, ids["waiting"])
    qtbot.waitUntil(lambda: status.text() == "Waiting for transcription")
    assert btn.isEnabled()

    _select(qtbot, lib, ids["unrecorded"])  # no recording: nothing to show, nothing to re-transcribe
    qtbot.waitUntil(lambda: status.text() == "")
    assert not btn.isEnabled()

    _select(qtbot, lib, ids["failed"])
    qtbot.waitUntil(lambda: status.text() == "Transcription failed: the audio file is empty")
    assert btn.isEnabled() and btn.text() == "Re-transcribe with model…"

    offered: list = []
    _answer_model_dialog("openai-whisper, large-v3.pt", offered)
    with qtbot.waitSignal(lib.retranscribe.requeued, timeout=5000) as sig:
        qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
    assert offered == [[c[0] for c in CHOICES]]
    new_job = sig.args[0]
    with sessions() as s:
        rows = s.scalars(select(TranscriptionJob).where(TranscriptionJob.recording_id == ids["r1"])
                         .order_by(TranscriptionJob.id)).all()
        assert [(j.status, j.engine, j.model) for j in rows] == [
            ("failed", "faster-whisper", ""), ("pending", "openai-whisper", "/models/large-v3.pt")]
        assert rows[-1].id == new_job and rows[-1].priority == 1
    qtbot.waitUntil(lambda: status.text() == "Waiting for transcription")


def test_an_administrator_sees_the_status_but_cannot_re_transcribe(qtbot, env):
    rs, jobs, ids, sessions = env
    hub, lib = _open(qtbot, rs, jobs, "ana", "ana-password")
    qtbot.waitUntil(lambda: len(lib.rows) == 3)
    _select(qtbot, lib, ids["failed"])
    qtbot.waitUntil(lambda: lib.transcript_status.text() == "Transcription failed: the audio file is empty")
    assert not lib.retranscribe_btn.isVisible() and not lib.retranscribe.isEnabled()
    lib.retranscribe.trigger()  # the shortcut does nothing either
    assert JobQueue(sessions).status(ids["r1"]).status == "failed"


def test_model_choices_follow_the_settings(qapp):
    assert model_choices(AsrSettings()) == [("faster-whisper, bundled base model", "faster-whisper", "")]
    asr = AsrSettings(model_path="/opt/asr/whisper-small-ct2", openai_model_path="/opt/asr/medium.pt")
    assert model_choices(asr) == [("faster-whisper, whisper-small-ct2", "faster-whisper", ""),
                                  ("openai-whisper, medium.pt", "openai-whisper", "")]
