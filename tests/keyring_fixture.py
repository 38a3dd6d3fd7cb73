"""A real Secret Service for tests: a private D-Bus session with gnome-keyring in it.

``secret_service`` (session scope) starts ``dbus-daemon --session`` and
``gnome-keyring-daemon --components=secrets`` (login keyring unlocked with a test password)
with fresh XDG_DATA_HOME / XDG_RUNTIME_DIR, points this process at them
(DBUS_SESSION_BUS_ADDRESS) and makes ``keyring`` pick the SecretService backend. At the end
both daemons are killed by pid and the environment and keyring backend are restored.

Use it through ``real_keyring`` (function scope), which also yields a unique name prefix so
tests do not see each other's entries. Exposed in tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

TEST_PASSWORD = "carecall-test-keyring"


class SecretServiceSession:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="carecall-keyring-"))
        self.env: dict[str, str] = {}
        self.pids: list[int] = []

    def start(self) -> None:
        for tool in ("dbus-daemon", "gnome-keyring-daemon"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"{tool} is not installed (scripts/setup.sh installs dbus and gnome-keyring)")
        data, run = self.dir / "data", self.dir / "run"
        data.mkdir()
        run.mkdir(mode=0o700)
        env = dict(os.environ, XDG_DATA_HOME=str(data), XDG_RUNTIME_DIR=str(run), HOME=str(self.dir))
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                             env=env, capture_output=True, text=True, timeout=20, check=True).stdout.split()
        address, pid = out[0], int(out[1])
        self.pids.append(pid)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        # The recipe from docs/platform-notes: a daemonised login keyring unlocked with the
        # test password, then --start to initialise the secrets component on our bus.
        subprocess.run(["gnome-keyring-daemon", "--daemonize", "--login", "--components=secrets"], env=env,
                       input=TEST_PASSWORD.encode(), capture_output=True, timeout=20, check=True)
        subprocess.run(["gnome-keyring-daemon", "--start", "--components=secrets"], env=env,
                       capture_output=True, timeout=20, check=True)
        self.env = {"DBUS_SESSION_BUS_ADDRESS": address}
        try:
            self._wait_ready(env)
        finally:
            # The daemon forked away from us: ask our private bus which process owns the service.
            out = subprocess.run(
                ["dbus-send", f"--bus={address}", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                 "org.freedesktop.DBus.GetConnectionUnixProcessID", "string:org.freedesktop.secrets"],
                env=env, capture_output=True, text=True, timeout=20).stdout.split()
            if out and out[-1].isdigit():
                self.pids.append(int(out[-1]))

    def _wait_ready(self, env) -> None:
        code = ("import secretstorage\n"
                "from secretstorage.collection import get_collection_by_alias\n"
                "c = secretstorage.dbus_init()\n"
                "col = get_collection_by_alias(c, 'default')\n"
                "assert not col.is_locked()\n"  # checking never prompts
                # a full round trip: a keyring that is up but not yet writable would prompt
                # (PromptDismissedException) in the first test that stores a secret
                "it = col.create_item('carecall-probe', {'probe': '1'}, b'x', replace=True)\n"
                "assert it.get_secret() == b'x'\n"
                "it.delete()\n"
                "print(False)\n")
        import sys

        last = ""
        for _ in range(50):
            r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=20)
            if r.returncode == 0 and r.stdout.strip() == "False":
                return
            last = r.stderr.strip().splitlines()[-1:] or r.stdout
            time.sleep(0.1)
        raise RuntimeError(f"gnome-keyring did not come up: {last}")

    def stop(self) -> None:
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def _reload_keyring_backend() -> None:
    import keyring.backend
    import keyring.core
    from keyring.backends import fail

    # keyring lists the viable backends once per process (jaraco's @once): a test that asked for
    # the keyring before the Secret Service ran (a review page, say) left SecretService off
    # that list, and every real_keyring test after it failed. Forget the list: it is made again.
    try:
        del keyring.backend.get_all_keyring.saved_result
    except AttributeError:
        pass
    try:
        keyring.core.init_backend()
    except RuntimeError:  # SecretService raises (not "not viable") once the bus is gone
        keyring.core.set_keyring(fail.Keyring())


@pytest.fixture(scope="session")
def secret_service():
    svc = SecretServiceSession()
    try:
        svc.start()
    except Exception as e:  # noqa: BLE001
        svc.stop()
        pytest.fail(f"cannot start a private Secret Service: {e}")
    saved = {k: os.environ.get(k) for k in svc.env}
    os.environ.update(svc.env)
    _reload_keyring_backend()
    yield svc
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    _reload_keyring_backend()
    svc.stop()


@pytest.fixture
def real_keyring(secret_service):
    """The running Secret Service; yields a unique prefix for keyring entry names."""
    import keyring

    assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService", keyring.get_keyring()
    yield f"test-{uuid.uuid4().hex[:10]}-"
