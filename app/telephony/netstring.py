"""Strict, incremental netstrings (``<length>:<payload>,``) as baresip's ctrl_tcp speaks them.

``NetstringParser.feed(bytes)`` returns the complete payloads found so far. Garbage (a length
that is not digits, a leading zero, a length over ``max_length``, a missing trailing comma)
is logged and counted in ``errors``; the parser then resynchronises at the next byte that can
start a netstring, so one broken message never stalls the stream. With ``on_garbage="close"``
it raises :class:`NetstringError` instead, for callers that prefer to reconnect.
"""

from __future__ import annotations

import logging
from typing import Literal

log = logging.getLogger("carecall.telephony.netstring")

MAX_LENGTH = 1 << 20  # 1 MiB: ctrl_tcp events are a few hundred bytes
_MAX_DIGITS = 8


class NetstringError(ValueError):
    pass


def encode(payload: bytes | str) -> bytes:
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return str(len(payload)).encode("ascii") + b":" + payload + b","


class NetstringParser:
    def __init__(self, max_length: int = MAX_LENGTH, on_garbage: Literal["resync", "close"] = "resync"):
        self.max_length = max_length
        self.on_garbage = on_garbage
        self._buf = bytearray()
        self.errors = 0

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a message."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        out: list[bytes] = []
        buf = self._buf
        while buf:
            colon = buf.find(b":", 0, _MAX_DIGITS + 1)
            if colon < 0:
                if len(buf) > _MAX_DIGITS or not buf.isdigit():
                    self._garbage("no length prefix", 1)
                    continue
                break  # a length still arriving
            head = bytes(buf[:colon])
            if not head or not head.isdigit():
                self._garbage(f"bad length prefix {head[:16]!r}", 1)
                continue
            if len(head) > 1 and head[0:1] == b"0":
                self._garbage(f"length with a leading zero {head!r}", 1)
                continue
            n = int(head)
            if n > self.max_length:
                self._garbage(f"length {n} over the limit {self.max_length}", colon + 1)
                continue
            end = colon + 1 + n
            if len(buf) < end + 1:
                break  # incomplete payload
            if buf[end] != 0x2C:  # ','
                self._garbage(f"missing ',' after a {n}-byte payload", 1)
                continue
            out.append(bytes(buf[colon + 1:end]))
            del buf[:end + 1]
        return out

    def _garbage(self, why: str, skip: int) -> None:
        self.errors += 1
        sample = bytes(self._buf[:40])
        log.warning("garbled netstring (%s) near %r", why, sample)
        if self.on_garbage == "close":
            self._buf.clear()
            raise NetstringError(why)
        del self._buf[:skip]
        # resync: drop everything up to the next digit (a possible length prefix)
        i = 0
        while i < len(self._buf) and not (0x30 <= self._buf[i] <= 0x39):
            i += 1
        del self._buf[:i]
