"""Which libsndfile encodes recordings, and that both write streams the other reads.

Real libraries: the soundfile wheel's libsndfile 1.2.2 and the system's (Debian package
libsndfile1, installed by scripts/setup.sh), both loaded in this process.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.recording import sndlib
from app.recording.store import RecordingStore
from tests.app.recording.conftest import dominant_hz, tone

ROOT = Path(__file__).resolve().parents[3]


def _chosen_in_child(env_value: str | None) -> str:
    env = dict(os.environ)
    env.pop(sndlib.ENV, None)
    if env_value is not None:
        env[sndlib.ENV] = env_value
    code = ("import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stdout, format='%(message)s')\n"
            "import app.recording.store, app.recording.capture\n"
            "from app.recording.sndlib import chosen, select_libsndfile; import soundfile as sf\n"
            "assert select_libsndfile('bundled') is chosen()\n"  # decided once; a later call changes nothing
            "c = chosen(); print('chosen', c.source, c.version, sf.__libsndfile_version__)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_the_system_library_is_chosen_on_linux_and_logged_once():
    out = _chosen_in_child(None)
    assert out.count("libsndfile:") == 1, out
    line = next(x for x in out.splitlines() if x.startswith("chosen "))
    source, version, module_version = line.split()[1:]
    assert source == "system" and version == "libsndfile-" + module_version, out
    assert version != sndlib._version(sndlib.bundled_library())  # really another library
    assert "from /" in out  # opened by its path, not by the soname the wheel's library also has


def test_the_bundled_library_can_be_forced():
    out = _chosen_in_child("bundled")
    line = next(x for x in out.splitlines() if x.startswith("chosen "))
    assert line.split()[1:3] == ["bundled", sndlib._version(sndlib.bundled_library())], out
    assert "CARECALL_LIBSNDFILE=bundled" in out, out


def test_this_process_uses_two_different_libraries():
    assert sndlib.chosen().source == "system"
    system, bundled = sf._snd, sndlib.bundled_library()
    assert system is not bundled
    assert sndlib._version(system) == sndlib.chosen().version != sndlib._version(bundled)


def _record(store: RecordingStore, lib, seconds: float = 3.0) -> int:
    def write() -> int:
        w = store.start(None, 8000, 2)
        stereo = np.stack([tone(440, seconds), tone(1000, seconds, amp=0.15)], axis=1)
        for i in range(0, len(stereo), 1024):
            w.write(stereo[i:i + 1024])
        return w.close()

    return sndlib.with_library(lib, write)


@pytest.mark.parametrize("writer, reader", [("bundled", "system"), ("system", "bundled")])
def test_recordings_written_by_either_library_decode_with_the_other(store, writer, reader):
    libs = {"system": sf._snd, "bundled": sndlib.bundled_library()}
    rid = _record(store, libs[writer])
    audio, sr = sndlib.with_library(libs[reader], lambda: store.load_audio(rid))
    assert sr == 8000 and audio.shape[0] == 2
    assert abs(audio.shape[1] - 3 * 8000) <= 8000 * 0.02, audio.shape
    assert abs(dominant_hz(audio[0], sr) - 440) < 5 and abs(dominant_hz(audio[1], sr) - 1000) < 5
    rms = (audio[:, 4000:] ** 2).mean(axis=1) ** 0.5
    assert abs(rms[0] - 0.3 / np.sqrt(2)) < 0.03 and abs(rms[1] - 0.15 / np.sqrt(2)) < 0.03, rms
    # what the player gets (FLAC built from the decoded tracks) decodes too
    flac = sndlib.with_library(libs[reader], lambda: store.open_decrypted(rid))
    assert sf.info(io.BytesIO(flac)).frames == audio.shape[1]


def test_an_interrupted_recording_of_the_bundled_library_is_salvaged_by_the_system_one(store):
    bundled = sndlib.bundled_library()

    def write_and_crash() -> int:
        w = store.start(None, 8000, 2)
        stereo = np.stack([tone(440, 2.5), tone(1000, 2.5)], axis=1)
        for i in range(0, len(stereo), 1024):
            w.write(stereo[i:i + 1024])
        w._sealed.abort()  # the process dies: no final chunk, the row still says "recording"
        return w.recording_id

    rid = sndlib.with_library(bundled, write_and_crash)
    assert store.recover_interrupted(stale_after_s=0) == [rid]
    audio, sr = store.load_audio(rid)
    assert store.info(rid).status == "interrupted"
    assert audio.shape[1] >= 2 * sr - 0.3 * sr  # the two flushed seconds, less an Opus frame or a page
    assert abs(dominant_hz(audio[0], sr) - 440) < 5


def test_both_libraries_write_the_same_ogg_opus_header():
    """Both libraries write the same Ogg Opus layout: one logical stream, OpusHead at 8 kHz."""
    libs = {"system": sf._snd, "bundled": sndlib.bundled_library()}
    heads = {}
    for name, lib in libs.items():
        def enc() -> bytes:
            buf = io.BytesIO()
            with sf.SoundFile(buf, "w", samplerate=8000, channels=1, format="OGG", subtype="OPUS") as f:
                f.write(tone(440, 1.0))
            return buf.getvalue()

        data = sndlib.with_library(lib, enc)
        i = data.index(b"OpusHead")
        heads[name] = (data[:4], data[i:i + 10], int.from_bytes(data[i + 12:i + 16], "little"))
    assert heads["system"] == heads["bundled"] == (b"OggS", b"OpusHead\x01\x01", 8000)
