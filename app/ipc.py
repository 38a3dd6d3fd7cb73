"""Client side of the local IPC: one JSON line over the socket a running CareCall listens on.

The server is a QLocalServer in ``ui.ipc``; on Linux and macOS it is a Unix domain socket at
``Settings.ipc_path()``. Any PBX hook or script can use ``carecall call --phone NUMBER``.
"""

from __future__ import annotations

import json
import socket
import sys


class IpcError(RuntimeError):
    pass


def send_call(path: str, phone: str, direction: str = "inbound", timeout: float = 5.0) -> str:
    msg = json.dumps({"type": "call", "phone": phone, "direction": direction}, ensure_ascii=False) + "\n"
    return _request(path, msg, timeout)


def _request(path: str, msg: str, timeout: float) -> str:
    if sys.platform == "win32":  # QLocalServer uses a named pipe there
        try:
            with open(rf"\\.\pipe\{path}", "r+b", buffering=0) as pipe:
                pipe.write(msg.encode())
                return pipe.readline().decode().strip()
        except OSError as e:
            raise IpcError(f"CareCall is not running (no pipe {path}): {e}") from None
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
    except (FileNotFoundError, ConnectionRefusedError):
        raise IpcError("CareCall is not running on this computer (start it with 'carecall')") from None
    except OSError as e:
        raise IpcError(f"cannot reach CareCall at {path}: {e}") from None
    try:
        s.sendall(msg.encode("utf-8"))
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        raise IpcError("CareCall did not answer in time") from None
    finally:
        s.close()
    reply = buf.decode("utf-8", "replace").strip()
    try:
        data = json.loads(reply)
    except json.JSONDecodeError:
        raise IpcError(f"unexpected answer from CareCall: {reply[:200]!r}") from None
    if not data.get("ok"):
        raise IpcError(data.get("error", "CareCall refused the request"))
    return data.get("message", "ok")
