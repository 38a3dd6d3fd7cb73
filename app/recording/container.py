"""The on-disk format of a recording: a sequence of independently sealed AES-GCM chunks.

```
header  : b"CCRA" | version u8 | tracks u8 (v1: 0) | 2 zero bytes | recording id u64 BE | nonce prefix (8 bytes)
chunk i : ciphertext length u32 BE | flags u8 (bit 0 = last) | ciphertext + 16-byte tag
nonce_i = nonce prefix | i (u32 BE)        AAD_i = header | i (u32 BE) | flags
```
The payload is the concatenated plaintext of the chunks:

* version 1: one (stereo) Ogg Opus stream; each chunk holds its next piece.
* version 2: one mono Ogg Opus stream per channel ("track": 0 administrator, 1 caller).
  Each chunk holds records ``track u8 | length u32 BE | bytes`` with the new bytes of each
  track (:func:`frame_tracks` / :func:`split_tracks`); a chunk always ends on a record
  boundary, so any run of whole chunks parses.

The writer seals, writes and fsyncs a chunk about every second. After a crash the reader opens chunks in order until the first
incomplete or failing one, so everything up to the last flush survives. Flags are in the
AAD, so a "last" mark cannot be forged or removed, and the header (recording id) is in every
AAD, so chunks cannot be moved between recordings or reordered.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.fsutil import fsync_dir

MAGIC = b"CCRA"
VERSION_1 = 1  # one stereo Ogg Opus stream (read, recovered; no longer written)
VERSION_2 = 2  # one mono Ogg Opus stream per channel, framed per track
VERSION = VERSION_2  # what new recordings are written as
VERSIONS = (VERSION_1, VERSION_2)
HEADER_LEN = 24
_CHUNK_HEAD = struct.Struct(">IB")
_TRACK_HEAD = struct.Struct(">BI")
FLAG_LAST = 0x01
MAX_CHUNK = 64 * 1024 * 1024


class ContainerError(Exception):
    """The file is not a CareCall recording, was altered, or does not open with this key."""


def make_header(recording_id: int, nonce_prefix: bytes, version: int = VERSION, tracks: int = 0) -> bytes:
    assert len(nonce_prefix) == 8 and version in VERSIONS
    assert (tracks == 0) if version == VERSION_1 else (1 <= tracks <= 255)
    return MAGIC + bytes([version, tracks, 0, 0]) + struct.pack(">Q", recording_id) + nonce_prefix


def frame_tracks(parts: dict[int, bytes] | list[tuple[int, bytes]]) -> bytes:
    """Version 2 chunk plaintext: ``track u8 | length u32 BE | bytes`` per non-empty part."""
    items = parts.items() if isinstance(parts, dict) else parts
    return b"".join(_TRACK_HEAD.pack(t, len(b)) + bytes(b) for t, b in items if b)


def split_tracks(payload: bytes, tracks: int) -> list[bytes]:
    """The per-track byte streams of a version 2 payload (inverse of :func:`frame_tracks`)."""
    out = [bytearray() for _ in range(tracks)]
    pos = 0
    while pos < len(payload):
        if pos + _TRACK_HEAD.size > len(payload):
            raise ContainerError("the track framing is cut short")
        t, n = _TRACK_HEAD.unpack_from(payload, pos)
        pos += _TRACK_HEAD.size
        if t >= tracks or pos + n > len(payload):
            raise ContainerError(f"bad track record at byte {pos - _TRACK_HEAD.size}")
        out[t] += payload[pos:pos + n]
        pos += n
    return [bytes(b) for b in out]


def _aad(header: bytes, index: int, flags: int) -> bytes:
    return header + struct.pack(">IB", index, flags)


class SealedWriter:
    """Appends sealed chunks to *path*; each :meth:`write_chunk` ends on disk (fsync)."""

    def __init__(self, path: Path, key: bytes, recording_id: int, nonce_prefix: bytes | None = None,
                 fsync: bool = True, version: int = VERSION, tracks: int = 0) -> None:
        self.path = Path(path)
        self._aes = AESGCM(key)
        self.header = make_header(recording_id, nonce_prefix or os.urandom(8), version, tracks)
        self._fsync = fsync
        self.index = 0
        self.closed = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(self.path, "xb")
        self._f.write(self.header)
        self._sync()
        fsync_dir(self.path.parent) if fsync else None

    def write_chunk(self, data: bytes, last: bool = False) -> None:
        if self.closed:
            raise ContainerError("recording file already closed")
        flags = FLAG_LAST if last else 0
        nonce = self.header[16:24] + struct.pack(">I", self.index)
        ct = self._aes.encrypt(nonce, bytes(data), _aad(self.header, self.index, flags))
        self._f.write(_CHUNK_HEAD.pack(len(ct), flags) + ct)
        self._sync()
        self.index += 1
        if last:
            self._f.close()
            self.closed = True

    def _sync(self) -> None:
        self._f.flush()
        if self._fsync:
            os.fsync(self._f.fileno())

    def abort(self) -> None:
        if not self.closed:
            self._f.close()
            self.closed = True

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass
class Opened:
    data: bytes  # the concatenated plaintext
    complete: bool  # a valid chunk flagged "last" was reached
    chunks: int
    problem: str = ""  # why reading stopped early (empty when complete)
    version: int = VERSION_1
    tracks: int = 0  # version 2: tracks (channels) in the payload


def read_sealed(raw: bytes, key: bytes, recording_id: int) -> Opened:
    """Decrypt chunks in order until the last one, or the first incomplete/failing one."""
    if len(raw) < HEADER_LEN or raw[:4] != MAGIC:
        raise ContainerError("not a CareCall recording file")
    version, tracks = raw[4], raw[5]
    if version not in VERSIONS:
        raise ContainerError(f"unsupported recording file version {version}")
    if (version == VERSION_1) != (tracks == 0) or raw[6:8] != b"\0\0":
        raise ContainerError("the recording file header is damaged")
    header = raw[:HEADER_LEN]
    (rid,) = struct.unpack(">Q", header[8:16])
    if rid != recording_id:
        raise ContainerError(f"the file belongs to recording {rid}, not {recording_id}")
    aes = AESGCM(key)
    out: list[bytes] = []

    def done(complete: bool, problem: str = "") -> Opened:
        return Opened(b"".join(out), complete, index, problem, version, tracks)

    pos, index = HEADER_LEN, 0
    while True:
        if pos == len(raw):
            return done(False, "the file ends without its final chunk")
        if pos + _CHUNK_HEAD.size > len(raw):
            return done(False, f"chunk {index} is incomplete")
        n, flags = _CHUNK_HEAD.unpack_from(raw, pos)
        start = pos + _CHUNK_HEAD.size
        if n > MAX_CHUNK or start + n > len(raw):
            return done(False, f"chunk {index} is incomplete")
        nonce = header[16:24] + struct.pack(">I", index)
        try:
            out.append(aes.decrypt(nonce, raw[start:start + n], _aad(header, index, flags)))
        except InvalidTag:
            return done(False, f"chunk {index} fails authentication")
        pos, index = start + n, index + 1
        if flags & FLAG_LAST:
            if pos != len(raw):
                return done(False, "data after the final chunk")
            return done(True)


def ogg_complete_prefix(data: bytes) -> bytes:
    """The longest prefix of *data* made of whole Ogg pages (a crash can cut one in half)."""
    pos = 0
    while pos + 27 <= len(data) and data[pos:pos + 4] == b"OggS":
        nseg = data[pos + 26]
        if pos + 27 + nseg > len(data):
            break
        body = sum(data[pos + 27:pos + 27 + nseg])
        end = pos + 27 + nseg + body
        if end > len(data):
            break
        pos = end
    return data[:pos]
