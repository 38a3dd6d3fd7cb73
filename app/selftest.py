"""``carecall --self-test``: checks that an installed CareCall (from source or the one-folder
bundle) works on this machine, without Python or a network.

The UI's composition root (``ui.main.run``) calls :func:`prepare_self_test` first: unless
``--database`` is given, the test runs on a fresh demo clinic in a temporary directory (the
clinic's real database is never touched). Then ``ui.main.self_test`` renders a card offscreen
and runs the checks added here: the bundled resources are readable, and the bundled speech model
transcribes the bundled sample (``resources/samples/selftest_en.wav``, Festival speech) with the
expected words in the text.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Callable

log = logging.getLogger("carecall.selftest")

SAMPLE = "selftest_en.wav"
SAMPLE_TEXT = "Hello, this is the dental clinic. We are calling to confirm your appointment on Monday."
EXPECTED_WORDS = ("clinic", "confirm", "appointment", "monday")
DEMO_PATIENTS = 150


def sample_path() -> Path:
    return Path(str(resources.files("resources") / "samples" / SAMPLE))


def prepare_self_test(settings, args, checks: list[Callable]) -> None:
    """Point the self-test at a temporary demo database (unless --database was given) and add
    this module's checks to *checks* (ui.main.SELF_TEST_CHECKS)."""
    for check in (check_resources, check_recording_codec, check_transcribe_sample):
        if check not in checks:
            checks.append(check)
    if getattr(args, "database", None):
        return
    tmp = Path(tempfile.mkdtemp(prefix="carecall-selftest-"))
    atexit.register(shutil.rmtree, tmp, True)
    url = f"sqlite:///{tmp / 'demo.sqlite3'}"
    args.database = url
    print(f"ok   demo_database: {_make_demo(settings, url)}")


def _make_demo(settings, url: str) -> str:
    from db.session import make_engine, upgrade

    t0 = time.perf_counter()
    engine = make_engine(url)
    try:
        upgrade(engine)
        try:
            from app.demo import generate
        except ImportError:
            return "no demo generator in this build: empty database"
        n = min(settings.database.demo_patients or DEMO_PATIENTS, DEMO_PATIENTS)
        stats = generate(engine, n, settings.database.demo_seed, bonus=settings.bonus)
    finally:
        engine.dispose()
    return f"demo clinic with {stats.patients} patients in a temporary directory ({time.perf_counter() - t0:.1f} s)"


def check_resources(ctx) -> str:
    """The data files the program reads at run time are where importlib.resources finds them."""
    base = resources.files("resources")
    found = []
    missing = []
    for rel in ("style/carecall.qss", f"samples/{SAMPLE}"):
        (found if (base / rel).is_file() else missing).append(rel)
    qms = [p.name for p in (base / "translations").iterdir() if p.name.endswith(".qm")]
    if not any(n.endswith("_ru.qm") for n in qms):
        missing.append("translations/*_ru.qm")
    scripts = base / "scripts"
    if not scripts.is_dir() or not any(scripts.iterdir()):
        missing.append("scripts/")
    mig = resources.files("db") / "migrations" / "versions"
    revisions = [p.name for p in mig.iterdir() if p.name[:4].isdigit() and p.name.endswith((".py", ".pyc"))]
    if not revisions:
        missing.append("db/migrations/versions")
    if missing:
        raise RuntimeError("missing resources: " + ", ".join(missing))
    return f"{len(qms)} translations, {len(revisions)} migrations, style, scripts and sample found"


def check_recording_codec(ctx) -> str:
    """Recordings can be written and read here: the libsndfile the recorder chose (the system's on
    Linux when it passes its checks, else the one bundled with soundfile; app.recording.sndlib)
    encodes two channels of 8 kHz Ogg Opus in memory and decodes them again, each channel what
    was put in it."""
    import io

    import numpy as np
    import soundfile as sf

    from app.recording.sndlib import select_libsndfile

    lib = select_libsndfile()
    t = np.arange(8000) / 8000
    x = np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * 1000 * t)], axis=1).astype(np.float32)
    buf = io.BytesIO()
    with sf.SoundFile(buf, "w", samplerate=8000, channels=2, format="OGG", subtype="OPUS") as f:
        f.write(x)
    y, sr = sf.read(io.BytesIO(buf.getvalue()), dtype="float32", always_2d=True)
    if sr != 8000 or y.shape[1] != 2 or len(y) < 7000:
        raise RuntimeError(f"an Ogg Opus round trip gave {y.shape} at {sr} Hz with {lib.version} ({lib.source})")
    spectrum = [np.abs(np.fft.rfft(y[1000:7000, c])) for c in (0, 1)]
    peaks = [float(np.argmax(sp)) * 8000 / 6000 for sp in spectrum]  # Hz (bins of 8000 / 6000 Hz)
    if abs(peaks[0] - 440) > 20 or abs(peaks[1] - 1000) > 20:
        raise RuntimeError(f"the channels came back as {peaks[0]:.0f} / {peaks[1]:.0f} Hz, not 440 / 1000 Hz")
    where = f" from {lib.path}" if lib.path else ""
    return f"Ogg Opus with {lib.version} ({lib.source}{where}), {len(buf.getvalue())} bytes for 1 s of two channels"


def check_transcribe_sample(ctx) -> str:
    """The bundled model (faster-whisper, offline) hears the expected words in the sample."""
    from app.transcription.audio import load_audio_file, to_model_rate
    from app.transcription.engines import create_engine

    t0 = time.perf_counter()
    audio, sr = load_audio_file(sample_path())
    mono = to_model_rate(audio.mean(axis=0), sr)
    asr = ctx.settings.asr.model_copy()
    engine = create_engine("faster-whisper", "", asr)
    segs, _lang = engine.transcribe(mono, "en")
    text = " ".join(s.text for s in segs)
    words = {w.strip(".,!?").lower() for w in text.split()}
    heard = [w for w in EXPECTED_WORDS if w in words]
    if len(heard) < 2:
        raise RuntimeError(f"the sample was heard as {text!r}; expected the words {', '.join(EXPECTED_WORDS)}")
    return f"{engine.model_name}: {text.strip()!r} ({time.perf_counter() - t0:.1f} s)"
