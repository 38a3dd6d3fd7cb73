"""Recording figures: size per minute at several Opus bitrates, encoder speed, and (with --asr)
whether the bundled speech model transcribes the encoded call as well as the original.

    .venv/bin/python scripts/bench_recording.py [--asr] [--bitrates 12,16,20,24]

Speech: a two-channel synthetic call (Festival voices through G.711, app.transcription.synth),
administrator on channel 0 and caller on channel 1. The encrypted container is included in the
sizes. Prints JSON. Needs no keyring (a throwaway master key in memory).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def _wer(ref: str, hyp: str) -> float:
    import re

    import jiwer

    norm = lambda s: re.sub(r"[^\w\s]", " ", s.lower()).split()  # noqa: E731
    return round(jiwer.wer(" ".join(norm(ref)), " ".join(norm(hyp)) or "<empty>"), 3)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bitrates", default="12,16,20,24,32")
    ap.add_argument("--asr", action="store_true", help="also transcribe original and encoded audio")
    a = ap.parse_args()

    import numpy as np
    import soundfile as sf

    from app.recording.store import RecordingStore
    from app.transcription.synth import RATE, build_call
    from db.session import make_engine, session_factory, upgrade

    work = Path(tempfile.mkdtemp(prefix="carecall-bench-rec-"))
    call = build_call(TURNS_EN, "en", work / "speech")  # (2, n) float32, 8 kHz
    seconds = call.shape[1] / RATE
    engine = make_engine(f"sqlite:///{work / 'bench.sqlite3'}")
    upgrade(engine)
    out = {"speech_seconds": round(seconds, 1), "samplerate": RATE, "bitrates": []}
    decoded = {}
    for kbps in [float(x) for x in a.bitrates.split(",")]:
        store = RecordingStore(session_factory(engine), work / "rec", _MemoryKeys(), bitrate_kbps=kbps, fsync=False)
        t0 = time.perf_counter()
        w = store.start(None, RATE)
        frames = call.T.copy()
        for i in range(0, len(frames), RATE // 10):
            w.write(frames[i:i + RATE // 10])
        rid = w.close()
        enc_s = time.perf_counter() - t0
        size = store.info(rid).size_bytes
        audio, _ = store.load_audio(rid)
        decoded[kbps] = audio
        out["bitrates"].append({
            "kbps": kbps, "kb_per_minute": round(size / 1024 / (seconds / 60), 1),
            "encode_realtime_factor": round(enc_s / seconds, 4),
        })
    if a.asr:
        from app.settings import AsrSettings
        from app.transcription.engines import create_engine, transcribe_channels
        from app.transcription.model import ensure_bundled_model

        asr = AsrSettings(language="en")
        eng = create_engine("faster-whisper", str(ensure_bundled_model()), asr)
        refs = {ch: " ".join(t for c, t in TURNS_EN if c == ch) for ch in (0, 1)}

        def score(audio):
            segs = transcribe_channels(eng, audio, RATE, "en")
            text = {ch: " ".join(s.text for s in segs if s.channel == ch) for ch in (0, 1)}
            return {f"wer_ch{ch}": _wer(refs[ch], text[ch]) for ch in (0, 1)}

        out["asr_original"] = score(call)
        for row in out["bitrates"]:
            row.update(score(decoded[row["kbps"]]))
    print(json.dumps(out, indent=2))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
