"""Records a "call" through the real capture path, for tests/app/recording/test_capture.py.

Run as a separate process because PortAudio reads the ALSA configuration once, at
initialisation: this script writes an ``.asoundrc`` into its own HOME with two capture devices
of ALSA's ``file`` plugin (``cc_admin``, ``cc_caller``) whose ``infile`` is a FIFO, then feeds
the FIFOs from raw 8 kHz s16 mono files at real-time pace (scripts/alsa_fifo.py, shared with
scripts/bench_capture.py). Only then does it import sounddevice and record with
:class:`app.recording.capture.Recorder`.

The Recorder runs with the shipped ``[audio]`` blocksize and latency. Prints ``started <id>
<input latencies>``, then ``at <s encoded> flushed <s fsynced>`` as they grow, then ``done <id>``
with the feeder's and the Recorder's frame counts; before it, ``priorities`` with the nice values
of the main thread and of the threads the Recorder lowered.
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

from scripts.alsa_fifo import PacedFeeder, make_devices, open_fifo  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--storage", required=True)
    ap.add_argument("--key-name", required=True)
    ap.add_argument("--call-id", type=int, required=True)
    ap.add_argument("--admin-raw", required=True)
    ap.add_argument("--caller-raw", required=True)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--blocksize", type=int, default=None)  # default: [audio] blocksize
    ap.add_argument("--latency", default=None)  # seconds or low/high; default: [audio] latency_s
    a = ap.parse_args()

    fifos = make_devices(Path(os.environ["HOME"]), ["cc_admin", "cc_caller"])
    fds = [open_fifo(fifos["cc_admin"]), open_fifo(fifos["cc_caller"])]  # kept open until the end
    feeder = PacedFeeder(fds, [Path(a.admin_raw).read_bytes(), Path(a.caller_raw).read_bytes()], lead_s=0.25)

    from app.recording.capture import Recorder
    from app.recording.store import RecordingStore
    from app.security.keys import KeyManager
    from app.settings import AudioSettings
    from db.session import make_engine, session_factory

    store = RecordingStore(session_factory(make_engine(a.db)), a.storage, KeyManager(a.key_name))
    audio = AudioSettings()
    latency = audio.latency_s if a.latency is None else a.latency if a.latency in ("low", "high") else float(a.latency)
    rec = Recorder(store, "cc_admin", "cc_caller", samplerate=8000, blocksize=a.blocksize or audio.blocksize,
                   latency=latency)
    threading.Thread(target=feeder.run, daemon=True).start()
    rid = rec.start(a.call_id)
    print(f"started {rid} latencies={','.join(f'{x:.3f}' for x in rec.input_latencies())}", flush=True)
    t_end = time.monotonic() + a.seconds
    last = None
    while time.monotonic() < t_end:
        now = (rec._writer.frames / rec.samplerate, rec.flushed_seconds)
        if now != last:
            print(f"at {now[0]:.3f} flushed {now[1]:.3f}", flush=True)
            last = now
        time.sleep(0.01)
    # the recorder's threads below the main thread: each lowered thread's nice value, while alive
    lowered = ",".join(f"{tid}:{os.getpriority(os.PRIO_PROCESS, tid)}" for tid in sorted(rec.lowered_threads))
    print(f"priorities main={os.getpriority(os.PRIO_PROCESS, os.getpid())} writer={rec._thread.native_id} "
          f"lowered={lowered}", flush=True)
    rec.stop()
    feeder.stop()
    st = rec.stats()
    print(f"done {rid} overflows={rec.overflows} error={rec.error!r} "
          f"fed={feeder.fed_frames[0]},{feeder.fed_frames[1]} "
          f"captured={st.frames_captured[0]},{st.frames_captured[1]} written={st.frames_written}", flush=True)
    os._exit(0)  # the feeder threads sleep; end without waiting for them


if __name__ == "__main__":
    main()
