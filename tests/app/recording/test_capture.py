"""The real capture path: PortAudio over ALSA's file plugin, in a child process.

No sound card here, so each side of the call is an ALSA ``file`` capture device whose input is
a FIFO fed in real time from a raw file made with sox (see capture_child.py). Everything from
PortAudio's callbacks to the encrypted file is the production code.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.recording import capture
from app.recording.capture import Recorder, RecorderError, list_input_devices
from app.recording.store import RecordingStore
from db.models import Call, Recording
from scripts.alsa_fifo import full_read_preload
from tests.app.recording.conftest import dominant_hz, new_call, sox_raw, tone

CHILD = Path(__file__).with_name("capture_child.py")


def _child(tmp_path, db_url, storage, key_name, call_id, seconds):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    admin, caller = tmp_path / "admin.raw", tmp_path / "caller.raw"
    sox_raw(admin, "sine", "440", "vol", "0.4")
    sox_raw(caller, "sine", "1000", "vol", "0.2")
    env = dict(os.environ, HOME=str(home))
    env.pop("ALSA_CONFIG_PATH", None)
    # whole periods from the FIFOs, as from a sound card (see scripts/alsa_fifo.py)
    env["LD_PRELOAD"] = " ".join(x for x in (str(full_read_preload()), env.get("LD_PRELOAD", "")) if x)
    return subprocess.Popen(
        [sys.executable, str(CHILD), "--db", db_url, "--storage", str(storage), "--key-name", key_name,
         "--call-id", str(call_id), "--admin-raw", str(admin), "--caller-raw", str(caller),
         "--seconds", str(seconds)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_two_file_backed_alsa_devices_become_admin_and_caller_channels(sqlite_url, tmp_path, real_keyring):
    from db.session import make_engine, session_factory
    from app.security.keys import KeyManager

    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    call_id = new_call(sessions)
    key_name = real_keyring + "capture"
    p = _child(tmp_path, sqlite_url, tmp_path / "rec", key_name, call_id, seconds=3.0)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert "done" in out and "error=''" in out, out + err
    rid = int(out.split("started ")[1].split()[0])
    # PortAudio got the device buffer asked for ([audio] latency_s = 0.5 s), not its 35 ms default
    latencies = [float(x) for x in out.split("latencies=")[1].split()[0].split(",")]
    assert len(latencies) == 2 and all(0.4 <= x <= 0.7 for x in latencies), latencies
    # 1024-frame reads from devices fed 256 frames at a time: every frame captured was fed (a
    # short read would bring in frames of the null slave), and every frame reached the writer
    fed = [int(x) for x in out.split("fed=")[1].split()[0].split(",")]
    captured = [int(x) for x in out.split("captured=")[1].split()[0].split(",")]
    written = int(out.split("written=")[1].split()[0])
    assert all(0 < c <= f for c, f in zip(captured, fed)), (fed, captured)
    assert written == max(captured), (captured, written)
    # the writer and both inputs' PortAudio callback threads run below the main thread, which is left alone
    pri = out.split("priorities ")[1].split("\n")[0]
    main_nice = int(pri.split("main=")[1].split()[0])
    writer = int(pri.split("writer=")[1].split()[0])
    lowered = dict(tuple(map(int, x.split(":"))) for x in pri.split("lowered=")[1].split(",") if x)
    assert main_nice == os.getpriority(os.PRIO_PROCESS, 0)  # the child's main thread as it was born
    assert writer in lowered and len(lowered) == 3, pri
    assert set(lowered.values()) == {min(19, main_nice + capture.THREAD_NICE)}, pri
    store = RecordingStore(sessions, tmp_path / "rec", KeyManager(key_name))
    audio, sr = store.load_audio(rid)
    assert sr == 8000 and audio.shape[0] == 2
    # 3 s of wall time; the FIFO feeder may run a little ahead and PortAudio fills its buffer
    # at once (the null slave has no clock), so up to ~1.5 s more audio than wall time.
    assert 2.0 <= audio.shape[1] / sr <= 5.0, audio.shape
    assert abs(dominant_hz(audio[0], sr) - 440) < 5, "channel 0 must be the administrator's device"
    assert abs(dominant_hz(audio[1], sr) - 1000) < 5, "channel 1 must be the caller's device"
    # levels: the administrator's tone is louder (vol 0.4 vs 0.2)
    rms = (audio[:, sr // 2:] ** 2).mean(axis=1) ** 0.5
    assert 1.6 < rms[0] / rms[1] < 2.4, rms
    with sessions() as s:
        r = s.get(Recording, rid)
        assert r.status == "complete" and r.call_id == call_id
        assert b"OggS" not in (tmp_path / "rec" / r.path).read_bytes()
    engine.dispose()


def test_kill_9_mid_call_keeps_audio_up_to_the_last_second(sqlite_url, tmp_path, real_keyring):
    from db.session import make_engine, session_factory
    from app.security.keys import KeyManager

    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    call_id = new_call(sessions)
    key_name = real_keyring + "kill"
    p = _child(tmp_path, sqlite_url, tmp_path / "rec", key_name, call_id, seconds=60)
    flushed = captured_s = 0.0
    t0 = time.monotonic()
    try:
        for line in p.stdout:
            if line.startswith("at "):
                captured_s, flushed = float(line.split()[1]), float(line.split()[3])
                if flushed >= 3.0:
                    break
            assert time.monotonic() - t0 < 60, "no progress from the recording child"
        time.sleep(0.5)  # mid-way between two flushes
        os.kill(p.pid, signal.SIGKILL)
        for line in p.stdout:  # what the child reported up to its death
            if line.startswith("at "):
                captured_s, flushed = float(line.split()[1]), float(line.split()[3])
    finally:
        p.kill()
        p.wait(timeout=30)
        p.stdout.close()
        p.stderr.close()
    assert p.returncode == -signal.SIGKILL
    with sessions() as s:
        rid = s.query(Recording.id).filter_by(call_id=call_id).scalar()
        assert s.get(Recording, rid).status == "recording"
    store = RecordingStore(sessions, tmp_path / "rec", KeyManager(key_name))
    assert store.recover_interrupted(stale_after_s=0) == [rid]
    info = store.info(rid)
    assert info.status == "interrupted"
    audio, sr = store.load_audio(rid)
    salvaged = audio.shape[1] / sr
    # Everything the child had fsynced survived (Opus works in 20 ms frames)...
    assert salvaged >= flushed - 0.3, (salvaged, flushed)
    # ...which is all but about the last second (+ a quarter-second Ogg page) of the call.
    assert salvaged >= captured_s - 1.5, (salvaged, captured_s)
    assert abs(dominant_hz(audio[0], sr) - 440) < 5 and abs(dominant_hz(audio[1], sr) - 1000) < 5
    with sessions() as s:
        assert s.get(Call, call_id).interrupted is True
    print(f"kill -9: captured ~{captured_s:.2f} s, last flush {flushed:.2f} s, salvaged {salvaged:.2f} s")
    engine.dispose()


def test_unknown_device_is_a_clear_error_and_creates_no_recording(store, sessions):
    rec = Recorder(store, "no such microphone", "no such line-in")
    with pytest.raises(RecorderError, match="cannot open the administrator's microphone 'no such microphone'"):
        rec.start(None)
    with sessions() as s:
        assert s.query(Recording).count() == 0
    assert isinstance(list_input_devices(), list)


class _ScriptedStream:
    """Stands in for sounddevice.InputStream: an input overflow cannot be caused here (the FIFO
    devices have no clock to overrun), so each device's audio and the blocks flagged as
    overflowed are scripted and handed to the Recorder's real callback when the stream starts."""

    script: dict = {}

    opened: list = []

    def __init__(self, device, samplerate, channels, dtype, blocksize, latency, callback):
        (self.audio, self.overflowed), self.callback = self.script[device], callback
        self.opened.append({"device": device, "blocksize": blocksize, "latency": latency})

    def start(self):
        import sounddevice as sd

        pcm = (self.audio * 32767).astype(np.int16)[:, None]
        for i in range(0, len(pcm), 256):
            flags = sd.CallbackFlags()
            flags.input_overflow = i // 256 in self.overflowed
            self.callback(pcm[i:i + 256], 256, None, flags)

    def stop(self):
        pass

    def close(self):
        pass


