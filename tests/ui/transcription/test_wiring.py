"""The transcription area in the main window's status bar."""

from types import SimpleNamespace

from PySide6.QtWidgets import QMainWindow

from app.settings import Settings
from ui.tasks import SyncRunner
from ui.transcription import wiring
from ui.transcription.widgets import QueueIndicator


def test_install_puts_the_queue_indicator_in_the_status_bar(qtbot, sqlite_url):
    from db.session import make_engine, session_factory

    e = make_engine(sqlite_url)
    win = QMainWindow()
    qtbot.addWidget(win)
    win.add_status_widget = lambda w, stretch=0: win.statusBar().addPermanentWidget(w, stretch)
    settings = Settings()
    settings.asr.background_worker = False
    wiring.install(win, SimpleNamespace(sessions=session_factory(e), settings=settings, engine=e), SyncRunner())
    ind = win.statusBar().findChild(QueueIndicator, "transcription_queue")
    assert ind is not None
    ind.refresh()
    assert ind.text() == "Transcription: idle"
    ind.stop()
    e.dispose()


def test_one_background_worker_per_user(tmp_path):
    from app.transcription.service import hold_worker_lock

    first = hold_worker_lock(tmp_path / "w.lock")
    assert first is not None
    assert hold_worker_lock(tmp_path / "w.lock") is None
    first.close()
    again = hold_worker_lock(tmp_path / "w.lock")
    assert again is not None
    again.close()


def test_background_worker_is_a_real_detached_process_that_exits_when_idle(sqlite_url, real_keyring, monkeypatch):
    """The launcher the window uses: a real `carecall worker --background` in its own session,
    reading the transcript key from the real (test) Secret Service."""
    import os

    from app.transcription.service import start_background_worker

    monkeypatch.setenv("CARECALL_MASTER_KEY_NAME", real_keyring + "bg")

    proc = start_background_worker(sqlite_url, idle_exit=1)
    try:
        assert os.getsid(proc.pid) == proc.pid  # its own session: survives the window
        assert proc.wait(timeout=120) == 0  # nothing to do for a second -> exits cleanly
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_window_passes_its_config_file_to_the_detached_worker(qtbot, sqlite_url, real_keyring, monkeypatch,
                                                                   tmp_path):
    """`carecall --config FILE`: the worker the window starts reads FILE too. A real detached
    `carecall worker --background` started by the transcription area's install, the way the
    window starts it; ``[asr] worker_nice = 7`` is set only in FILE (no per-user settings file:
    its own XDG_CONFIG_HOME; the default would be 10), so every thread of the worker runs at the
    test's nice + 7 only when it read FILE. Read from /proc once the worker holds its lock."""
    import os
    import sys

    import pytest

    from app import context as app_context
    from app.settings import load_settings
    from app.transcription import service
    from app.transcription.service import lock_path
    from tests.procs import thread_nices, wait_for_worker_lock

    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    monkeypatch.setenv("CARECALL_MASTER_KEY_NAME", real_keyring + "cfg")
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))  # its own lock: no other worker of this user in the way
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no per-user settings file
    cfg = tmp_path / "workstation.toml"
    cfg.write_text("[asr]\nworker_nice = 7\nbackground_worker = true\n", encoding="utf-8")
    started = []
    real_start = service.start_background_worker

    def start(*a, **kw):
        proc = real_start(*a, **kw)
        started.append(proc)
        return proc

    monkeypatch.setattr(service, "start_background_worker", start)
    settings = load_settings(str(cfg))
    assert settings.asr.worker_nice == 7 and settings.asr.background_worker
    ctx = app_context.open_context(settings, sqlite_url, migrate=False,
                                   config_path=os.path.relpath(cfg))  # as given on the command line
    assert ctx.config_path == str(cfg)
    win = QMainWindow()
    qtbot.addWidget(win)
    win.add_status_widget = lambda w, stretch=0: win.statusBar().addPermanentWidget(w, stretch)
    base = os.getpriority(os.PRIO_PROCESS, 0)
    wiring.install(win, ctx, SyncRunner())
    assert len(started) == 1
    proc = started[0]
    try:
        wait_for_worker_lock(proc, lock_path())
        assert set(thread_nices(proc.pid).values()) == {min(19, base + 7)}
    finally:
        proc.terminate()
        assert proc.wait(timeout=60) in (0, -15)
        win.findChild(QueueIndicator, "transcription_queue").stop()
        ctx.close()
