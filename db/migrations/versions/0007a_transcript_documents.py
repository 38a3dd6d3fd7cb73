"""transcription: one search document per transcribed recording (the distinct tokens of its
segments, cut to 9 characters: app.transcription.textnorm.doc_token), so searches find
recordings without reading segments

Revision ID: 0007a
Revises: 0007

SQLite: an FTS5 table over transcript_documents.search_tokens (external content, detail=none:
only which recordings hold a token is needed; triggers keep it in sync). PostgreSQL:
search_tokens is a tsvector without positions, with a GIN index. Existing transcripts are
indexed from their segments' tokens.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007a"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    op.create_table(
        "transcript_documents",
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("search_tokens", postgresql.TSVECTOR() if pg else sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"],
                                name=op.f("fk_transcript_documents_recording_id_recordings"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("recording_id", name=op.f("pk_transcript_documents")),
    )
    if pg:  # tokens cut to 9 characters as app.transcription.textnorm.doc_token does
        op.execute("INSERT INTO transcript_documents (recording_id, search_tokens) "
                   "SELECT s.recording_id, strip(to_tsvector('simple', string_agg(left(t.tok, 9), ' '))) "
                   "FROM transcript_segments s CROSS JOIN LATERAL unnest(tsvector_to_array(s.search_tokens)) "
                   "AS t(tok) GROUP BY s.recording_id")
        op.execute("CREATE INDEX ix_transcript_documents_search_gin ON transcript_documents "
                   "USING gin (search_tokens)")
        return
    docs: dict[int, dict[str, None]] = {}
    for rid, toks in bind.execute(sa.text("SELECT recording_id, search_tokens FROM transcript_segments")):
        docs.setdefault(rid, {}).update(dict.fromkeys(t[:9] for t in (toks or "").split()))
    if docs:
        bind.execute(sa.text("INSERT INTO transcript_documents (recording_id, search_tokens) VALUES (:r, :t)"),
                     [{"r": r, "t": " ".join(d)} for r, d in docs.items()])
    op.execute("CREATE VIRTUAL TABLE transcript_doc_fts USING fts5(search_tokens, "
               "content='transcript_documents', content_rowid='recording_id', tokenize='unicode61', "
               "detail=none)")
    op.execute("INSERT INTO transcript_doc_fts(transcript_doc_fts) VALUES ('rebuild')")
    op.execute("CREATE TRIGGER transcript_documents_ai AFTER INSERT ON transcript_documents BEGIN "
               "INSERT INTO transcript_doc_fts(rowid, search_tokens) "
               "VALUES (new.recording_id, coalesce(new.search_tokens, '')); END")
    op.execute("CREATE TRIGGER transcript_documents_ad AFTER DELETE ON transcript_documents BEGIN "
               "INSERT INTO transcript_doc_fts(transcript_doc_fts, rowid, search_tokens) "
               "VALUES ('delete', old.recording_id, coalesce(old.search_tokens, '')); END")
    op.execute("CREATE TRIGGER transcript_documents_au AFTER UPDATE OF search_tokens ON transcript_documents BEGIN "
               "INSERT INTO transcript_doc_fts(transcript_doc_fts, rowid, search_tokens) "
               "VALUES ('delete', old.recording_id, coalesce(old.search_tokens, '')); "
               "INSERT INTO transcript_doc_fts(rowid, search_tokens) "
               "VALUES (new.recording_id, coalesce(new.search_tokens, '')); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_transcript_documents_search_gin")
    else:
        for t in ("transcript_documents_ai", "transcript_documents_ad", "transcript_documents_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}")
        op.execute("DROP TABLE IF EXISTS transcript_doc_fts")
    op.drop_table("transcript_documents")
