"""Fixtures for transcription tests: real Festival speech through G.711, the real bundled model
(loaded once per test session), keys, recordings in the database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

EN_TURNS = [
    (0, "Good morning, Smile dental clinic, this is Anna speaking."),
    (1, "Hello, I would like to book a cleaning with doctor Brown next Tuesday."),
]
RU_TURNS = [
    (0, "Здравствуйте, стоматология Улыбка, меня зовут Анна."),
    (1, "Добрый день, у меня выпала пломба, можно записаться к врачу?"),
]


@pytest.fixture(scope="session")
def speech(tmp_path_factory):
    """English and Russian two-channel 8 kHz calls (Festival voices, mu-law round trip) as WAVs."""
    from app.transcription.synth import build_call, check_tools, write_wav

    for tool in ("text2wave", "sox"):
        assert shutil.which(tool), f"{tool} is needed for test speech (see docs/transcription.md)"
    check_tools()
    d = tmp_path_factory.mktemp("speech")
    en = build_call(EN_TURNS, "en", d / "cache")
    ru = build_call(RU_TURNS, "ru", d / "cache")
    return {"en": en, "ru": ru, "en_wav": write_wav(d / "en-call.wav", en),
            "ru_wav": write_wav(d / "ru-call.wav", ru), "dir": d}


@pytest.fixture(scope="session")
def asr_settings():
    from app.settings import AsrSettings

    return AsrSettings()


@pytest.fixture(scope="session")
def fw_engine(asr_settings):
    """The real bundled multilingual base model (faster-whisper), loaded once per session."""
    from app.transcription.engines import FasterWhisperEngine

    return FasterWhisperEngine(asr_settings)


@pytest.fixture(scope="session")
def keys():
    from app.transcription.crypto import TranscriptKeys

    return TranscriptKeys.from_master(os.urandom(32))


def add_recordings(sessions, n: int, path: str = "x.wav") -> list[int]:
    from db.models.recording import Recording
    from db.session import write_session

    with write_session(sessions) as s:
        recs = [Recording(path=path, wrapped_key=b"", key_id="", format="wav", channels=2, samplerate=8000,
                          sha256="", status="complete", error="") for _ in range(n)]
        s.add_all(recs)
        s.flush()
        return [r.id for r in recs]


def silence(seconds: float, rate: int = 8000, channels: int = 2, noise_db: float | None = -70) -> np.ndarray:
    x = np.zeros((channels, int(seconds * rate)), np.float32)
    if noise_db is not None:
        x += (10 ** (noise_db / 20) * np.random.default_rng(1).standard_normal(x.shape)).astype(np.float32)
    return x


def write(path: Path, audio: np.ndarray, rate: int = 8000) -> Path:
    from app.transcription.synth import write_wav

    return write_wav(path, audio, rate)
