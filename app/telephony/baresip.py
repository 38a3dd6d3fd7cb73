"""The built-in softphone: CareCall runs and supervises its own baresip.

* **Configuration** is generated into a private runtime directory (mode 0700) for each start:
  ``config`` (modules, audio devices, ``ctrl_tcp`` on 127.0.0.1 with a free port, ``sndfile``
  recording into ``rec/``) and ``accounts`` (the administrator's SIP account).
* **The SIP password** comes from the OS keyring (``sip:<sip_uri>``). baresip only reads it from
  its accounts file, so that file is written with mode 0600 inside the 0700 directory and
  deleted as soon as baresip has loaded it (when ``ctrl_tcp`` answers). It is never written to
  the user's own ``~/.baresip``. On a restart it is written again, and deleted again.
* **Control and events** travel over ``ctrl_tcp`` as netstrings of JSON; each command carries a
  token and waits for the answer with that token.
* **Supervision**: a thread starts baresip, reads its events, and when baresip dies reports it
  (StatusEvent "died"), ends a call in progress as interrupted (a HUNGUP with
  ``raw["interrupted"] = True``, carrying the audio written so far), and restarts it with an
  exponential backoff.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.telephony.events import CallEvent, EventKind, Source, StatusEvent, utcnow
from app.telephony.netstring import NetstringParser, encode

log = logging.getLogger("carecall.telephony.baresip")

_MAX_SND_PATH = 80
MODULE_DIRS = ("/usr/lib/baresip/modules", "/usr/local/lib/baresip/modules", "/usr/lib64/baresip/modules")


class SoftphoneError(RuntimeError):
    """A message for the administrator: baresip missing, not answering, a command refused."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class SoftphoneConfig:
    sip_uri: str  # sip:101@pbx.clinic.local
    auth_user: str = ""
    sip_options: str = ""  # ;regint=0 for a peer-to-peer account
    sip_listen: str = ""
    audio_source: str = ""
    audio_player: str = ""
    record: bool = True
    binary: str = "baresip"
    module_dir: str = ""
    ctrl_port: int = 0  # 0: a free loopback port chosen at each start
    restart_max_delay_s: float = 30.0
    extra_modules: list[str] = field(default_factory=list)

    @classmethod
    def from_settings(cls, t) -> "SoftphoneConfig":
        if not t.sip_uri:
            raise SoftphoneError("no SIP account configured (telephony.sip_uri in the settings file)")
        return cls(sip_uri=t.sip_uri, auth_user=t.sip_auth_user, sip_options=t.sip_options,
                   sip_listen=t.sip_listen, audio_source=t.audio_source, audio_player=t.audio_player,
                   record=t.record_calls, binary=t.baresip_binary, module_dir=t.baresip_modules,
                   restart_max_delay_s=t.restart_max_delay_s)

    def resolved_module_dir(self) -> str:
        if self.module_dir:
            return self.module_dir
        for d in MODULE_DIRS:
            if Path(d, "ctrl_tcp.so").exists():
                return d
        raise SoftphoneError("baresip modules not found (install baresip-core, or set telephony.baresip_modules)")


def keyring_password(sip_uri: str) -> str | None:
    """The SIP password from the OS keyring (``carecall secret set sip:<uri>``)."""
    from app.secrets import get_secret

    return get_secret(f"sip:{sip_uri}")


_UNREADABLE = set(' \t\r\n;"')


def _check_param(name: str, v: str) -> str:
    """baresip 1.0 reads account parameters up to the next ';' or blank and has no quoting:
    a value with those characters would be cut silently, so it is refused with a message."""
    bad = sorted({c for c in v if c in _UNREADABLE or ord(c) < 32})
    if bad:
        shown = ", ".join({" ": "space", "\t": "tab", "\r": "CR", "\n": "LF"}.get(c, repr(c)) for c in bad)
        raise SoftphoneError(f"the SIP {name} contains characters baresip cannot read ({shown}); "
                             "change it on the PBX and in the keyring")
    return v


def account_line(cfg: SoftphoneConfig, password: str | None) -> str:
    uri = cfg.sip_uri if cfg.sip_uri.startswith(("sip:", "sips:")) else "sip:" + cfg.sip_uri
    if any(c in uri for c in "<>\r\n\" \t"):
        raise SoftphoneError(f"{cfg.sip_uri!r} is not a SIP address")
    line = f"<{uri}>"
    if cfg.auth_user:
        line += f";auth_user={_check_param('user name', cfg.auth_user)}"
    if password:
        line += f";auth_pass={_check_param('password', password)}"
    opts = cfg.sip_options.strip()
    if any(c in opts for c in "\r\n"):
        raise SoftphoneError("telephony.sip_options must be on one line")
    if opts:
        line += opts if opts.startswith(";") else ";" + opts
    return line + "\n"


