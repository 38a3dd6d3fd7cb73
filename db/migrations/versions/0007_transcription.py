"""transcription: job queue, encrypted transcript segments, hashed-token full-text index

Revision ID: 0007
Revises: 0003

SQLite: an FTS5 table over transcript_segments.search_tokens (external content, triggers keep
it in sync). PostgreSQL: search_tokens is a tsvector ('simple') with a GIN index.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "transcription_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("worker_id", sa.String(length=200), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_transcription_jobs_recording_id_recordings"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcription_jobs")),
    )
    op.create_index("ix_transcription_jobs_claim", "transcription_jobs", ["status", "priority", "id"], unique=False)
    op.create_index("ix_transcription_jobs_recording_id", "transcription_jobs", ["recording_id"], unique=False)
    op.create_table(
        "transcript_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=16), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("search_tokens", postgresql.TSVECTOR() if pg else sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_transcript_segments_recording_id_recordings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["transcription_jobs.id"],
                                name=op.f("fk_transcript_segments_job_id_transcription_jobs"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_segments")),
    )
    op.create_index("ix_transcript_segments_recording_id", "transcript_segments", ["recording_id", "start_s"],
                    unique=False)
    if pg:
        op.execute("CREATE INDEX ix_transcript_segments_search_gin ON transcript_segments "
                   "USING gin (search_tokens)")
    else:
        op.execute("CREATE VIRTUAL TABLE transcript_fts USING fts5(search_tokens, "
                   "content='transcript_segments', content_rowid='id', tokenize='unicode61')")
        op.execute("CREATE TRIGGER transcript_segments_ai AFTER INSERT ON transcript_segments BEGIN "
                   "INSERT INTO transcript_fts(rowid, search_tokens) VALUES (new.id, coalesce(new.search_tokens, '')); END")
        op.execute("CREATE TRIGGER transcript_segments_ad AFTER DELETE ON transcript_segments BEGIN "
                   "INSERT INTO transcript_fts(transcript_fts, rowid, search_tokens) "
                   "VALUES ('delete', old.id, coalesce(old.search_tokens, '')); END")
        op.execute("CREATE TRIGGER transcript_segments_au AFTER UPDATE OF search_tokens ON transcript_segments BEGIN "
                   "INSERT INTO transcript_fts(transcript_fts, rowid, search_tokens) "
                   "VALUES ('delete', old.id, coalesce(old.search_tokens, '')); "
                   "INSERT INTO transcript_fts(rowid, search_tokens) VALUES (new.id, coalesce(new.search_tokens, '')); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_transcript_segments_search_gin")
    else:
        for t in ("transcript_segments_ai", "transcript_segments_ad", "transcript_segments_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}")
        op.execute("DROP TABLE IF EXISTS transcript_fts")
    op.drop_index("ix_transcript_segments_recording_id", table_name="transcript_segments")
    op.drop_table("transcript_segments")
    op.drop_index("ix_transcription_jobs_recording_id", table_name="transcription_jobs")
    op.drop_index("ix_transcription_jobs_claim", table_name="transcription_jobs")
    op.drop_table("transcription_jobs")
