"""The peak envelope kept with each recording (the player's waveform without decoding the audio):
made block by block as the recording is written, sealed with the recording's key, made from the
audio for a recording that has none. Real Ogg Opus, real keyring, SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest

from app.recording.peaks import PEAKS_PER_SECOND, PeakAccumulator, PeaksError, open_peaks, peaks_of_audio, seal_peaks
from app.recording.store import RecordingUnavailable
from db.models import Recording
from db.session import write_session
from tests.app.recording.conftest import tone, write_v1_recording


def _speechlike(seconds: float, sr: int = 8000) -> np.ndarray:
    """Two channels taking turns: the administrator loud in the first half, the caller in the second."""
    n = int(seconds * sr)
    half = n // 2
    adm = tone(440, seconds, sr, amp=0.6)
    cal = tone(700, seconds, sr, amp=0.3)
    adm[half:] *= 0.05
    cal[:half] *= 0.05
    return np.stack([adm, cal], axis=1)


def test_the_envelope_is_the_same_whatever_the_block_sizes_and_int16_is_scaled():
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((8000 * 3 + 123, 2)) * 0.2).clip(-1, 1).astype(np.float32)
    whole = peaks_of_audio(x.T, 8000)
    acc = PeakAccumulator(8000, 2)
    i = 0
    for size in [1, 399, 400, 401, 1024, 7] * 100:
        if i >= len(x):
            break
        acc.add([x[i:i + size, 0], x[i:i + size, 1]])
        i += size
    acc.add([x[i:, 0], x[i:, 1]])
    got = acc.peaks()
    assert got.window == 8000 // PEAKS_PER_SECOND and got.data.shape == (2, 3 * PEAKS_PER_SECOND + 1)
    np.testing.assert_array_equal(got.data, whole.data)
    assert got.data[0, 5] == pytest.approx(np.abs(x[5 * 400:6 * 400, 0]).max())
    assert got.duration == pytest.approx(len(x) / 8000, abs=0.05)
    ints = PeakAccumulator(8000, 1)
    ints.add([np.array([0, -32768, 16384] + [0] * 397, np.int16)])
    assert ints.peaks().data[0].tolist() == [1.0]


def test_a_sealed_envelope_opens_only_with_its_key_and_for_its_recording():
    p = peaks_of_audio(_speechlike(2.0).T, 8000)
    key, other = bytes(range(32)), bytes(32)
    blob = seal_peaks(p, key, 5)
    back = open_peaks(blob, key, 5)
    assert back.samplerate == 8000 and back.window == p.window
    np.testing.assert_allclose(back.data, p.data, atol=1 / 65535)
    for k, rid in ((other, 5), (key, 6)):
        with pytest.raises(PeaksError, match="does not open"):
            open_peaks(blob, k, rid)
    with pytest.raises(PeaksError, match="too short"):
        open_peaks(blob[:20], key, 5)


def test_a_recording_keeps_its_envelope_when_sealed_and_it_is_read_without_decoding(store, call_id, sessions,
                                                                                   monkeypatch):
    x = _speechlike(4.0)
    w = store.start(call_id, 8000)
    for i in range(0, len(x), 1024):
        w.write_channels(x[i:i + 1024, 0], x[i:i + 1024, 1])
    rid = w.close()
    with sessions() as s:
        blob = s.get(Recording, rid).peaks
    assert blob and b"CCP1" not in blob  # kept, and encrypted

    def no_decoding(*_a):
        raise AssertionError("the audio was decoded")

    monkeypatch.setattr(store, "load_audio", no_decoding)
    p = store.peaks(rid)
    assert p.data.shape == (2, 4 * PEAKS_PER_SECOND)
    monkeypatch.undo()
    # what was kept is the envelope of what was recorded: within the codec's error of the decoded audio's
    decoded = peaks_of_audio(*store.load_audio(rid))
    assert decoded.data.shape == p.data.shape
    half = p.data.shape[1] // 2
    steady = np.r_[2:half - 2, half + 2:p.data.shape[1] - 2]  # not the codec's start, end, or the turn
    assert np.abs(decoded.data[:, steady] - p.data[:, steady]).max() < 0.05
    assert p.data[0, :half].mean() > 0.5 and p.data[0, half:].mean() < 0.05  # who spoke when
    assert p.data[1, half:].mean() > 0.25 and p.data[1, :half].mean() < 0.03


def test_a_recording_without_an_envelope_gets_one_from_its_audio_once(store, call_id, sessions, monkeypatch):
    """Recordings made before envelopes were kept (format 1 here), or whose kept one does not
    open: made from the decoded audio on first use and kept, so the next use decodes nothing."""
    x = _speechlike(3.0)
    rid = write_v1_recording(store, call_id, x)
    with sessions() as s:
        assert s.get(Recording, rid).peaks is None
    decodes = []
    real = store.load_audio
    monkeypatch.setattr(store, "load_audio", lambda r: decodes.append(r) or real(r))
    first = store.peaks(rid)
    again = store.peaks(rid)
    assert decodes == [rid]
    np.testing.assert_allclose(again.data, first.data, atol=1 / 65535)
    assert first.duration == pytest.approx(3.0, abs=0.06)
    # a kept envelope that does not open (altered) is made again from the audio, not an error
    with write_session(sessions) as s:
        r = s.get(Recording, rid)
        r.peaks = r.peaks[:-1] + bytes([r.peaks[-1] ^ 1])
    third = store.peaks(rid)
    assert decodes == [rid, rid]
    np.testing.assert_allclose(third.data, first.data, atol=1 / 65535)


def test_a_salvaged_recording_gets_its_envelope_from_what_survived_and_a_deleted_one_has_none(
        store, call_id, sessions):
    w = store.start(call_id, 8000)
    x = _speechlike(3.5)
    for i in range(0, len(x), 400):
        w.write(x[i:i + 400])
    w._sealed.abort()  # killed mid-call
    assert store.recover_interrupted(stale_after_s=0) == [w.recording_id]
    p = store.peaks(w.recording_id)
    assert abs(p.duration - store.info(w.recording_id).duration_s) <= p.seconds_per_peak
    store.delete(w.recording_id)
    with sessions() as s:
        assert s.get(Recording, w.recording_id).peaks is None
    with pytest.raises(RecordingUnavailable, match="deleted"):
        store.peaks(w.recording_id)


def test_the_transcription_loader_keeps_the_envelope_of_a_recording_that_had_none(store, call_id, sessions,
                                                                                  settings, monkeypatch):
    """The worker decodes every recording it transcribes: one without an envelope (here an older,
    format 1 one) gets it then, and showing it later decodes nothing."""
    from app.recording.loader import make_audio_loader

    settings.audio.storage_dir = str(store.storage_dir)
    rid = write_v1_recording(store, call_id, _speechlike(2.0))
    load = make_audio_loader(sessions, settings, keys=store.keys)
    audio, sr = load(rid)
    with sessions() as s:
        assert s.get(Recording, rid).peaks
    kept = store.peaks(rid)  # read from the row (a decode would be counted below)
    decodes = []
    monkeypatch.setattr(store, "load_audio", lambda r: decodes.append(r))
    np.testing.assert_allclose(store.peaks(rid).data, peaks_of_audio(audio, sr).data, atol=1 / 65535)
    assert decodes == [] and kept.data.shape[1] == 2 * PEAKS_PER_SECOND
    assert store.keep_peaks_of(rid, audio, sr) is False  # kept once; not written again
