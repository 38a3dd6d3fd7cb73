"""Recorder figures over a long call: dropped frames and CPU, through the real capture path.

    .venv/bin/python scripts/bench_capture.py [--minutes 60] [--device-buffer-ms MS]
        [--blocksize N] [--latency S|low|high] [--libsndfile auto|system|bundled]

Defaults: the shipped ``[audio]`` settings (blocksize, latency_s, bitrate, flush interval) and
library choice; ``--blocksize 256 --latency high --libsndfile bundled --device-buffer-ms 100``
is the recorder and model as they were before the issue-4 tuning. There is no load generator:
the figures are taken under whatever else runs on the machine, and the load average is reported.

Issue goals: over a 60-minute capture, dropped frames = 0 and recorder CPU < 3 % of one core.

No sound card here, so the two inputs are ALSA ``file``-plugin capture devices reading FIFOs
(scripts/alsa_fifo.py, as tests/app/recording/test_capture.py does). Two processes:

* the **recorder** (this script with ``--recorder``, its own HOME with the ``.asoundrc``):
  sounddevice/PortAudio, :class:`app.recording.capture.Recorder` on the two devices, writing an
  encrypted recording through :class:`RecordingStore` into a throwaway SQLite database with a
  throwaway master key in memory (no keyring). Only this process is measured: CPU seconds
  (``getrusage``, all its threads) from just before ``Recorder.start`` to the end of
  ``Recorder.stop``, divided by wall seconds; RSS from /proc.
* the **feeder** (the parent): writes a two-channel Festival call (a different speaker on each
  channel, faint line noise, looped) into the FIFOs at real-time pace, 256 frames per input per
  tick from one clock, like two devices, in a thread at nice -10 when allowed. It models a device
  ring buffer of --device-buffer-ms (default: the input latency PortAudio reports for the
  recorder's streams, i.e. the ALSA buffer it would set up on a sound card, at least 100 ms): a
  block that finds the buffer full (the recorder did not read in time) is lost and counted, with
  when it happened and how late the feeder itself was, as real hardware would overrun.

After --minutes the parent "hangs up" (``Recorder.stop``; the devices keep delivering until
they are closed, as real ones do), then decodes the recording (``store.load_audio``) and
accounts for every frame per channel:

    produced by the device clock = overrun (lost, buffer full) + left in the FIFO after the stop
                                   + read by PortAudio
    read by PortAudio            = delivered to the callbacks + held by PortAudio at the stop
    frames written               = delivered + silence for a stalled input + padding at the stop
    decoded                      = frames written (if the encoder and container lose nothing)

and checks the content: at checkpoints through the call each decoded channel is aligned with
the source by cross-correlation; a lost or inserted frame anywhere shifts every later
checkpoint. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.alsa_fifo import (  # noqa: E402
    PacedFeeder,
    full_read_preload,
    make_devices,
    open_fifo,
    pending_bytes,
)

RATE = 8000
BLOCK = 256
DEVICES = ["bench_admin", "bench_caller"]


def _keys(master: bytes):
    from scripts.bench_recording import _MemoryKeys

    keys = _MemoryKeys()
    keys._km._master = master  # the same throwaway key in the recorder and in the parent
    return keys


# --- the recorder process ------------------------------------------------------------------
def _proc_status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _thread_cpu() -> dict[int, float]:
    """CPU seconds per thread id of this process (utime + stime from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for t in Path("/proc/self/task").iterdir():
        try:
            fields = (t / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(t.name)] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _cpu_s() -> tuple[float, float]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


def _recorder_main(a) -> int:
    master = bytes.fromhex(sys.stdin.readline().strip())
    from app.recording.capture import Recorder
    from app.recording.store import RecordingStore
    from app.settings import AudioSettings
    from db.session import make_engine, session_factory

    from app.recording.sndlib import chosen

    audio = AudioSettings()  # the shipped defaults: bitrate, flush interval, blocksize, latency
    store = RecordingStore(session_factory(make_engine(a.db)), a.storage, _keys(master),
                           bitrate_kbps=audio.bitrate_kbps, flush_seconds=audio.flush_seconds)
    latency = a.latency if a.latency is not None else audio.latency_s
    latency = float(latency) if latency not in ("low", "high") else latency
    blocksize = a.blocksize or audio.blocksize
    rec = Recorder(store, DEVICES[0], DEVICES[1], samplerate=RATE, blocksize=blocksize, latency=latency)
    import sounddevice as sd  # PortAudio reads HOME/.asoundrc now

    dev = sd.query_devices(DEVICES[0])
    lib = chosen()
    print("ready " + json.dumps({"portaudio": sd.get_portaudio_version()[1], "bitrate_kbps": audio.bitrate_kbps,
                                 "flush_seconds": audio.flush_seconds, "blocksize": blocksize, "latency": latency,
                                 "libsndfile": f"{lib.source} {lib.version} {lib.path}".strip(),
                                 "default_high_input_latency_s": dev["default_high_input_latency"]}), flush=True)

    def sample() -> dict:
        st = rec.stats()
        return {"t": time.monotonic() - t0, "cpu_s": sum(_cpu_s()) - cpu0, "rss_kb": _proc_status_kb("VmRSS"),
                "frames_written": st.frames_written, "overflows": list(st.overflows)}

    rss0 = _proc_status_kb("VmRSS")
    t0, cpu0 = time.monotonic(), sum(_cpu_s())
    ut0, st0 = _cpu_s()
    rid = rec.start(None)
    print("started " + json.dumps({"recording_id": rid, "input_latencies_s": rec.input_latencies()}), flush=True)
    while True:
        ready, _, _ = select.select([sys.stdin], [], [], a.sample_s)
        if ready:
            if sys.stdin.readline().strip() == "stop":
                break
            continue
        print("sample " + json.dumps(sample()), flush=True)
    threads = _thread_cpu()
    writer_tid = rec._thread.native_id if rec._thread is not None else None
    main_tid = threading.main_thread().native_id
    last = sample()
    rec.stop()
    wall = time.monotonic() - t0
    ut1, st1 = _cpu_s()
    st = rec.stats()
    cpu = (ut1 - ut0) + (st1 - st0)
    print("stopped " + json.dumps({
        "recording_id": rid, "error": rec.error, "wall_s": wall, "cpu_user_s": ut1 - ut0, "cpu_system_s": st1 - st0,
        "cpu_percent_of_one_core": 100 * cpu / wall,
        # steady state, up to the stop request: which threads used the CPU
        "threads_cpu_s": {
            "writer (levels, Opus encoding, sealing, fsync)": threads.get(writer_tid, 0.0),
            "portaudio and callbacks": sum(v for k, v in threads.items() if k not in (writer_tid, main_tid)),
            "main (imports before the call included)": threads.get(main_tid, 0.0),
        },
        "cpu_s_until_stop_request": last["cpu_s"],
        "rss_mb_at_start": rss0 / 1024, "rss_mb_at_end": _proc_status_kb("VmRSS") / 1024,
        "rss_mb_peak": _proc_status_kb("VmHWM") / 1024,
        "stats": {"overflows": st.overflows, "frames_captured": st.frames_captured,
                  "frames_written": st.frames_written, "silence_frames": st.silence_frames,
                  "padded_frames": st.padded_frames},
    }), flush=True)
    return 0


# --- the parent: speech, feeder, accounting -------------------------------------------------
def _git_head() -> str:
    r = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "app", "db"],
                           capture_output=True, text=True).stdout.split()[1::2]
    return r.stdout.strip()[:80] + (f" (uncommitted: {', '.join(dirty)})" if dirty else "")


