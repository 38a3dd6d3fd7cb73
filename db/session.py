"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import ColumnElement, Engine, Integer, any_, bindparam, cast, create_engine, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import NullType

log = logging.getLogger("carecall.db")


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is for a person."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def int_array(ids) -> str:
    """*ids* as a PostgreSQL array literal ('{1,2,3}'), for one parameter cast to integer[]
    (``= ANY(...)``): psycopg's list adapter inspects every int, and an IN list of a page's 500
    ids is 500 parameters to render and parse on every query."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def any_of_int_array(col, array: str) -> ColumnElement[bool]:
    """PostgreSQL: *col* is one of the ints of *array*, an array literal (:func:`int_array`, or
    ``array_agg(...)::text`` read from the server), as ``col = ANY(CAST(:p AS INTEGER[]))`` with
    one untyped parameter: PostgreSQL folds the cast into a constant it counts and hashes, where a
    VARCHAR-typed one (SQLAlchemy's type for a str) stays a cast evaluated while the statement
    runs."""
    return col == any_(cast(bindparam(None, array, type_=NullType()), ARRAY(Integer)))


def make_engine(url: str, password: str | None = None, **kw) -> Engine:
    """Create an engine. ``password`` (from the keyring) is added to a server URL."""
    try:
        u = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"{url!r} is not a database URL (e.g. sqlite:///path or postgresql://host/db)") from None
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    if password and not u.password:
        u = u.set(password=password)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, **kw)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so BEGIN IMMEDIATE works.
        @event.listens_for(engine, "connect")
        def _no_pysqlite_tx(dbapi_conn, _rec):
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if u.get_backend_name() == "postgresql":
        kw.setdefault("pool_pre_ping", True)
        return create_engine(u, **kw)
    raise DatabaseError(f"unsupported database {u.get_backend_name()!r}: use SQLite or PostgreSQL")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in a write transaction that commits on success and rolls back on error.

    On SQLite the transaction starts with BEGIN IMMEDIATE, taking the write lock at once, so
    concurrent writers (another process claiming a job, say) queue instead of failing half-way.
    """
    with factory() as s:
        if s.get_bind().dialect.name == "sqlite":
            s.connection(execution_options={"sqlite_immediate": True})
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


# --- migrations -------------------------------------------------------------------------

def alembic_config(engine: Engine | None = None) -> Config:
    mig = resources.files("db") / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(mig))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (all branches)."""
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


def schema_is_current(engine: Engine) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == set(script.get_heads())
