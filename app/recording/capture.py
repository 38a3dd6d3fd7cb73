"""Capture of both sides of a call with sounddevice (PortAudio).

Channel 0 is the administrator (headset microphone), channel 1 the caller (a loopback or
line-in input, or the second channel of one 2-channel input), so speakers are known without
diarisation. Audio callbacks only copy their buffer into a queue; one writer thread lines the
two inputs up, measures levels, and feeds the :class:`RecordingWriter`, which encodes and
seals a chunk to disk about every second.

Blocks of 1024 frames (128 ms at 8 kHz, ``[audio] blocksize``) and an input latency of 0.5 s
(``[audio] latency_s``, the device ring buffer PortAudio asks ALSA for) let a loaded machine
leave the recorder unscheduled for about half a second without losing audio; the writer drains
everything queued at each wake-up and encodes it in one piece per channel
(docs/recording.md, "Capture benchmark").

Those same buffers let the recorder's threads (the writer and PortAudio's callback threads) run
below the window's UI thread (:data:`THREAD_NICE`, Linux): they need about 2 % of a core, but in
short turns that, on the core the transcription worker leaves the window, made the UI thread
wait for a CPU (docs/ui.md, round 10).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass

import numpy as np

from app.priority import ThreadLowering, nice_above

log = logging.getLogger("carecall.recording.capture")

_STOP = object()

#: how far below the process's main (UI) thread the writer and PortAudio's callback threads run
#: (nice values, Linux; elsewhere unchanged). They only ever wait behind the window's own threads
#: (nice values rank threads inside the window's autogroup); the 0.5 s input buffer and the
#: unbounded queue to the writer cover the turns they wait. Above the task runner's + 15.
THREAD_NICE = 10


class RecorderError(Exception):
    """A device problem explained for a person."""


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_samplerate: float
    hostapi: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.hostapi}, {self.channels} ch)"


def list_input_devices() -> list[InputDevice]:
    """Every input PortAudio sees (an empty list when there is no audio system)."""
    import sounddevice as sd

    try:
        devs = sd.query_devices()
        apis = sd.query_hostapis()
    except Exception as e:  # noqa: BLE001 - PortAudio reports many kinds of trouble
        log.warning("cannot list audio devices: %s", e)
        return []
    out = []
    for d in devs:
        if d["max_input_channels"] > 0:
            out.append(InputDevice(d["index"], d["name"], d["max_input_channels"], d["default_samplerate"],
                                   apis[d["hostapi"]]["name"]))
    return out


@dataclass(frozen=True)
class RecorderStats:
    """Counters of one recording, per channel (administrator, caller); see Recorder.stats().

    A lossless recording has no overflows and ``frames_written == frames_captured[i] +
    silence_frames[i] + padded_frames[i]`` for both channels.
    """

    overflows: tuple[int, int]  # callbacks whose input reported an overflow (audio was lost)
    frames_captured: tuple[int, int]  # frames delivered by the input(s)
    frames_written: int  # frames (of both channels) handed to the RecordingWriter
    silence_frames: tuple[int, int]  # silence filled in while that input stalled
    padded_frames: tuple[int, int]  # silence added at stop to end both channels together


@dataclass(frozen=True)
class ChannelLevel:
    rms: float = 0.0  # 0..1 of full scale
    peak: float = 0.0


class Recorder:
    """Records one call at a time from one 2-channel input or two inputs.

    ``store`` is a :class:`app.recording.store.RecordingStore`. ``start(call_id)`` opens the
    devices and a recording; ``stop()`` closes both and returns the recording id.
    """

    def __init__(self, store, admin_device: str | int | None, caller_device: str | int | None = None,
                 samplerate: int = 8000, blocksize: int = 1024, latency: float | str = 0.5,
                 max_skew_s: float | None = None, thread_nice: int = THREAD_NICE) -> None:
        self.store = store
        self.admin_device = admin_device if admin_device not in ("",) else None
        self.caller_device = caller_device if caller_device not in ("",) else None
        self.samplerate = samplerate
        self.blocksize = blocksize
        self.latency = latency  # seconds (or "low"/"high"): PortAudio sizes the device buffer from it
        if max_skew_s is None:
            # One input may run behind the other by its whole device buffer plus a period without
            # anything being lost; only a longer silence means it stalled (unplugged, hung).
            max_skew_s = max(0.5, 2 * latency) if isinstance(latency, (int, float)) else 0.5
        self._max_skew = int(max_skew_s * samplerate)
        self._max_stall_s = max_skew_s
        self._stopping = False
        self._queue: queue.Queue = queue.Queue()
        self._streams: list = []
        self._thread: threading.Thread | None = None
        self._writer = None
        self._lock = threading.Lock()
        self._levels = (ChannelLevel(), ChannelLevel())
        self.overflows = 0  # callbacks that reported an input overflow, all inputs together
        self._reset_counters()
        self.error = ""
        self.recording_id: int | None = None
        # this recording's threads (writer, PortAudio callbacks), each lowered as it first runs
        self._lowering = ThreadLowering(nice_above(os.getpid(), thread_nice))

    def _reset_counters(self) -> None:
        # Each element is written by one thread only (a PortAudio callback or the writer).
        self._overflows = [0, 0]
        self._captured = [0, 0]
        self._written = 0
        self._silence = [0, 0]
        self._padded = [0, 0]

    @property
    def lowered_threads(self) -> set[int]:
        """Native ids of this recording's threads set to the lower priority (Linux)."""
        return self._lowering.lowered

    def stats(self) -> RecorderStats:
        """Counters of the current (or last) recording; safe from any thread."""
        return RecorderStats(tuple(self._overflows), tuple(self._captured), self._written,
                             tuple(self._silence), tuple(self._padded))

    # --- control ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, call_id: int | None) -> int:
        import sounddevice as sd

        if self.running:
            raise RecorderError("already recording")
        self.error = ""
        self.overflows = 0
        self._stopping = False
        self._reset_counters()
        self._lowering = ThreadLowering(self._lowering.nice)
        self._queue = queue.Queue()
        self._streams = []
        try:
            if self.caller_device is not None:
                self._streams.append(self._open(sd, self.admin_device, 1, 0, "the administrator's microphone"))
                self._streams.append(self._open(sd, self.caller_device, 1, 1, "the caller input"))
            else:
                self._streams.append(self._open(sd, self.admin_device, 2, None, "the 2-channel call input"))
        except RecorderError:
            for s in self._streams:
                s.close()
            self._streams = []
            raise
        try:
            self._writer = self.store.start(call_id, self.samplerate, 2)
        except BaseException:  # no keyring, database or disk: release the devices again
            for s in self._streams:
                s.close()
            self._streams = []
            raise
        self.recording_id = self._writer.recording_id
        self._thread = threading.Thread(target=self._run, name=f"recorder-{self.recording_id}", daemon=True)
        self._thread.start()
        for s in self._streams:
            s.start()
        return self.recording_id

    def _open(self, sd, device, channels: int, which: int | None, what: str):
        sides = (0, 1) if which is None else (which,)
        lowering = self._lowering

        def callback(indata, frames, time_info, status):  # PortAudio thread: copy and go
            lowering.apply()
            if status.input_overflow:
                self.overflows += 1
                for i in sides:
                    self._overflows[i] += 1
            for i in sides:
                self._captured[i] += len(indata)
            self._queue.put((which, indata.copy()))

        try:
            return sd.InputStream(device=device, samplerate=self.samplerate, channels=channels, dtype="int16",
                                  blocksize=self.blocksize, latency=self.latency, callback=callback)
        except Exception as e:  # noqa: BLE001 - PortAudioError, ValueError for unknown names
            name = "the default input" if device is None else repr(device)
            raise RecorderError(f"cannot open {what} {name}: {e}") from None

    def stop(self) -> int | None:
        """Close the devices, write what is left, mark the recording complete."""
        # Each input takes up to a period to stop: an end that comes earlier is padded at the stop,
        # not filled as a stalled input.
        self._stopping = True
        errors: list[BaseException] = []

        def close(s) -> None:
            try:
                s.stop()  # PortAudio lets the period it is waiting for arrive: up to 0.3 s at 0.5 s latency
            except BaseException as e:  # noqa: BLE001 - reported after the writer has finished
                errors.append(e)
            finally:
                s.close()

        # Both inputs at once, so neither runs on alone for a period after the other has stopped.
        others = [threading.Thread(target=close, args=(s,), name="recorder-stop") for s in self._streams[1:]]
        for t in others:
            t.start()
        if self._streams:
            close(self._streams[0])
        for t in others:
            t.join()
        self._streams = []
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None
            self._log_stats()
        self._levels = (ChannelLevel(), ChannelLevel())
        if errors:
            raise errors[0]
        return self.recording_id

    def _log_stats(self) -> None:
        st = self.stats()
        lost = any(st.overflows) or any(st.silence_frames)
        (log.warning if lost else log.info)(
            "recording %s: %d frames written; input overflows %d/%d, silence for a stalled input %d/%d frames, "
            "padded at stop %d/%d frames (administrator/caller)", self.recording_id, st.frames_written,
            *st.overflows, *st.silence_frames, *st.padded_frames)

    def levels(self) -> tuple[ChannelLevel, ChannelLevel]:
        """(administrator, caller) levels of the latest audio; safe from any thread."""
        with self._lock:
            return self._levels

    def input_latencies(self) -> list[float]:
        """The input latency PortAudio reports for each open stream, seconds (its buffer)."""
        return [float(s.latency) for s in self._streams]

    @property
    def flushed_seconds(self) -> float:
        w = self._writer
        return w.flushed_frames / self.samplerate if w is not None else 0.0

    # --- writer thread --------------------------------------------------------------------
    def _take(self) -> tuple[list, bool]:
        """Everything queued (waiting up to 0.1 s for the first block); True once stop was asked."""
        items = []
        try:
            items.append(self._queue.get(timeout=0.1))
            while True:
                items.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        for k, x in enumerate(items):
            if x is _STOP:
                return items[:k], True
        return items, False

    def _run(self) -> None:
        import time

        self._lowering.apply()
        w = self._writer
        pend = [np.zeros(0, np.int16), np.zeros(0, np.int16)]
        last_seen = [time.monotonic(), time.monotonic()]
        try:
            while True:
                items, stopping = self._take()
                got: list[list[np.ndarray]] = [[pend[0]], [pend[1]]]
                for which, data in items:
                    if which is None:  # one 2-channel input: both sides in each block
                        got[0].append(data[:, 0])
                        got[1].append(data[:, 1])
                    else:
                        got[which].append(data[:, 0])
                        last_seen[which] = time.monotonic()
                pend = [g[0] if len(g) == 1 else np.concatenate(g) for g in got]
                # An input that delivers nothing for a while (unplugged, stalled) is filled with
                # silence so the other side is still written; data arriving late is not padded.
                now = time.monotonic()
                for side in (0, 1):
                    other = 1 - side
                    lack = len(pend[other]) - len(pend[side])
                    if lack > self._max_skew and now - last_seen[side] > self._max_stall_s and not self._stopping:
                        pend[side] = np.concatenate([pend[side], np.zeros(lack, np.int16)])
                        self._silence[side] += lack
                n = min(len(pend[0]), len(pend[1]))
                if n:
                    self._emit(w, pend[0][:n], pend[1][:n])
                    pend = [pend[0][n:], pend[1][n:]]
                if stopping:
                    break
            n = max(len(pend[0]), len(pend[1]))
            if n:
                a = np.zeros(n, np.int16)
                b = np.zeros(n, np.int16)
                a[: len(pend[0])] = pend[0]
                b[: len(pend[1])] = pend[1]
                self._padded[0] += n - len(pend[0])
                self._padded[1] += n - len(pend[1])
                self._emit(w, a, b)
            w.close()
        except Exception as e:  # noqa: BLE001 - disk full, database gone: keep what was saved
            self.error = f"recording stopped: {e}"
            log.exception("recording %s failed", self.recording_id)
            try:
                w.abort(self.error)
            except Exception:  # noqa: BLE001
                log.exception("could not mark recording %s interrupted", self.recording_id)

    def _emit(self, w, admin: np.ndarray, caller: np.ndarray) -> None:
        w.write_channels(admin, caller)
        # The meter shows the latest audio: the last block (128 ms by default) of each side.
        k = max(1, min(self.blocksize, len(admin)))
        with self._lock:
            self._levels = (_level(admin[-k:]), _level(caller[-k:]))
        self._written += len(admin)


def _level(x: np.ndarray) -> ChannelLevel:
    """RMS and peak of int16 samples, 0..1 of full scale (32768)."""
    if not len(x):
        return ChannelLevel()
    peak = max(int(x.max()), -int(x.min()))
    f = x.astype(np.float32)
    return ChannelLevel(float(np.sqrt(np.dot(f, f) / len(f))) / 32768.0, peak / 32768.0)