def config_text(cfg: SoftphoneConfig, ctrl_port: int, rec_dir: Path) -> str:
    for name in ("sip_listen", "audio_source", "audio_player", "module_dir"):
        if any(c in str(getattr(cfg, name)) for c in "\r\n"):
            raise SoftphoneError(f"telephony.{name} must be on one line")
    lines = [
        "poll_method epoll" if os.name == "posix" and Path("/proc").exists() else "",
        f"sip_listen {cfg.sip_listen}" if cfg.sip_listen else "",
        f"audio_player {cfg.audio_player or 'alsa,default'}",
        f"audio_source {cfg.audio_source or 'alsa,default'}",
        "audio_alert aufile,/dev/null" if cfg.audio_player.startswith("aufile") else
        f"audio_alert {cfg.audio_player or 'alsa,default'}",
        f"module_path {cfg.resolved_module_dir()}",
        "module g711.so",
        "module opus.so" if Path(cfg.resolved_module_dir(), "opus.so").exists() else "",
    ]
    src_mod = (cfg.audio_source or "alsa").split(",")[0]
    play_mod = (cfg.audio_player or "alsa").split(",")[0]
    for m in dict.fromkeys([src_mod, play_mod, *cfg.extra_modules]):
        lines.append(f"module {m}.so")
    if cfg.record:
        lines += ["module sndfile.so", f"snd_path {rec_dir}"]
    lines += [
        "module_app account.so",
        "module_app menu.so",
        "module_app ctrl_tcp.so",
        f"ctrl_tcp_listen 127.0.0.1:{ctrl_port}",
    ]
    return "\n".join(x for x in lines if x) + "\n"


def private_dir(parent: Path | None = None) -> Path:
    """A fresh 0700 directory for one run (under the user's runtime dir when it exists)."""
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    d = Path(tempfile.mkdtemp(prefix="carecall-softphone-", dir=str(parent) if parent else None))
    os.chmod(d, 0o700)
    return d


def write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


# --- WAV recovery -------------------------------------------------------------------------

def repair_wav(path: str | Path) -> bool:
    """Make a WAV that a killed baresip left without final sizes readable again.

    libsndfile writes the RIFF/data sizes when the file is closed; a crash leaves them at 0.
    The audio bytes are all there, so the sizes are set from the file's length. Returns True
    when the header was changed."""
    p = Path(path)
    size = p.stat().st_size
    with open(p, "r+b") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return False
        pos = 12
        changed = False
        while pos + 8 <= size:
            f.seek(pos)
            cid, clen = struct.unpack("<4sI", f.read(8))
            if cid == b"data":
                real = size - pos - 8
                if clen != real:
                    f.seek(pos + 4)
                    f.write(struct.pack("<I", real - (real % 2)))
                    changed = True
                break
            pos += 8 + clen + (clen & 1)
        riff = size - 8
        f.seek(4)
        if struct.unpack("<I", f.read(4))[0] != riff:
            f.seek(4)
            f.write(struct.pack("<I", riff))
            changed = True
    return changed


# --- ctrl_tcp client ----------------------------------------------------------------------

