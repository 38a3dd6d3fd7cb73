"""telephony: missed-call callback list

Revision ID: 0004
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "missed_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("number_e164", sa.String(length=20), nullable=True),
        sa.Column("number_raw", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("missed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_call_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_missed_calls_call_id_calls"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["closed_by_call_id"], ["calls.id"], name=op.f("fk_missed_calls_closed_by_call_id_calls"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_missed_calls_patient_id_patients"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missed_calls")),
        sa.UniqueConstraint("call_id", name=op.f("uq_missed_calls_call_id")),
    )
    op.create_index("ix_missed_calls_open", "missed_calls", ["closed_at", "missed_at"], unique=False)
    op.create_index("ix_missed_calls_number_e164", "missed_calls", ["number_e164"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_missed_calls_number_e164", table_name="missed_calls")
    op.drop_index("ix_missed_calls_open", table_name="missed_calls")
    op.drop_table("missed_calls")
