"""scripts, call lists: script versions, call lists/entries/attempts, calls.script_version_id/checklist

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "script_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("situation", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_script_versions")),
        sa.UniqueConstraint("situation", "language", "version", name="uq_script_versions_situation_language_version"),
    )
    op.create_table(
        "call_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_lists")),
        sa.UniqueConstraint("name", "on_date", name="uq_call_lists_name_on_date"),
    )
    op.create_table(
        "call_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("situation", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposition", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["list_id"], ["call_lists.id"], name=op.f("fk_call_list_entries_list_id_call_lists"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_call_list_entries_patient_id_patients"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_list_entries")),
    )
    op.create_index("ix_call_list_entries_list_status", "call_list_entries", ["list_id", "status"], unique=False)
    op.create_index("ix_call_list_entries_patient_id", "call_list_entries", ["patient_id"], unique=False)
    op.create_table(
        "call_list_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("disposition", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["call_list_entries.id"], name=op.f("fk_call_list_attempts_entry_id_call_list_entries"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_call_list_attempts_call_id_calls"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_list_attempts")),
    )
    op.create_index("ix_call_list_attempts_entry_id", "call_list_attempts", ["entry_id"], unique=False)
    # Plain ADD COLUMN on both backends (no table rebuild on SQLite, so rows that reference
    # calls, e.g. recordings, are never touched).
    fk_name = op.f("fk_calls_script_version_id_script_versions")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE calls ADD COLUMN script_version_id INTEGER "
            "REFERENCES script_versions (id)"
        )
    else:
        op.add_column("calls", sa.Column("script_version_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk_name, "calls", "script_versions", ["script_version_id"], ["id"])
    op.add_column("calls", sa.Column("checklist", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("calls") as b:
        if op.get_bind().dialect.name != "sqlite":
            b.drop_constraint(op.f("fk_calls_script_version_id_script_versions"), type_="foreignkey")
        b.drop_column("checklist")
        b.drop_column("script_version_id")
    op.drop_index("ix_call_list_attempts_entry_id", table_name="call_list_attempts")
    op.drop_table("call_list_attempts")
    op.drop_index("ix_call_list_entries_patient_id", table_name="call_list_entries")
    op.drop_index("ix_call_list_entries_list_status", table_name="call_list_entries")
    op.drop_table("call_list_entries")
    op.drop_table("call_lists")
    op.drop_table("script_versions")
