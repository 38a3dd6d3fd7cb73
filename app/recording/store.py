"""Encrypted, crash-safe recordings on disk plus their rows in ``recordings``.

Each channel is encoded as its own mono Ogg Opus stream in memory (soundfile over a virtual
file); about once per second of audio the new bytes of all tracks are sealed as one chunk of the
container of :mod:`app.recording.container` (format version 2). Version 1 files (one stereo Ogg
Opus stream) are still read, played and recovered. Plaintext audio never reaches the disk.
See docs/recording.md.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import soundfile as sf
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.recording.container import (
    HEADER_LEN,
    VERSION_1,
    VERSION_2,
    ContainerError,
    Opened,
    SealedWriter,
    frame_tracks,
    ogg_complete_prefix,
    read_sealed,
    split_tracks,
)
from app.recording.errors import RecordingCorrupt, RecordingError, RecordingNotFound, RecordingUnavailable
from app.recording.formats import audio_suffix
from app.recording.peaks import PeakAccumulator, Peaks, PeaksError, open_peaks, peaks_of_audio, seal_peaks
from app.recording.sndlib import select_libsndfile
from app.security.keys import KeyError_, KeyManager, WrongMasterKey
from db.base import utcnow
from db.models import Call, Recording
from db.session import write_session

log = logging.getLogger("carecall.recording")

# The system libsndfile on Linux when it passes the checks (41 % cheaper Opus encoding), else the
# wheel's; decided once per process, before any recording is written (app/recording/sndlib.py).
select_libsndfile()

__all__ = [
    "RecordingCorrupt",
    "RecordingError",
    "RecordingNotFound",
    "RecordingStore",
    "RecordingUnavailable",
    "RecordingWriter",
    "WrongMasterKey",
    "audio_suffix",
    "opus_compression_level",
]

STATUS_RECORDING = "recording"
STATUS_COMPLETE = "complete"
STATUS_INTERRUPTED = "interrupted"
STATUS_DELETED = "deleted"
FORMAT = "ogg-opus"  # v1: one stereo stream; v2: one mono stream per channel (see the file header)
# Recovery re-seals salvaged audio in chunks of at most this many bytes per track.
_RESEAL_CHUNK = 1 << 20


def opus_compression_level(bitrate_kbps: float, channels: int) -> float:
    """libsndfile maps compression level l to a target of channels*(6000 + (1-l)*250000) bit/s.

    *bitrate_kbps* is for all *channels* together; libsndfile's floor is 6 kbit/s per channel."""
    per_channel = max(6000.0, min(256000.0, bitrate_kbps * 1000.0 / channels))
    return 1.0 - (per_channel - 6000.0) / 250000.0


# libsndfile closes an Ogg page after this much audio (default 1000 ms). flush() only pushes
# out finished pages, so this bounds how far the file lags behind the last flush: measured
# 1.03 s lag at 1000 ms, <= 0.27 s at 250 ms, for 3 % more bytes.
OGG_PAGE_LATENCY_MS = 250.0
_SFC_SET_OGG_PAGE_LATENCY_MS = 0x1302  # sndfile.h; soundfile does not wrap this command


def _set_page_latency(f: sf.SoundFile, ms: float) -> None:
    from soundfile import _ffi, _snd

    v = _ffi.new("double*", float(ms))
    if _snd.sf_command(f._file, _SFC_SET_OGG_PAGE_LATENCY_MS, v, _ffi.sizeof("double")) != 0:
        log.warning("libsndfile ignored the Ogg page latency; a crash may lose up to 2 s")


