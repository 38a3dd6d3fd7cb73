"""deployment: MIS import mappings/runs/links, change events for cross-workstation freshness (issue 7)

Revision ID: 0006
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

# A call disposition saved anywhere becomes a change event; on PostgreSQL every change event
# is also announced with NOTIFY carecall_changes, '<event id>' (delivered at commit).
_PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION carecall_call_disposition_changed() RETURNS trigger AS $$
    BEGIN
        IF NEW.disposition IS NOT NULL AND (TG_OP = 'INSERT'
                OR NEW.disposition IS DISTINCT FROM OLD.disposition
                OR NEW.disposition_note IS DISTINCT FROM OLD.disposition_note) THEN
            INSERT INTO change_events (topic, entity_id, patient_id, detail, created_at)
            VALUES ('call_disposition', NEW.id, NEW.patient_id, NEW.disposition, now());
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION carecall_change_notify() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_notify('carecall_changes', NEW.id::text);
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER trg_calls_disposition_changed AFTER INSERT OR UPDATE OF disposition, disposition_note
    ON calls FOR EACH ROW EXECUTE FUNCTION carecall_call_disposition_changed()
    """,
    """
    CREATE TRIGGER trg_change_events_notify AFTER INSERT ON change_events
    FOR EACH ROW EXECUTE FUNCTION carecall_change_notify()
    """,
]

_SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER trg_calls_disposition_inserted AFTER INSERT ON calls
    WHEN NEW.disposition IS NOT NULL
    BEGIN
        INSERT INTO change_events (topic, entity_id, patient_id, detail, created_at)
        VALUES ('call_disposition', NEW.id, NEW.patient_id, NEW.disposition, strftime('%Y-%m-%d %H:%M:%S', 'now'));
    END
    """,
    """
    CREATE TRIGGER trg_calls_disposition_updated AFTER UPDATE OF disposition, disposition_note ON calls
    WHEN NEW.disposition IS NOT NULL AND (NEW.disposition IS NOT OLD.disposition
                                          OR NEW.disposition_note IS NOT OLD.disposition_note)
    BEGIN
        INSERT INTO change_events (topic, entity_id, patient_id, detail, created_at)
        VALUES ('call_disposition', NEW.id, NEW.patient_id, NEW.disposition, strftime('%Y-%m-%d %H:%M:%S', 'now'));
    END
    """,
]


def upgrade() -> None:
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint("name", "kind", name="uq_import_mappings_name_kind"),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mapping_name", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "import_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_links")),
        sa.UniqueConstraint("kind", "key", name="uq_import_links_kind_key"),
    )
    op.create_table(
        "change_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_events")),
    )
    op.create_index("ix_change_events_patient_id", "change_events", ["patient_id"], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for sql in _PG_FUNCTIONS:
            op.execute(sql)
    elif dialect == "sqlite":
        for sql in _SQLITE_TRIGGERS:
            op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_calls_disposition_changed ON calls")
        op.execute("DROP TRIGGER IF EXISTS trg_change_events_notify ON change_events")
        op.execute("DROP FUNCTION IF EXISTS carecall_call_disposition_changed()")
        op.execute("DROP FUNCTION IF EXISTS carecall_change_notify()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_calls_disposition_inserted")
        op.execute("DROP TRIGGER IF EXISTS trg_calls_disposition_updated")
    op.drop_index("ix_change_events_patient_id", table_name="change_events")
    op.drop_table("change_events")
    op.drop_table("import_links")
    op.drop_table("import_runs")
    op.drop_table("import_mappings")
