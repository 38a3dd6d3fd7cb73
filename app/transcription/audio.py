"""Audio for transcription: plain files read with soundfile, checked before any work is done,
and resampling to the 16 kHz mono float32 the models take."""

from __future__ import annotations

from pathlib import Path

import numpy as np

ACCEPTED_FORMATS = {"WAV": "WAV", "WAVEX": "WAV", "FLAC": "FLAC", "OGG": "Ogg (Vorbis/Opus)"}
MODEL_RATE = 16000


class AudioError(Exception):
    """An input that will never transcribe (broken, empty, unsupported, too big): not retried."""


def load_audio_file(path: str | Path, max_seconds: float = 4 * 3600,
                    max_bytes: int = 1024 * 1024 * 1024) -> tuple[np.ndarray, int]:
    """(float32 array of shape (channels, n), samplerate) from a WAV/FLAC/Ogg file."""
    import soundfile as sf

    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise AudioError(f"{p}: no such file") from None
    except OSError as e:
        raise AudioError(f"{p}: cannot read the file ({e.strerror})") from None
    if p.is_dir():
        raise AudioError(f"{p}: is a directory, not an audio file")
    if size == 0:
        raise AudioError(f"{p}: the file is empty (0 bytes)")
    if size > max_bytes:
        raise AudioError(f"{p}: the file is too large ({size / 2**20:.0f} MB; the limit is "
                         f"{max_bytes / 2**20:.0f} MB, asr.max_file_mb)")
    try:
        info = sf.info(str(p))
    except Exception as e:  # noqa: BLE001 - libsndfile's message goes to the person
        raise AudioError(f"{p}: not a readable audio file ({_first_line(e)})") from None
    if info.format not in ACCEPTED_FORMATS:
        raise AudioError(f"{p}: unsupported audio format {info.format} ({info.format_info}); "
                         "use WAV, FLAC or Ogg")
    if info.frames <= 0 or info.samplerate <= 0:
        raise AudioError(f"{p}: the file holds no audio samples")
    duration = info.frames / info.samplerate
    if duration > max_seconds:
        raise AudioError(f"{p}: the recording is too long ({duration / 60:.0f} min; the limit is "
                         f"{max_seconds / 60:.0f} min, asr.max_audio_seconds)")
    if info.channels > 8:
        raise AudioError(f"{p}: {info.channels} channels; a call has one or two")
    try:
        data, sr = sf.read(str(p), dtype="float32", always_2d=True)
    except Exception as e:  # noqa: BLE001
        raise AudioError(f"{p}: the audio data is damaged ({_first_line(e)})") from None
    if data.shape[0] == 0:
        raise AudioError(f"{p}: the file holds no audio samples")
    return np.ascontiguousarray(data.T), int(sr)


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def to_model_rate(x: np.ndarray, sr: int) -> np.ndarray:
    """1-D float32 audio at *sr* -> 1-D float32 at 16 kHz (libswresample through PyAV)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    if sr == MODEL_RATE:
        return x
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=MODEL_RATE)
    out = []
    step = sr * 30
    for i in range(0, len(x), step):
        frame = av.AudioFrame.from_ndarray(x[i:i + step].reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = sr
        out += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)
