"""Transcription: a job queue in the database and encrypted transcript segments.

Segment text is stored encrypted (AES-GCM, see app/transcription/crypto.py). The search index
holds only keyed hashes of normalised, stemmed words (``search_tokens``): a plain string of
hash tokens on SQLite, indexed by the FTS5 table ``transcript_fts`` (external content, kept in
sync by triggers), and a ``tsvector`` ('simple' configuration) with a GIN index on PostgreSQL.
``transcript_documents`` holds the same tokens once per recording (the distinct tokens of the
whole transcript, cut to 40 bits), indexed the same way (FTS5 ``transcript_doc_fts`` with ``detail=none`` / GIN),
so a search finds the matching recordings without visiting their segments (migration 0007a).
The FTS5 tables, their shadow tables and the GIN indexes are created by migrations 0007/0007a
for one backend only, so they are listed in ``Base.metadata.info["unmanaged"]`` and schema
comparisons skip them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow

JOB_STATUSES = ("pending", "running", "done", "failed")

# Objects that exist on one backend only (created by migration 0007), not described here.
FTS_TABLE = "transcript_fts"
GIN_INDEX = "ix_transcript_segments_search_gin"
DOC_FTS_TABLE = "transcript_doc_fts"
DOC_GIN_INDEX = "ix_transcript_documents_search_gin"
UNMANAGED = {
    *(f"{t}{suffix}" for t in (FTS_TABLE, DOC_FTS_TABLE)
      for suffix in ("", "_data", "_idx", "_docsize", "_config", "_content")),
    GIN_INDEX,
    DOC_GIN_INDEX,
}
Base.metadata.info.setdefault("unmanaged", set()).update(UNMANAGED)

SearchTokens = Text().with_variant(TSVECTOR(), "postgresql")


class TranscriptionJob(Base):
    __tablename__ = "transcription_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    engine: Mapped[str] = mapped_column(String(32), default="faster-whisper")
    model: Mapped[str] = mapped_column(String(200), default="")  # empty: the engine's default
    language: Mapped[str] = mapped_column(String(8), default="auto")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # JOB_STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    error: Mapped[str] = mapped_column(Text, default="")
    worker_id: Mapped[str] = mapped_column(String(200), default="")
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1 while running
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_transcription_jobs_claim", "status", "priority", "id"),
        Index("ix_transcription_jobs_recording_id", "recording_id"),
    )


class TranscriptSegment(Base):
    __tablename__ = "transcript_segments"
    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("transcription_jobs.id", ondelete="SET NULL"))
    channel: Mapped[int] = mapped_column(Integer)  # 0 = administrator, 1 = caller
    speaker: Mapped[str] = mapped_column(String(16))  # "admin" | "caller"
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    language: Mapped[str] = mapped_column(String(8), default="")
    # AES-GCM(nonce || ciphertext) of JSON {"text": ..., "words": [[word, start, end, prob], ...]}
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64), default="")
    search_tokens: Mapped[str | None] = mapped_column(SearchTokens)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (Index("ix_transcript_segments_recording_id", "recording_id", "start_s"),)


class TranscriptDocument(Base):
    """The search tokens of a recording's whole transcript: the distinct tokens of its segments
    cut to textnorm.doc_token, written with them (app.transcription.store). Searches find recordings here, then look at
    the segments of the recordings shown only."""

    __tablename__ = "transcript_documents"
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True)
    search_tokens: Mapped[str | None] = mapped_column(SearchTokens)
