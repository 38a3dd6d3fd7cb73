"""Fixtures for recording tests: real keyring, real database, real Ogg Opus files."""

from __future__ import annotations

import hashlib
import subprocess

import numpy as np
import pytest
import soundfile as sf

from app.recording.container import VERSION_1, SealedWriter
from app.recording.store import (
    OGG_PAGE_LATENCY_MS,
    RecordingStore,
    _AppendSink,
    _set_page_latency,
    opus_compression_level,
)
from app.security.keys import KeyManager
from db.base import utcnow
from db.models import Call, Recording
from db.session import write_session


@pytest.fixture
def keys(real_keyring):
    return KeyManager(real_keyring + "master")


@pytest.fixture
def store(sessions, keys, tmp_path):
    return RecordingStore(sessions, tmp_path / "recordings", keys)


def new_call(sessions, patient_id=None) -> int:
    with write_session(sessions) as s:
        c = Call(direction="in", number_raw="+79161234567", patient_id=patient_id, source="softphone")
        s.add(c)
        s.flush()
        return c.id


@pytest.fixture
def call_id(sessions):
    return new_call(sessions)


def tone(freq: float, seconds: float, sr: int = 8000, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_hz(x: np.ndarray, sr: int) -> float:
    x = x[sr // 10:]  # skip the codec's start-up
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / sr)[spec.argmax()])


def sox_raw(path, *synth: str, seconds: float = 30) -> None:
    """An 8 kHz s16 mono raw file made by sox (e.g. synth sine 440)."""
    subprocess.run(["sox", "-n", "-r", "8000", "-b", "16", "-c", "1", "-e", "signed", "-t", "raw", str(path),
                    "synth", str(seconds), *synth], check=True, timeout=60)


def write_v1_recording(store: RecordingStore, call_id, x: np.ndarray, sr: int = 8000, kbps: float = 32.0,
                       complete: bool = True) -> int:
    """A recording in container format 1 as CareCall wrote it before format 2: ONE stereo Ogg
    Opus stream over an append-only sink, sealed into a chunk about every second of audio.
    *x*: (n, channels). With ``complete=False`` the writer "dies" before its final chunk and
    the row stays in status "recording" (as after kill -9)."""
    channels = x.shape[1]
    dek, wrapped, key_id = store.keys.new_data_key()
    with write_session(store.sessions) as s:
        rec = Recording(call_id=call_id, path="", wrapped_key=wrapped, key_id=key_id, format="ogg-opus",
                        channels=channels, samplerate=sr, status="recording", error="", sha256="",
                        created_at=utcnow())
        s.add(rec)
        s.flush()
        rec.path = f"v1/rec-{rec.id}.ccra"
        rid, rel = rec.id, rec.path
    sealed = SealedWriter(store.storage_dir / rel, dek, rid, fsync=False, version=VERSION_1)
    sink, h = _AppendSink(), hashlib.sha256()
    f = sf.SoundFile(sink, "w", samplerate=sr, channels=channels, format="OGG", subtype="OPUS",
                     compression_level=opus_compression_level(kbps, channels))
    _set_page_latency(f, OGG_PAGE_LATENCY_MS)

    def seal(last=False):
        data = sink.take()
        if data or last:
            h.update(data)
            sealed.write_chunk(data, last=last)

    seal()
    for i in range(0, len(x), sr):
        f.write(np.ascontiguousarray(x[i:i + sr]))
        f.flush()
        seal()
    if not complete:
        sealed.abort()
        f.close()  # into the sink only: nothing more reaches the file
        return rid
    f.close()
    seal(last=True)
    with write_session(store.sessions) as s:
        rec = s.get(Recording, rid)
        rec.status, rec.duration_s, rec.size_bytes = "complete", round(len(x) / sr, 3), sealed.size
        rec.sha256, rec.finished_at = h.hexdigest(), utcnow()
    return rid
