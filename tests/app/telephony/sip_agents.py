"""Real baresip agents and real speech for telephony tests (loopback only).

Every process started here is stopped by its own pid with a time bound.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from pathlib import Path

PHRASE_EN = "Hello, I would like to book an appointment with the dentist tomorrow morning."
_CACHE: dict[str, Path] = {}


def free_sip_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (baresip listens on both).

    Taken from 61000-65000, above the kernel's ephemeral range (32768-60999 here) and above
    baresip's RTP range (1024-49152): a port probed with bind(0) could be handed to another
    socket or to a call's RTP before baresip binds it (seen once as baresip exit code 98)."""
    rnd = random.Random()
    for _ in range(200):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            port = rnd.randint(61000, 65000)
            t.bind(("127.0.0.1", port))
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise RuntimeError("no free SIP port")


def silence(path: Path, seconds: float) -> Path:
    subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)],
                   check=True, timeout=30)
    return path


def phrase(dir_: Path, text: str = PHRASE_EN) -> Path:
    """The phrase spoken by Festival's SLT voice, as 8 kHz mono 16-bit WAV (cached per run)."""
    if text in _CACHE and _CACHE[text].exists():
        return _CACHE[text]
    dir_.mkdir(parents=True, exist_ok=True)
    (dir_ / "phrase.txt").write_text(text, encoding="utf-8")
    raw = dir_ / "phrase-raw.wav"
    subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", str(dir_ / "phrase.txt"), "-o", str(raw)],
                   check=True, timeout=60, capture_output=True)
    out = dir_ / "phrase8k.wav"
    # half a second of lead-in so the first word is not clipped while RTP starts
    subprocess.run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(out), "pad", "0.5", "0.3"],
                   check=True, timeout=30)
    _CACHE[text] = out
    return out


class PatientAgent:
    """A baresip "patient" that dials *target* and plays *wav* as its microphone.

    When the WAV ends, baresip's aufile reports end of file and the patient hangs up."""

    def __init__(self, dir_: Path, number: str, target: str | None, wav: Path, lifetime: int = 30):
        """*target* None: do not dial, answer incoming calls automatically."""
        self.dir = dir_
        self.port = free_sip_port()
        dir_.mkdir(parents=True, exist_ok=True)
        (dir_ / "config").write_text(
            "poll_method epoll\n"
            f"sip_listen 127.0.0.1:{self.port}\n"
            "audio_player aufile,/dev/null\n"
            f"audio_source aufile,{wav}\n"
            "audio_alert aufile,/dev/null\n"
            "module_path /usr/lib/baresip/modules\n"
            "module g711.so\nmodule aufile.so\n"
            "module_app account.so\nmodule_app menu.so\n")
        auto = "" if target else ";answermode=auto"
        (dir_ / "accounts").write_text(f"<sip:{number}@127.0.0.1:{self.port}>;regint=0{auto}\n")
        self.uri = f"sip:{number}@127.0.0.1:{self.port}"
        self.target = target
        self.lifetime = lifetime
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "PatientAgent":
        self.log = open(self.dir / "baresip.log", "wb")
        dial = ["-e", f"/dial {self.target}"] if self.target else []
        self.proc = subprocess.Popen(
            ["baresip", "-f", str(self.dir), "-t", str(self.lifetime), *dial],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self, timeout: float = 5.0) -> None:
        p = self.proc
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout)
        if getattr(self, "log", None):
            self.log.close()


def baresip_available() -> bool:
    return shutil.which("baresip") is not None and Path("/usr/lib/baresip/modules/ctrl_tcp.so").exists()


def wait_for(pred, timeout: float, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()
