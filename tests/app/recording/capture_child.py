"""Records a "call" through the real capture path, for tests/app/recording/test_capture.py.

Run as a separate process because PortAudio reads the ALSA configuration once, at
initialisation: this script writes an ``.asoundrc`` into its own HOME with two capture devices
of ALSA's ``file`` plugin (``cc_admin``, ``cc_caller``) whose ``infile`` is a FIFO, then feeds
the FIFOs from raw 8 kHz s16 mono files at real-time pace (the ``null`` slave under the file
plugin has no clock of its own; a blocking FIFO gives the capture a real-time clock). Only
then does it import sounddevice and record with :class:`app.recording.capture.Recorder`.

Prints ``started <id>``, then ``at <s encoded> flushed <s fsynced>`` as they grow, ``done <id>``.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

ASOUNDRC = """
pcm.cc_admin {{
  type file
  slave.pcm "null"
  file "/dev/null"
  infile "{admin}"
  format "raw"
}}
pcm.cc_caller {{
  type file
  slave.pcm "null"
  file "/dev/null"
  infile "{caller}"
  format "raw"
}}
"""


def feed(src: Path, fd: int, go: threading.Event, rate: int = 8000) -> None:
    """Write *src* into the FIFO at real-time pace, from when recording starts (``go``)."""
    data = src.read_bytes()
    go.wait()
    t0, sent, blk = time.monotonic(), 0, 4096
    for i in range(0, len(data), blk):
        os.write(fd, data[i:i + blk])
        sent += blk
        ahead = sent / (2 * rate) - (time.monotonic() - t0) - 0.25
        if ahead > 0:
            time.sleep(ahead)
    time.sleep(3600)  # keep the FIFO open; the parent ends this process


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--storage", required=True)
    ap.add_argument("--key-name", required=True)
    ap.add_argument("--call-id", type=int, required=True)
    ap.add_argument("--admin-raw", required=True)
    ap.add_argument("--caller-raw", required=True)
    ap.add_argument("--seconds", type=float, default=3.0)
    a = ap.parse_args()

    home = Path(os.environ["HOME"])
    fifos = {k: home / f"{k}.fifo" for k in ("admin", "caller")}
    for f in fifos.values():
        if not f.exists():
            os.mkfifo(f)
    (home / ".asoundrc").write_text(ASOUNDRC.format(admin=fifos["admin"], caller=fifos["caller"]))
    go = threading.Event()
    for src, f in ((a.admin_raw, fifos["admin"]), (a.caller_raw, fifos["caller"])):
        # O_RDWR: never blocks on open, and no EPIPE when PortAudio's probe closes its end.
        fd = os.open(f, os.O_RDWR)
        threading.Thread(target=feed, args=(Path(src), fd, go), daemon=True).start()

    from app.recording.capture import Recorder
    from app.recording.store import RecordingStore
    from app.security.keys import KeyManager
    from db.session import make_engine, session_factory

    store = RecordingStore(session_factory(make_engine(a.db)), a.storage, KeyManager(a.key_name))
    rec = Recorder(store, "cc_admin", "cc_caller", samplerate=8000, blocksize=256)
    go.set()
    rid = rec.start(a.call_id)
    print(f"started {rid}", flush=True)
    t_end = time.monotonic() + a.seconds
    last = None
    while time.monotonic() < t_end:
        now = (rec._writer.frames / rec.samplerate, rec.flushed_seconds)
        if now != last:
            print(f"at {now[0]:.3f} flushed {now[1]:.3f}", flush=True)
            last = now
        time.sleep(0.01)
    rec.stop()
    print(f"done {rid} overflows={rec.overflows} error={rec.error!r}", flush=True)
    os._exit(0)  # the feeder threads sleep; end without waiting for them


if __name__ == "__main__":
    main()
