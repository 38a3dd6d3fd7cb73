"""QC scorecards: checkpoints with weights and maximum points, instant-fail items, several
reviewers per call, comments pinned to a moment of the recording, trends per administrator."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.review import audit
from app.review.access import Action, Principal
from app.review.common import NotFound, call_checked, week_start
from db.base import utcnow
from db.models.core import Call, User
from db.models.review import CallScore, CallScoreAnswer, ReviewComment, Scorecard, ScorecardItem
from db.session import write_session



def call_scores():
    """Score per call: the mean of its reviewers' totals, as a subquery (call_id, score)."""
    return select(CallScore.call_id, func.avg(CallScore.total).label("score")).group_by(CallScore.call_id).subquery()

class ScoreError(Exception):
    pass


@dataclass(frozen=True)
class ItemDef:
    text: str
    weight: float = 1.0
    max_points: int = 1
    instant_fail: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Answer:
    points: int = 0
    failed: bool = False  # an instant-fail item that was triggered


def compute_score(items: Sequence[ItemDef], answers: Mapping[int, Answer]) -> tuple[float, bool]:
    """(score 0..100, failed). Items are keyed by position. An instant-fail item that is
    triggered makes the whole call 0; instant-fail items carry no points otherwise."""
    total_w = 0.0
    got = 0.0
    for i, it in enumerate(items):
        a = answers.get(i, Answer())
        if it.instant_fail:
            if a.failed:
                return 0.0, True
            continue
        if a.points < 0 or a.points > it.max_points:
            raise ScoreError(f"{it.text!r}: {a.points} points is outside 0..{it.max_points}")
        if it.weight <= 0 or it.max_points <= 0:
            continue
        total_w += it.weight
        got += it.weight * a.points / it.max_points
    return (round(100.0 * got / total_w, 2) if total_w else 0.0), False


DEFAULT_SCORECARD = ("Front desk call", (
    ItemDef("Greeted, named the clinic and themselves", 1, 1),
    ItemDef("Asked about the patient's health first (care first)", 2, 2),
    ItemDef("Verified data by stating it", 1, 1),
    ItemDef("Explained the price or the staged plan clearly", 2, 2),
    ItemDef("Offered a concrete time and booked", 3, 2),
    ItemDef("Bonuses last, with their deadline", 1, 1),
    ItemDef("Rude or dismissive to the patient", 1, 1, instant_fail=True),
    ItemDef("Gave wrong medical advice", 1, 1, instant_fail=True),
))


@dataclass(frozen=True)
class ScorecardInfo:
    id: int
    name: str
    items: tuple[ItemDef, ...]


@dataclass(frozen=True)
class Review:
    reviewer: str
    reviewer_id: int | None
    scorecard_id: int
    total: float
    failed: bool
    answers: dict[int, Answer]  # item id -> answer
    updated_at: datetime


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    at_s: float
    text: str
    created_at: datetime


@dataclass(frozen=True)
class TrendPoint:
    user_id: int
    administrator: str
    week: date
    calls_scored: int
    average: float