def test_stats_count_overflows_captured_written_and_padded_frames(store, monkeypatch, caplog):
    import sounddevice

    # administrator: 10 blocks of 256 frames, the 4th flagged as overflowed; caller: 8 blocks
    _ScriptedStream.script = {"adm": (tone(440, 2560 / 8000), {3}), "cal": (tone(1000, 2048 / 8000), set())}
    monkeypatch.setattr(sounddevice, "InputStream", _ScriptedStream)
    rec = Recorder(store, "adm", "cal")
    with caplog.at_level(logging.INFO, logger="carecall.recording.capture"):
        rid = rec.start(None)
        assert rec.stop() == rid
    st = rec.stats()
    assert st.overflows == (1, 0) and rec.overflows == 1
    assert st.frames_captured == (2560, 2048)
    assert st.frames_written == 2560
    # the caller's missing end is silence: filled at stop (or earlier, had the writer seen a stall)
    assert st.silence_frames[0] == st.padded_frames[0] == 0
    assert st.silence_frames[1] + st.padded_frames[1] == 512
    warning = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warning) == 1 and "input overflows 1/0" in warning[0].getMessage()
    audio, sr = store.load_audio(rid)
    assert audio.shape == (2, 2560)
    rms = lambda x: float((x ** 2).mean() ** 0.5)  # noqa: E731
    assert rms(audio[1, -256:]) < 0.1 * rms(audio[1, 1000:1800])


