"""The on-disk format of a recording: a sequence of independently sealed AES-GCM chunks.

```
header  : b"CCRA" | version u8 (1) | 3 zero bytes | recording id u64 BE | nonce prefix (8 bytes)
chunk i : ciphertext length u32 BE | flags u8 (bit 0 = last) | ciphertext + 16-byte tag
nonce_i = nonce prefix | i (u32 BE)        AAD_i = header | i (u32 BE) | flags
```
Each chunk holds the next piece of the Ogg Opus stream; the writer seals, writes and fsyncs
a chunk about every second. After a crash the reader opens chunks in order until the first
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
VERSION = 1
HEADER_LEN = 24
_CHUNK_HEAD = struct.Struct(">IB")
FLAG_LAST = 0x01
MAX_CHUNK = 64 * 1024 * 1024


class ContainerError(Exception):
    """The file is not a CareCall recording, was altered, or does not open with this key."""


def make_header(recording_id: int, nonce_prefix: bytes) -> bytes:
    assert len(nonce_prefix) == 8
    return MAGIC + bytes([VERSION, 0, 0, 0]) + struct.pack(">Q", recording_id) + nonce_prefix


def _aad(header: bytes, index: int, flags: int) -> bytes:
    return header + struct.pack(">IB", index, flags)


class SealedWriter:
    """Appends sealed chunks to *path*; each :meth:`write_chunk` ends on disk (fsync)."""

    def __init__(self, path: Path, key: bytes, recording_id: int, nonce_prefix: bytes | None = None,
                 fsync: bool = True) -> None:
        self.path = Path(path)
        self._aes = AESGCM(key)
        self.header = make_header(recording_id, nonce_prefix or os.urandom(8))
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


def read_sealed(raw: bytes, key: bytes, recording_id: int) -> Opened:
    """Decrypt chunks in order until the last one, or the first incomplete/failing one."""
    if len(raw) < HEADER_LEN or raw[:4] != MAGIC:
        raise ContainerError("not a CareCall recording file")
    if raw[4] != VERSION:
        raise ContainerError(f"unsupported recording file version {raw[4]}")
    header = raw[:HEADER_LEN]
    (rid,) = struct.unpack(">Q", header[8:16])
    if rid != recording_id:
        raise ContainerError(f"the file belongs to recording {rid}, not {recording_id}")
    aes = AESGCM(key)
    out: list[bytes] = []
    pos, index = HEADER_LEN, 0
    while True:
        if pos == len(raw):
            return Opened(b"".join(out), False, index, "the file ends without its final chunk")
        if pos + _CHUNK_HEAD.size > len(raw):
            return Opened(b"".join(out), False, index, f"chunk {index} is incomplete")
        n, flags = _CHUNK_HEAD.unpack_from(raw, pos)
        start = pos + _CHUNK_HEAD.size
        if n > MAX_CHUNK or start + n > len(raw):
            return Opened(b"".join(out), False, index, f"chunk {index} is incomplete")
        nonce = header[16:24] + struct.pack(">I", index)
        try:
            out.append(aes.decrypt(nonce, raw[start:start + n], _aad(header, index, flags)))
        except InvalidTag:
            return Opened(b"".join(out), False, index, f"chunk {index} fails authentication")
        pos, index = start + n, index + 1
        if flags & FLAG_LAST:
            if pos != len(raw):
                return Opened(b"".join(out), False, index, "data after the final chunk")
            return Opened(b"".join(out), True, index)


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
