"""Which libsndfile soundfile uses: the system's one on Linux when it does Ogg Opus, else the wheel's.

The soundfile wheel bundles libsndfile 1.2.2 with libopus 1.4. Debian 12's libsndfile 1.2.0
(package libsndfile1, libopus 1.3.1) encodes the same 8 kHz mono speech at the recording's
8 kbit/s per channel with 41 % less CPU (300 s of the capture benchmark's speech: 2.48 vs 4.23
CPU-s, 298,720 vs 301,550 bytes; docs/recording.md, "Capture benchmark"). Both write and read the
same Ogg Opus streams (tests/app/recording/test_sndlib.py), so recording format 2 does not change.

soundfile's functions look up the module global ``soundfile._snd`` at call time, so
:func:`select_libsndfile` loads the system library with soundfile's own cffi ``_ffi`` and puts it
there, once, before any recording is written (``app.recording.store`` calls it on import). It
checks the library first: version at least 1.1.0 (the Ogg page latency command the writer uses),
Ogg Opus accepted, and a short encode/decode round trip in memory. Anything else keeps the
bundled library. ``CARECALL_LIBSNDFILE=bundled`` (or ``system``, which fails loudly if the
system library is unusable) overrides the choice; the choice is logged once.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import threading
from ctypes.util import find_library
from dataclasses import dataclass

log = logging.getLogger("carecall.recording.sndlib")

ENV = "CARECALL_LIBSNDFILE"
MIN_VERSION = (1, 1, 0)


@dataclass(frozen=True)
class LibInfo:
    source: str  # "system" or "bundled"
    version: str  # e.g. "libsndfile-1.2.0"
    path: str  # what was dlopen'ed ("" when soundfile chose it)
    reason: str = ""  # why the bundled one was kept


_lock = threading.Lock()
_chosen: LibInfo | None = None
_bundled = None  # the library soundfile loaded itself, kept for tests and for a way back


class LibsndfileUnusable(Exception):
    pass


def _version_tuple(s: str) -> tuple[int, ...]:
    v = s.split("-", 1)[-1]
    out = []
    for part in v.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        out.append(int(digits))
    return tuple(out)


def _version(lib) -> str:
    import soundfile as sf

    return sf._ffi.string(lib.sf_version_string()).decode("utf-8", "replace")


def with_library(lib, fn):
    """Run ``fn()`` with soundfile using ``lib``; for checks and tests only (not thread-safe)."""
    import soundfile as sf

    old = sf._snd
    sf._snd = lib
    try:
        return fn()
    finally:
        sf._snd = old


def _roundtrip() -> None:
    """Encode 0.2 s of tone as 8 kHz mono Ogg Opus in memory and decode it again."""
    import numpy as np
    import soundfile as sf

    t = np.arange(1600) / 8000
    x = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    buf = io.BytesIO()
    with sf.SoundFile(buf, "w", samplerate=8000, channels=1, format="OGG", subtype="OPUS") as f:
        f.write(x)
    y, sr = sf.read(io.BytesIO(buf.getvalue()), dtype="float32")
    if sr != 8000 or len(y) < 1000 or float(np.abs(y).max()) < 0.1:
        raise LibsndfileUnusable(f"Ogg Opus round trip gave {len(y)} frames at {sr} Hz")


def _system_paths() -> list[str]:
    """Absolute paths of the system's libsndfile.so.1 (ldconfig's cache first).

    By its bare name dlopen would hand back the wheel's library, which is already loaded under
    the same soname, so the file is opened by its path."""
    name = find_library("sndfile")
    if name is None:
        return []
    if os.path.isabs(name):
        return [name]
    paths = []
    try:
        out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, timeout=10,
                             env={"LC_ALL": "C", "LANG": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    for line in out.splitlines():
        left, _, right = line.partition("=>")
        if left.split() and left.split()[0] == name and right.strip():
            paths.append(right.strip())
    for d in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
              "/usr/lib64", "/usr/lib"):
        p = os.path.join(d, name)
        if os.path.exists(p) and not any(os.path.realpath(p) == os.path.realpath(q) for q in paths):
            paths.append(p)
    return paths


def load_system():
    """The system libsndfile, checked; raises LibsndfileUnusable with the reason."""
    import soundfile as sf

    if not sys.platform.startswith("linux"):
        raise LibsndfileUnusable("not Linux")
    paths = _system_paths()
    if not paths:
        raise LibsndfileUnusable("no system libsndfile (Debian/Ubuntu: apt install libsndfile1)")
    own = sf._ffi.cast("void *", bundled_library().sf_version_string)
    problems = []
    for path in paths:
        try:
            lib = sf._ffi.dlopen(path)
        except OSError as e:
            problems.append(f"cannot load {path}: {e}")
            continue
        if sf._ffi.cast("void *", lib.sf_version_string) == own:
            problems.append(f"{path} is the library soundfile already uses")
            continue
        break
    else:
        raise LibsndfileUnusable("; ".join(problems))
    version = _version(lib)
    if _version_tuple(version) < MIN_VERSION:
        raise LibsndfileUnusable(f"{path} is {version}, older than 1.1.0")
    if not lib.sf_format_check(sf._ffi.new("SF_INFO*", {"samplerate": 8000, "channels": 1,
                                                         "format": sf._formats["OGG"] | sf._subtypes["OPUS"]})):
        raise LibsndfileUnusable(f"{path} ({version}) has no Ogg Opus")
    try:
        with_library(lib, _roundtrip)
    except Exception as e:  # noqa: BLE001 - libsndfile errors come in several types
        raise LibsndfileUnusable(f"{path} ({version}) failed an Ogg Opus round trip: {e}") from None
    return lib, path, version


def bundled_library():
    """The library soundfile loaded by itself (the wheel's, where there is one)."""
    import soundfile as sf

    return _bundled if _bundled is not None else sf._snd


def select_libsndfile(prefer: str | None = None) -> LibInfo:
    """Choose the library once per process (later calls return the first choice)."""
    global _chosen, _bundled
    import soundfile as sf

    with _lock:
        if _chosen is not None:
            return _chosen
        prefer = (prefer or os.environ.get(ENV, "") or "auto").strip().lower()
        if prefer not in ("auto", "system", "bundled"):
            raise ValueError(f"{ENV} must be auto, system or bundled, not {prefer!r}")
        _bundled = sf._snd
        own = _version(sf._snd)
        packaged = getattr(sf, "_full_path", "")  # set only when the wheel's library was loaded
        if prefer == "bundled":
            _chosen = LibInfo("bundled", own, packaged, f"{ENV}=bundled")
        elif not packaged:
            _chosen = LibInfo("system", own, getattr(sf, "_libname", ""), "soundfile already uses it")
        else:
            try:
                lib, path, version = load_system()
            except LibsndfileUnusable as e:
                if prefer == "system":
                    raise
                _chosen = LibInfo("bundled", own, packaged, str(e))
            else:
                sf._snd = lib
                sf.__libsndfile_version__ = version.split("-", 1)[-1]
                _chosen = LibInfo("system", version, path)
        if _chosen.source == "system":
            log.info("libsndfile: %s from %s (Opus encoding about 40 %% cheaper than the bundled one)",
                     _chosen.version, _chosen.path)
        else:
            log.info("libsndfile: the bundled %s (%s)", _chosen.version, _chosen.reason)
        return _chosen


def chosen() -> LibInfo | None:
    return _chosen
