"""Review and training (issue 6): audit log, tags, trackers, scorecards, playlists."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """Append-only: who did what to which object, and when. Never updated or deleted."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    login: Mapped[str] = mapped_column(String(64), default="")  # kept even if the user goes
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(32))  # playback, export, delete, score_change...
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_action", "action"))


class SignInState(Base):
    """Failed sign-in counter and lockout per user."""

    __tablename__ = "review_signin_state"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sign_in: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewOption(Base):
    """Values changed at run time by a manager (e.g. the retention period), overriding settings."""

    __tablename__ = "review_options"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReviewTag(Base):
    """The editable tag taxonomy."""

    __tablename__ = "review_tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    hotkey: Mapped[str] = mapped_column(String(8), default="")  # "1".."9" in the tag palette
    polarity: Mapped[int] = mapped_column(Integer, default=0)  # +1 good, -1 bad, 0 neutral
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CallTag(Base):
    __tablename__ = "review_call_tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("review_tags.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(8), default="manual")  # manual, auto
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # auto tags, by a supervisor
    evidence: Mapped[str] = mapped_column(Text, default="")  # for auto tags: what matched, where
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tag: Mapped[ReviewTag] = relationship()
    __table_args__ = (
        UniqueConstraint("call_id", "tag_id", name="uq_review_call_tags_call_tag"),
        Index("ix_review_call_tags_tag_id", "tag_id"),
    )


class RejectedAutoTag(Base):
    """An automatic tag a supervisor removed: the analyser will not add it again."""

    __tablename__ = "review_rejected_tags"
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("review_tags.id", ondelete="CASCADE"), primary_key=True)


class Tracker(Base):
    """Keyword/phrase tracker: phrases (one a line, any word form) -> an automatic tag."""

    __tablename__ = "review_trackers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    phrases: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[int | None] = mapped_column(Integer)  # None any, 0 administrator, 1 caller
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("review_tags.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CallAnalysis(Base):
    """Automatic checks of one call's transcript (adherence and talk metrics)."""

    __tablename__ = "review_call_analysis"
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    script_version_id: Mapped[int | None] = mapped_column(Integer)
    checklist_total: Mapped[int] = mapped_column(Integer, default=0)
    checklist_covered: Mapped[int] = mapped_column(Integer, default=0)
    checklist_json: Mapped[str] = mapped_column(Text, default="[]")
    bonus_mentioned: Mapped[bool] = mapped_column(Boolean, default=False)
    bonus_before_care: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_named: Mapped[bool] = mapped_column(Boolean, default=False)
    talk_ratio: Mapped[float] = mapped_column(Float, default=0.0)  # administrator share of talk
    longest_monologue_s: Mapped[float] = mapped_column(Float, default=0.0)
    interruptions: Mapped[int] = mapped_column(Integer, default=0)
    silence_share: Mapped[float] = mapped_column(Float, default=0.0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Scorecard(Base):
    __tablename__ = "review_scorecards"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    items: Mapped[list[ScorecardItem]] = relationship(
        back_populates="scorecard", cascade="all, delete-orphan", order_by="ScorecardItem.seq"
    )


class ScorecardItem(Base):
    __tablename__ = "review_scorecard_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("review_scorecards.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(300))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    max_points: Mapped[int] = mapped_column(Integer, default=1)
    instant_fail: Mapped[bool] = mapped_column(Boolean, default=False)
    scorecard: Mapped[Scorecard] = relationship(back_populates="items")
    __table_args__ = (Index("ix_review_scorecard_items_scorecard_id", "scorecard_id"),)


class CallScore(Base):
    """One reviewer's filled scorecard for one call."""

    __tablename__ = "review_call_scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("review_scorecards.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    total: Mapped[float] = mapped_column(Float, default=0.0)  # 0..100
    failed: Mapped[bool] = mapped_column(Boolean, default=False)  # an instant-fail item was hit
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answers: Mapped[list[CallScoreAnswer]] = relationship(back_populates="score", cascade="all, delete-orphan")
    __table_args__ = (
        UniqueConstraint("call_id", "scorecard_id", "reviewer_id", name="uq_review_call_scores_call_card_reviewer"),
    )


class CallScoreAnswer(Base):
    __tablename__ = "review_call_score_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("review_call_scores.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("review_scorecard_items.id", ondelete="CASCADE"))
    points: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)  # instant-fail item triggered
    score: Mapped[CallScore] = relationship(back_populates="answers")
    __table_args__ = (Index("ix_review_call_score_answers_score_id", "score_id"),)


class ReviewComment(Base):
    """A reviewer's comment pinned to a moment of the recording."""

    __tablename__ = "review_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at_s: Mapped[float] = mapped_column(Float, default=0.0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (Index("ix_review_comments_call_id", "call_id"),)


class Playlist(Base):
    __tablename__ = "review_playlists"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    week_start: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    items: Mapped[list[PlaylistItem]] = relationship(
        back_populates="playlist", cascade="all, delete-orphan", order_by="PlaylistItem.seq"
    )


class PlaylistItem(Base):
    __tablename__ = "review_playlist_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(ForeignKey("review_playlists.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    playlist: Mapped[Playlist] = relationship(back_populates="items")
    bookmarks: Mapped[list[PlaylistBookmark]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="PlaylistBookmark.start_s"
    )
    __table_args__ = (Index("ix_review_playlist_items_playlist_id", "playlist_id"),)


class PlaylistBookmark(Base):
    __tablename__ = "review_playlist_bookmarks"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_playlist_items.id", ondelete="CASCADE"))
    start_s: Mapped[float] = mapped_column(Float)
    stop_s: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(200), default="")
    item: Mapped[PlaylistItem] = relationship(back_populates="bookmarks")
    __table_args__ = (Index("ix_review_playlist_bookmarks_item_id", "item_id"),)
