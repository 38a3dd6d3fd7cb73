"""A recording's peak envelope: the loudest sample of each channel in every 50 ms, kept with the
recording so the player can draw its waveform without decrypting and decoding the audio.

:class:`PeakAccumulator` follows the recorder's writer block by block (a few microseconds per
block), so a finished recording has its envelope at once; a recording without one (older, or
salvaged after a crash) gets it from its decoded audio the first time it is asked for
(:meth:`app.recording.store.RecordingStore.peaks`).

Stored encrypted like the audio (it shows who spoke when): AES-GCM under a key derived
(HKDF-SHA256) from the recording's own data key, the recording id in the associated data::

    plaintext : b"CCP1" | samplerate u32 BE | window u32 BE | channels u8 | n u32 BE | zlib(u16 LE peaks, channel-major)
    stored    : nonce (12 bytes) | ciphertext + tag
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PEAKS_PER_SECOND = 20
_MAGIC = b"CCP1"
_HEAD = struct.Struct(">4sIIBI")
_MAX_VALUE = 65535


class PeaksError(Exception):
    """The stored envelope does not open with this recording's key or does not parse."""


@dataclass(frozen=True)
class Peaks:
    """``data``: float32 of shape (channels, n), each the largest absolute sample (0..1) of
    ``window`` consecutive samples at ``samplerate``."""

    samplerate: int
    window: int
    data: np.ndarray

    @property
    def seconds_per_peak(self) -> float:
        return self.window / self.samplerate

    @property
    def duration(self) -> float:
        return self.data.shape[1] * self.seconds_per_peak


def window_for(samplerate: int, per_second: int = PEAKS_PER_SECOND) -> int:
    return max(1, int(samplerate) // per_second)


class PeakAccumulator:
    """Fed the same per-channel blocks as the encoders (float32 in -1..1 or int16); keeps the
    peak of every full window and the samples of the window not yet full."""

    def __init__(self, samplerate: int, channels: int, per_second: int = PEAKS_PER_SECOND) -> None:
        self.samplerate = int(samplerate)
        self.window = window_for(samplerate, per_second)
        self._done: list[list[np.ndarray]] = [[] for _ in range(channels)]
        self._rest = [np.zeros(0, np.float32) for _ in range(channels)]

    def add(self, tracks) -> None:
        w = self.window
        for c, x in enumerate(tracks):
            a = np.abs(np.asarray(x), dtype=np.float32)
            if x.dtype == np.int16:
                a *= 1.0 / 32768.0
            if len(self._rest[c]):
                a = np.concatenate((self._rest[c], a))
            k = len(a) // w
            if k:
                done = self._done[c]
                done.append(a[: k * w].reshape(k, w).max(axis=1))
                if len(done) >= 256:  # a few peaks a block: kept as one array, not 28,000 small ones an hour
                    self._done[c] = [np.concatenate(done)]
            self._rest[c] = a[k * w:].copy()

    def peaks(self) -> Peaks:
        """The envelope so far, the window still filling counted as one more peak."""
        rows = []
        for done, rest in zip(self._done, self._rest):
            parts = done + ([np.array([rest.max()], np.float32)] if len(rest) else [])
            rows.append(np.concatenate(parts) if parts else np.zeros(0, np.float32))
        n = max((len(r) for r in rows), default=0)
        data = np.zeros((len(rows), n), np.float32)
        for c, r in enumerate(rows):
            data[c, : len(r)] = r
        return Peaks(self.samplerate, self.window, np.clip(data, 0.0, 1.0))


def peaks_of_audio(audio: np.ndarray, samplerate: int) -> Peaks:
    """The envelope of decoded audio of shape (channels, n)."""
    acc = PeakAccumulator(samplerate, audio.shape[0])
    acc.add(list(audio))
    return acc.peaks()


def _key(dek: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=b"carecall-peaks",
                       info=b"recording peak envelope").derive(dek))


def _aad(recording_id: int) -> bytes:
    return b"carecall-peaks/%d" % recording_id


def seal_peaks(p: Peaks, dek: bytes, recording_id: int) -> bytes:
    q = np.rint(np.clip(p.data, 0.0, 1.0) * _MAX_VALUE).astype("<u2")
    plain = _HEAD.pack(_MAGIC, p.samplerate, p.window, q.shape[0], q.shape[1]) + zlib.compress(q.tobytes(), 6)
    nonce = os.urandom(12)
    return nonce + _key(dek).encrypt(nonce, plain, _aad(recording_id))


def open_peaks(blob: bytes, dek: bytes, recording_id: int) -> Peaks:
    if len(blob) < 12 + 16 + _HEAD.size:
        raise PeaksError(f"recording {recording_id}: the stored waveform is too short")
    try:
        plain = _key(dek).decrypt(blob[:12], blob[12:], _aad(recording_id))
    except InvalidTag:
        raise PeaksError(f"recording {recording_id}: the stored waveform does not open with its key") from None
    magic, sr, window, channels, n = _HEAD.unpack_from(plain)
    if magic != _MAGIC or sr <= 0 or window <= 0:
        raise PeaksError(f"recording {recording_id}: the stored waveform has an unknown format")
    try:
        raw = zlib.decompress(plain[_HEAD.size:])
    except zlib.error as e:
        raise PeaksError(f"recording {recording_id}: the stored waveform does not parse: {e}") from None
    if len(raw) != 2 * channels * n:
        raise PeaksError(f"recording {recording_id}: the stored waveform has {len(raw)} bytes, not {2 * channels * n}")
    data = np.frombuffer(raw, "<u2").reshape(channels, n).astype(np.float32) / _MAX_VALUE
    return Peaks(sr, window, data)
