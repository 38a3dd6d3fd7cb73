"""The worker with the real model on real files, and bad inputs that fail their job while the
queue goes on (SQLite and PostgreSQL)."""

import os
from pathlib import Path

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


@pytest.mark.parametrize("worker_nice", [10, 0])
def test_detached_worker_runs_at_the_lower_priority_of_the_setting(sqlite_url, real_keyring, monkeypatch, tmp_path,
                                                                   worker_nice):
    """A real `carecall worker --background`, started as the window starts it, with
    ``[asr] worker_nice`` from its config file: every thread at the window's nice + the setting
    (0: as started). Read from /proc once the worker holds its lock (taken after the priority)."""
    import sys

    from app.transcription.service import lock_path, start_background_worker
    from tests.procs import thread_nices, wait_for_worker_lock

    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    monkeypatch.setenv("CARECALL_MASTER_KEY_NAME", real_keyring + "nice")
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))  # its own lock: no other worker of this user in the way
    cfg = tmp_path / "carecall.toml"
    cfg.write_text(f"[asr]\nworker_nice = {worker_nice}\n", encoding="utf-8")
    base = os.getpriority(os.PRIO_PROCESS, 0)
    proc = start_background_worker(sqlite_url, config=str(cfg), idle_exit=60)
    try:
        lock = lock_path()
        assert str(lock).startswith(str(run))
        wait_for_worker_lock(proc, lock)
        nices = thread_nices(proc.pid)
        assert nices and set(nices.values()) == {min(19, base + worker_nice)}
        if _autogroup_on():  # its own session: the session's share lowered too, else nice does nothing vs the window
            group = _autogroup(proc.pid)
            assert group.startswith("/autogroup-") and group != _autogroup()
            nice = int(Path(f"/proc/{proc.pid}/autogroup").read_text().split()[-1])
            assert nice == (min(19, base + worker_nice) if worker_nice else 0)
    finally:
        proc.terminate()  # before its signal handler is in place the default action ends it
        assert proc.wait(timeout=60) in (0, -15)


def _autogroup_on() -> bool:
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return False


def _autogroup(pid: int | str = "self") -> str:
    """The process's autogroup, "" for the root one: a process whose session was never made by
    setsid since boot, such as CI's test runner started by the container's init, reads empty."""
    return " ".join(Path(f"/proc/{pid}/autogroup").read_text().split()[:1])


def test_a_worker_in_the_terminals_session_leaves_the_sessions_priority_alone(tmp_path):
    """`carecall worker` typed in a terminal shares the shell's session (autogroup): lowering its
    own threads is fine, lowering the session's share would slow the shell and everything in it."""
    import subprocess
    import sys

    if not _autogroup_on():
        pytest.skip("no scheduler autogroups on this kernel")
    mine = Path("/proc/self/autogroup").read_text()
    code = ("import os; from app.transcription.service import lower_priority; "
            "print(lower_priority(7), open('/proc/self/autogroup').read().strip(), os.getsid(0) == os.getpid())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3]).stdout.split()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert out[0] == str(min(19, base + 7)) and out[-1] == "False"
    assert " ".join(out[1:-1]) == mine.strip()  # the same autogroup, its nice value unchanged
    assert Path("/proc/self/autogroup").read_text() == mine


@pytest.mark.parametrize("threads, free, cores, expected", [
    (2, 1, 2, 1),   # the front desk's 2-core PC: one core stays with the window
    (2, 1, 8, 2),   # enough cores: the setting as it is
    (4, 1, 4, 3),
    (2, 0, 2, 2),   # 0: threads as set
    (2, 1, 1, 1),   # never fewer than one
    (2, 3, 2, 1),
])
def test_the_windows_worker_leaves_cores_to_the_desk(threads, free, cores, expected):
    from app.transcription.service import background_threads

    assert background_threads(threads, free, cores) == expected


@pytest.mark.parametrize("free, expected", [(1, 1), (0, 2)])
def test_a_background_worker_uses_the_threads_left_by_the_desk(sqlite_url, real_keyring, monkeypatch, tmp_path,
                                                               free, expected):
    """The real `carecall worker --background` on a PC of 2 cores (as the window starts it; its log
    says what it took), and `carecall worker` by hand (a server's) keeps ``asr.threads``."""
    import subprocess
    import sys

    monkeypatch.setenv("CARECALL_MASTER_KEY_NAME", real_keyring + "threads")
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    cfg = tmp_path / "carecall.toml"
    cfg.write_text(f"[asr]\nthreads = 2\nbackground_free_cores = {free}\n", encoding="utf-8")
    code = ("import os, sys; os.cpu_count = lambda: 2; from app.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    base = [sys.executable, "-c", code, "worker", "--once", "--database", sqlite_url, "--config", str(cfg)]
    out = subprocess.run(base + ["--background"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"background worker: {expected} of 2 threads ({free} of 2 cores left to the desk)" in out.stderr
    assert "no job waiting" in out.stdout
    by_hand = subprocess.run(base, capture_output=True, text=True, timeout=120)
    assert by_hand.returncode == 0, by_hand.stderr
    assert "background worker" not in by_hand.stderr
