"""Issue 3: script versions, call lists with entries and attempts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, utcnow


class ScriptVersion(Base):
    """One saved version of a situation's script (TOML text). Editing adds a version."""

    __tablename__ = "script_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    situation: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100), default="")  # "resources" for the seed
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (
        UniqueConstraint("situation", "language", "version", name="uq_script_versions_situation_language_version"),
    )


class CallList(Base):
    """The outbound list of one situation (or the message list) for one day."""

    __tablename__ = "call_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))  # situation code, or "messages"
    on_date: Mapped[date] = mapped_column(Date)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entries: Mapped[list[CallListEntry]] = relationship(back_populates="call_list", cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("name", "on_date", name="uq_call_lists_name_on_date"),)


class CallListEntry(Base):
    __tablename__ = "call_list_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("call_lists.id", ondelete="CASCADE"))
    situation: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    member_ids: Mapped[list] = mapped_column(JSON, default=list)  # family sharing the number
    phone_e164: Mapped[str] = mapped_column(String(20), default="")
    channel: Mapped[str] = mapped_column(String(16), default="phone")  # app.domain.Channel
    reason: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher first
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, claimed, done, exhausted, lapsed
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disposition: Mapped[str | None] = mapped_column(String(16))  # app.domain.Disposition
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    call_list: Mapped[CallList] = relationship(back_populates="entries")
    __table_args__ = (
        Index("ix_call_list_entries_list_status", "list_id", "status"),
        Index("ix_call_list_entries_patient_id", "patient_id"),
    )


class CallListAttempt(Base):
    __tablename__ = "call_list_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("call_list_entries.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(100), default="")
    disposition: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    __table_args__ = (Index("ix_call_list_attempts_entry_id", "entry_id"),)
