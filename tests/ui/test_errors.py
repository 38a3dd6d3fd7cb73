"""The exception hook: logged, a short message, details folded, "Copy details" copies them."""

from __future__ import annotations

import pytest

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui import errors

pytestmark = pytest.mark.usefixtures("english")


def _boom():
    raise ValueError("the PBX sent something odd")


def test_excepthook_logs_and_shows_the_dialog_with_copyable_details(qtbot, caplog, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    assert sys.excepthook is errors.excepthook
    try:
        _boom()
    except ValueError:
        etype, value, tb = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="carecall"):
        sys.excepthook(etype, value, tb)
    assert "error shown to the user" in caplog.text and "ValueError: the PBX sent something odd" in caplog.text
    dlg = errors.shown_dialogs[-1]
    qtbot.addWidget(dlg)
    qtbot.waitExposed(dlg)
    assert dlg.message_label.text() == "An unexpected error occurred: the PBX sent something odd"
    assert not dlg.details.isVisible()
    qtbot.mouseClick(dlg.details_button, Qt.MouseButton.LeftButton)
    assert dlg.details.isVisible() and dlg.details_button.text() == "Hide details"
    assert "in _boom" in dlg.details.toPlainText()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.startswith("An unexpected error occurred: the PBX sent something odd\n\nTraceback")
    assert "ValueError: the PBX sent something odd" in copied
    assert dlg.copy_button.text() == "Copied"
    qtbot.mouseClick(dlg.details_button, Qt.MouseButton.LeftButton)
    assert not dlg.details.isVisible() and dlg.details_button.text() == "Show details"
    dlg.close()


def test_a_failing_background_task_reaches_the_error_handler(qtbot):
    from ui.tasks import SyncRunner, TaskRunner

    runner = TaskRunner()
    got = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda n: n == 0):
        runner.run(_boom, on_done=got.append, on_error=got.append)
    assert len(got) == 1 and isinstance(got[0], ValueError)
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda n: n == 0):
        runner.run(lambda: 6 * 7, on_done=got.append)
    assert got[1] == 42 and runner.pending == 0
    sync = SyncRunner()
    sync.run(lambda: 1, got.append)
    assert got[2] == 1
    try:
        sync.run(_boom, got.append)
    except ValueError:
        pass
    else:
        raise AssertionError("SyncRunner swallowed an unhandled error")
    runner.wait()
