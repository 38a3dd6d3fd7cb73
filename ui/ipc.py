"""The server side of the local IPC (client: :mod:`app.ipc`, ``carecall call --phone N``).

A QLocalServer at ``Settings.ipc_path()``. Each connection sends one JSON line::

    {"type": "call", "phone": "+79161234567", "direction": "inbound"}

and gets one JSON line back: ``{"ok": true, "message": "card shown for ..."}`` once the card
(or chooser, or new caller form) is on screen, or ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app import phones

log = logging.getLogger("carecall.ui.ipc")

MAX_LINE = 4096


class AlreadyRunning(RuntimeError):
    """Another CareCall answers on the socket."""


def another_instance_running(path: str) -> bool:
    """True when a CareCall already listens on *path* (a stale socket file is not one)."""
    return _other_instance_answers(path)


def _other_instance_answers(path: str) -> bool:
    if sys.platform == "win32":
        probe = QLocalSocket()
        probe.connectToServer(path)
        ok = probe.waitForConnected(300)
        probe.abort()
        return ok
    if not os.path.exists(path):
        return False
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.5)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


class IpcServer(QObject):
    """Listens for ``call`` requests and hands them to ``window.show_incoming``."""

    #: a request was handled: (request dict or {}, reply dict)
    handled = Signal(dict, dict)

    def __init__(self, window, path: str, region: str = "RU", parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.path = path
        self.region = region
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def start(self) -> None:
        """Listen; raise :class:`AlreadyRunning` if another instance answers on the path."""
        if _other_instance_answers(self.path):
            raise AlreadyRunning(f"CareCall is already running on this computer (socket {self.path})")
        QLocalServer.removeServer(self.path)  # a stale socket file left by a crash
        if sys.platform != "win32":
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        if not self.server.listen(self.path):
            raise OSError(f"cannot listen on {self.path}: {self.server.errorString()}")
        log.info("listening on %s", self.path)

    def close(self) -> None:
        self.server.close()

    # ------------------------------------------------------------------------------------
    def _on_new_connection(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._on_ready_read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _on_ready_read(self, sock: QLocalSocket) -> None:
        if sock not in self._buffers:
            return
        buf = self._buffers[sock] + bytes(sock.readAll().data())
        if b"\n" not in buf:
            if len(buf) > MAX_LINE:
                self._buffers.pop(sock, None)
                self._reply(sock, {}, {"ok": False, "error": "request too long"})
            else:
                self._buffers[sock] = buf
            return
        self._buffers.pop(sock, None)
        line = buf.split(b"\n", 1)[0][:MAX_LINE]
        self._handle(sock, line)

    def _handle(self, sock: QLocalSocket, line: bytes) -> None:
        try:
            req = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("ipc: not JSON: %r", line[:200])
            self._reply(sock, {}, {"ok": False, "error": "the request is not a JSON line"})
            return
        if not isinstance(req, dict):
            self._reply(sock, {}, {"ok": False, "error": "the request must be a JSON object"})
            return
        if req.get("type") != "call":
            self._reply(sock, req, {"ok": False, "error": f"unknown request type {req.get('type')!r} (expected 'call')"})
            return
        phone = req.get("phone")
        direction = req.get("direction", "inbound")
        if direction not in ("inbound", "outbound"):
            self._reply(sock, req, {"ok": False, "error": f"direction must be inbound or outbound, not {direction!r}"})
            return
        if not isinstance(phone, str):
            self._reply(sock, req, {"ok": False, "error": "phone must be a string"})
            return
        try:
            phones.normalize(phone, self.region)
        except phones.PhoneError as e:
            log.warning("ipc: bad number %r: %s", phone[:80], e)
            self._reply(sock, req, {"ok": False, "error": f"cannot look up {phone[:80]!r}: {e}"})
            return

        def shown(message: str) -> None:
            self._reply(sock, req, {"ok": True, "message": message})

        try:
            self.window.show_incoming(phone, direction=direction, source=str(req.get("source", "cli")), on_shown=shown)
        except Exception as e:  # noqa: BLE001 - the caller gets an answer, the log the traceback
            log.exception("ipc: show_incoming failed")
            self._reply(sock, req, {"ok": False, "error": f"CareCall could not show the card: {e}"})

    def _reply(self, sock: QLocalSocket, req: dict, reply: dict) -> None:
        try:
            if sock.state() == QLocalSocket.LocalSocketState.ConnectedState:
                sock.write((json.dumps(reply, ensure_ascii=False) + "\n").encode("utf-8"))
                sock.flush()
                sock.disconnectFromServer()
        except RuntimeError:  # the C++ socket is already gone (client hung up)
            pass
        self.handled.emit(req, reply)
