"""`carecall softphone` and `carecall webhook` as a person runs them (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.telephony.sip_agents import baresip_available, free_sip_port, silence

ROOT = Path(__file__).resolve().parents[3]


def carecall(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
@pytest.mark.skipif(not baresip_available(), reason="baresip-core is not installed")
def test_softphone_runs_headless_prints_status_and_stops(tmp_path):
    port = free_sip_port()
    cfg = tmp_path / "carecall.toml"
    cfg.write_text(
        "[telephony]\nsource = \"softphone\"\n"
        f"sip_uri = \"sip:clinic@127.0.0.1:{port}\"\nsip_options = \";regint=0\"\n"
        f"sip_listen = \"127.0.0.1:{port}\"\n"
        f"audio_source = \"aufile,{silence(tmp_path / 's.wav', 5)}\"\naudio_player = \"aufile,/dev/null\"\n")
    r = carecall("softphone", "--config", str(cfg), "--no-db", "--seconds", "1")
    assert r.returncode == 0, r.stderr
    states = [json.loads(line)["status"] for line in r.stdout.splitlines() if line.startswith("{")]
    assert states[:2] == ["starting", "ready"] and states[-1] == "stopped"


def test_softphone_without_an_account_says_what_to_set(tmp_path):
    r = carecall("softphone", "--no-db", "--seconds", "1")
    assert r.returncode == 2
    assert "telephony.sip_uri" in r.stderr and "Traceback" not in r.stderr


def test_settings_refuse_a_sip_password_in_the_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[telephony]\nsip_uri = "sip:101@pbx"\nauth_pass = "x"\n')
    r = carecall("softphone", "--config", str(cfg), "--no-db")
    assert r.returncode == 2 and "keyring" in r.stderr
