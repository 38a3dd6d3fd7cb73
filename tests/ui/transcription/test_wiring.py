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
