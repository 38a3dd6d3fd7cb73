"""Encrypted, crash-safe recordings: real Ogg Opus, real keyring, SQLite and PostgreSQL."""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
import soundfile as sf

from app.recording.container import HEADER_LEN
from app.recording.store import (
    RecordingCorrupt,
    RecordingNotFound,
    RecordingStore,
    RecordingUnavailable,
    WrongMasterKey,
)
from app.security.keys import KeyManager
from db.models import Call, Recording
from tests.app.recording.conftest import dominant_hz, tone


def _record(store, call_id, seconds=3.0, sr=8000, block=800):
    x = np.stack([tone(440, seconds, sr), tone(1000, seconds, sr, amp=0.2)], axis=1)
    w = store.start(call_id, sr)
    for i in range(0, len(x), block):
        w.write(x[i:i + block])
    return w.close(), x


def _file(store, rid):
    with store.sessions() as s:
        return store.storage_dir / s.get(Recording, rid).path


def test_recording_round_trip_channels_and_no_plaintext_on_disk(store, call_id, sessions):
    rid, _ = _record(store, call_id, seconds=4.0)
    audio, sr = store.load_audio(rid)
    assert sr == 8000 and audio.dtype == np.float32 and audio.shape[0] == 2
    assert abs(audio.shape[1] - 4 * 8000) < 400
    assert abs(dominant_hz(audio[0], sr) - 440) < 5  # administrator
    assert abs(dominant_hz(audio[1], sr) - 1000) < 5  # caller
    raw = _file(store, rid).read_bytes()
    assert b"OggS" not in raw and b"OpusHead" not in raw
    ogg = store.open_decrypted(rid)
    assert ogg.startswith(b"OggS")
    with sf.SoundFile(io.BytesIO(ogg)) as f:
        assert (f.format, f.subtype, f.channels) == ("OGG", "OPUS", 2)
    with sessions() as s:
        r = s.get(Recording, rid)
        assert r.status == "complete" and r.call_id == call_id and abs(r.duration_s - 4.0) < 0.01
        assert r.size_bytes == len(raw) and len(r.sha256) == 64 and r.key_id == store.keys.key_id
        assert r.wrapped_key and r.finished_at is not None


def test_only_the_right_master_key_opens_a_recording(store, call_id, sessions, real_keyring, tmp_path):
    rid, _ = _record(store, call_id, seconds=1.0)
    other = RecordingStore(sessions, store.storage_dir, KeyManager(real_keyring + "another-clinic"))
    with pytest.raises(WrongMasterKey, match="carecall key import"):
        other.open_decrypted(rid)
    # Even with a forged key id the wrapped key does not open.
    with store.sessions.begin() as s:
        s.get(Recording, rid).key_id = other.keys.key_id
    with pytest.raises(WrongMasterKey):
        other.open_decrypted(rid)


@pytest.mark.parametrize("how", ["flip-ciphertext", "drop-last-chunk", "flip-last-flag", "other-recording"])
def test_tampering_is_detected(store, call_id, how):
    rid, _ = _record(store, call_id, seconds=3.0)
    p = _file(store, rid)
    raw = bytearray(p.read_bytes())
    if how == "flip-ciphertext":
        raw[HEADER_LEN + 40] ^= 0x01
    elif how == "drop-last-chunk":
        # walk the chunks and cut the final one off
        pos, last = HEADER_LEN, HEADER_LEN
        while pos < len(raw):
            last = pos
            pos += 5 + int.from_bytes(raw[pos:pos + 4], "big")
        raw = raw[:last]
    elif how == "flip-last-flag":
        raw[HEADER_LEN + 4] ^= 0x01
    else:
        rid2, _ = _record(store, call_id, seconds=1.0)
        raw = bytearray(_file(store, rid2).read_bytes())
    p.write_bytes(bytes(raw))
    with pytest.raises(RecordingCorrupt):
        store.open_decrypted(rid)


def test_crash_is_recovered_up_to_the_last_flush(store, call_id, sessions):
    """A writer that stops without close() (as after kill -9): the tail beyond the last
    flush is lost, the rest is salvaged, the call is marked interrupted."""
    w = store.start(call_id, 8000)
    x = np.stack([tone(440, 5.5), tone(1000, 5.5)], axis=1)
    for i in range(0, len(x), 400):
        w.write(x[i:i + 400])
    flushed = w.flushed_frames / 8000
    assert 4.9 <= flushed <= 5.5
    w._sealed.abort()  # the process dies: the kernel closes its file, nothing more is written
    # simulate a torn write: half a chunk at the end of the file
    with open(_file(store, w.recording_id), "ab") as f:
        f.write(b"\x00\x00\x10\x00\x00" + b"x" * 100)
    # a live recording on another workstation (fresh file) is left alone
    assert store.recover_interrupted(stale_after_s=3600) == []
    assert store.recover_interrupted(stale_after_s=0) == [w.recording_id]
    info = store.info(w.recording_id)
    assert info.status == "interrupted" and "stopped during the call" in info.error
    assert flushed - 0.1 <= info.duration_s <= flushed + 0.05
    audio, sr = store.load_audio(w.recording_id)
    assert abs(audio.shape[1] / sr - info.duration_s) < 0.05
    assert abs(dominant_hz(audio[1], sr) - 1000) < 5
    with sessions() as s:
        assert s.get(Call, call_id).interrupted is True
    assert store.recover_interrupted(stale_after_s=0) == []  # done once


def test_recording_killed_before_any_audio_is_marked_interrupted(store, call_id):
    w = store.start(call_id, 8000)
    w._sealed.abort()
    _file(store, w.recording_id).write_bytes(b"")  # nothing reached the disk
    assert store.recover_interrupted(stale_after_s=0) == [w.recording_id]
    info = store.info(w.recording_id)
    assert info.status == "interrupted" and "no audio survived" in info.error
    with pytest.raises((RecordingUnavailable, RecordingCorrupt)):
        store.open_decrypted(w.recording_id)