class _AppendSink:
    """A write-only virtual file for libsndfile that hands out what was appended since last time."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._pos = 0

    def write(self, data) -> int:
        b = bytes(data)
        self._pending += b
        self._pos += len(b)
        return len(b)

    def seek(self, offset: int, whence: int = 0) -> int:
        target = {0: offset, 1: self._pos + offset, 2: self._pos + offset}[whence]
        if target != self._pos:
            # libsndfile's Ogg writer only appends; anything else would need plaintext on disk.
            raise OSError("recording stream is append-only")
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, n: int = -1) -> bytes:
        return b""

    def take(self) -> bytes:
        b = bytes(self._pending)
        self._pending.clear()
        return b


class RecordingWriter:
    """Accepts (n, channels) float32/int16 frames; seals and fsyncs about every flush_seconds.

    Each channel goes to its own mono Ogg Opus encoder (format version 2), at
    ``bitrate_kbps / channels`` each, so Opus never codes the speakers jointly.
    Use from one thread (the capture writer thread). ``close()`` marks the file complete.
    """

    def __init__(self, store: RecordingStore, recording_id: int, path: Path, dek: bytes,
                 samplerate: int, channels: int) -> None:
        if not 1 <= channels <= 255:
            raise ValueError(f"channels must be 1..255, not {channels}")
        self.store = store
        self.recording_id = recording_id
        self.samplerate = samplerate
        self.channels = channels
        self.frames = 0
        self.flushed_frames = 0
        self._since_flush = 0
        self._flush_every = max(1, int(store.flush_seconds * samplerate))
        self._hash = hashlib.sha256()
        self._dek = dek
        self._peaks = PeakAccumulator(samplerate, channels)  # the player's waveform, kept at close
        self._sealed = SealedWriter(path, dek, recording_id, fsync=store.fsync, version=VERSION_2, tracks=channels)
        self._sinks = [_AppendSink() for _ in range(channels)]
        level = opus_compression_level(store.bitrate_kbps, channels)  # per-channel share of the bitrate
        self._sfs = []
        for sink in self._sinks:
            f = sf.SoundFile(sink, "w", samplerate=samplerate, channels=1, format="OGG", subtype="OPUS",
                             compression_level=level)
            _set_page_latency(f, OGG_PAGE_LATENCY_MS)
            self._sfs.append(f)
        self.closed = False
        self._seal(last=False)  # the Ogg headers, if libsndfile wrote them before the first audio

    def write(self, frames: np.ndarray) -> None:
        if self.closed:
            raise RecordingError("the recording is already closed")
        a = np.asarray(frames)
        if a.ndim == 1 and self.channels == 1:
            a = a[:, None]
        if a.ndim != 2 or a.shape[1] != self.channels:
            raise ValueError(f"expected frames of shape (n, {self.channels}), got {a.shape}")
        if a.dtype not in (np.float32, np.int16):
            a = a.astype(np.float32)
        self.write_channels(*(a[:, c] for c in range(self.channels)))

    def write_channels(self, *tracks: np.ndarray) -> None:
        """The same as ``write(np.stack(tracks, axis=1))`` without interleaving and splitting
        again: one 1-D float32 or int16 array per channel, all of the same length."""
        if self.closed:
            raise RecordingError("the recording is already closed")
        if len(tracks) != self.channels:
            raise ValueError(f"expected {self.channels} channels, got {len(tracks)}")
        n = len(tracks[0])
        tracks_written = []
        for c, (f, x) in enumerate(zip(self._sfs, tracks)):
            if x.ndim != 1 or len(x) != n:
                raise ValueError(f"channel {c}: expected {n} frames in one dimension, got shape {x.shape}")
            if x.dtype not in (np.float32, np.int16):
                x = x.astype(np.float32)
            x = np.ascontiguousarray(x)
            f.write(x)
            tracks_written.append(x)
        self._peaks.add(tracks_written)
        self.frames += n
        self._since_flush += n
        if self._since_flush >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        """Push encoded audio so far to disk as one sealed chunk (the crash-safety point)."""
        for f in self._sfs:
            f.flush()
        self._seal(last=False)
        self.flushed_frames = self.frames
        self._since_flush = 0

    def _seal(self, last: bool) -> None:
        data = frame_tracks([(t, sink.take()) for t, sink in enumerate(self._sinks)])
        if not data and not last:
            return
        self._hash.update(data)
        self._sealed.write_chunk(data, last=last)

    def close(self) -> int:
        """Finish the streams, mark the file complete, update the row; returns the recording id."""
        if self.closed:
            return self.recording_id
        for f in self._sfs:
            f.close()
        self._seal(last=True)
        self.closed = True
        self.flushed_frames = self.frames
        self.store._finish(self.recording_id, STATUS_COMPLETE, self.frames / self.samplerate,
                           self._sealed.size, self._hash.hexdigest(),
                           peaks=seal_peaks(self._peaks.peaks(), self._dek, self.recording_id))
        return self.recording_id

    def discard(self) -> None:
        """Throw this recording away (file and row); used when an import fails half-way."""
        if not self.closed:
            self._sealed.abort()
            self.closed = True
        self._sealed.path.unlink(missing_ok=True)
        with write_session(self.store.sessions) as s:
            rec = s.get(Recording, self.recording_id)
            if rec is not None:
                s.delete(rec)

    def abort(self, reason: str) -> None:
        """Stop without the final chunk (e.g. the device vanished); the row says interrupted."""
        if self.closed:
            return
        try:
            for f in self._sfs:
                f.flush()
            self._seal(last=False)
        finally:
            self._sealed.abort()
            self.closed = True
        self.store.recover_one(self.recording_id, reason=reason)


@dataclass
class RecordingInfo:
    id: int
    call_id: int | None
    status: str
    duration_s: float | None
    size_bytes: int | None
    samplerate: int
    channels: int
    error: str


class RecordingStore:
    def __init__(self, sessions: sessionmaker[Session], storage_dir: str | Path, keys: KeyManager,
                 bitrate_kbps: float = 16.0, flush_seconds: float = 1.0, fsync: bool = True) -> None:
        self.sessions = sessions
        self.storage_dir = Path(storage_dir)
        self.keys = keys
        self.bitrate_kbps = bitrate_kbps
        self.flush_seconds = flush_seconds
        self.fsync = fsync
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, sessions: sessionmaker[Session], audio_settings, keys: KeyManager | None = None
                      ) -> RecordingStore:
        return cls(sessions, audio_settings.resolved_storage_dir(), keys or KeyManager(),
                   bitrate_kbps=audio_settings.bitrate_kbps, flush_seconds=audio_settings.flush_seconds)

    # --- writing ----------------------------------------------------------------------
    def start(self, call_id: int | None, samplerate: int, channels: int = 2) -> RecordingWriter:
        dek, wrapped, key_id = self.keys.new_data_key()
        with write_session(self.sessions) as s:
            rec = Recording(call_id=call_id, path="", wrapped_key=wrapped, key_id=key_id, format=FORMAT,
                            channels=channels, samplerate=samplerate, status=STATUS_RECORDING, error="",
                            sha256="", created_at=utcnow())
            s.add(rec)
            s.flush()
            rel = f"{rec.created_at:%Y/%m}/rec-{rec.id}.ccra"
            rec.path = rel
            rid = rec.id
        log.info("recording %s started for call %s", rid, call_id)
        return RecordingWriter(self, rid, self.storage_dir / rel, dek, samplerate, channels)

    def _finish(self, rid: int, status: str, duration: float, size: int, sha: str, error: str = "",
                peaks: bytes | None = None) -> None:
        with write_session(self.sessions) as s:
            rec = s.get(Recording, rid)
            rec.status = status
            rec.peaks = peaks
            rec.duration_s = round(duration, 3)
            rec.size_bytes = size
            rec.sha256 = sha
            rec.error = error
            rec.finished_at = utcnow()
        log.info("recording %s %s: %.1f s, %d bytes", rid, status, duration, size)

    def import_call_audio(self, call_id: int | None, admin_wav: Path, caller_wav: Path,
                          delete_sources: bool = True) -> int:
        """Combine the softphone's two mono files (sent = administrator, received = caller)."""
        tracks = []
        for role, p in (("administrator", admin_wav), ("caller", caller_wav)):
            try:
                data, sr = sf.read(str(p), dtype="float32", always_2d=True)
            except Exception as e:  # noqa: BLE001 - libsndfile raises several types
                raise RecordingError(f"cannot read the {role} audio {p}: {e}") from None
            tracks.append((data.mean(axis=1) if data.shape[1] > 1 else data[:, 0], sr))
        sr = tracks[0][1]
        chans = [t if r == sr else _resample(t, r, sr) for t, r in tracks]
        n = max(len(c) for c in chans)
        stereo = np.zeros((n, 2), dtype=np.float32)
        for i, c in enumerate(chans):
            stereo[: len(c), i] = c
        w = self.start(call_id, sr, 2)
        try:
            for i in range(0, n, sr):
                w.write(stereo[i:i + sr])
            rid = w.close()
        except BaseException:
            # The sources are kept for a retry: drop the half-made recording instead of
            # leaving an "interrupted" one next to the retried import.
            w.discard()
            raise
        if delete_sources:
            for p in (admin_wav, caller_wav):
                Path(p).unlink(missing_ok=True)
        return rid

    # --- reading ----------------------------------------------------------------------
    def info(self, recording_id: int) -> RecordingInfo:
        with self.sessions() as s:
            r = s.get(Recording, recording_id)
            if r is None:
                raise RecordingNotFound(f"recording {recording_id} does not exist")
            return RecordingInfo(r.id, r.call_id, r.status, r.duration_s, r.size_bytes, r.samplerate,
                                 r.channels, r.error)

    def _row(self, s: Session, recording_id: int) -> Recording:
        r = s.get(Recording, recording_id)
        if r is None:
            raise RecordingNotFound(f"recording {recording_id} does not exist")
        if r.status == STATUS_DELETED:
            raise RecordingUnavailable(f"recording {recording_id} was deleted")
        return r

    def _open(self, rec: Recording, strict: bool):
        dek = self.keys.unwrap(rec.wrapped_key, rec.key_id)
        path = self.storage_dir / rec.path
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise RecordingUnavailable(f"the audio file of recording {rec.id} is missing ({path})") from None
        try:
            opened = read_sealed(raw, dek, rec.id)
        except ContainerError as e:
            raise RecordingCorrupt(f"recording {rec.id}: {e}") from None
        if strict and not opened.complete:
            raise RecordingCorrupt(f"recording {rec.id} is damaged or was altered: {opened.problem}")
        return opened

    def _payload(self, recording_id: int) -> Opened:
        """The complete, checksum-verified plaintext payload of a finished recording."""
        with self.sessions() as s:
            rec = self._row(s, recording_id)
            if rec.status == STATUS_RECORDING:
                raise RecordingUnavailable(f"recording {recording_id} is still being recorded")
            opened = self._open(rec, strict=True)
            sha = rec.sha256
        if sha and hashlib.sha256(opened.data).hexdigest() != sha:
            raise RecordingCorrupt(f"recording {recording_id} does not match its checksum")
        return opened

    def open_decrypted(self, recording_id: int) -> bytes:
        """One playable file with every channel, decrypted in memory (for QMediaPlayer via a
        QBuffer, and for export): version 1 recordings give their stereo Ogg Opus as stored,
        version 2 ones a FLAC (16-bit) built from the decoded tracks. :func:`audio_suffix`
        names the format."""
        opened = self._payload(recording_id)
        if opened.version == VERSION_1:
            return opened.data
        audio, sr = self._decode(recording_id, opened)
        buf = io.BytesIO()
        sf.write(buf, audio.T, sr, format="FLAC", subtype="PCM_16")
        return buf.getvalue()

    def load_audio(self, recording_id: int) -> tuple[np.ndarray, int]:
        """Decoded audio, float32 of shape (channels, n): row 0 administrator, row 1 caller."""
        return self._decode(recording_id, self._payload(recording_id))

    @staticmethod
    def _decode(recording_id: int, opened: Opened) -> tuple[np.ndarray, int]:
        try:
            if opened.version == VERSION_1:
                audio, sr = sf.read(io.BytesIO(opened.data), dtype="float32", always_2d=True)
                return np.ascontiguousarray(audio.T), sr
            tracks, rates = [], set()
            for stream in split_tracks(opened.data, opened.tracks):
                if not stream:  # only a salvaged file can lack a track: it is silent
                    tracks.append(np.zeros(0, np.float32))
                    continue
                x, r = sf.read(io.BytesIO(stream), dtype="float32", always_2d=True)
                tracks.append(x[:, 0])
                rates.add(r)
        except Exception as e:  # noqa: BLE001 - libsndfile raises several types
            raise RecordingCorrupt(f"recording {recording_id} does not decode: {e}") from None
        if len(rates) != 1:
            raise RecordingCorrupt(f"recording {recording_id} has no audio or tracks at different sample rates")
        # A salvaged recording can end a page earlier on one track: pad with silence.
        out = np.zeros((len(tracks), max(len(x) for x in tracks)), dtype=np.float32)
        for c, x in enumerate(tracks):
            out[c, : len(x)] = x
        return out, rates.pop()

    def peaks(self, recording_id: int) -> Peaks:
        """The recording's peak envelope (for the player's waveform): the one kept when it was
        sealed, decrypted; for a recording without one (made before envelopes were kept, or
        salvaged after a crash) made from its decoded audio now and kept for next time. Raises
        as :meth:`load_audio` does when there is no audio to make it from."""
        with self.sessions() as s:
            rec = self._row(s, recording_id)
            if rec.status == STATUS_RECORDING:
                raise RecordingUnavailable(f"recording {recording_id} is still being recorded")
            blob, wrapped, key_id = rec.peaks, rec.wrapped_key, rec.key_id
        dek = self.keys.unwrap(wrapped, key_id)
        if blob:
            try:
                return open_peaks(blob, dek, recording_id)
            except PeaksError as e:  # made again from the audio below, which is checked itself
                log.warning("%s; making it again from the audio", e)
        made = peaks_of_audio(*self.load_audio(recording_id))
        self._keep_peaks(recording_id, made, dek, replace=True)
        return made

    def keep_peaks_of(self, recording_id: int, audio: np.ndarray, samplerate: int) -> bool:
        """Keep the envelope of *audio* (this recording's, decoded for another reason: the
        transcription worker's) when the recording has none yet, so showing it later decodes
        nothing. True when one was kept."""
        with self.sessions() as s:
            rec = self._row(s, recording_id)
            if rec.peaks or rec.status == STATUS_RECORDING:
                return False
            dek = self.keys.unwrap(rec.wrapped_key, rec.key_id)
        return self._keep_peaks(recording_id, peaks_of_audio(audio, samplerate), dek, replace=False)

    def _keep_peaks(self, recording_id: int, p: Peaks, dek: bytes, replace: bool) -> bool:
        with write_session(self.sessions) as s:
            rec = s.get(Recording, recording_id)
            if rec is None or rec.status in (STATUS_DELETED, STATUS_RECORDING) or (rec.peaks and not replace):
                return False
            rec.peaks = seal_peaks(p, dek, recording_id)
        return True

    # --- crash recovery ---------------------------------------------------------------
    def recover_interrupted(self, stale_after_s: float = 30.0) -> list[int]:
        """Salvage recordings left in status "recording" by a crash; returns their ids.

        A file written in the last *stale_after_s* seconds may belong to a live recording on
        another workstation sharing the database and storage, so it is left alone.
        """
        with self.sessions() as s:
            rows = s.execute(select(Recording.id, Recording.path).where(Recording.status == STATUS_RECORDING)
                             .order_by(Recording.id)).all()
        done = []
        now = datetime.now().timestamp()
        for rid, rel in rows:
            p = self.storage_dir / rel if rel else None
            if p is not None and p.exists() and now - p.stat().st_mtime < stale_after_s:
                continue
            try:
                self.recover_one(rid)
            except (RecordingError, KeyError_) as e:
                log.error("recording %s could not be recovered: %s", rid, e)
                self._mark(rid, STATUS_INTERRUPTED, error=str(e))
            done.append(rid)
        return done

    def recover_one(self, rid: int, reason: str = "the program stopped during the call") -> None:
        with self.sessions() as s:
            rec = self._row(s, rid)
            path = self.storage_dir / rec.path
            try:
                if path.exists() and path.stat().st_size < HEADER_LEN:
                    opened = None  # killed before even the header reached the disk
                else:
                    opened = self._open(rec, strict=False)
            except RecordingUnavailable:
                opened = None
        version = opened.version if opened else VERSION_2
        streams = self._salvage(opened) if opened else []
        duration = max((_ogg_seconds(x) for x in streams), default=0.0)
        sha = ""
        if any(streams):
            # Re-seal the salvaged streams as a complete file under a fresh nonce prefix (the data
            # key is the same, so reusing the old nonces for different chunks is not allowed).
            dek = self.keys.unwrap(rec.wrapped_key, rec.key_id)
            tmp = path.with_suffix(".salvage")
            tmp.unlink(missing_ok=True)
            if version == VERSION_1:
                w = SealedWriter(tmp, dek, rid, fsync=self.fsync, version=VERSION_1)
                pieces = [streams[0][i:i + _RESEAL_CHUNK] for i in range(0, len(streams[0]), _RESEAL_CHUNK)]
            else:
                w = SealedWriter(tmp, dek, rid, fsync=self.fsync, version=VERSION_2, tracks=len(streams))
                longest = max(len(x) for x in streams)
                pieces = [frame_tracks([(t, x[i:i + _RESEAL_CHUNK]) for t, x in enumerate(streams)])
                          for i in range(0, longest, _RESEAL_CHUNK)]
            h = hashlib.sha256()
            for k, piece in enumerate(pieces):
                h.update(piece)
                w.write_chunk(piece, last=k == len(pieces) - 1)
            sha = h.hexdigest()
            os.replace(tmp, path)
            size = path.stat().st_size
        else:
            size = 0
            path.unlink(missing_ok=True)
        why = reason if sha else reason + "; no audio survived"
        self._finish(rid, STATUS_INTERRUPTED, duration, size, sha, why)
        with write_session(self.sessions) as s:
            rec = s.get(Recording, rid)
            if not sha:
                rec.status = STATUS_INTERRUPTED
            if rec.call_id is not None:
                call = s.get(Call, rec.call_id)
                if call is not None:
                    call.interrupted = True
        log.warning("recording %s interrupted: %.1f s salvaged", rid, duration)

    @staticmethod
    def _salvage(opened: Opened) -> list[bytes]:
        """Whole Ogg pages of each stream that survived (v1: one stream; v2: one per track)."""
        if opened.version == VERSION_1:
            return [ogg_complete_prefix(opened.data)]
        try:
            streams = split_tracks(opened.data, opened.tracks)
        except ContainerError as e:  # authenticated chunks always parse; a bug otherwise
            raise RecordingCorrupt(f"the salvaged audio does not parse: {e}") from None
        return [ogg_complete_prefix(x) for x in streams]

    def _mark(self, rid: int, status: str, error: str = "") -> None:
        with write_session(self.sessions) as s:
            rec = s.get(Recording, rid)
            rec.status = status
            rec.error = error
            rec.finished_at = utcnow()
            if rec.call_id is not None and status == STATUS_INTERRUPTED:
                call = s.get(Call, rec.call_id)
                if call is not None:
                    call.interrupted = True

    # --- deletion ---------------------------------------------------------------------
    def delete(self, recording_id: int) -> None:
        """Remove the file and destroy the data key (crypto-shredding covers backups too)."""
        with write_session(self.sessions) as s:
            rec = s.get(Recording, recording_id)
            if rec is None:
                raise RecordingNotFound(f"recording {recording_id} does not exist")
            (self.storage_dir / rec.path).unlink(missing_ok=True) if rec.path else None
            rec.wrapped_key = b""
            rec.peaks = None
            rec.status = STATUS_DELETED
            rec.finished_at = rec.finished_at or utcnow()
        log.info("recording %s deleted", recording_id)


def _ogg_seconds(stream: bytes) -> float:
    """Duration of an Ogg Opus stream (0 for headers only or nothing decodable)."""
    if not stream:
        return 0.0
    try:
        with sf.SoundFile(io.BytesIO(stream)) as f:
            duration = f.frames / f.samplerate
            # libsndfile reports frames from the last granule position; count to be sure.
            if duration == 0:
                duration = len(f.read(dtype="float32")) / f.samplerate
            return duration
    except Exception:  # noqa: BLE001 - headers only, or nothing decodable
        return 0.0


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    n = int(round(len(x) * dst / src))
    return np.interp(np.arange(n) * (src / dst), np.arange(len(x)), x).astype(np.float32)
