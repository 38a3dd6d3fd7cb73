"""Capture devices without a sound card: ALSA ``file``-plugin PCMs whose input is a FIFO.

Shared by tests/app/recording/capture_child.py and scripts/bench_capture.py, which run the real
capture path (PortAudio via sounddevice, :class:`app.recording.capture.Recorder`) here.

PortAudio reads the ALSA configuration once, at initialisation, so :func:`make_devices` must
run (in a process whose ``HOME`` is private) before sounddevice is imported. Each device is
``type file`` over ``slave.pcm "null"`` with ``infile`` = a FIFO: the null slave has no clock,
so a plain file would be swallowed at CPU speed; a FIFO fed at real-time pace
(:class:`PacedFeeder`) gives the capture its clock. The file plugin copies raw bytes in the
stream's sample format, so capture uses ``int16`` and the sources are s16 mono raw data.

The file plugin reads each period from ``infile`` with one ``read()`` and, when that read comes
back short, hands out the null slave's frames for the rest of the period: fed 256 frames at a
time, a 1024-frame or 0.5 s stream (PortAudio then asks for 2048-frame periods) captured 4-8
times the frames fed. A sound card only completes whole periods, so the capturing process loads
:func:`full_read_preload` (``LD_PRELOAD``): for a FIFO named ``*.fifo`` a short read waits for
the rest of the period, as the hardware's DMA would; every other read is untouched.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
import termios
import threading
import time
from pathlib import Path

_PCM = """
pcm.{name} {{
  type file
  slave.pcm "null"
  file "/dev/null"
  infile "{fifo}"
  format "raw"
}}
"""


_FULL_READ_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ssize_t (*real_read)(int, void *, size_t);

static int device_fifo(int fd) {
    struct stat st;
    char link[64], path[4096];
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 5) return 0;
    path[n] = 0;
    return strcmp(path + n - 5, ".fifo") == 0;
}

ssize_t read(int fd, void *buf, size_t count) {
    if (!real_read) real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    ssize_t got = real_read(fd, buf, count);
    if (got <= 0 || (size_t)got == count || !device_fifo(fd)) return got;
    while ((size_t)got < count) {  /* the rest of the period: block as a DMA transfer would */
        ssize_t r = real_read(fd, (char *)buf + got, count - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += r;
    }
    return got;
}
"""


def full_read_preload() -> Path:
    """A shared object for ``LD_PRELOAD`` that makes reads of ``*.fifo`` FIFOs whole (see the
    module's docstring); built with the C compiler once and cached in the temp directory."""
    digest = hashlib.sha256(_FULL_READ_C.encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / f"carecall-alsa-full-read-{digest}.so"
    if out.exists():
        return out
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("a C compiler (gcc) is needed for the FIFO capture devices")
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "full_read.c"
        src.write_text(_FULL_READ_C)
        tmp = Path(d) / "full_read.so"
        subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", str(tmp), str(src), "-ldl"], check=True,
                       capture_output=True)
        shutil.copy(tmp, str(out) + f".{os.getpid()}")
        os.replace(str(out) + f".{os.getpid()}", out)
    return out


def make_devices(home: Path, names: list[str]) -> dict[str, Path]:
    """Write ``home/.asoundrc`` with one capture PCM per name, each reading ``home/<name>.fifo``.

    Returns name -> FIFO path. ``home`` must be the ``HOME`` of the process that opens the PCMs.
    """
    fifos = {n: home / f"{n}.fifo" for n in names}
    for f in fifos.values():
        if not f.exists():
            os.mkfifo(f)
    (home / ".asoundrc").write_text("".join(_PCM.format(name=n, fifo=f) for n, f in fifos.items()))
    return fifos


def open_fifo(path: Path, nonblocking: bool = False) -> int:
    """Open the feeding end. ``O_RDWR``: never blocks on open, and no EPIPE when PortAudio's
    device probe opens and closes its end. ``nonblocking``: a full pipe raises instead of waiting
    (the feeder then counts the block as lost, as a device's full ring buffer would)."""
    return os.open(path, os.O_RDWR | (os.O_NONBLOCK if nonblocking else 0))


