"""The transcription worker: claims jobs, transcribes each channel, stores the result.

Runs inside the app (a thread or a detached ``carecall worker`` process, which carries on after
the window closes) and as ``carecall worker`` on any machine that reaches the database. While a
job runs, a heartbeat thread (with its own session) renews the lease and records progress.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from typing import Callable

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings
from app.transcription.audio import AudioError
from app.transcription.crypto import TranscriptKeys
from app.transcription.engines import Engine, EngineUnavailable, create_engine, transcribe_channels
from app.transcription.queue import Job, JobQueue, LeaseLost

log = logging.getLogger("carecall.transcription")

AudioLoader = Callable[[int], tuple[np.ndarray, int]]
EngineFactory = Callable[[str, str, object], Engine]


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings, audio_loader: AudioLoader,
                 engine_factory: EngineFactory = create_engine, keys: TranscriptKeys | None = None,
                 worker_id: str | None = None, queue: JobQueue | None = None):
        self.sessions = sessions
        self.settings = settings
        self.audio_loader = audio_loader
        self.engine_factory = engine_factory
        self.worker_id = worker_id or default_worker_id()
        self.queue = queue or JobQueue(sessions, keys, default_engine=settings.asr.engine,
                                       default_language=settings.asr.language,
                                       max_attempts=settings.asr.max_attempts)
        self._engines: dict[tuple[str, str], Engine] = {}

    def engine(self, name: str, model: str) -> Engine:
        key = (name, model)
        if key not in self._engines:
            self._engines[key] = self.engine_factory(name, model, self.settings.asr)
        return self._engines[key]

    def run_once(self) -> bool:
        """Process one job if there is one; False when the queue had nothing to claim."""
        lease = self.settings.asr.lease_seconds
        job = self.queue.claim(self.worker_id, lease_seconds=lease)
        if job is None:
            return False
        log.info("job %s: recording %s with %s %s (attempt %s/%s)", job.id, job.recording_id, job.engine,
                 job.model or "default", job.attempts, job.max_attempts)
        progress = {"value": 0.0}
        stop = threading.Event()
        lost = threading.Event()

        def beat():
            j = job
            while not stop.wait(max(1.0, lease / 3)):
                try:
                    j = self.queue.heartbeat(j, lease, progress["value"])
                except LeaseLost:
                    lost.set()
                    return
                except Exception:  # noqa: BLE001 - a database hiccup: try again next beat
                    log.warning("job %s: heartbeat failed", job.id, exc_info=True)

        hb = threading.Thread(target=beat, name=f"heartbeat-{job.id}", daemon=True)
        hb.start()
        try:
            segments = self._transcribe(job, progress)
        except AudioError as e:
            self._fail(job, str(e), permanent=True)
            return True
        except EngineUnavailable as e:
            self._fail(job, str(e), permanent=True)
            return True
        except Exception as e:  # noqa: BLE001 - anything else may pass on a retry
            log.exception("job %s failed", job.id)
            self._fail(job, f"{type(e).__name__}: {e}", permanent=False)
            return True
        finally:
            stop.set()
            hb.join()
        try:
            self.queue.complete(job, segments)
            log.info("job %s done: %d segments", job.id, len(segments))
        except LeaseLost as e:
            log.warning("%s", e)
        return True

    def _transcribe(self, job: Job, progress: dict):
        audio, sr = self.audio_loader(job.recording_id)
        if audio.ndim == 1:
            audio = audio.reshape(1, -1)
        if audio.size == 0:
            raise AudioError(f"recording {job.recording_id} holds no audio samples")
        engine = self.engine(job.engine, job.model)
        lang = job.language if job.language in ("auto", "ru", "en") else "auto"
        return transcribe_channels(engine, audio, sr, lang, lambda f: progress.__setitem__("value", f))

    def _fail(self, job: Job, error: str, permanent: bool) -> None:
        try:
            st = self.queue.fail(job, error, permanent=permanent)
            log.warning("job %s %s: %s", job.id, "failed" if st == "failed" else "will be retried", error)
        except LeaseLost as e:
            log.warning("%s", e)

    def run(self, stop_event: threading.Event, idle_exit: float | None = None) -> None:
        """Work until *stop_event* is set (or the queue has been empty for idle_exit seconds)."""
        import time

        idle_since = time.monotonic()
        while not stop_event.is_set():
            try:
                worked = self.run_once()
            except Exception:  # noqa: BLE001 - e.g. the database went away: wait and retry
                log.exception("worker %s: cannot reach the queue", self.worker_id)
                worked = False
            if worked:
                idle_since = time.monotonic()
                continue
            if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
                return
            stop_event.wait(self.settings.asr.poll_seconds)


def file_audio_loader(paths: dict[int, str], settings: Settings) -> AudioLoader:
    """recording id -> plain audio file (tests, imports of unencrypted files)."""
    from app.transcription.audio import load_audio_file

    def load(recording_id: int):
        if recording_id not in paths:
            raise AudioError(f"recording {recording_id}: no audio file")
        return load_audio_file(paths[recording_id], settings.asr.max_audio_seconds,
                               settings.asr.max_file_mb * 2**20)

    return load


def recording_audio_loader(sessions: sessionmaker[Session], settings: Settings) -> AudioLoader:
    """The production loader: app.recording's decrypting loader when it exists; until then,
    recordings stored as plain files (no wrapped key) under the storage directory."""
    try:
        from app.recording.loader import make_audio_loader  # type: ignore[import-not-found]
    except ImportError:
        make_audio_loader = None
    if make_audio_loader is not None:
        return make_audio_loader(sessions, settings)

    from pathlib import Path

    from app.settings import data_dir
    from app.transcription.audio import load_audio_file
    from db.models.recording import Recording

    root = Path(settings.audio.storage_dir) if settings.audio.storage_dir else data_dir() / "recordings"

    def load(recording_id: int):
        with sessions() as s:
            rec = s.get(Recording, recording_id)
            if rec is None:
                raise AudioError(f"recording {recording_id} does not exist")
            path, wrapped = rec.path, rec.wrapped_key
        if wrapped:
            raise EngineUnavailable(f"recording {recording_id} is encrypted and this installation has "
                                    "no recording decryption module")
        p = Path(path) if Path(path).is_absolute() else root / path
        return load_audio_file(p, settings.asr.max_audio_seconds, settings.asr.max_file_mb * 2**20)

    return load