class CtrlClient:
    """One ctrl_tcp connection: commands with tokens, events to a callback (reader thread)."""

    def __init__(self, host: str, port: int, on_message: Callable[[dict], None],
                 on_close: Callable[[], None] | None = None):
        self.host, self.port = host, port
        self._on_message = on_message
        self._on_close = on_close
        self._sock: socket.socket | None = None
        self._tokens = itertools.count(1)
        self._waiting: dict[str, tuple[threading.Event, list]] = {}
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._closed = False
        self.parser = NetstringParser()
        self.bad_messages = 0

    def connect(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                self._sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError as e:
                last = e
                time.sleep(0.05)
        else:
            raise SoftphoneError(f"baresip's control port 127.0.0.1:{self.port} does not answer: {last}")
        self._sock.settimeout(None)
        self._reader = threading.Thread(target=self._read_loop, name="baresip-ctrl", daemon=True)
        self._reader.start()

    def _read_loop(self) -> None:
        sock = self._sock
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                for payload in self.parser.feed(data):
                    self._dispatch(payload)
        except OSError:
            pass
        finally:
            with self._lock:
                for ev, box in self._waiting.values():
                    box.append(None)
                    ev.set()
            if not self._closed and self._on_close:
                self._on_close()

    def _dispatch(self, payload: bytes) -> None:
        try:
            msg = json.loads(payload.decode("utf-8"))
            if not isinstance(msg, dict):
                raise ValueError("not a JSON object")
        except (UnicodeDecodeError, ValueError) as e:
            self.bad_messages += 1
            log.warning("ignoring an unreadable ctrl_tcp message (%s): %r", e, payload[:120])
            return
        if msg.get("response"):
            tok = str(msg.get("token", ""))
            with self._lock:
                w = self._waiting.get(tok)
            if w:
                w[1].append(msg)
                w[0].set()
            return
        try:
            self._on_message(msg)
        except Exception:  # noqa: BLE001
            log.exception("event handler failed on %r", msg)

    def command(self, command: str, params: str = "", timeout: float = 5.0) -> str:
        if self._sock is None:
            raise SoftphoneError("the softphone is not running")
        tok = f"cc{next(self._tokens)}"
        ev, box = threading.Event(), []
        with self._lock:
            self._waiting[tok] = (ev, box)
        try:
            data = json.dumps({"command": command, "params": params, "token": tok}).encode()
            try:
                self._sock.sendall(encode(data))
            except OSError as e:
                raise SoftphoneError(f"the softphone is not reachable: {e}") from None
            if not ev.wait(timeout):
                raise SoftphoneError(f"the softphone did not answer {command!r} in {timeout:.0f} s")
            msg = box[0]
            if msg is None:
                raise SoftphoneError(f"the softphone stopped while running {command!r}")
            if not msg.get("ok", False):
                raise SoftphoneError(f"the softphone refused {command!r}: {str(msg.get('data', '')).strip()}")
            return str(msg.get("data", ""))
        finally:
            with self._lock:
                self._waiting.pop(tok, None)

    def close(self) -> None:
        self._closed = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(2.0)


# --- baresip event -> CallEvent ----------------------------------------------------------------

_KINDS = {
    "CALL_INCOMING": EventKind.RINGING,
    "CALL_OUTGOING": EventKind.DIALING,  # newer baresip; 1.0 starts with CALL_LOCAL_SDP/CALL_RINGING
    "CALL_RINGING": EventKind.DIALING,  # the far end rings (outgoing calls only)
    "CALL_PROGRESS": EventKind.DIALING,
    "CALL_ESTABLISHED": EventKind.ANSWERED,
    "CALL_CLOSED": EventKind.HUNGUP,
    "CALL_HOLD": EventKind.HOLD,
    "CALL_RESUME": EventKind.RESUME,
}


def to_call_event(msg: dict, at: datetime | None = None) -> CallEvent | None:
    """A ctrl_tcp event as a CallEvent, or None for events CareCall does not need."""
    kind = _KINDS.get(str(msg.get("type", "")))
    if kind is None or msg.get("class") not in (None, "call"):
        return None
    cid = str(msg.get("id") or "")
    if not cid:
        log.warning("baresip %s without a call id: %r", msg.get("type"), msg)
        return None
    direction = "outbound" if msg.get("direction") == "outgoing" else "inbound"
    return CallEvent(kind, cid, str(msg.get("peeruri") or ""), direction, Source.SOFTPHONE,
                     at or utcnow(), str(msg.get("param") or "") if kind == EventKind.HUNGUP else "", dict(msg))


# --- the supervisor ---------------------------------------------------------------------------

class Softphone:
    """Runs baresip, restarts it when it dies, and exposes the call commands."""

    def __init__(self, cfg: SoftphoneConfig, on_event: Callable[[CallEvent], None],
                 on_status: Callable[[StatusEvent], None] | None = None,
                 password: Callable[[], str | None] | None = None,
                 runtime_parent: Path | None = None, on_raw: Callable[[dict], None] | None = None):
        self.cfg = cfg
        self._on_event = on_event
        self._on_status = on_status or (lambda s: None)
        self._on_raw = on_raw
        self._password = password if password is not None else (lambda: keyring_password(cfg.sip_uri))
        self._runtime_parent = runtime_parent
        self.proc: subprocess.Popen | None = None
        self.ctrl: CtrlClient | None = None
        self.dir: Path | None = None
        self.rec_dir: Path | None = None
        self.ctrl_port = 0
        self.restarts = 0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._calls: dict[str, dict] = {}  # id -> {"direction", "number", "files_before"}
        self._claimed: set[str] = set()
        self._lock = threading.Lock()
        self.last_error = ""

    # lifecycle -----------------------------------------------------------------------------
    def start(self, wait: float = 10.0) -> None:
        if shutil.which(self.cfg.binary) is None:
            raise SoftphoneError(f"{self.cfg.binary!r} is not installed (apt-get install baresip-core)")
        self.cfg.resolved_module_dir()
        self._stop.clear()
        self._thread = threading.Thread(target=self._supervise, name="baresip-supervisor", daemon=True)
        self._thread.start()
        if wait and not self._ready.wait(wait):
            raise SoftphoneError(f"the softphone did not start in {wait:.0f} s: {self.last_error or 'no answer'}")

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._kill(timeout)
        if self._thread is not None:
            self._thread.join(timeout + 2)
        self._remove_dirs()
        self._status("stopped", "softphone stopped")

    def _remove_dirs(self) -> None:
        """Remove the runtime dir; raw audio still waiting for the recording pipeline stays."""
        for d in (self.rec_dir, self.dir):
            if d is None or not d.exists():
                continue
            if d == self.rec_dir and any(d.iterdir()):
                continue
            if (d == self.dir and self.rec_dir is not None and self.rec_dir.parent == d and self.rec_dir.exists()
                    and any(self.rec_dir.iterdir())):
                for p in d.iterdir():
                    if p != self.rec_dir:
                        p.unlink(missing_ok=True) if p.is_file() else shutil.rmtree(p, ignore_errors=True)
                continue
            shutil.rmtree(d, ignore_errors=True)

    def _status(self, state: str, message: str = "") -> None:
        try:
            self._on_status(StatusEvent(Source.SOFTPHONE, state, message))
        except Exception:  # noqa: BLE001
            log.exception("status listener failed")

    def _kill(self, timeout: float) -> None:
        ctrl, proc = self.ctrl, self.proc
        if ctrl is not None:
            ctrl.close()
        if proc is not None and proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)

    def _supervise(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self._launch()
            except SoftphoneError as e:
                self.last_error = str(e)
                log.error("softphone failed to start: %s", e)
                self._status("error", str(e))
                self._kill(3.0)
            else:
                self._status("ready", f"softphone ready ({self.cfg.sip_uri})")
                self._ready.set()
                while not self._stop.is_set() and self.proc.poll() is None:
                    self._stop.wait(0.2)
                self._ready.clear()
                if self._stop.is_set():
                    break
                code = self.proc.returncode
                self.last_error = f"baresip exited with code {code}"
                log.error("softphone died (exit code %s)", code)
                self._status("died", f"the softphone stopped unexpectedly (exit code {code}); restarting")
                self._interrupt_calls()
                self.ctrl.close()
            if self._stop.is_set():
                break
            if time.monotonic() - started > 60:
                delay = 0.5  # it ran for a while: start over with a short delay
            self.restarts += 1
            self._status("restarting", f"restarting the softphone in {delay:.1f} s")
            self._stop.wait(delay)
            delay = min(delay * 2, self.cfg.restart_max_delay_s)

    def _launch(self) -> None:
        self._remove_dirs()
        self.dir = private_dir(self._runtime_parent)
        self.rec_dir = self.dir / "rec"
        if len(str(self.rec_dir)) > _MAX_SND_PATH:
            # baresip's sndfile builds "<snd_path>/dump-<date>-<time>-dec.wav" in a 128-byte
            # buffer and silently records nothing when it overflows: use a short private dir.
            self.rec_dir = Path(tempfile.mkdtemp(prefix="cc-rec-"))
        else:
            self.rec_dir.mkdir(mode=0o700)
        os.chmod(self.rec_dir, 0o700)
        self.ctrl_port = self.cfg.ctrl_port or free_port()
        try:
            password = self._password()
        except Exception as e:  # noqa: BLE001 - keyring missing: say so, do not write a password
            raise SoftphoneError(f"cannot read the SIP password from the OS keyring: {e}") from None
        write_private(self.dir / "config", config_text(self.cfg, self.ctrl_port, self.rec_dir))
        accounts = self.dir / "accounts"
        write_private(accounts, account_line(self.cfg, password))
        self._status("starting", "starting the softphone")
        self.proc = subprocess.Popen(
            [self.cfg.binary, "-f", str(self.dir)], cwd=str(self.dir),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            self.ctrl = CtrlClient("127.0.0.1", self.ctrl_port, self._handle)
            deadline = time.monotonic() + 10
            while True:
                if self.proc.poll() is not None:
                    raise SoftphoneError(f"baresip exited at start (code {self.proc.returncode}); check the settings")
                try:
                    self.ctrl.connect(timeout=0.5)
                    break
                except SoftphoneError:
                    if time.monotonic() > deadline:
                        raise
            # ctrl_tcp answers only after the accounts were loaded: the password file can go.
        finally:
            try:
                accounts.unlink()
            except FileNotFoundError:
                pass

    # events ----------------------------------------------------------------------------------
    def _handle(self, msg: dict) -> None:
        if self._on_raw:
            self._on_raw(msg)
        ev = to_call_event(msg)
        cid = str(msg.get("id") or "")
        if (msg.get("direction") == "outgoing" and cid and msg.get("type") != "CALL_CLOSED"
                and cid not in self._calls and (ev is None or ev.kind != EventKind.DIALING)):
            # baresip 1.0 has no CALL_OUTGOING: the first event of a new outgoing call starts it
            self._handle_call_event(CallEvent(EventKind.DIALING, cid, str(msg.get("peeruri") or ""), "outbound",
                                              Source.SOFTPHONE, utcnow(), "", dict(msg)))
        if ev is None:
            return
        self._handle_call_event(ev)

    def _handle_call_event(self, ev: CallEvent) -> None:
        if ev.kind in (EventKind.RINGING, EventKind.DIALING):
            with self._lock:
                self._calls.setdefault(ev.call_id, {"direction": ev.direction, "number": ev.number})
        elif ev.kind == EventKind.ANSWERED:
            with self._lock:
                self._calls.setdefault(ev.call_id, {"direction": ev.direction, "number": ev.number})["answered"] = True
        elif ev.kind == EventKind.HUNGUP:
            with self._lock:
                info = self._calls.pop(ev.call_id, {})
            # sndfile writes only once the audio flows: an unanswered call has no files
            audio = self._claim_audio() if info.get("answered") else None
            if audio:
                ev = CallEvent(ev.kind, ev.call_id, ev.number, ev.direction, ev.source, ev.at, ev.reason, ev.raw, audio)
        self._on_event(ev)

    def _claim_audio(self, wait: float = 2.0) -> tuple[str, str] | None:
        """The sndfile pair of the call that just ended: (administrator=enc, caller=dec)."""
        if not self.cfg.record or self.rec_dir is None:
            return None
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                decs = sorted(p for p in self.rec_dir.glob("dump-*-dec.wav") if str(p) not in self._claimed)
            pairs = [(d.with_name(d.name[:-7] + "enc.wav"), d) for d in decs]
            pairs = [(e, d) for e, d in pairs if e.exists()]
            if pairs or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if not pairs:
            return None
        enc, dec = pairs[0]
        _wait_stable(enc, dec)
        with self._lock:
            self._claimed.update({str(enc), str(dec)})
        return str(enc), str(dec)

    def _interrupt_calls(self) -> None:
        with self._lock:
            calls, self._calls = self._calls, {}
        for cid, info in calls.items():
            audio = self._claim_audio(wait=0.5) if info.get("answered") else None
            if audio:
                for p in audio:
                    try:
                        repair_wav(p)
                    except OSError as e:
                        log.warning("cannot repair %s: %s", p, e)
            self._on_event(CallEvent(EventKind.HUNGUP, cid, info["number"], info["direction"], Source.SOFTPHONE,
                                     utcnow(), "softphone stopped", {"interrupted": True}, audio))

    # commands ----------------------------------------------------------------------------------
    def _cmd(self, command: str, params: str = "") -> str:
        if not self._ready.is_set() or self.ctrl is None:
            raise SoftphoneError("the softphone is not running" + (f": {self.last_error}" if self.last_error else ""))
        return self.ctrl.command(command, params)

    def accept(self) -> str:
        return self._cmd("accept")

    def hangup(self) -> str:
        return self._cmd("hangup")

    def dial(self, number_or_uri: str) -> str:
        target = number_or_uri.strip()
        if not target or any(c in target for c in "\r\n\"<> "):
            raise SoftphoneError(f"{number_or_uri!r} cannot be dialled")
        return self._cmd("dial", target)

    def mute(self) -> str:
        """Toggles the microphone (baresip's ``mute``)."""
        return self._cmd("mute")

    def hold(self) -> str:
        return self._cmd("hold")

    def resume(self) -> str:
        return self._cmd("resume")

    def command(self, command: str, params: str = "") -> str:
        return self._cmd(command, params)

    def active_calls(self) -> list[str]:
        with self._lock:
            return list(self._calls)


def _wait_stable(*paths: Path, timeout: float = 2.0) -> None:
    last = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = tuple(p.stat().st_size if p.exists() else -1 for p in paths)
        if now == last:
            return
        last = now
        time.sleep(0.1)
