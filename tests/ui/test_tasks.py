"""The task runner's pool threads run a little below the UI thread (Linux nice values)."""

import os
import sys
import threading

import pytest

from ui.tasks import THREAD_NICE, TaskRunner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _thread_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.parametrize("thread_nice", [THREAD_NICE, 0])
def test_pool_threads_run_below_the_ui_thread_and_the_ui_thread_is_left_alone(qtbot, thread_nice):
    ui_nice = _thread_nice()
    runner = TaskRunner(max_threads=2, thread_nice=thread_nice)
    got = []
    for _ in range(4):
        runner.run(lambda: (threading.get_native_id(), _thread_nice()), on_done=got.append)
    qtbot.waitUntil(lambda: len(got) == 4)
    assert {nice for _tid, nice in got} == {min(19, ui_nice + thread_nice)}
    assert all(tid != threading.get_native_id() for tid, _nice in got)
    assert _thread_nice() == ui_nice
    runner.wait()
