"""Start the transcription worker as a detached process, so transcription carries on after the
window closes. One per user at a time: the worker holds a lock file in the runtime directory
(a second one started meanwhile exits at once); claims stay safe across machines anyway."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy.engine import URL

from app.settings import runtime_dir

log = logging.getLogger("carecall.transcription")
LOCK_NAME = "transcription-worker.lock"
AUTOGROUP = "/proc/self/autogroup"  # Linux: this process's session's scheduler group and its nice value


def lock_path() -> Path:
    return runtime_dir() / LOCK_NAME


def hold_worker_lock(path: Path | None = None):
    """An open, exclusively locked file (keep it open while working), or None when another
    worker on this machine holds it. Where file locks do not exist, always the file."""
    path = path or lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    f = open(path, "a+")  # noqa: SIM115 - held for the life of the worker
    try:
        import fcntl
    except ImportError:
        return f
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    f.seek(0)
    f.truncate()
    f.write(str(os.getpid()))
    f.flush()
    return f


def lower_priority(increment: int) -> int | None:
    """Make this process background work: on POSIX raise its nice value by *increment* (capped
    at 19; on Linux for every thread it has so far, each is scheduled on its own, and threads made
    later inherit it), on Windows ``BELOW_NORMAL_PRIORITY_CLASS``. ``increment <= 0``: unchanged.
    Returns the nice value now in effect (POSIX), else None. Never raises: a process that cannot
    change its priority still works, at the priority it has."""
    if increment <= 0:
        return None
    if os.name == "nt":
        try:
            import ctypes

            k32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            k32.GetCurrentProcess.restype = ctypes.c_void_p
            k32.SetPriorityClass.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
            if not k32.SetPriorityClass(k32.GetCurrentProcess(), 0x4000):  # BELOW_NORMAL_PRIORITY_CLASS
                log.warning("cannot lower the worker's priority (error %s)", ctypes.GetLastError())  # type: ignore[attr-defined]
        except (OSError, AttributeError):
            log.warning("cannot lower the worker's priority", exc_info=True)
        return None
    try:
        target = min(19, os.getpriority(os.PRIO_PROCESS, 0) + increment)
    except OSError:
        log.warning("cannot read the worker's priority", exc_info=True)
        return None
    tids = [0]
    if sys.platform.startswith("linux"):
        try:
            tids = sorted(int(t) for t in os.listdir("/proc/self/task"))
        except OSError:
            pass
    for tid in tids:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, target)
        except OSError:  # a thread that ended meanwhile
            pass
    if sys.platform.startswith("linux"):
        _lower_autogroup(target)
    log.info("transcription worker at nice %d", os.getpriority(os.PRIO_PROCESS, 0))
    return os.getpriority(os.PRIO_PROCESS, 0)


def _lower_autogroup(nice: int) -> int | None:
    """Linux with ``sched_autogroup`` (the default on desktop kernels) gives every session an
    equal share of the CPU and applies a thread's nice value only within its session. The
    detached worker is a session of its own (``start_new_session``), so its nice value alone
    changed nothing against the window: it competed as an equal. Its session's own nice value
    (``/proc/self/autogroup``) is what ranks it below the window. Set only when this process is
    its session's leader, i.e. the detached worker: ``carecall worker`` typed in a terminal
    shares the shell's session and must not lower the shell's. Returns the autogroup's nice value
    now, or None where there is none (autogroup off, not Linux) or it could not be changed."""
    try:
        if os.getsid(0) != os.getpid():
            return None
        for attempt in range(5):
            try:
                with open(AUTOGROUP, "r+") as f:  # "/autogroup-123 nice 0"
                    f.write(str(nice))
                break
            except BlockingIOError:  # EAGAIN: the kernel allows one change a 100 ms system-wide
                if attempt == 4:
                    raise
                time.sleep(0.12)
        with open(AUTOGROUP) as f:
            now = int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        log.debug("no autogroup priority for the worker", exc_info=True)
        return None
    log.info("transcription worker's session (autogroup) at nice %d", now)
    return now


def background_threads(threads: int, free_cores: int, cores: int | None = None) -> int:
    """Threads for the worker the window starts on this PC: *threads* (``asr.threads``), but
    leaving *free_cores* of the PC's *cores* to the window and the recorder; at least 1."""
    if free_cores <= 0:
        return threads
    cores = cores or os.cpu_count() or 1
    return max(1, min(threads, cores - free_cores))


def start_background_worker(url: URL | str | None = None, config: str | None = None,
                            idle_exit: float = 900) -> subprocess.Popen:
    """``carecall worker --background --idle-exit N`` in its own session (survives the UI).
    The password of a server URL is not passed: the worker reads it from the OS keyring."""
    cmd = [sys.executable, "-m", "app", "worker", "--background", "--idle-exit", str(idle_exit)]
    if config:
        cmd += ["--config", config]
    if url is not None:
        if isinstance(url, URL):
            url = url.set(password=None).render_as_string(hide_password=False)
        cmd += ["--database", str(url)]
    kw: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
                "close_fds": True}
    if os.name == "nt":
        kw["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        kw["start_new_session"] = True
    log.info("starting the transcription worker: %s", " ".join(cmd[:6]))
    proc = subprocess.Popen(cmd, **kw)
    # Reap it when it exits (no zombie while the window stays open) and keep the Popen from
    # being collected while the worker still runs.
    threading.Thread(target=proc.wait, name="worker-reaper", daemon=True).start()
    return proc
