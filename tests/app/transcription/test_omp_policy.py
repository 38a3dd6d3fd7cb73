"""CTranslate2's OpenMP threads must sleep, not spin, when idle (see app/transcription/engines.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import os, app.transcription.engines, ctranslate2;"
    "maps = open('/proc/self/maps').read();"
    "print(os.environ.get('OMP_WAIT_POLICY'), 'libgomp' in maps)"
)


def _probe(extra_env: dict[str, str]) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    env.update(extra_env)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    return out.stdout.split()


def test_engines_make_openmp_threads_passive_before_ctranslate2_loads():
    policy, gomp_loaded = _probe({})
    assert policy == "PASSIVE"
    assert gomp_loaded == "True"  # the library that reads the policy is the one CTranslate2 uses


@pytest.mark.parametrize("chosen", ["ACTIVE", "passive"])
def test_a_policy_set_by_the_clinic_is_kept(chosen):
    assert _probe({"OMP_WAIT_POLICY": chosen})[0] == chosen
