"""Deployment (issue 7): MIS import mappings, import runs and links, cross-workstation change events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class ImportMapping(Base):
    """A saved column mapping for one MIS export kind: ``{"column header": "field"}``."""

    __tablename__ = "import_mappings"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # the MIS, e.g. "Medods", "1C:Медицина"
    kind: Mapped[str] = mapped_column(String(16))  # patients, visits, plans, appointments, bonus
    columns: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (UniqueConstraint("name", "kind", name="uq_import_mappings_name_kind"),)


class ImportRun(Base):
    """One import (dry run or applied) and its counts; the full report is kept as JSON."""

    __tablename__ = "import_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    mapping_name: Mapped[str] = mapped_column(String(100), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict | None] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportLink(Base):
    """What an imported MIS record became here, so a re-import updates instead of duplicating.

    ``key`` is the MIS id of the record when the export has one, otherwise a natural key
    (patient + time + doctor for a visit, ...); ``row_hash`` is a digest of the mapped values,
    so the same row imported again is recognised as unchanged.
    """

    __tablename__ = "import_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # visit, plan, stage, appointment, bonus
    key: Mapped[str] = mapped_column(String(300))
    local_id: Mapped[int] = mapped_column(Integer)
    row_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_import_links_kind_key"),)


class ChangeEvent(Base):
    """A change other workstations should see (a saved call disposition, an import...).

    Rows are written by triggers on ``calls`` (migration 0006) and by :func:`app.sync.record_change`;
    on PostgreSQL each insert also sends ``NOTIFY carecall_changes``.
    """

    __tablename__ = "change_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))  # call_disposition, patients, ...
    entity_id: Mapped[int | None] = mapped_column(Integer)
    patient_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (Index("ix_change_events_patient_id", "patient_id"),)
