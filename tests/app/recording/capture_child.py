"""Records a "call" through the real capture path, for tests/app/recording/test_capture.py.

Run as a separate process because PortAudio reads the ALSA configuration once, at
initialisation: this script writes an ``.asoundrc`` into its own HOME with two capture devices
of ALSA's ``file`` plugin (``cc_admin``, ``cc_caller``) whose ``infile`` is a FIFO, then feeds
the FIFOs from raw 8 kHz s16 mono files at real-time pace (the ``null`` slave under the file
plugin has no clock of its own; a blocking FIFO gives the capture a real-time clock). Only
then does it import sounddevice and record with :class:`app.recording.capture.Recorder`.

Prints ``started <id>``, ``flushed <seconds>`` after every fsynced chunk, ``done <id>``.
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


def feed(src: Path, fifo: Path, rate: int = 8000) -> None:
    data = src.read_bytes()
    fd = os.open(fifo, os.O_RDWR)  # RDWR: never blocks on open, no EPIPE when PortAudio probes
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
    for src, f in ((a.admin_raw, fifos["admin"]), (a.caller_raw, fifos["caller"])):
        threading.Thread(target=feed, args=(Path(src), f), daemon=True).start()
    time.sleep(0.1)

    from app.recording.capture import Recorder
    from app.recording.store import RecordingStore
    from app.security.keys import KeyManager
    from db.session import make_engine, session_factory

    store = RecordingStore(session_factory(make_engine(a.db)), a.storage, KeyManager(a.key_name))
    rec = Recorder(store, "cc_admin", "cc_caller", samplerate=8000, blocksize=256)
    rid = rec.start(a.call_id)
    print(f"started {rid}", flush=True)
    t_end = time.monotonic() + a.seconds
    last = -1.0
    while time.monotonic() < t_end:
        fs = rec.flushed_seconds
        if fs != last:
            print(f"flushed {fs:.3f}", flush=True)
            last = fs
        time.sleep(0.01)
    rec.stop()
    print(f"done {rid} overflows={rec.overflows} error={rec.error!r}", flush=True)
    os._exit(0)  # the feeder threads sleep; end without waiting for them


if __name__ == "__main__":
    main()