class ScorecardService:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    # -- scorecards ----------------------------------------------------------------------
    def ensure_default(self) -> int:
        with write_session(self.sessions) as s:
            sc = s.scalar(select(Scorecard).where(Scorecard.name == DEFAULT_SCORECARD[0]))
            if sc is None:
                sc = Scorecard(name=DEFAULT_SCORECARD[0], active=True)
                sc.items = [ScorecardItem(seq=i, text=it.text, weight=it.weight, max_points=it.max_points,
                                          instant_fail=it.instant_fail)
                            for i, it in enumerate(DEFAULT_SCORECARD[1])]
                s.add(sc)
                s.flush()
            return sc.id

    def save_scorecard(self, principal: Principal, name: str, items: Sequence[ItemDef]) -> int:
        principal.require(Action.EDIT_TAXONOMY)
        if not name.strip():
            raise ScoreError("a scorecard needs a name")
        if not items:
            raise ScoreError("a scorecard needs at least one checkpoint")
        for it in items:
            if it.max_points < 1 or it.weight < 0:
                raise ScoreError(f"{it.text!r}: maximum points must be 1 or more and the weight not negative")
        with write_session(self.sessions) as s:
            if s.scalar(select(Scorecard.id).where(Scorecard.name == name)) is not None:
                raise ScoreError(f"a scorecard named {name!r} exists; scorecards in use are not edited, "
                                 "save a new one")
            sc = Scorecard(name=name, active=True)
            sc.items = [ScorecardItem(seq=i, text=it.text, weight=it.weight, max_points=it.max_points,
                                      instant_fail=it.instant_fail) for i, it in enumerate(items)]
            s.add(sc)
            s.flush()
            return sc.id

    def scorecards(self) -> list[ScorecardInfo]:
        with self.sessions() as s:
            out = []
            for sc in s.scalars(select(Scorecard).where(Scorecard.active.is_(True))
                                .options(selectinload(Scorecard.items)).order_by(Scorecard.id)):
                out.append(ScorecardInfo(sc.id, sc.name, tuple(
                    ItemDef(i.text, i.weight, i.max_points, i.instant_fail, i.id) for i in sc.items)))
            return out

    def scorecard(self, scorecard_id: int) -> ScorecardInfo:
        for sc in self.scorecards():
            if sc.id == scorecard_id:
                return sc
        raise NotFound(f"scorecard {scorecard_id} does not exist")

    # -- scoring -------------------------------------------------------------------------
    def score_call(self, principal: Principal, call_id: int, scorecard_id: int,
                   answers: Mapping[int, Answer]) -> float:
        """Save this reviewer's scorecard for the call (answers keyed by item id)."""
        sc = self.scorecard(scorecard_id)
        unknown = set(answers) - {it.id for it in sc.items}
        if unknown:
            raise ScoreError(f"items {sorted(unknown)} are not on scorecard {sc.name!r}")
        by_pos = {i: answers[it.id] for i, it in enumerate(sc.items) if it.id in answers}
        total, failed = compute_score(sc.items, by_pos)
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.SCORE)
            cs = s.scalar(select(CallScore).where(CallScore.call_id == call_id, CallScore.scorecard_id == scorecard_id,
                                                  CallScore.reviewer_id == principal.user_id))
            old = None
            if cs is None:
                cs = CallScore(call_id=call_id, scorecard_id=scorecard_id, reviewer_id=principal.user_id)
                s.add(cs)
            else:
                old = cs.total
                cs.answers.clear()
                s.flush()
            cs.total, cs.failed, cs.updated_at = total, failed, utcnow()
            cs.answers = [CallScoreAnswer(item_id=iid, points=a.points, failed=a.failed) for iid, a in answers.items()]
            audit.record(s, principal, audit.AuditAction.SCORE_CHANGE, "call", call_id,
                         {"scorecard": sc.name, "old": old, "new": total, "failed": failed})
        return total

    def reviews(self, principal: Principal, call_id: int) -> list[Review]:
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.VIEW_OWN_CALLS)
            rows = s.execute(select(CallScore, User.full_name).outerjoin(User, User.id == CallScore.reviewer_id)
                             .where(CallScore.call_id == call_id).options(selectinload(CallScore.answers))
                             .order_by(CallScore.id)).all()
            return [Review(name or "?", cs.reviewer_id, cs.scorecard_id, cs.total, cs.failed,
                           {a.item_id: Answer(a.points, a.failed) for a in cs.answers}, cs.updated_at)
                    for cs, name in rows]

    @staticmethod
    def call_score_of(s: Session, call_id: int) -> float | None:
        return s.scalar(select(func.avg(CallScore.total)).where(CallScore.call_id == call_id))

    def call_score(self, principal: Principal, call_id: int) -> float | None:
        """The call's score: the mean of all reviewers' scores (None when nobody scored it)."""
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.VIEW_OWN_CALLS)
            v = self.call_score_of(s, call_id)
            return round(float(v), 2) if v is not None else None

    # -- comments ------------------------------------------------------------------------
    def add_comment(self, principal: Principal, call_id: int, at_s: float, text: str) -> int:
        if not text.strip():
            raise ScoreError("an empty comment")
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.COMMENT)
            c = ReviewComment(call_id=call_id, user_id=principal.user_id, at_s=max(0.0, at_s), text=text.strip())
            s.add(c)
            s.flush()
            return c.id

    def comments(self, principal: Principal, call_id: int) -> list[Comment]:
        with self.sessions() as s:
            call_checked(s, principal, call_id, Action.VIEW_OWN_CALLS)
            rows = s.execute(select(ReviewComment, User.full_name).outerjoin(User, User.id == ReviewComment.user_id)
                             .where(ReviewComment.call_id == call_id).order_by(ReviewComment.at_s)).all()
            return [Comment(c.id, n or "?", c.at_s, c.text, c.created_at) for c, n in rows]

    # -- trend ---------------------------------------------------------------------------
    def trend(self, principal: Principal, since: datetime | None = None,
              user_id: int | None = None) -> list[TrendPoint]:
        """Average call score per administrator per week (an administrator: their own)."""
        if not principal.can(Action.REPORTS):
            principal.require(Action.VIEW_OWN_CALLS)
            user_id = principal.user_id
        with self.sessions() as s:
            per_call = call_scores()
            q = (select(Call.user_id, User.full_name, Call.ring_at, per_call.c.score)
                 .join(per_call, per_call.c.call_id == Call.id).join(User, User.id == Call.user_id))
            if since is not None:
                q = q.where(Call.ring_at >= since)
            if user_id is not None:
                q = q.where(Call.user_id == user_id)
            groups: dict[tuple[int, str, date], list[float]] = defaultdict(list)
            for uid, name, ring_at, score in s.execute(q):
                groups[(uid, name, week_start(ring_at))].append(float(score))
        return [TrendPoint(uid, name, wk, len(v), round(sum(v) / len(v), 2))
                for (uid, name, wk), v in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2]))]