def test_delete_shreds_the_key_and_removes_the_file(store, call_id, sessions):
    rid, _ = _record(store, call_id, seconds=1.0)
    p = _file(store, rid)
    store.delete(rid)
    assert not p.exists()
    with sessions() as s:
        r = s.get(Recording, rid)
        assert r.status == "deleted" and r.wrapped_key == b""
    with pytest.raises(RecordingUnavailable, match="deleted"):
        store.open_decrypted(rid)
    with pytest.raises(RecordingNotFound):
        store.open_decrypted(rid + 1000)


def _speech_wav(path, text, voice="en", seconds=None):
    tmp = path.with_suffix(".22k.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(tmp), text], check=True, timeout=60)
    subprocess.run(["sox", str(tmp), "-r", "8000", "-c", "1", "-b", "16", str(path)], check=True, timeout=60)
    tmp.unlink()


def test_import_call_audio_from_softphone_wavs(store, call_id, tmp_path, sessions):
    enc = tmp_path / "dump-enc.wav"  # baresip: sent = administrator
    dec = tmp_path / "dump-dec.wav"  # received = caller
    _speech_wav(enc, "Good morning, dental clinic, how can I help you?")
    subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(dec), "synth", "2.5", "sine", "1000",
                    "vol", "0.3"], check=True, timeout=60)
    admin_src, _ = sf.read(enc, dtype="float32")
    rid = store.import_call_audio(call_id, enc, dec)
    assert not enc.exists() and not dec.exists()
    audio, sr = store.load_audio(rid)
    assert sr == 8000 and audio.shape[1] == max(len(admin_src), 20000)
    assert abs(dominant_hz(audio[1][:20000], sr) - 1000) < 5
    # channel 0 is the speech: it correlates with the source (Opus delay compensated by libsndfile)
    n = min(len(admin_src), audio.shape[1])
    r = np.corrcoef(admin_src[:n], audio[0][:n])[0, 1]
    assert r > 0.8, r
    assert np.sqrt(np.mean(audio[1][n:] ** 2)) < 0.01 if n < audio.shape[1] else True
    assert b"OggS" not in _file(store, rid).read_bytes()


def test_import_of_unreadable_audio_keeps_the_sources(store, call_id, tmp_path):
    enc, dec = tmp_path / "x-enc.wav", tmp_path / "x-dec.wav"
    enc.write_bytes(b"not audio")
    dec.write_bytes(b"not audio")
    with pytest.raises(Exception, match="cannot read the administrator audio"):
        store.import_call_audio(call_id, enc, dec)
    assert enc.exists() and dec.exists()


def test_transcription_loader_decrypts_in_memory(store, call_id, settings, tmp_path):
    from app.recording.loader import make_audio_loader

    settings.audio.storage_dir = str(store.storage_dir)
    rid, _ = _record(store, call_id, seconds=2.0)
    load = make_audio_loader(store.sessions, settings, keys=store.keys)
    audio, sr = load(rid)
    assert audio.shape[0] == 2 and sr == 8000 and abs(dominant_hz(audio[0], sr) - 440) < 5
    store.delete(rid)
    with pytest.raises(Exception, match="deleted") as e:
        load(rid)
    assert type(e.value).__name__ == "AudioError"


@pytest.mark.parametrize("kbps, separated", [(32.0, True), (20.0, False)])
def test_speakers_stay_on_their_own_channel(sessions, keys, tmp_path, kbps, separated):
    """Below 32 kbit/s Opus merges stereo channels: the default must keep them apart, or the
    transcript would hear each speaker on both channels (which is why bitrate_kbps >= 32)."""
    store = RecordingStore(sessions, tmp_path / "rec", keys, bitrate_kbps=kbps)
    sr = 8000
    x = np.zeros((4 * sr, 2), np.float32)
    x[: 2 * sr, 0] = tone(300, 2.0) + tone(620, 2.0, amp=0.1)  # administrator speaks, caller silent
    x[2 * sr:, 1] = tone(450, 2.0) + tone(910, 2.0, amp=0.1)  # then the other way round
    w = store.start(None, sr)
    for i in range(0, len(x), 800):
        w.write(x[i:i + 800])
    audio, _ = store.load_audio(w.close())
    a, b = slice(sr // 2, 2 * sr - sr // 4), slice(2 * sr + sr // 2, 4 * sr - sr // 4)
    leak_db = max(10 * np.log10((audio[1, a] ** 2).mean() / (audio[0, a] ** 2).mean() + 1e-30),
                  10 * np.log10((audio[0, b] ** 2).mean() / (audio[1, b] ** 2).mean() + 1e-30))
    assert (leak_db < -40) == separated, leak_db


def test_failed_import_leaves_no_half_recording(store, call_id, tmp_path, sessions, monkeypatch):
    import app.recording.store as st

    enc, dec = tmp_path / "y-enc.wav", tmp_path / "y-dec.wav"
    for p in (enc, dec):
        sf.write(p, tone(500, 1.5), 8000, subtype="PCM_16")

    def disk_full(self, frames):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(st.RecordingWriter, "write", disk_full)  # a full disk cannot be made here
    with pytest.raises(OSError, match="No space"):
        store.import_call_audio(call_id, enc, dec)
    assert enc.exists() and dec.exists()
    with sessions() as s:
        assert s.query(Recording).count() == 0
        assert s.get(Call, call_id).interrupted is False
    assert [p for p in store.storage_dir.rglob("*") if p.is_file()] == []
