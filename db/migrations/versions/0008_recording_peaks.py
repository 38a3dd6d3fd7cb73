"""recordings: the peak envelope kept with each recording (encrypted; app.recording.peaks), so
the player draws a call's waveform without decrypting and decoding its audio

Revision ID: 0008
Revises: 0007a

Recordings made before it have none; each gets its envelope from its decoded audio the first
time it is shown (RecordingStore.peaks).
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007a"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both backends (SQLite has ADD and DROP COLUMN since 3.35). Alembic's batch
# mode copies the table and drops the old one; SQLite refused that DROP ("database table is
# locked") when tests/app/transcription/test_search.py downgrades below 0007a and upgrades again.


def upgrade() -> None:
    op.add_column("recordings", sa.Column("peaks", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("recordings", "peaks")
