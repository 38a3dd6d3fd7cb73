"""`carecall call --phone N` against the QLocalServer of a running window."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ui.ipc import AlreadyRunning, IpcServer
from ui.tasks import TaskRunner

pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parents[2]
CLIENT = [sys.executable, "-m", "app", "call"]


@pytest.fixture
def served(qtbot, make_window, clinic, settings):
    runner = TaskRunner()
    w = make_window(runner=runner)
    server = IpcServer(w, settings.ipc_path())
    server.start()
    yield w, server
    server.close()
    runner.wait()


def _send_raw(path: str, data: bytes, box: list) -> threading.Thread:
    """A client in a thread (the server needs the Qt event loop of this thread)."""

    def go():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(path)
        s.sendall(data)
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
        s.close()
        box.append(buf.decode())

    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


def test_carecall_call_from_a_real_subprocess_shows_the_card(qtbot, served, settings, tmp_path, clinic):
    w, server = served
    cfg = tmp_path / "carecall.toml"
    cfg.write_text(f'[ui]\nipc_name = "{settings.ipc_path()}"\n', encoding="utf-8")
    env = dict(os.environ)
    proc = subprocess.Popen(
        CLIENT + ["--config", str(cfg), "--phone", "8 (903) 555-00-11"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    finally:
        if proc.poll() is None:
            proc.kill()
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert out.strip() == "card shown for Соколов Андрей Игоревич (+7 903 555-00-11)"
    qtbot.waitUntil(lambda: w.card_view.name_label.text() == "Соколов Андрей Игоревич")
    assert w.stack.currentWidget() is w.card_view
    assert "+7 903 555-00-11" in w.banner_label.text()


def test_garbage_gets_a_clear_error_and_the_server_lives_on(qtbot, served, settings, clinic):
    w, server = served
    path = settings.ipc_path()
    for data, expected in [
        (b"not json\n", "the request is not a JSON line"),
        (b'{"type":"hello"}\n', "unknown request type 'hello' (expected 'call')"),
        (b'{"type":"call","phone":"hello"}\n', "cannot look up 'hello': 'hello' contains no digits"),
        (b'{"type":"call","phone":42}\n', "phone must be a string"),
        (b'{"type":"call","phone":"+79035550011","direction":"sideways"}\n',
         "direction must be inbound or outbound, not 'sideways'"),
        (b"[1,2]\n", "the request must be a JSON object"),
    ]:
        box: list = []
        with qtbot.waitSignal(server.handled, timeout=5000):
            t = _send_raw(path, data, box)
        t.join(5)
        assert json.loads(box[0]) == {"ok": False, "error": expected}
    # still serving: a shared number shows the chooser
    box = []
    with qtbot.waitSignal(w.incoming_shown, timeout=5000) as sig:
        t = _send_raw(path, b'{"type":"call","phone":"+7 916 123-45-67","direction":"inbound"}\n', box)
    qtbot.waitUntil(lambda: bool(box), timeout=5000)
    t.join(5)
    assert sig.args == ["+79161234567"]
    assert json.loads(box[0]) == {"ok": True, "message": "chooser shown for +7 916 123-45-67: 2 patients share this number"}
    assert w.stack.currentWidget() is w.chooser


def test_second_instance_is_told_and_stale_socket_is_removed(qtbot, served, settings, tmp_path):
    w, server = served
    other = IpcServer(w, settings.ipc_path())
    with pytest.raises(AlreadyRunning, match="already running"):
        other.start()
    # a socket file left behind by a crash is not "another instance"
    stale = tmp_path / "stale.sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(stale))
    s.close()
    assert stale.exists()
    fresh = IpcServer(w, str(stale))
    fresh.start()
    assert fresh.server.isListening()
    fresh.close()


def test_call_without_a_running_window_says_so(tmp_path):
    cfg = tmp_path / "carecall.toml"
    cfg.write_text(f'[ui]\nipc_name = "{tmp_path / "nobody.sock"}"\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "app", "call", "--config", str(cfg), "--phone", "+79035550011"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "CareCall is not running on this computer" in out.stderr
