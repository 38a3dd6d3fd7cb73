"""Recording figures for container format 2 (one mono Ogg Opus stream per channel): size per
call-minute at several per-channel Opus bitrates, leak of one speaker into the other channel,
CPU time of encoding and of opening for playback, what selecting a call in the review library
costs (the stored peak envelope against opening and decoding the audio), and (with --asr) whether the bundled speech
model transcribes the encoded call as well as the original, per speaker.

    .venv/bin/python scripts/bench_recording.py [--asr] [--per-channel 6,8,10,12,16] [--langs en,ru]

Speech: the two-channel ~3-minute English and Russian calls of scripts/bench_transcribe.py
(Festival voices through G.711, app.transcription.synth, seed 11), administrator on channel 0
and caller on channel 1, faint line noise (-60 dBFS). Sizes include the encrypted container.

* ``leak_db``: measured on the same calls without line noise (the other channel is digital
  silence, so anything there came from the codec): energy on the silent speaker's channel
  relative to the talking speaker's in 20 ms frames of single talk, worst direction.
* ``tracks_independent``: each decoded track is sample-identical whether or not the other
  speaker's channel carries the call, i.e. nothing of one speaker can be in the other's track.
* CPU figures: process CPU seconds per second of audio (best of --repeat runs), not wall time.
* WER: each channel's transcript against that speaker's turns, normalised as in
  bench_transcribe.py (numbers in one form); ``errors`` = substitutions + deletions + insertions.
  The production decoding retries a failing segment at temperature > 0 (random sampling), so a
  few words can differ between runs of the same audio.

Prints JSON. Needs no keyring (a throwaway master key in memory).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WHO = ("administrator", "caller")  # channel 0, channel 1

# The 40.6 s English call of the format-1 figures; scripts/bench_capture.py loops it.
TURNS_EN = [
    (1, "Hello, I would like to book an appointment with the dentist."),
    (0, "Good morning, Smile dental clinic. Of course. Which day suits you?"),
    (1, "Thursday afternoon if possible, my tooth has been aching since Monday."),
    (0, "We have a free slot on Thursday at three fifteen with doctor Smirnova."),
    (1, "That is fine. How much does the first consultation cost?"),
    (0, "The consultation is fifteen hundred roubles, the X-ray is included."),
    (1, "Great, please book me. My name is Olga Ivanova."),
    (0, "Thank you Olga, you are booked for Thursday at three fifteen. See you then."),
]


class _MemoryKeys:
    """Bench only: the store's key interface with a key that lives in memory."""

    def __init__(self) -> None:
        from app.security.keys import KeyManager

        self._km = KeyManager("bench")
        self._km._master = os.urandom(32)

    def __getattr__(self, name):
        return getattr(self._km, name)


