"""Shared fixtures.

* Every test runs with its own user directories (platformdirs honours XDG_* here), so nothing
  touches the developer's real data.
* ``db_url`` gives each test a fresh, migrated database: once on SQLite and once on the real
  PostgreSQL at 127.0.0.1:5432. In CI (``CI`` set) a missing PostgreSQL server is a failure,
  not a skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

_SESSION_TMP = Path(tempfile.mkdtemp(prefix="carecall-tests-"))
for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[var] = str(_SESSION_TMP / var.lower())
os.environ["XDG_RUNTIME_DIR"] = str(_SESSION_TMP / "run")
(_SESSION_TMP / "run").mkdir(mode=0o700)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ADMIN_URL = os.environ.get("CARECALL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def pytest_sessionfinish(session, exitstatus):
    _PG.drop_all()
    shutil.rmtree(_SESSION_TMP, ignore_errors=True)


class _PgTemplates:
    """A migrated template database per test session; each test copies it (fast, isolated)."""

    def __init__(self) -> None:
        self.template: str | None = None
        self.error: str | None = None
        self.created: list[str] = []
        self.counter = itertools.count()
        self.tag = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def _admin(self):
        from sqlalchemy import create_engine

        return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def new_database(self) -> str:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from db.session import make_engine, upgrade

        if self.error:
            raise RuntimeError(self.error)
        admin = self._admin()
        try:
            with admin.connect() as c:
                if self.template is None:
                    name = f"carecall_tmpl_{self.tag}"
                    c.execute(text(f'CREATE DATABASE "{name}"'))
                    self.created.append(name)
                    e = make_engine(str(make_url(PG_ADMIN_URL).set(database=name)))
                    try:
                        upgrade(e)
                    finally:
                        e.dispose()
                    self.template = name
                name = f"carecall_t_{self.tag}_{next(self.counter)}"
                c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
                self.created.append(name)
        except Exception as e:  # noqa: BLE001 - reported as skip/failure below
            self.error = f"PostgreSQL at 127.0.0.1:5432 is not usable: {e}"
            raise RuntimeError(self.error) from e
        finally:
            admin.dispose()
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        admin = self._admin()
        try:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if name in self.created:
                self.created.remove(name)
        finally:
            admin.dispose()

    def drop_all(self) -> None:
        if not self.created:
            return
        from sqlalchemy import text

        admin = self._admin()
        try:
            with admin.connect() as c:
                for name in reversed(self.created):
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception:  # noqa: BLE001
            pass
        finally:
            admin.dispose()


_PG = _PgTemplates()
_SQLITE_TEMPLATE: dict[str, Path] = {}


def _sqlite_database(tmp_path: Path) -> str:
    from db.session import make_engine, upgrade

    if "path" not in _SQLITE_TEMPLATE:
        tpl = _SESSION_TMP / "template.sqlite3"
        e = make_engine(f"sqlite:///{tpl}")
        upgrade(e)
        with e.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        e.dispose()
        _SQLITE_TEMPLATE["path"] = tpl
    dst = tmp_path / "carecall.sqlite3"
    shutil.copyfile(_SQLITE_TEMPLATE["path"], dst)
    return f"sqlite:///{dst}"


def pg_database_or_fail() -> str:
    try:
        return _PG.new_database()
    except RuntimeError as e:
        if os.environ.get("CI"):
            pytest.fail(f"{e} (in CI a missing PostgreSQL is a failure)")
        pytest.skip(str(e))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh migrated database URL, once per backend."""
    if request.param == "sqlite":
        yield _sqlite_database(tmp_path)
        return
    url = pg_database_or_fail()
    yield url
    _PG.drop(url)


@pytest.fixture
def sqlite_url(tmp_path):
    return _sqlite_database(tmp_path)


@pytest.fixture
def pg_url():
    url = pg_database_or_fail()
    yield url
    _PG.drop(url)


@pytest.fixture
def engine(db_url):
    from db.session import make_engine

    e = make_engine(db_url)
    yield e
    e.dispose()


@pytest.fixture
def sessions(engine):
    from db.session import session_factory

    return session_factory(engine)


@pytest.fixture
def settings(tmp_path):
    from app.settings import Settings

    s = Settings()
    s.logging.directory = str(tmp_path / "logs")
    s.ui.ipc_name = str(tmp_path / "carecall.sock")
    # A window built in a test must not leave a detached `carecall worker` running after it;
    # the tests of that launcher turn it on themselves.
    s.asr.background_worker = False
    return s


# A real Secret Service (gnome-keyring in a private D-Bus session): see tests/keyring_fixture.py.
from tests.keyring_fixture import real_keyring, secret_service  # noqa: E402,F401
