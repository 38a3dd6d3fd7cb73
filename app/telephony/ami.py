"""Asterisk Manager Interface client (desk phones on Asterisk / FreePBX).

A thread keeps one TCP connection to the AMI port: ``Login``, then reads event blocks
(``Key: Value`` lines ended by an empty line) and turns the ones about the administrator's
extension into :class:`CallEvent`:

* ``DialBegin`` with ``DestChannel`` on the extension -> RINGING (number = ``CallerIDNum``);
  ``Newstate`` Ringing on the extension's channel -> RINGING (number = ``ConnectedLineNum``);
* ``DialBegin`` with ``Channel`` on the extension -> DIALING (an outbound call from the phone);
* ``BridgeEnter`` on the extension's channel, or ``Newstate`` Up -> ANSWERED;
* ``Hangup`` on the extension's channel -> HUNGUP (reason = ``Cause-txt``).

The call id is Asterisk's ``Linkedid`` (the same on every leg of one call), so the duplicate
events of several legs collapse into one call row in the tracker.

``originate(number)`` asks Asterisk to ring the desk phone and then dial *number*
(click-to-call). A dropped connection reconnects with exponential backoff (0.5 s doubling up
to ``max_delay``). A refused login is reported as ``login_failed`` with Asterisk's message and
is *not* retried: retrying a wrong secret only gets the workstation banned by fail2ban.
Garbage (lines without a colon, blocks over 64 KiB) is logged and skipped.
"""

from __future__ import annotations

import itertools
import logging
import re
import socket
import threading
import time
from typing import Callable

from app.telephony.events import CallEvent, EventKind, Source, StatusEvent, utcnow

log = logging.getLogger("carecall.telephony.ami")

MAX_BLOCK = 64 * 1024


class AmiError(RuntimeError):
    pass


class AmiLoginFailed(AmiError):
    pass


