"""Synthetic phone calls for tests, benchmarks and demos: Festival speech through G.711.

Needs Debian's festival (text2wave) with festvox-us-slt-hts and festvox-ru, and sox.
Each phrase is spoken by Festival, converted to 8 kHz mu-law and back (as a phone line does),
and placed on channel 0 (administrator) or 1 (caller) with pauses between turns.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import numpy as np

VOICES = {"en": "(voice_cmu_us_slt_arctic_hts)", "ru": "(voice_msu_ru_nsh_clunits)"}
RATE = 8000


class SynthUnavailable(RuntimeError):
    pass


def check_tools() -> None:
    missing = [t for t in ("text2wave", "sox") if shutil.which(t) is None]
    if missing:
        raise SynthUnavailable("missing tools for test speech: " + ", ".join(missing)
                               + " (apt-get install festival festvox-us-slt-hts festvox-ru sox)")


def phrase(text: str, lang: str, workdir: Path) -> np.ndarray:
    """8 kHz float32 mono speech of *text* after a G.711 mu-law round trip (cached by text)."""
    import soundfile as sf

    check_tools()
    workdir.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha1(f"{lang}:{text}".encode()).hexdigest()[:16]
    out = workdir / f"{lang}-{tag}-g711.wav"
    if not out.exists():
        txt, raw, ulaw = workdir / f"{tag}.txt", workdir / f"{tag}.wav", workdir / f"{tag}-ulaw.wav"
        txt.write_text(text + "\n", encoding="utf-8")
        subprocess.run(["text2wave", "-eval", VOICES[lang], str(txt), "-o", str(raw)],
                       check=True, capture_output=True, timeout=120)
        # -R: sox's dither is random unless repeatable; a fresh dither moved the benchmark's
        # Russian WER by up to 3 words (docs/transcription.md), so every build is the same audio
        subprocess.run(["sox", "-R", str(raw), "-r", str(RATE), "-c", "1", "-e", "u-law", "-t", "wav", str(ulaw)],
                       check=True, capture_output=True, timeout=60)
        subprocess.run(["sox", "-R", str(ulaw), "-e", "signed-integer", "-b", "16", str(out) + ".tmp.wav"],
                       check=True, capture_output=True, timeout=60)
        Path(str(out) + ".tmp.wav").rename(out)
        for p in (txt, raw, ulaw):
            p.unlink(missing_ok=True)
    data, sr = sf.read(str(out), dtype="float32")
    assert sr == RATE
    return data


def build_call(turns: list[tuple[int, str]], lang: str, workdir: Path, seed: int = 7,
               noise_db: float = -60.0) -> np.ndarray:
    """A two-channel 8 kHz call (shape (2, n)): each turn on its speaker's channel, with pauses
    of 0.3-1.5 s between turns (sometimes a short overlap) and faint line noise."""
    rng = np.random.default_rng(seed)
    clips = [(ch, phrase(t, lang, workdir)) for ch, t in turns]
    pos = int(0.5 * RATE)
    placed = []
    for ch, clip in clips:
        placed.append((ch, pos, clip))
        gap = rng.uniform(0.3, 1.5) if rng.random() > 0.1 else -0.2
        pos += len(clip) + int(gap * RATE)
    n = max(p + len(c) for _, p, c in placed) + int(0.5 * RATE)
    out = np.zeros((2, n), np.float32)
    for ch, p, clip in placed:
        out[ch, p:p + len(clip)] += clip
    if noise_db is not None:
        out += (10 ** (noise_db / 20) * rng.standard_normal(out.shape)).astype(np.float32)
    return np.clip(out, -1, 1)


def write_wav(path: Path, audio: np.ndarray, rate: int = RATE) -> Path:
    import soundfile as sf

    sf.write(str(path), audio.T if audio.ndim == 2 else audio, rate, subtype="PCM_16")
    return path
