"""Call recordings: encrypted audio files on a storage location every workstation reaches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class Recording(Base):
    __tablename__ = "recordings"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    # Path relative to the storage root (settings.audio.storage_dir).
    path: Mapped[str] = mapped_column(String(500))
    # Per-recording AES-256-GCM key, wrapped (encrypted) by the clinic's master key.
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64), default="")  # which master key wrapped it
    format: Mapped[str] = mapped_column(String(16), default="ogg-opus")
    channels: Mapped[int] = mapped_column(Integer, default=2)  # 0 = administrator, 1 = caller
    samplerate: Mapped[int] = mapped_column(Integer, default=8000)
    duration_s: Mapped[float | None] = mapped_column(Float)
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), default="")  # of the plaintext audio
    status: Mapped[str] = mapped_column(String(16), default="recording")  # recording, complete, interrupted, deleted
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The peak envelope for the player's waveform, sealed under a key derived from this
    # recording's data key (app.recording.peaks); None until it is made (older recordings).
    peaks: Mapped[bytes | None] = mapped_column(LargeBinary)
    __table_args__ = (Index("ix_recordings_call_id", "call_id"),)