def parse_block(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ln in lines:
        k, sep, v = ln.partition(":")
        if not sep or not k.strip():
            raise ValueError(f"not a 'Key: Value' line: {ln[:80]!r}")
        out.setdefault(k.strip(), v.strip())
    return out


class AmiClient:
    def __init__(self, host: str, port: int, username: str, secret: str | Callable[[], str | None],
                 extension: str, on_event: Callable[[CallEvent], None],
                 on_status: Callable[[StatusEvent], None] | None = None,
                 context: str = "from-internal", tech: str = "PJSIP",
                 max_delay: float = 30.0, connect_timeout: float = 5.0):
        self.host, self.port = host, port
        self.username = username
        self._secret = secret
        self.extension = str(extension)
        self.context = context
        self.tech = tech
        self._on_event = on_event
        self._on_status = on_status or (lambda s: None)
        self.max_delay = max_delay
        self.connect_timeout = connect_timeout
        self._ids = itertools.count(1)
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._waiting: dict[str, tuple[threading.Event, list]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.connects = 0
        self.garbage = 0
        self.state = "stopped"
        self.last_error = ""
        chan = re.escape(self.extension)
        self._chan_re = re.compile(rf"^(?:PJSIP|SIP|IAX2|Local|DAHDI)/{chan}(?:[-@;]|$)", re.IGNORECASE)
        self._ringing: set[str] = set()

    # lifecycle ------------------------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ami-client", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        s = self._sock
        if s is not None:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout)
        self._set_state("stopped", "AMI client stopped")

    def _set_state(self, state: str, message: str = "") -> None:
        self.state = state
        try:
            self._on_status(StatusEvent(Source.AMI, state, message))
        except Exception:  # noqa: BLE001
            log.exception("status listener failed")

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            self._set_state("connecting", f"connecting to Asterisk at {self.host}:{self.port}")
            try:
                self._session()
                delay = 0.5 if self.connects else delay
            except AmiLoginFailed as e:
                self.last_error = str(e)
                log.error("%s", e)
                self._set_state("login_failed", str(e))
                return
            except (OSError, AmiError) as e:
                self.last_error = str(e)
                log.warning("AMI connection to %s:%s lost: %s", self.host, self.port, e)
            finally:
                self.connected.clear()
                self._fail_waiting()
                if self._sock is not None:
                    self._sock.close()
                    self._sock = None
            if self._stop.is_set():
                break
            self._set_state("disconnected", f"no connection to Asterisk ({self.last_error}); retrying in {delay:.1f} s")
            self._stop.wait(delay)
            delay = min(delay * 2, self.max_delay)

    def _session(self) -> None:
        sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        sock.settimeout(0.5)
        self._sock = sock
        reader = _LineReader(sock, self._stop)
        banner = reader.readline(timeout=self.connect_timeout)
        if banner is None or "Asterisk Call Manager" not in banner:
            raise AmiError(f"{self.host}:{self.port} is not an Asterisk manager port (greeting {banner!r})")
        secret = self._secret() if callable(self._secret) else self._secret
        aid = f"login-{next(self._ids)}"
        self._send({"Action": "Login", "Username": self.username, "Secret": secret or "", "ActionID": aid,
                    "Events": "call"})
        while True:
            block = self._read_block(reader, timeout=self.connect_timeout)
            if block is None:
                raise AmiError("Asterisk closed the connection during login")
            if block.get("ActionID") == aid or "Response" in block and "Event" not in block:
                break
        if block.get("Response", "").lower() != "success":
            raise AmiLoginFailed(
                f"Asterisk refused the login of {self.username!r}: {block.get('Message', 'no reason given')} "
                "(check telephony.ami_user and the 'ami:' secret in the keyring)")
        self.connects += 1
        self.connected.set()
        self._set_state("connected", f"connected to Asterisk at {self.host}:{self.port}")
        while not self._stop.is_set():
            block = self._read_block(reader, timeout=None)
            if block is None:
                if self._stop.is_set():
                    return
                raise AmiError("Asterisk closed the connection")
            self._dispatch(block)

    def _read_block(self, reader: "_LineReader", timeout: float | None) -> dict[str, str] | None:
        """The next complete block; garbage lines are logged and the block skipped."""
        while True:
            lines: list[str] = []
            size = 0
            bad = None
            while True:
                ln = reader.readline(timeout=timeout)
                if ln is None:
                    return None  # a partial block at disconnect is dropped
                if ln == "":
                    break
                size += len(ln)
                if size > MAX_BLOCK:
                    bad = bad or "block over 64 KiB"
                    continue
                lines.append(ln)
            if not lines and bad is None:
                continue
            try:
                if bad:
                    raise ValueError(bad)
                return parse_block(lines)
            except ValueError as e:
                self.garbage += 1
                log.warning("skipping a garbled AMI message (%s)", e)

    def _fail_waiting(self) -> None:
        for ev, box in list(self._waiting.values()):
            box.append(None)
            ev.set()

    def _send(self, fields: dict[str, str]) -> None:
        for k, v in fields.items():
            if any(c in str(v) for c in "\r\n"):
                raise AmiError(f"AMI field {k} contains a line break")
        data = "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
        with self._send_lock:
            if self._sock is None:
                raise AmiError("not connected to Asterisk")
            self._sock.sendall(data.encode("utf-8"))

    # events --------------------------------------------------------------------------------------
    def _mine(self, channel: str) -> bool:
        return bool(channel) and bool(self._chan_re.match(channel))

    def _dispatch(self, b: dict[str, str]) -> None:
        if "Response" in b and "ActionID" in b:
            w = self._waiting.get(b["ActionID"])
            if w:
                w[1].append(b)
                w[0].set()
            return
        name = b.get("Event", "")
        if not name:
            return
        ev = self._to_call_event(name, b)
        if ev is not None:
            try:
                self._on_event(ev)
            except Exception:  # noqa: BLE001
                log.exception("AMI event listener failed on %s", name)

    def _to_call_event(self, name: str, b: dict[str, str]) -> CallEvent | None:
        chan = b.get("Channel", "")
        cid = b.get("Linkedid") or b.get("Uniqueid") or ""
        at = utcnow()
        if name == "DialBegin":
            dest = b.get("DestChannel", "")
            if self._mine(dest):
                cid = b.get("DestLinkedid") or cid
                self._ringing.add(cid)
                return CallEvent(EventKind.RINGING, cid, b.get("CallerIDNum", ""), "inbound", Source.AMI, at, raw=b)
            if self._mine(chan):
                num = b.get("DestCallerIDNum") or b.get("DialString", "").split("@")[0].split("/")[-1]
                return CallEvent(EventKind.DIALING, cid, num, "outbound", Source.AMI, at, raw=b)
            return None
        if not self._mine(chan):
            return None
        if name == "Newstate":
            state = b.get("ChannelState", "")
            if state == "5" or b.get("ChannelStateDesc", "").lower() == "ringing":
                num = b.get("ConnectedLineNum", "")
                if not num or num.lower() in ("<unknown>", self.extension):
                    return None
                return CallEvent(EventKind.RINGING, cid, num, "inbound", Source.AMI, at, raw=b)
            if state == "6" or b.get("ChannelStateDesc", "").lower() == "up":
                return CallEvent(EventKind.ANSWERED, cid, b.get("ConnectedLineNum", ""), "inbound", Source.AMI, at, raw=b)
            return None
        if name == "BridgeEnter":
            return CallEvent(EventKind.ANSWERED, cid, b.get("ConnectedLineNum", ""), "inbound", Source.AMI, at, raw=b)
        if name == "Hangup":
            self._ringing.discard(cid)
            return CallEvent(EventKind.HUNGUP, cid, b.get("ConnectedLineNum", ""), "inbound", Source.AMI, at,
                             reason=b.get("Cause-txt", "") or f"cause {b.get('Cause', '?')}", raw=b)
        if name in ("Hold", "MusicOnHoldStart"):
            return CallEvent(EventKind.HOLD, cid, "", "inbound", Source.AMI, at, raw=b)
        if name in ("Unhold", "MusicOnHoldStop"):
            return CallEvent(EventKind.RESUME, cid, "", "inbound", Source.AMI, at, raw=b)
        return None

    # actions -------------------------------------------------------------------------------------
    def action(self, fields: dict[str, str], timeout: float = 10.0) -> dict[str, str]:
        if not self.connected.is_set():
            raise AmiError(f"not connected to Asterisk ({self.last_error or self.state})")
        aid = f"cc-{next(self._ids)}"
        ev, box = threading.Event(), []
        self._waiting[aid] = (ev, box)
        try:
            self._send({**fields, "ActionID": aid})
            if not ev.wait(timeout):
                raise AmiError(f"Asterisk did not answer {fields.get('Action')} in {timeout:.0f} s")
            if box[0] is None:
                raise AmiError(f"the connection to Asterisk dropped during {fields.get('Action')}")
            return box[0]
        finally:
            self._waiting.pop(aid, None)

    def originate(self, number: str, timeout: float = 10.0) -> str:
        """Ring the administrator's desk phone, then dial *number* (click-to-call)."""
        digits = re.sub(r"[^\d+*#]", "", number)
        if not digits:
            raise AmiError(f"{number!r} cannot be dialled")
        r = self.action({
            "Action": "Originate", "Channel": f"{self.tech}/{self.extension}", "Exten": digits,
            "Context": self.context, "Priority": "1", "CallerID": f"CareCall <{self.extension}>",
            "Async": "true", "Timeout": "30000",
        }, timeout)
        if r.get("Response", "").lower() != "success":
            raise AmiError(f"Asterisk refused to call {digits}: {r.get('Message', 'no reason given')}")
        return r.get("Message", "")


class _LineReader:
    """CRLF lines from a socket with a short poll timeout so stop() is honoured."""

    def __init__(self, sock: socket.socket, stop: threading.Event):
        self.sock = sock
        self.stop = stop
        self.buf = b""

    def readline(self, timeout: float | None) -> str | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 1:]
                return line.rstrip(b"\r").decode("utf-8", "replace")
            if len(self.buf) > MAX_BLOCK:
                log.warning("dropping %d bytes without a line break from Asterisk", len(self.buf))
                self.buf = b""
                return "\x00garbage"
            if self.stop.is_set():
                return None
            if deadline is not None and time.monotonic() > deadline:
                raise AmiError("Asterisk did not answer in time")
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return None
            if not data:
                return None
            self.buf += data
