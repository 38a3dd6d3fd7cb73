"""The composition root: self-test, a database that cannot be opened, the first start."""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import errors
from ui import main as ui_main
from ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parents[2]


def _gui(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "gui", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_self_test_renders_the_first_patients_card(qapp, ui_url, clinic, settings, monkeypatch, capsys):
    from app.context import open_context

    monkeypatch.setattr(ui_main, "SELF_TEST_CHECKS", [])  # other areas' checks have their own tests
    ctx = open_context(settings, ui_url)
    try:
        assert ui_main.self_test(ctx) == []
    finally:
        ctx.close()
    assert capsys.readouterr().out == f"ok   _check_card: rendered the card of patient {clinic['olga']}\n"


def test_self_test_reports_a_failing_check(qapp, ui_url, settings, monkeypatch, capsys):
    from app.context import open_context

    def check_broken(ctx):
        raise RuntimeError("the model is missing")

    monkeypatch.setattr(ui_main, "SELF_TEST_CHECKS", [check_broken])
    ctx = open_context(settings, ui_url)
    try:
        assert ui_main.self_test(ctx) == ["check_broken: the model is missing"]
    finally:
        ctx.close()
    out = capsys.readouterr().out
    assert "ok   _check_card: no patients yet: rendered the new-caller form" in out
    assert "FAIL check_broken: the model is missing" in out


def test_self_test_fails_clearly_without_a_database():
    out = _gui("--self-test", "--database", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert out.returncode == 1
    assert "self-test FAILED: cannot open the database" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.fixture
def restore_app(qapp, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    # closing run()'s window must not post a Quit that would end the next test's event loops
    qapp.setQuitOnLastWindowClosed(False)
    yield qapp
    qapp.setQuitOnLastWindowClosed(True)
    ui_main.remove_translators(qapp, getattr(qapp, "_carecall_translators", []))
    qapp._carecall_translators = []
    qapp.setStyleSheet("")
    gc.unfreeze()  # run() froze the start-up objects for the garbage collector: not for the next tests


def test_database_error_shows_a_dialog_and_exits_1(restore_app, settings, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    args = argparse.Namespace(language="en", self_test=False, database="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert ui_main.run(settings, args) == 1
    assert len(shown) == 1 and shown[0].startswith("Cannot open the database: cannot open the database")


def test_first_start_generates_the_demo_clinic_then_shows_the_window(restore_app, settings, sqlite_url, qtbot,
                                                                      monkeypatch):
    from ui import media

    monkeypatch.setattr(media, "_component", None)  # as in a new process: no QML engine yet
    settings.database.demo_patients = 40
    seen: dict = {}
    before = len(errors.shown_dialogs)

    def poll():
        wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not wins:
            QTimer.singleShot(50, poll)
            return
        w = wins[0]
        seen["title"] = w.windowTitle()
        seen["frozen"] = gc.get_freeze_count()
        seen["players_ready"] = media._component is not None  # made at start-up, not in the first player's page
        seen["pages"] = [w.pages.tabText(i) for i in range(w.pages.count())]

        def check(e164: str) -> None:
            seen["shown"] = (e164, w.stack.currentWidget() is w.chooser, w.chooser.rows())
            seen["window"] = w
            QApplication.instance().quit()

        w.incoming_shown.connect(check)
        w.show_incoming("+7 916 123-45-67")

    QTimer.singleShot(0, poll)
    safety = QTimer()  # a safety net, never the expected path
    safety.setSingleShot(True)
    safety.timeout.connect(QApplication.instance().quit)
    safety.start(60_000)
    args = argparse.Namespace(language="en", self_test=False, database=sqlite_url)
    try:
        assert ui_main.run(settings, args) == 0
    finally:
        safety.stop()
        if "window" in seen:
            seen["window"].close()
            seen["window"].deleteLater()
    assert seen["title"] == "CareCall"
    assert seen["frozen"] > 10_000  # start-up's objects are out of the garbage collector's walks
    assert seen["players_ready"] is True
    assert seen["pages"][0] == "Caller"
    assert errors.shown_dialogs[before:] == []  # every area in WINDOW_MODULES installed cleanly
    e164, is_chooser, rows = seen["shown"]
    assert e164 == "+79161234567" and is_chooser
    assert rows[0].startswith("1.  Иванова Ольга Петровна")
    assert not Path(settings.ipc_path()).exists()  # the server closed on exit


def test_a_second_instance_says_so_and_exits(restore_app, settings, sqlite_url, clinic, monkeypatch):
    import socket

    told = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text: told.append(text)))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # "the other CareCall"
    listener.bind(settings.ipc_path())
    listener.listen(1)
    try:
        args = argparse.Namespace(language="en", self_test=False, database=sqlite_url)
        assert ui_main.run(settings, args) == 1
    finally:
        listener.close()
    assert told == ["CareCall is already running on this computer. Incoming calls go to that window."]


def test_the_window_process_hands_the_gil_to_the_ui_thread_within_a_millisecond():
    """make_app (the window's and the benchmark's) shortens Python's switch interval from 5 ms to
    1 ms, so a runner thread running Python code keeps the UI thread waiting for the GIL at most
    that long at each slot and each virtual call on a Python-made widget. A new process: the
    interval is process-wide and the tests' own QApplication is made by pytest-qt."""
    code = ("import sys; before = sys.getswitchinterval(); from ui.main import make_app; make_app('en'); "
            "print(before, sys.getswitchinterval())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                         cwd=Path(__file__).resolve().parents[2],
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.split()
    assert [float(x) for x in out[-2:]] == [0.005, ui_main.UI_SWITCH_INTERVAL_S] and ui_main.UI_SWITCH_INTERVAL_S == 0.001