def pending_bytes(fd: int) -> int:
    """Bytes written into the FIFO and not yet read by the capture side."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


class PacedFeeder:
    """Writes s16 mono sources into FIFOs at real-time pace, one block per input per tick.

    ``sources[i]`` goes to ``fds[i]``; all inputs advance together from one clock, as two
    devices of one machine would. ``loop``: repeat each source (otherwise stop at the end of the
    shortest). ``total_frames``: stop after this many frames (``None``: until :meth:`stop`).
    ``lead_s``: run this far ahead of real time. ``buffer_frames``: model a device ring buffer of
    that size: a block that would not fit (the capture side is behind) is dropped and counted in
    ``overrun_frames`` instead of being written; with a non-blocking fd a full pipe counts the
    same way. Counters (per input, frames): ``fed_frames`` written, ``overrun_frames`` lost;
    ``overruns`` lists each loss as (seconds since start, input, frames, how late the feeder
    itself was with that block, in seconds).
    """

    def __init__(self, fds: list[int], sources: list[bytes], rate: int = 8000, block_frames: int = 256,
                 loop: bool = False, total_frames: int | None = None, lead_s: float = 0.0,
                 buffer_frames: int | None = None) -> None:
        self.fds = fds
        self.rate = rate
        self.block = block_frames
        self.loop = loop
        self.lead = int(lead_s * rate)
        self.buffer_bytes = None if buffer_frames is None else 2 * buffer_frames
        bb = 2 * block_frames
        # Looping: append the start of the source so a block may run over the end.
        self._src = [s[: len(s) // bb * bb] + (s[:bb] if loop else b"") for s in sources]
        self._len = [len(s) // bb * bb for s in sources]
        shortest = min(self._len) // 2
        self.total_frames = total_frames if loop else min(total_frames or shortest, shortest)
        self.fed_frames = [0] * len(fds)
        self.overrun_frames = [0] * len(fds)
        self.ticks_frames = 0  # frames the clock has gone through, per input
        self.max_late_s = 0.0  # how far the feeder itself fell behind its clock
        self.overruns: list[tuple[float, int, int, float]] = []
        self._late = 0.0
        self.started_at: float | None = None
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        t0 = self.started_at = time.monotonic()
        bb = 2 * self.block
        while not self._stop.is_set():
            due = int((time.monotonic() - t0) * self.rate) + self.lead
            if self.total_frames is not None:
                due = min(due, self.total_frames)
            while self.ticks_frames + self.block <= due:
                late = time.monotonic() - t0 - (self.ticks_frames + self.block - self.lead) / self.rate
                self.max_late_s = max(self.max_late_s, late)
                self._late = late
                for i, fd in enumerate(self.fds):
                    pos = (2 * self.ticks_frames) % self._len[i]
                    self._put(i, fd, self._src[i][pos:pos + bb])
                self.ticks_frames += self.block
            if self.total_frames is not None and self.ticks_frames + self.block > self.total_frames:
                return
            next_due = t0 + (self.ticks_frames + self.block - self.lead) / self.rate
            self._stop.wait(max(0.0, next_due - time.monotonic()))

    def _put(self, i: int, fd: int, data: bytes) -> None:
        n = len(data) // 2
        if self.buffer_bytes is not None and pending_bytes(fd) + len(data) > self.buffer_bytes:
            self._overrun(i, n)
            return
        try:
            written = os.write(fd, data)  # <= PIPE_BUF: all or nothing
        except OSError as e:
            if e.errno != errno.EAGAIN:
                raise
            self._overrun(i, n)
            return
        self.fed_frames[i] += written // 2

    def _overrun(self, i: int, n: int) -> None:
        self.overrun_frames[i] += n
        if len(self.overruns) < 10_000:
            self.overruns.append((self.ticks_frames / self.rate, i, n, self._late))
