"""Waveform peaks from a recording's bytes (decoded in memory), for the player to draw."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from app.recording.peaks import Peaks


@dataclass(frozen=True)
class Waveform:
    duration: float
    peaks: np.ndarray  # shape (channels, buckets), 0..1


def _bucketed(levels: np.ndarray, duration: float, buckets: int) -> Waveform:
    """*levels* (channels, n), each >= 0, reduced to at most *buckets* maxima per channel and
    scaled so the loudest is 1."""
    n = levels.shape[1]
    if n == 0:
        return Waveform(duration, np.zeros((levels.shape[0], 0)))
    if n > buckets:
        edges = np.linspace(0, n, buckets + 1).astype(int)
        levels = np.maximum.reduceat(levels, edges[:-1], axis=1)
    top = float(levels.max()) or 1.0
    return Waveform(duration, np.clip(levels / top, 0.0, 1.0))


def peaks_from_audio(data: np.ndarray, samplerate: int, buckets: int = 800) -> Waveform:
    if data.ndim == 1:
        data = data[:, None]
    n = data.shape[0]
    return _bucketed(np.abs(data).T, n / samplerate if samplerate and n else 0.0, buckets)


def waveform_from_peaks(p: Peaks, buckets: int = 800, duration: float | None = None) -> Waveform:
    """The player's waveform of a recording's stored envelope (app.recording.peaks): at most
    *buckets* peaks per channel, scaled so the loudest is 1. No audio is decoded."""
    return _bucketed(p.data, p.duration if duration is None else duration, buckets)


def peaks_from_bytes(blob: bytes, buckets: int = 800) -> Waveform:
    """Decode Ogg (Opus/Vorbis), WAV or FLAC bytes with libsndfile and reduce to peaks."""
    import soundfile as sf

    data, sr = sf.read(io.BytesIO(blob), dtype="float32", always_2d=True)
    return peaks_from_audio(data, sr, buckets)


def waveform_of(blob: bytes, buckets: int = 800) -> Waveform | None:
    """The player's waveform of a recording's bytes, or None when there is nothing to draw
    (no audio, or a file libsndfile cannot decode: its transcript is still shown). Decoding a
    call takes tens to hundreds of milliseconds: call it on a worker thread (ui.tasks), not in a
    slot."""
    if not blob:
        return None
    try:
        return peaks_from_bytes(blob, buckets)
    except Exception:  # noqa: BLE001 - libsndfile raises several types for broken files
        return None
