"""The transcription worker's audio loader: decrypts a recording in memory.

``make_audio_loader(sessions, settings)`` returns ``load(recording_id) -> (float32 (channels, n),
samplerate)``; channel 0 is the administrator, channel 1 the caller. A recording that can never
be read (missing, deleted, damaged) raises the transcription queue's ``AudioError`` (not
retried); key problems (no keyring, another clinic key) propagate as they are, since they are
fixed on the workstation and the job should then be retried.
"""

from __future__ import annotations

import logging

from app.recording.store import RecordingError, RecordingStore
from app.security.keys import default_key_manager

log = logging.getLogger("carecall.recording")


def make_audio_loader(sessions, settings, keys=None):
    store = RecordingStore.from_settings(sessions, settings.audio, keys or default_key_manager(create=False))
    try:
        from app.transcription.audio import AudioError
    except ImportError:  # transcription not installed: our own error type
        AudioError = RecordingError  # noqa: N806

    def load(recording_id: int):
        try:
            audio, sr = store.load_audio(recording_id)
        except RecordingError as e:
            raise AudioError(str(e)) from e
        try:  # decoded anyway: a recording without its envelope (salvaged, older) gets it here
            store.keep_peaks_of(recording_id, audio, sr)
        except Exception as e:  # noqa: BLE001 - the transcript matters more than the waveform
            log.warning("recording %s: its waveform was not kept: %s", recording_id, e)
        return audio, sr

    return load
