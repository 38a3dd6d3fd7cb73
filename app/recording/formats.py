"""What kind of audio file a byte string is (no heavy imports: used by review and the UI).

:meth:`app.recording.store.RecordingStore.open_decrypted` returns a stereo Ogg Opus file for
format-1 recordings and a FLAC for format-2 ones; exports and players name it by its content.
"""

from __future__ import annotations


def audio_suffix(data: bytes) -> str:
    """".flac", ".ogg" or ".wav" by the file's magic bytes; ".bin" when unknown."""
    if data[:4] == b"fLaC":
        return ".flac"
    if data[:4] == b"OggS":
        return ".ogg"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return ".wav"
    return ".bin"