def _speech(cache: Path):
    """(2, n) int16: the English two-speaker call of bench_recording.py (Festival through G.711)."""
    import numpy as np

    from app.transcription.synth import build_call
    from scripts.bench_recording import TURNS_EN

    call = build_call(TURNS_EN, "en", cache)
    call = call[:, : call.shape[1] // BLOCK * BLOCK]  # the feeder loops whole blocks
    return (np.clip(call, -1, 1) * 32767).astype(np.int16)


def _alignment(decoded, source, checkpoints_s: list[float]) -> list[list[int | None]]:
    """Per channel, per checkpoint: the lag (frames) of the decoded audio against the looped
    source, found by cross-correlation of a 2 s stretch with speech near the checkpoint (None:
    none fits), searched +-1 s around the previous checkpoint's lag, so a shift that builds up
    is followed. 0 at every checkpoint = nothing lost or inserted before the last one; a loss
    of L frames between two checkpoints lowers the lag by L."""
    import numpy as np

    win, reach = 2 * RATE, RATE
    loop = source.shape[1]
    src = np.concatenate([source, source], axis=1).astype(np.float32) / 32768.0  # a window may wrap
    n = 1 << int(np.ceil(np.log2(win + 2 * reach)))
    out = []
    for ch in (0, 1):
        lags: list[int | None] = []
        prev = 0
        for t in checkpoints_s:
            k = int(t * RATE) + prev  # decoded position of source position t*RATE
            found = None
            for d in range(0, loop, RATE // 4):  # nearest speech after, else before, the checkpoint
                for pos in (k + d, k - d):  # decoded positions; the source is at pos - prev
                    ref = src[ch, (pos - prev) % loop:(pos - prev) % loop + win]
                    if (pos - reach >= 0 and pos + win + reach <= decoded.shape[1]
                            and np.sqrt(np.mean(ref ** 2)) > 0.03):
                        found = pos
                        break
                if found is not None:
                    break
            if found is None:
                lags.append(None)
                continue
            seg = decoded[ch, found - reach:found + win + reach]
            c = np.fft.irfft(np.fft.rfft(seg, n) * np.conj(np.fft.rfft(ref, n)), n)[:2 * reach + 1]
            prev += int(np.argmax(c)) - reach  # c[i] = match of ref at seg[i:]
            lags.append(prev)
        out.append(lags)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--device-buffer-ms", type=float, default=None,
                    help="ring buffer of the emulated devices; a block that does not fit is lost "
                         "(default: the streams' reported input latency, at least 100 ms)")
    ap.add_argument("--blocksize", type=int, default=None, help="Recorder blocksize (default: [audio] blocksize)")
    ap.add_argument("--latency", default=None, help="Recorder input latency, seconds or low/high "
                                                    "(default: [audio] latency_s)")
    ap.add_argument("--libsndfile", choices=["auto", "system", "bundled"], default=None,
                    help="which libsndfile the recorder uses (default: app.recording.sndlib's choice)")
    ap.add_argument("--sample-s", type=float, default=10.0, help="progress samples (CPU, RSS, load)")
    ap.add_argument("--keep", action="store_true", help="keep the working directory")
    ap.add_argument("--recorder", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--storage", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.recorder:
        return _recorder_main(a)

    import shutil

    import numpy as np

    from app.recording.store import RecordingStore
    from db.session import make_engine, session_factory, upgrade

    work = Path(tempfile.mkdtemp(prefix="carecall-bench-capture-"))
    home = work / "home"
    home.mkdir()
    call = _speech(Path(tempfile.gettempdir()) / "carecall-bench-speech")
    db_url = f"sqlite:///{work / 'bench.sqlite3'}"
    engine = make_engine(db_url)
    upgrade(engine)
    master = os.urandom(32)

    fifos = make_devices(home, DEVICES)
    fds = [open_fifo(fifos[d], nonblocking=True) for d in DEVICES]
    feeder = PacedFeeder(fds, [call[0].tobytes(), call[1].tobytes()], rate=RATE, block_frames=BLOCK, loop=True,
                         buffer_frames=0)  # sized below, once the recorder's streams are open
    env = dict(os.environ, HOME=str(home))
    env.pop("ALSA_CONFIG_PATH", None)
    # whole periods from the FIFOs, as from a sound card (scripts/alsa_fifo.py)
    env["LD_PRELOAD"] = " ".join(x for x in (str(full_read_preload()), env.get("LD_PRELOAD", "")) if x)
    if a.libsndfile:
        env["CARECALL_LIBSNDFILE"] = a.libsndfile
    err_path = work / "recorder.stderr"
    with open(err_path, "w") as err:
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--recorder", "--db", db_url,
             "--storage", str(work / "rec"), "--sample-s", str(a.sample_s)]
            + (["--blocksize", str(a.blocksize)] if a.blocksize else [])
            + (["--latency", str(a.latency)] if a.latency is not None else []),
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in child.stdout] + [lines.put(None)], daemon=True).start()

    def expect(kind: str, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                child.kill()
                raise SystemExit(f"recorder: no '{kind}' ({err_path.read_text()[-2000:]})")
            if line.startswith(kind + " "):
                return json.loads(line[len(kind) + 1:])
            if line.startswith("sample "):
                s = json.loads(line[7:])
                s["load1"] = os.getloadavg()[0]
                samples.append(s)

    samples: list[dict] = []
    child.stdin.write(master.hex() + "\n")
    child.stdin.flush()
    ready = expect("ready", 120)
    load_before = os.getloadavg()
    started = expect("started", 60)
    device_buffer_ms = a.device_buffer_ms
    if device_buffer_ms is None:
        device_buffer_ms = max(100.0, 1000 * max(started["input_latencies_s"] or [0.0]))
    feeder.buffer_bytes = 2 * int(device_buffer_ms * RATE / 1000)
    nice: list[int | None] = [None]

    def run_feeder() -> None:
        try:  # the emulated device clock should rarely be late itself; it uses next to no CPU
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), -10)
            nice[0] = -10
        except OSError:
            pass
        feeder.run()

    feed = threading.Thread(target=run_feeder, daemon=True)
    feed.start()
    hang_up = time.monotonic() + a.minutes * 60
    while time.monotonic() < hang_up:
        try:
            line = lines.get(timeout=min(1.0, max(0.01, hang_up - time.monotonic())))
        except queue.Empty:
            continue
        if line is None:
            raise SystemExit(f"recorder died: {err_path.read_text()[-2000:]}")
        if line.startswith("sample "):
            s = json.loads(line[7:])
            s["load1"] = os.getloadavg()[0]
            samples.append(s)
    load_at_end = os.getloadavg()
    hang_up_s = feeder.ticks_frames / RATE  # the devices keep running until the recorder closes them
    child.stdin.write("stop\n")
    child.stdin.flush()
    stopped = expect("stopped", 300)
    feeder.stop()  # the devices are closed: what is still in the FIFOs came after the hang-up
    feed.join()
    left = [pending_bytes(fd) // 2 for fd in fds]
    child.wait(timeout=60)
    for fd in fds:
        os.close(fd)

    store = RecordingStore(session_factory(engine), work / "rec", _keys(master))
    rid = started["recording_id"]
    info = store.info(rid)
    audio, sr = store.load_audio(rid)
    decoded = audio.shape[1]
    st = stopped["stats"]
    produced = feeder.ticks_frames
    # Blocks that found the buffer full after the hang-up came while the recorder was closing the
    # devices (one after the other, each up to a period): not part of the call.
    after = [sum(f for t, i, f, _ in feeder.overruns if i == ch and t >= hang_up_s) for ch in (0, 1)]
    per_ch = []
    for ch in (0, 1):
        read = feeder.fed_frames[ch] - left[ch]
        inserted = st["silence_frames"][ch] + st["padded_frames"][ch]
        per_ch.append({
            "device_frames_during_call": produced - left[ch] - after[ch],
            "overrun_frames_device_buffer_full": feeder.overrun_frames[ch] - after[ch],
            "overrun_frames_after_hang_up": after[ch],
            "frames_read_by_portaudio": read,
            "frames_captured_by_callbacks": st["frames_captured"][ch],
            "held_by_portaudio_at_stop": read - st["frames_captured"][ch],
            "portaudio_overflow_callbacks": st["overflows"][ch],
            "silence_frames_stalled_input": st["silence_frames"][ch],
            "padded_frames_at_stop": st["padded_frames"][ch],
            "lost_in_writer": st["frames_captured"][ch] + inserted - st["frames_written"],
            # every frame the device produced before the hang-up vs what the file holds of it
            "dropped_frames_end_to_end": (produced - left[ch] - after[ch]) - (decoded - inserted),
            # recording's duration minus the audio fed during the call (silence added included)
            "duration_diff_ms": round(1000 * (decoded - (produced - left[ch] - after[ch])) / RATE, 3),
        })
    call_s = decoded / RATE
    checkpoints = [t for t in np.arange(5.0, call_s - 1.0, 60.0)] + [max(0.0, call_s - 2.0)]
    lags = _alignment(audio, call, checkpoints)
    by_minute: dict[int, dict] = {}
    for t, i, frames, late in feeder.overruns:
        if t >= hang_up_s:
            continue
        m = by_minute.setdefault(int(t // 60), {"minute": int(t // 60), "administrator": 0, "caller": 0,
                                                "feeder_late_ms_max": 0.0})
        m["administrator" if i == 0 else "caller"] += frames
        m["feeder_late_ms_max"] = round(max(m["feeder_late_ms_max"], 1000 * late), 1)
        near = min(samples, key=lambda x: abs(x["t"] - t), default=None)
        m["load1"] = round(near["load1"], 2) if near else None
    late_frames = sum(f for t, _, f, late in feeder.overruns if late > BLOCK / RATE and t < hang_up_s)
    cpu = stopped["cpu_percent_of_one_core"]
    interval = max(60.0, a.minutes * 60 / 12)
    series, last_t, last_cpu = [], 0.0, 0.0
    for s in samples:
        if s["t"] - last_t >= interval - a.sample_s / 2:
            series.append(round(100 * (s["cpu_s"] - last_cpu) / (s["t"] - last_t), 2))
            last_t, last_cpu = s["t"], s["cpu_s"]
    out = {
        "minutes": a.minutes,
        "samplerate": RATE, "blocksize": ready["blocksize"], "latency": ready["latency"],
        "input_latencies_s": [round(x, 4) for x in started["input_latencies_s"]],
        "device_buffer_ms": round(device_buffer_ms, 1), "feeder_block_frames": BLOCK,
        "libsndfile": ready["libsndfile"],
        "bitrate_kbps": ready["bitrate_kbps"], "flush_seconds": ready["flush_seconds"], "git_head": _git_head(),
        "speech_loop_seconds": round(call.shape[1] / RATE, 1),
        "portaudio": ready["portaudio"],
        "portaudio_default_high_input_latency_s": ready["default_high_input_latency_s"],
        "recording": {"id": rid, "status": info.status, "error": stopped["error"], "duration_s": info.duration_s,
                      "size_mb": round((info.size_bytes or 0) / 1e6, 2), "decoded_frames": decoded,
                      "kb_per_minute": round((info.size_bytes or 0) / 1e3 / max(1e-9, (info.duration_s or 0) / 60), 1),
                      "frames_written": st["frames_written"]},
        "dropped_frames": {
            "total_end_to_end": sum(c["dropped_frames_end_to_end"] for c in per_ch),
            "portaudio_overflow_callbacks": sum(c["portaudio_overflow_callbacks"] for c in per_ch),
            "device_buffer_overruns": sum(c["overrun_frames_device_buffer_full"] for c in per_ch),
            "overruns_after_hang_up_not_counted": sum(after),
            "written_minus_decoded": st["frames_written"] - decoded,
            "administrator": per_ch[0], "caller": per_ch[1],
        },
        "alignment_lag_frames": {"checkpoints_s": [round(float(t), 1) for t in checkpoints],
                                 "administrator": lags[0], "caller": lags[1]},
        "cpu": {
            "percent_of_one_core": round(cpu, 3),
            "user_s": round(stopped["cpu_user_s"], 2), "system_s": round(stopped["cpu_system_s"], 2),
            "wall_s": round(stopped["wall_s"], 1),
            "percent_per_interval": series, "interval_s": interval,
            "threads_cpu_s": {k: round(v, 2) for k, v in stopped["threads_cpu_s"].items()},
        },
        "rss_mb": {"at_start": round(stopped["rss_mb_at_start"], 1), "at_end": round(stopped["rss_mb_at_end"], 1),
                   "peak": round(stopped["rss_mb_peak"], 1),
                   "max_during_call": round(max([s["rss_kb"] for s in samples] or [0]) / 1024, 1)},
        "overruns_by_minute": list(by_minute.values()),
        "overrun_events_first_50": [{"t_s": round(t, 3), "input": i, "frames": f, "feeder_late_ms": round(1000 * late, 1)}
                                    for t, i, f, late in feeder.overruns[:50]],
        # lost while the feeder itself was over one block late: may be the feeder's doing
        "overrun_frames_while_feeder_late": late_frames,
        "feeder_max_late_ms": round(1000 * feeder.max_late_s, 1), "feeder_thread_nice": nice[0],
        "load_average": {"before": [round(x, 2) for x in load_before], "at_hang_up": [round(x, 2) for x in load_at_end],
                         "load1_min": min([s["load1"] for s in samples] or [0]),
                         "load1_max": max([s["load1"] for s in samples] or [0]),
                         "load1_mean": round(sum(s["load1"] for s in samples) / max(1, len(samples)), 2)},
        "cpus": os.cpu_count(),
    }
    print(json.dumps(out, indent=2))
    engine.dispose()
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