def _leak_db(original, decoded, rate: int) -> float:
    """Worst-direction energy on the silent channel relative to the talking one (20 ms frames
    where one channel speaks and the other is digitally silent for +-100 ms around)."""
    import numpy as np

    frame, guard = rate // 50, 5
    n = min(original.shape[1], decoded.shape[1]) // frame * frame
    o = original[:, :n].reshape(2, -1, frame)
    d = decoded[:, :n].reshape(2, -1, frame).astype(np.float64)
    silent = np.all(o == 0, axis=2)
    quiet = silent.copy()
    for k in range(1, guard + 1):  # silent around the frame too
        quiet[:, k:] &= silent[:, :-k]
        quiet[:, :-k] &= silent[:, k:]
    loud = np.sqrt(np.mean(o.astype(np.float64) ** 2, axis=2)) > 0.01
    worst = -200.0
    for talk, other in ((0, 1), (1, 0)):
        m = loud[talk] & quiet[other]
        if m.any():
            worst = max(worst, 10 * np.log10(float(np.mean(d[other][m] ** 2)) / float(np.mean(d[talk][m] ** 2))
                                             + 1e-30))
    return round(worst, 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-channel", default="6,8,10,12,16", help="Opus kbit/s per channel (the setting is x2)")
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--asr", action="store_true", help="also transcribe original and encoded audio")
    ap.add_argument("--asr-runs", type=int, default=1, help="transcriptions of each version (errors listed)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per bitrate for the CPU figures (best kept)")
    a = ap.parse_args()

    import numpy as np

    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_transcribe import TURNS, normalise  # the same calls and scoring as the ASR bench

    import app.recording.store as store_mod
    from app.recording.container import VERSION_2
    from app.recording.store import RecordingStore, audio_suffix
    from app.transcription.synth import RATE, build_call
    from db.session import make_engine, session_factory, upgrade

    langs = a.langs.split(",")
    work = Path(tempfile.mkdtemp(prefix="carecall-bench-rec-"))
    calls = {lg: build_call(TURNS[lg], lg, work / "phrases", seed=11) for lg in langs}  # (2, n), noise -60 dBFS
    clean = {lg: build_call(TURNS[lg], lg, work / "phrases", seed=11, noise_db=None) for lg in langs}
    seconds = {lg: calls[lg].shape[1] / RATE for lg in langs}
    total_s = sum(seconds.values())
    engine = make_engine(f"sqlite:///{work / 'bench.sqlite3'}")
    upgrade(engine)
    sessions = session_factory(engine)
    keys = _MemoryKeys()
    out = {"format_version": VERSION_2, "samplerate": RATE, "call_seconds": {lg: round(s, 1) for lg, s in seconds.items()},
           "bitrates": []}

    def record(store, audio):
        w = store.start(None, RATE)
        frames = audio.T.copy()
        for i in range(0, len(frames), RATE // 10):  # 100 ms blocks, as the capture thread writes
            w.write(frames[i:i + RATE // 10])
        return w.close()

    decoded: dict[tuple[float, str], np.ndarray] = {}
    for per_ch in [float(x) for x in a.per_channel.split(",")]:
        store = RecordingStore(sessions, work / "rec", keys, bitrate_kbps=2 * per_ch, fsync=False)
        size = enc_cpu = open_cpu = 0.0
        leak, independent, per_lang, playback = -200.0, True, {}, []
        for lg in langs:
            enc, opn = [], []
            for _ in range(max(1, a.repeat)):
                t0 = time.process_time()
                rid = record(store, calls[lg])
                enc.append(time.process_time() - t0)
                t0 = time.process_time()
                played = store.open_decrypted(rid)
                opn.append(time.process_time() - t0)
            enc_cpu, open_cpu = enc_cpu + min(enc), open_cpu + min(opn)
            b = store.info(rid).size_bytes
            size += b
            per_lang[lg] = round(b / 1024 / (seconds[lg] / 60), 1)
            playback.append(f"{lg}: {audio_suffix(played)} {len(played) // 1024} KB")
            decoded[(per_ch, lg)] = store.load_audio(rid)[0]
            c = clean[lg]
            both = store.load_audio(record(store, c))[0]
            leak = max(leak, _leak_db(c, both, RATE))
            # each track must decode the same whether the other speaker talks or not
            for ch in (0, 1):
                alone = c.copy()
                alone[1 - ch] = 0
                independent &= bool(np.array_equal(store.load_audio(record(store, alone))[0][ch], both[ch]))
        kb_min = size / 1024 / (total_s / 60)
        out["bitrates"].append({
            "kbps_per_channel": per_ch, "bitrate_kbps_setting": 2 * per_ch,
            "kb_per_minute": round(kb_min, 1), "kb_per_minute_by_language": per_lang,
            "mb_per_hour": round(kb_min * 60 / 1024, 2),
            "leak_db": leak, "tracks_independent": independent,
            "encode_cpu_pct_realtime": round(100 * enc_cpu / total_s, 2),
            "open_decrypted_cpu_pct_realtime": round(100 * open_cpu / total_s, 2),
            "playback_file": ", ".join(playback),
        })
        print(json.dumps(out["bitrates"][-1]), file=sys.stderr, flush=True)

    # Ogg page latency (crash loss vs bytes) at the default bitrate: each page costs ~40 bytes
    # of header per track. The store uses store.OGG_PAGE_LATENCY_MS; the bench varies it.
    default_ms, out["page_latency"] = store_mod.OGG_PAGE_LATENCY_MS, []
    for ms in (250.0, 500.0, 1000.0):
        store_mod.OGG_PAGE_LATENCY_MS = ms
        store = RecordingStore(sessions, work / "rec", keys, fsync=False)
        size = sum(store.info(record(store, calls[lg])).size_bytes for lg in langs)
        out["page_latency"].append({"ms": ms, "bitrate_kbps_setting": store.bitrate_kbps,
                                    "kb_per_minute": round(size / 1024 / (total_s / 60), 1)})
    store_mod.OGG_PAGE_LATENCY_MS = default_ms

    # Selecting a recorded call in the review library, per minute of call, at the default bitrate:
    # before f878e7f it opened the audio (decrypt, decode both tracks, FLAC for the player) and
    # decoded that FLAC again for the waveform; now it reads the envelope kept with the recording,
    # and the audio is opened only when Play is pressed (the first line's cost, moved there).
    from app.review.waveform import waveform_from_peaks, waveform_of

    store = RecordingStore(sessions, work / "rec", keys, fsync=False)
    sel = {"per_minute_of_call_cpu_ms": {}, "envelope_bytes_per_minute": {}}
    for lg in langs:
        rid = record(store, calls[lg])
        minutes = seconds[lg] / 60
        before, now, env_bytes = [], [], 0
        for _ in range(max(1, a.repeat)):
            t0 = time.process_time()
            waveform_of(store.open_decrypted(rid))
            before.append(time.process_time() - t0)
            t0 = time.process_time()
            waveform_from_peaks(store.peaks(rid))
            now.append(time.process_time() - t0)
        with sessions() as s:
            from db.models import Recording

            env_bytes = len(s.get(Recording, rid).peaks)
        sel["per_minute_of_call_cpu_ms"][lg] = {"before_open_and_decode": round(1000 * min(before) / minutes, 1),
                                                "now_stored_envelope": round(1000 * min(now) / minutes, 2)}
        sel["envelope_bytes_per_minute"][lg] = round(env_bytes / minutes)
    out["selecting_a_call"] = sel
    print(json.dumps(sel), file=sys.stderr, flush=True)

    if a.asr:
        import jiwer

        from app.settings import AsrSettings
        from app.transcription.engines import create_engine, transcribe_channels
        from app.transcription.model import ensure_bundled_model

        asr = AsrSettings(threads=2)  # the application's decoding defaults
        out["asr_settings"] = {k: getattr(asr, k) for k in ("compute_type", "beam_size", "temperature_fallback")}
        eng = create_engine("faster-whisper", str(ensure_bundled_model()), asr)

        def score(audio, lg):
            """Per speaker: word errors of each run, words, WER of the first run."""
            res = {who: {"errors": []} for who in WHO}
            for _ in range(max(1, a.asr_runs)):
                segs = transcribe_channels(eng, audio, RATE, lg)
                for ch, who in enumerate(WHO):
                    ref = normalise(" ".join(t for c, t in TURNS[lg] if c == ch), lg)
                    hyp = normalise(" ".join(s.text for s in segs if s.channel == ch), lg)
                    m = jiwer.process_words(ref, hyp or "<empty>")
                    res[who]["errors"].append(m.substitutions + m.deletions + m.insertions)
                    res[who]["words"] = len(ref.split())
            for who in WHO:
                res[who]["wer"] = round(res[who]["errors"][0] / res[who]["words"], 3)
            return res

        out["asr_original"] = orig = {lg: score(calls[lg], lg) for lg in langs}
        print(json.dumps(orig), file=sys.stderr, flush=True)
        for row in out["bitrates"]:
            row["asr"] = {}
            for lg in langs:
                enc = score(decoded[(row["kbps_per_channel"], lg)], lg)
                for who in WHO:  # mean word errors more than on the original (negative: fewer)
                    e, o = enc[who]["errors"], orig[lg][who]["errors"]
                    enc[who]["extra_errors"] = round(sum(e) / len(e) - sum(o) / len(o), 1)
                row["asr"][lg] = enc
            print(json.dumps({row["kbps_per_channel"]: row["asr"]}), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
