"""The queue indicator, the per-call status label and the re-transcribe action, as a person
sees them (SQLite; the queue itself is tested on both backends in tests/app/transcription)."""

import os

import pytest

from app.transcription.crypto import TranscriptKeys
from app.transcription.queue import JobQueue
from app.transcription.types import Segment
from tests.app.transcription.conftest import add_recordings
from ui.tasks import SyncRunner, TaskRunner
from ui.transcription.widgets import CallTranscriptStatus, QueueIndicator, RetranscribeAction


@pytest.fixture
def queue(sqlite_url):
    from db.session import make_engine, session_factory

    e = make_engine(sqlite_url)
    yield JobQueue(session_factory(e), TranscriptKeys.from_master(os.urandom(32)))
    e.dispose()


def test_queue_indicator_shows_counts(qtbot, queue):
    r1, r2, r3 = add_recordings(queue.sessions, 3)
    w = QueueIndicator(queue, SyncRunner(), interval_ms=60_000)
    qtbot.addWidget(w)
    w.refresh()
    assert w.text() == "Transcription: idle"
    for r in (r1, r2, r3):
        queue.enqueue(r)
    job = queue.claim("w")
    queue.fail(queue.claim("w"), "broken file")
    with qtbot.waitSignal(w.counts_changed) as sig:
        w.refresh()
    assert sig.args[0]["pending"] == 1
    assert w.text() == "Transcription: 1 waiting · 1 running · 1 failed"
    queue.complete(job, [])
    w.refresh()
    assert w.text() == "Transcription: 1 waiting · 1 failed"


def test_queue_indicator_polls_through_the_threaded_runner(qtbot, queue):
    (r,) = add_recordings(queue.sessions, 1)
    queue.enqueue(r)
    runner = TaskRunner()
    w = QueueIndicator(queue, runner, interval_ms=50)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.text() == "Transcription: 1 waiting", timeout=5000)
    w.stop()
    runner.wait()


def test_call_status_follows_the_job(qtbot, queue):
    (r,) = add_recordings(queue.sessions, 1)
    label = CallTranscriptStatus(queue, SyncRunner(), interval_ms=60_000)
    qtbot.addWidget(label)
    label.set_recording(r)
    assert label.text() == "No transcript"
    queue.enqueue(r)
    label.refresh()
    assert label.text() == "Waiting for transcription"
    job = queue.claim("w")
    queue.heartbeat(job, progress=0.4)
    label.refresh()
    assert label.text() == "Transcribing… 40%"
    queue.complete(job, [Segment(0, "admin", 0, 1, "Добрый день")])
    with qtbot.waitSignal(label.status_changed) as sig:
        label.refresh()
    assert sig.args == ["done"] and label.text() == "Transcribed (faster-whisper)"
    queue.enqueue(r, engine="openai-whisper", model="small")
    queue.fail(queue.claim("w"), "openai-whisper has no weights: set asr.openai_model_path")
    label.refresh()
    assert label.text() == "Transcription failed: openai-whisper has no weights: set asr.openai_model_path"
    label.set_recording(None)
    assert label.text() == ""


def test_retranscribe_action_queues_the_chosen_model(qtbot, queue):
    (r,) = add_recordings(queue.sessions, 1)
    host = QueueIndicator(queue, SyncRunner(), interval_ms=60_000)
    qtbot.addWidget(host)
    choices = [("Bundled base", "faster-whisper", ""), ("Whisper small (openai)", "openai-whisper", "/m/small.pt")]
    asked = []
    action = RetranscribeAction(queue, SyncRunner(), choices,
                                chooser=lambda parent, labels: asked.append(labels) or 1, parent=host)
    assert not action.isEnabled() and action.text() == "Re-transcribe with model…"
    action.set_recording(r)
    assert action.isEnabled()
    with qtbot.waitSignal(action.requeued) as sig:
        action.trigger()
    assert asked == [["Bundled base", "Whisper small (openai)"]]
    st = queue.status(r)
    assert sig.args == [st.job_id] and (st.engine, st.model, st.status) == ("openai-whisper", "/m/small.pt", "pending")
    cancel = RetranscribeAction(queue, SyncRunner(), choices, chooser=lambda p, l: None, parent=host)
    cancel.set_recording(r)
    cancel.trigger()
    assert queue.counts()["pending"] == 1
