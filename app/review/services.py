"""All review services built from one sessionmaker (the composition root makes one of these)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session, sessionmaker

from app.review.auth import AuthService, UserService
from app.review.audit import AuditLog
from app.review.cases import CaseService
from app.review.export import ExportService
from app.review.library import LibraryService, RecordingAccess
from app.review.reports import ReportService
from app.review.retention import RetentionService
from app.review.scorecards import ScorecardService
from app.review.segments import NoTranscripts, TranscriptSource
from app.review.tags import TagService


@dataclass
class ReviewServices:
    sessions: sessionmaker[Session]
    retention_days: int = 365 * 3
    transcripts: TranscriptSource | None = None
    recordings: RecordingAccess | None = None
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15

    def __post_init__(self) -> None:
        if self.transcripts is None:
            self.transcripts = NoTranscripts()

    @cached_property
    def auth(self) -> AuthService:
        return AuthService(self.sessions, self.max_failed_sign_ins, self.lockout_minutes)

    @cached_property
    def users(self) -> UserService:
        return UserService(self.sessions)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.sessions)

    @cached_property
    def library(self) -> LibraryService:
        return LibraryService(self.sessions, self.transcripts, self.recordings)

    @cached_property
    def tags(self) -> TagService:
        return TagService(self.sessions)

    @cached_property
    def scorecards(self) -> ScorecardService:
        return ScorecardService(self.sessions)

    @cached_property
    def cases(self) -> CaseService:
        return CaseService(self.sessions)

    @cached_property
    def export(self) -> ExportService:
        return ExportService(self.sessions, self.transcripts, self.recordings)

    @cached_property
    def reports(self) -> ReportService:
        return ReportService(self.sessions)

    @cached_property
    def retention(self) -> RetentionService:
        if self.recordings is None:
            raise RuntimeError("retention needs the recording store")
        return RetentionService(self.sessions, self.recordings, self.retention_days)

    def ensure_defaults(self) -> None:
        """Seed the tag taxonomy, trackers and the default scorecard (idempotent)."""
        self.tags.ensure_defaults()
        self.scorecards.ensure_default()
