"""The transcription worker's audio loader: decrypts a recording in memory.

``make_audio_loader(sessions, settings)`` returns ``load(recording_id) -> (float32 (channels, n),
samplerate)``; channel 0 is the administrator, channel 1 the caller. A recording that can never
be read (missing, deleted, damaged) raises the transcription queue's ``AudioError`` (not
retried); key problems (no keyring, another clinic key) propagate as they are, since they are
fixed on the workstation and the job should then be retried.
"""

from __future__ import annotations

from app.recording.store import RecordingError, RecordingStore
from app.security.keys import default_key_manager


def make_audio_loader(sessions, settings, keys=None):
    store = RecordingStore.from_settings(sessions, settings.audio, keys or default_key_manager(create=False))
    try:
        from app.transcription.audio import AudioError
    except ImportError:  # transcription not installed: our own error type
        AudioError = RecordingError  # noqa: N806

    def load(recording_id: int):
        try:
            return store.load_audio(recording_id)
        except RecordingError as e:
            raise AudioError(str(e)) from e

    return load
