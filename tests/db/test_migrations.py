"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.models import Base
from db.session import make_engine, schema_is_current, upgrade


def test_migrations_match_models(db_url):
    e = make_engine(db_url)
    try:
        assert schema_is_current(e)
        with e.connect() as c:
            # Objects a migration creates for one backend only (e.g. an FTS5 table) are listed in
            # Base.metadata.info["unmanaged"] and not compared.
            unmanaged = Base.metadata.info.get("unmanaged", set())
            opts = {"compare_type": True,
                    "include_name": lambda name, type_, parent: name not in unmanaged}
            diff = compare_metadata(MigrationContext.configure(c, opts=opts), Base.metadata)
        assert diff == []
    finally:
        e.dispose()


def test_upgrade_is_idempotent(db_url):
    e = make_engine(db_url)
    try:
        upgrade(e)
        upgrade(e)
        assert schema_is_current(e)
    finally:
        e.dispose()
