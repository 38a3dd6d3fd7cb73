"""Tag taxonomy, manual tags, automatic tags (trackers + adherence) and their review."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.review import audit
from app.review.access import Action, Principal
from app.review.adherence import ChecklistPoint, analyse
from app.review.common import NotFound, call_checked
from app.review.segments import Segment
from app.review.trackers import DEFAULT_TRACKERS, TrackerDef, run_trackers
from db.base import utcnow
from db.models.review import CallAnalysis, CallTag, RejectedAutoTag, ReviewTag, Tracker
from db.session import write_session

# name, polarity, hotkey
DEFAULT_TAGS: tuple[tuple[str, int, str], ...] = (
    ("booked", 1, "1"),
    ("care question asked", 1, "2"),
    ("did not know the price", -1, "3"),
    ("rude", -1, "4"),
    ("lost patient", -1, "5"),
    ("good example", 1, "6"),
    ("price question", 0, ""),
    ("bonus offered", 0, ""),
    ("competitor mentioned", 0, ""),
    ("complaint", -1, ""),
    ("bonus before care", -1, ""),
    ("bonus deadline not named", -1, ""),
)
TAG_BONUS_BEFORE_CARE = "bonus before care"
TAG_NO_DEADLINE = "bonus deadline not named"


class TagError(Exception):
    pass


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    hotkey: str
    polarity: int
    active: bool


@dataclass(frozen=True)
class AppliedTag:
    tag_id: int
    name: str
    source: str  # manual / auto
    confirmed: bool
    evidence: str
    polarity: int


class TagService:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    # -- taxonomy ------------------------------------------------------------------------
    def ensure_defaults(self) -> None:
        with write_session(self.sessions) as s:
            have = set(s.scalars(select(ReviewTag.name)))
            for name, pol, key in DEFAULT_TAGS:
                if name not in have:
                    s.add(ReviewTag(name=name, polarity=pol, hotkey=key, active=True))
            s.flush()
            tr_have = set(s.scalars(select(Tracker.name)))
            for t in DEFAULT_TRACKERS:
                if t.name not in tr_have:
                    tag = s.scalar(select(ReviewTag).where(ReviewTag.name == t.tag))
                    s.add(Tracker(name=t.name, phrases="\n".join(t.phrases), speaker=t.speaker,
                                  tag_id=tag.id if tag else None, active=True))

    def taxonomy(self, include_inactive: bool = False) -> list[TagInfo]:
        with self.sessions() as s:
            q = select(ReviewTag).order_by(ReviewTag.hotkey == "", ReviewTag.hotkey, ReviewTag.name)
            if not include_inactive:
                q = q.where(ReviewTag.active.is_(True))
            return [TagInfo(t.id, t.name, t.hotkey, t.polarity, t.active) for t in s.scalars(q)]

    def add_tag(self, principal: Principal, name: str, polarity: int = 0, hotkey: str = "") -> TagInfo:
        principal.require(Action.EDIT_TAXONOMY)
        name = name.strip()
        if not name:
            raise TagError("a tag needs a name")
        with write_session(self.sessions) as s:
            if s.scalar(select(ReviewTag.id).where(ReviewTag.name == name)) is not None:
                raise TagError(f"the tag {name!r} already exists")
            if hotkey:
                s.execute(ReviewTag.__table__.update().where(ReviewTag.hotkey == hotkey).values(hotkey=""))
            t = ReviewTag(name=name, polarity=max(-1, min(1, polarity)), hotkey=hotkey, active=True)
            s.add(t)
            s.flush()
            return TagInfo(t.id, t.name, t.hotkey, t.polarity, t.active)

    def update_tag(self, principal: Principal, tag_id: int, *, name: str | None = None,
                   hotkey: str | None = None, polarity: int | None = None, active: bool | None = None) -> None:
        principal.require(Action.EDIT_TAXONOMY)
        with write_session(self.sessions) as s:
            t = s.get(ReviewTag, tag_id)
            if t is None:
                raise NotFound(f"tag {tag_id} does not exist")
            if name is not None and name.strip():
                t.name = name.strip()
            if hotkey is not None:
                if hotkey:
                    s.execute(ReviewTag.__table__.update().where(ReviewTag.hotkey == hotkey,
                                                                 ReviewTag.id != tag_id).values(hotkey=""))
                t.hotkey = hotkey
            if polarity is not None:
                t.polarity = max(-1, min(1, polarity))
            if active is not None:
                t.active = active

    def trackers(self) -> list[TrackerDef]:
        with self.sessions() as s:
            rows = s.execute(select(Tracker, ReviewTag.name).outerjoin(ReviewTag, ReviewTag.id == Tracker.tag_id)
                             .where(Tracker.active.is_(True)).order_by(Tracker.id)).all()
            return [TrackerDef(t.name, tuple(p for p in t.phrases.splitlines() if p.strip()), t.speaker, tag)
                    for t, tag in rows]

    def save_tracker(self, principal: Principal, name: str, phrases: Sequence[str], tag: str | None,
                     speaker: int | None = None) -> None:
        principal.require(Action.EDIT_TAXONOMY)
        with write_session(self.sessions) as s:
            t = s.scalar(select(Tracker).where(Tracker.name == name))
            tag_row = s.scalar(select(ReviewTag).where(ReviewTag.name == tag)) if tag else None
            if tag and tag_row is None:
                tag_row = ReviewTag(name=tag, polarity=0, hotkey="", active=True)
                s.add(tag_row)
                s.flush()
            if t is None:
                t = Tracker(name=name)
                s.add(t)
            t.phrases = "\n".join(p.strip() for p in phrases if p.strip())
            t.speaker = speaker
            t.tag_id = tag_row.id if tag_row else None
            t.active = True

    # -- tags on a call -------------------------------------------------------------------
    def call_tags(self, principal: Principal, call_id: int) -> list[AppliedTag]:
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.VIEW_OWN_CALLS)
            return self._applied(s, call_id)

    @staticmethod
    def _applied(s: Session, call_id: int) -> list[AppliedTag]:
        rows = s.execute(select(CallTag, ReviewTag).join(ReviewTag, ReviewTag.id == CallTag.tag_id)
                         .where(CallTag.call_id == call_id).order_by(ReviewTag.name)).all()
        return [AppliedTag(t.id, t.name, ct.source, ct.confirmed, ct.evidence, t.polarity) for ct, t in rows]

    def apply(self, principal: Principal, call_id: int, tag_id: int) -> None:
        """A manual tag (or confirming an automatic one that is already there)."""
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.TAG)
            tag = s.get(ReviewTag, tag_id)
            if tag is None or not tag.active:
                raise NotFound(f"tag {tag_id} does not exist")
            ct = s.scalar(select(CallTag).where(CallTag.call_id == call_id, CallTag.tag_id == tag_id))
            if ct is None:
                s.add(CallTag(call_id=call_id, tag_id=tag_id, source="manual", confirmed=True,
                              by_user_id=principal.user_id, at=utcnow()))
            else:
                ct.confirmed = True
                ct.by_user_id = principal.user_id
            audit.record(s, principal, audit.AuditAction.TAG_CHANGE, "call", call_id, {"add": tag.name})

    def toggle(self, principal: Principal, call_id: int, tag_id: int) -> bool:
        """Keyboard tagging: add the tag, or remove it when present. True when now applied."""
        with self.sessions() as s:
            present = s.scalar(select(CallTag.id).where(CallTag.call_id == call_id, CallTag.tag_id == tag_id))
        if present is None:
            self.apply(principal, call_id, tag_id)
            return True
        self.remove(principal, call_id, tag_id)
        return False

    def confirm(self, principal: Principal, call_id: int, tag_id: int) -> None:
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.TAG)
            ct = s.scalar(select(CallTag).where(CallTag.call_id == call_id, CallTag.tag_id == tag_id))
            if ct is None:
                raise NotFound("that tag is not on this call")
            ct.confirmed = True
            ct.by_user_id = principal.user_id
            audit.record(s, principal, audit.AuditAction.TAG_CHANGE, "call", call_id, {"confirm": tag_id})

    def remove(self, principal: Principal, call_id: int, tag_id: int) -> None:
        """Remove a tag; an automatic one stays removed when the call is analysed again."""
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.TAG)
            ct = s.scalar(select(CallTag).where(CallTag.call_id == call_id, CallTag.tag_id == tag_id))
            if ct is None:
                return
            if ct.source == "auto" and s.get(RejectedAutoTag, (call_id, tag_id)) is None:
                s.add(RejectedAutoTag(call_id=call_id, tag_id=tag_id))
            s.delete(ct)
            audit.record(s, principal, audit.AuditAction.TAG_CHANGE, "call", call_id,
                         {"remove": tag_id, "source": ct.source})

    # -- automatic analysis ---------------------------------------------------------------
    def analyse_call(self, call_id: int, segments: Sequence[Segment], points: Sequence[ChecklistPoint] = (),
                     duration: float | None = None, script_version_id: int | None = None) -> list[str]:
        """Run trackers and adherence checks; store the analysis and automatic tags.

        Run by the background analysis after transcription (no person involved). Returns
        the names of the automatic tags now on the call."""
        trackers = self.trackers()
        hits = run_trackers(trackers, segments)
        adh = analyse(segments, points, duration)
        wanted: dict[str, str] = {}
        by_tracker = {t.name: t for t in trackers}
        for h in hits:
            t = by_tracker[h.tracker]
            if t.tag and t.tag not in wanted:
                wanted[t.tag] = f"{h.start:.1f}s: «{h.phrase}» — {h.text}"
        if adh.bonus_before_care:
            wanted[TAG_BONUS_BEFORE_CARE] = (f"bonus at {adh.bonus_at:.1f}s, care "
                                             + (f"at {adh.care_at:.1f}s" if adh.care_at is not None else "not found"))
        if adh.bonus_mentioned and not adh.deadline_named:
            wanted[TAG_NO_DEADLINE] = f"bonus at {adh.bonus_at:.1f}s, no deadline named after it"
        m = adh.metrics
        with write_session(self.sessions) as s:
            if s.get(CallAnalysis, call_id) is not None:
                s.execute(delete(CallAnalysis).where(CallAnalysis.call_id == call_id))
            s.add(CallAnalysis(
                call_id=call_id, script_version_id=script_version_id,
                checklist_total=len(adh.points), checklist_covered=adh.covered,
                checklist_json=json.dumps([p.__dict__ for p in adh.points], ensure_ascii=False),
                bonus_mentioned=adh.bonus_mentioned, bonus_before_care=adh.bonus_before_care,
                deadline_named=adh.deadline_named, talk_ratio=m.talk_ratio,
                longest_monologue_s=m.longest_monologue_s, interruptions=m.interruptions,
                silence_share=m.silence_share, computed_at=utcnow(),
            ))
            tags = {t.name: t for t in s.scalars(select(ReviewTag))}
            rejected = set(s.scalars(select(RejectedAutoTag.tag_id).where(RejectedAutoTag.call_id == call_id)))
            existing = {ct.tag_id: ct for ct in s.scalars(select(CallTag).where(CallTag.call_id == call_id))}
            wanted_ids = set()
            for name, ev in wanted.items():
                t = tags.get(name)
                if t is None:
                    t = ReviewTag(name=name, polarity=0, hotkey="", active=True)
                    s.add(t)
                    s.flush()
                    tags[name] = t
                if t.id in rejected:
                    continue
                wanted_ids.add(t.id)
                if t.id in existing:
                    if existing[t.id].source == "auto":
                        existing[t.id].evidence = ev
                    continue
                s.add(CallTag(call_id=call_id, tag_id=t.id, source="auto", confirmed=False, evidence=ev, at=utcnow()))
            for tid, ct in existing.items():
                if ct.source == "auto" and not ct.confirmed and tid not in wanted_ids:
                    s.delete(ct)
            s.flush()
            return sorted(t.name for t in tags.values() if t.id in wanted_ids)
