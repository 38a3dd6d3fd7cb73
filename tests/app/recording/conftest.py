"""Fixtures for recording tests: real keyring, real database, real Ogg Opus files."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from app.recording.store import RecordingStore
from app.security.keys import KeyManager
from db.models import Call
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
