"""Waveform peaks from a recording's bytes (decoded in memory), for the player to draw."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Waveform:
    duration: float
    peaks: np.ndarray  # shape (channels, buckets), 0..1


def peaks_from_audio(data: np.ndarray, samplerate: int, buckets: int = 800) -> Waveform:
    if data.ndim == 1:
        data = data[:, None]
    n = data.shape[0]
    duration = n / samplerate if samplerate else 0.0
    if n == 0:
        return Waveform(0.0, np.zeros((data.shape[1], 0)))
    buckets = max(1, min(buckets, n))
    edges = np.linspace(0, n, buckets + 1).astype(int)
    a = np.abs(data)
    peaks = np.maximum.reduceat(a, edges[:-1], axis=0).T  # (channels, buckets)
    top = float(peaks.max()) or 1.0
    return Waveform(duration, np.clip(peaks / top, 0.0, 1.0))


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
