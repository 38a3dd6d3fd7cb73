"""The worker with the real model on real files, and bad inputs that fail their job while the
queue goes on (SQLite and PostgreSQL)."""

import os

import numpy as np
import pytest
import soundfile as sf

from app.transcription.engines import EngineUnavailable
from app.transcription.queue import JobQueue
from app.transcription.search import TranscriptSearch
from app.transcription.store import TranscriptStore
from app.transcription.worker import Worker, file_audio_loader

from .conftest import add_recordings


def bad_files(d):
    broken = d / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" + os.urandom(200))
    empty = d / "empty.wav"
    empty.write_bytes(b"")
    aiff = d / "call.aiff"
    sf.write(str(aiff), np.zeros(8000, np.float32), 8000, format="AIFF")
    huge = d / "huge.wav"
    sf.write(str(huge), np.zeros(8000, np.int16), 8000, subtype="PCM_16")
    os.truncate(huge, 3 * 2**30)  # sparse: 3 GB on paper, nothing on disk
    return {"broken": broken, "empty": empty, "aiff": aiff, "huge": huge}


@pytest.mark.slow
def test_worker_transcribes_and_bad_files_fail_while_queue_goes_on(sessions, settings, keys, speech, fw_engine,
                                                                   tmp_path):
    bad = bad_files(tmp_path)
    ids = add_recordings(sessions, 5)
    paths = dict(zip(ids, [str(bad["broken"]), str(bad["empty"]), str(speech["en_wav"]),
                           str(bad["aiff"]), str(bad["huge"])]))
    q = JobQueue(sessions, keys)
    for r in ids:
        q.enqueue(r)
    w = Worker(sessions, settings, file_audio_loader(paths, settings),
               engine_factory=lambda name, model, asr: fw_engine, keys=keys, worker_id="test")
    worked = 0
    while w.run_once():
        worked += 1
    assert worked == 5
    st = {r: q.status(r) for r in ids}
    assert [st[r].status for r in ids] == ["failed", "failed", "done", "failed", "failed"]
    assert "not a readable audio file" in st[ids[0]].error
    assert "empty" in st[ids[1]].error
    assert "unsupported audio format AIFF" in st[ids[3]].error
    assert "too large" in st[ids[4]].error
    assert all(st[r].attempts == 1 for r in ids)  # bad input is not retried
    segs = TranscriptStore(sessions, keys).segments(ids[2])
    assert {s.speaker for s in segs} == {"admin", "caller"}
    hits = TranscriptSearch(sessions, keys).search("Tuesdays", 5)
    assert [(h.recording_id, h.speaker) for h in hits] == [(ids[2], "caller")]
    assert "[Tuesday]" in hits[0].marked()
    assert q.counts() == {"pending": 0, "running": 0, "done": 1, "failed": 4}


class FailingEngine:
    """A fake engine (queue plumbing only): it raises as a crashed model would."""

    name, model_name = "fake", "fake"

    def __init__(self):
        self.calls = 0

    def transcribe(self, audio, language, progress=None):
        self.calls += 1
        raise RuntimeError("simulated engine crash")


def test_transient_errors_retry_until_max_attempts(sessions, settings, keys):
    (r,) = add_recordings(sessions, 1)
    q = JobQueue(sessions, keys, max_attempts=2)
    q.enqueue(r)
    engine = FailingEngine()
    loader = lambda rid: (np.full((2, 8000), 0.1, np.float32), 8000)  # noqa: E731
    w = Worker(sessions, settings, loader, engine_factory=lambda *a: engine, keys=keys, queue=q)
    assert w.run_once() and q.status(r).status == "pending"
    assert w.run_once() and q.status(r).status == "failed"
    assert not w.run_once()
    assert engine.calls == 2 and "simulated engine crash" in q.status(r).error


def test_unavailable_engine_fails_the_job_with_the_reason(sessions, settings, keys):
    (r,) = add_recordings(sessions, 1)
    q = JobQueue(sessions, keys)
    q.enqueue(r, engine="openai-whisper")
    loader = lambda rid: (np.full((1, 8000), 0.1, np.float32), 8000)  # noqa: E731
    Worker(sessions, settings, loader, keys=keys, queue=q).run_once()
    st = q.status(r)
    assert st.status == "failed" and "asr.openai_model_path" in st.error
    with pytest.raises(EngineUnavailable, match="unknown speech engine"):
        from app.transcription.engines import create_engine

        create_engine("nope", "", settings.asr)
