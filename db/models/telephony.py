"""Telephony (issue 5): the missed-call callback list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class MissedCall(Base):
    """A missed or abandoned inbound call waiting for a callback (closed by a later answered
    call with the same number, outbound or inbound)."""

    __tablename__ = "missed_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    number_e164: Mapped[str | None] = mapped_column(String(20))
    number_raw: Mapped[str] = mapped_column(String(200), default="")
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"))
    missed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(200), default="")  # missed (rang out), abandoned...
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    __table_args__ = (
        Index("ix_missed_calls_open", "closed_at", "missed_at"),
        Index("ix_missed_calls_number_e164", "number_e164"),
    )