def test_recorder_opens_streams_with_the_audio_settings_block_size_and_latency(store, sessions, monkeypatch,
                                                                              settings):
    import sounddevice

    from app.context import AppContext

    assert (settings.audio.blocksize, settings.audio.latency_s) == (1024, 0.5)
    _ScriptedStream.script = {"adm": (tone(440, 0.5), set()), "cal": (tone(1000, 0.5), set())}
    _ScriptedStream.opened = []
    monkeypatch.setattr(sounddevice, "InputStream", _ScriptedStream)
    rec = Recorder(store, "adm", "cal")  # the constructor's defaults are the shipped settings
    rec.start(None)
    rec.stop()
    settings.audio.blocksize, settings.audio.latency_s = 512, 0.8
    ctx = AppContext(settings, None, sessions, None)
    ctx.__dict__["recordings"] = store  # the cached property, without the clinic's keyring
    ctx_rec = ctx.call_recording.recorder
    assert (ctx_rec.blocksize, ctx_rec.latency) == (512, 0.8)
    assert [(o["blocksize"], o["latency"]) for o in _ScriptedStream.opened] == [(1024, 0.5), (1024, 0.5)]


def test_writer_takes_everything_queued_at_once(store):
    rec = Recorder(store, "adm", "cal")
    blocks = [(i % 2, np.full((1024, 1), i, np.int16)) for i in range(7)]
    for b in blocks:
        rec._queue.put(b)
    items, stopping = rec._take()
    assert items == blocks and not stopping and rec._queue.empty()
    rec._queue.put(blocks[0])
    rec._queue.put(capture._STOP)
    assert rec._take() == ([blocks[0]], True)
    assert rec._take() == ([], False)  # nothing queued: back after the 0.1 s wait


def test_levels_on_int16_are_the_float_levels_of_the_latest_block():
    from app.recording.capture import _level

    x = (tone(440, 0.128) * 32767).astype(np.int16)
    lv = _level(x)
    f = x.astype(np.float64) / 32768.0
    assert abs(lv.rms - np.sqrt(np.mean(f ** 2))) < 1e-6 and abs(lv.peak - np.abs(f).max()) < 1e-9
    full = _level(np.array([-32768, 0, 32767], np.int16))  # -32768 must not wrap to a negative peak
    assert full.peak == 1.0 and abs(full.rms - np.sqrt(2 / 3)) < 1e-4
    assert _level(np.zeros(0, np.int16)).rms == 0.0


def test_levels_while_recording_follow_each_side(store, monkeypatch):
    import sounddevice

    _ScriptedStream.script = {"adm": (tone(440, 1.0, amp=0.4), set()), "cal": (tone(1000, 1.0, amp=0.1), set())}
    monkeypatch.setattr(sounddevice, "InputStream", _ScriptedStream)
    rec = Recorder(store, "adm", "cal")
    rec.start(None)  # the scripted streams deliver their whole second at start
    deadline = time.monotonic() + 10
    while rec.stats().frames_written < 8000 and time.monotonic() < deadline:
        time.sleep(0.01)
    adm, cal = rec.levels()
    rec.stop()
    assert rec.stats().frames_written == 8000
    assert abs(adm.rms - 0.4 / np.sqrt(2)) < 0.01 and abs(adm.peak - 0.4) < 0.01
    assert abs(cal.rms - 0.1 / np.sqrt(2)) < 0.01 and abs(cal.peak - 0.1) < 0.01
    assert rec.levels()[0].rms == 0.0  # reset once the call is over
