"""Weekly case review: candidate calls, and the trainer's playlists with notes and bookmarks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.domain import Disposition
from app.review.scorecards import call_scores
from app.review.access import Action, Principal
from app.review.common import NotFound, call_checked, week_bounds, week_start
from db.models.core import Call, User
from db.models.review import CallTag, Playlist, PlaylistBookmark, PlaylistItem, ReviewTag
from db.session import write_session

_GOOD_OUTCOMES = {Disposition.BOOKED.value}
_BAD_OUTCOMES = {Disposition.DECLINED.value, Disposition.COMPLAINT.value}


class PlaylistError(Exception):
    pass


@dataclass(frozen=True)
class Candidate:
    call_id: int
    kind: str  # best / worst
    user_id: int | None
    administrator: str
    situation: str
    disposition: str
    score: float | None
    tags: tuple[str, ...]
    merit: float  # the ranking value
    reasons: tuple[str, ...]


def merit_of(score: float | None, disposition: str | None, polarities: Sequence[int]) -> tuple[float, list[str]]:
    """One number for "how good a case is": the score (50 when unscored) plus the outcome and
    the tags (+/-10 per good/bad tag, +/-15 for a booked/lost outcome)."""
    reasons = []
    m = score if score is not None else 50.0
    if score is not None:
        reasons.append(f"score {score:g}")
    if disposition in _GOOD_OUTCOMES:
        m += 15
        reasons.append(disposition)
    elif disposition in _BAD_OUTCOMES:
        m -= 15
        reasons.append(disposition)
    good = sum(1 for p in polarities if p > 0)
    bad = sum(1 for p in polarities if p < 0)
    m += 10 * good - 10 * bad
    if good:
        reasons.append(f"{good} good tag(s)")
    if bad:
        reasons.append(f"{bad} bad tag(s)")
    return m, reasons


@dataclass(frozen=True)
class Bookmark:
    id: int
    start_s: float
    stop_s: float
    label: str


@dataclass(frozen=True)
class Item:
    id: int
    call_id: int
    seq: int
    note: str
    bookmarks: tuple[Bookmark, ...]


@dataclass(frozen=True)
class PlaylistInfo:
    id: int
    title: str
    week_start: date | None
    owner: str
    items: tuple[Item, ...]


class CaseService:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    # -- candidates ----------------------------------------------------------------------
    def candidates(self, principal: Principal, week: date, per_group: int = 1) -> list[Candidate]:
        """For the week containing *week*: per administrator and situation, the best and the
        worst answered calls (by score, outcome and tags)."""
        principal.require(Action.VIEW_PLAYLISTS)
        principal.require(Action.VIEW_ALL_CALLS)
        a, b = week_bounds(week_start(week))
        with self.sessions() as s:
            score = call_scores()
            rows = s.execute(select(Call, User.full_name, score.c.score)
                             .outerjoin(User, User.id == Call.user_id)
                             .outerjoin(score, score.c.call_id == Call.id)
                             .where(Call.ring_at >= a, Call.ring_at < b, Call.answer_at.is_not(None))).all()
            ids = [r[0].id for r in rows]
            tags: dict[int, list[tuple[str, int]]] = defaultdict(list)
            if ids:
                for cid, name, pol in s.execute(select(CallTag.call_id, ReviewTag.name, ReviewTag.polarity)
                                                .join(ReviewTag, ReviewTag.id == CallTag.tag_id)
                                                .where(CallTag.call_id.in_(ids))):
                    tags[cid].append((name, pol))
        groups: dict[tuple, list[Candidate]] = defaultdict(list)
        for c, admin, sc in rows:
            sc = round(float(sc), 2) if sc is not None else None
            tg = tags.get(c.id, [])
            merit, reasons = merit_of(sc, c.disposition, [p for _, p in tg])
            groups[(c.user_id, c.situation or "")].append(Candidate(
                c.id, "", c.user_id, admin or "", c.situation or "", c.disposition or "", sc,
                tuple(sorted(n for n, _ in tg)), merit, tuple(reasons)))
        out: list[Candidate] = []
        for key in sorted(groups, key=lambda k: (str(k[0]), k[1])):
            g = sorted(groups[key], key=lambda x: (-x.merit, x.call_id))
            if len(g) == 1:  # a lone call is a good or a bad example by its own merit
                best, worst = (g, []) if g[0].merit >= 50 else ([], g)
            else:
                k = min(per_group, (len(g) + 1) // 2)  # best and worst never share a call
                best = g[:k]
                worst = list(reversed(g[k:]))[:per_group]
            out += [Candidate(**{**x.__dict__, "kind": "best"}) for x in best]
            out += [Candidate(**{**x.__dict__, "kind": "worst"}) for x in worst]
        return out

    # -- playlists -----------------------------------------------------------------------
    def create_playlist(self, principal: Principal, title: str, week: date | None = None) -> int:
        principal.require(Action.EDIT_PLAYLISTS)
        if not title.strip():
            raise PlaylistError("a playlist needs a title")
        with write_session(self.sessions) as s:
            p = Playlist(title=title.strip(), week_start=week_start(week) if week else None, owner_id=principal.user_id)
            s.add(p)
            s.flush()
            return p.id

    def playlists(self, principal: Principal) -> list[tuple[int, str, date | None]]:
        principal.require(Action.VIEW_PLAYLISTS)
        with self.sessions() as s:
            return [(p.id, p.title, p.week_start)
                    for p in s.scalars(select(Playlist).order_by(Playlist.week_start.desc().nulls_last(), Playlist.id.desc()))]

    def playlist(self, principal: Principal, playlist_id: int) -> PlaylistInfo:
        principal.require(Action.VIEW_PLAYLISTS)
        with self.sessions() as s:
            p = s.scalar(select(Playlist).where(Playlist.id == playlist_id)
                         .options(selectinload(Playlist.items).selectinload(PlaylistItem.bookmarks)))
            if p is None:
                raise NotFound(f"playlist {playlist_id} does not exist")
            owner = s.get(User, p.owner_id).full_name if p.owner_id else ""
            return PlaylistInfo(p.id, p.title, p.week_start, owner, tuple(
                Item(i.id, i.call_id, i.seq, i.note,
                     tuple(Bookmark(b.id, b.start_s, b.stop_s, b.label) for b in i.bookmarks))
                for i in p.items))

    def add_item(self, principal: Principal, playlist_id: int, call_id: int, note: str = "") -> int:
        principal.require(Action.EDIT_PLAYLISTS)
        with write_session(self.sessions) as s:
            call_checked(s, principal, call_id, Action.VIEW_ALL_CALLS)
            p = s.get(Playlist, playlist_id)
            if p is None:
                raise NotFound(f"playlist {playlist_id} does not exist")
            seq = (s.scalar(select(func.max(PlaylistItem.seq)).where(PlaylistItem.playlist_id == playlist_id)) or 0) + 1
            it = PlaylistItem(playlist_id=playlist_id, call_id=call_id, seq=seq, note=note)
            s.add(it)
            s.flush()
            return it.id

    def _item(self, s: Session, item_id: int) -> PlaylistItem:
        it = s.get(PlaylistItem, item_id)
        if it is None:
            raise NotFound(f"playlist item {item_id} does not exist")
        return it

    def set_note(self, principal: Principal, item_id: int, note: str) -> None:
        principal.require(Action.EDIT_PLAYLISTS)
        with write_session(self.sessions) as s:
            self._item(s, item_id).note = note

    def remove_item(self, principal: Principal, item_id: int) -> None:
        principal.require(Action.EDIT_PLAYLISTS)
        with write_session(self.sessions) as s:
            s.delete(self._item(s, item_id))

    def reorder(self, principal: Principal, playlist_id: int, item_ids: Sequence[int]) -> None:
        principal.require(Action.EDIT_PLAYLISTS)
        with write_session(self.sessions) as s:
            items = {i.id: i for i in s.scalars(select(PlaylistItem).where(PlaylistItem.playlist_id == playlist_id))}
            if set(items) != set(item_ids) or len(item_ids) != len(items):
                raise PlaylistError("the new order must list every item of the playlist once")
            for n, iid in enumerate(item_ids, 1):
                items[iid].seq = n

    def move(self, principal: Principal, item_id: int, delta: int) -> None:
        """Move an item up (-1) or down (+1)."""
        with self.sessions() as s:
            pid = self._item(s, item_id).playlist_id
            order = list(s.scalars(select(PlaylistItem.id).where(PlaylistItem.playlist_id == pid)
                                   .order_by(PlaylistItem.seq, PlaylistItem.id)))
        i = order.index(item_id)
        j = max(0, min(len(order) - 1, i + delta))
        order.insert(j, order.pop(i))
        self.reorder(principal, pid, order)

    def add_bookmark(self, principal: Principal, item_id: int, start_s: float, stop_s: float, label: str = "") -> int:
        principal.require(Action.EDIT_PLAYLISTS)
        if start_s < 0 or stop_s <= start_s:
            raise PlaylistError("a bookmark stops after it starts")
        with write_session(self.sessions) as s:
            self._item(s, item_id)
            b = PlaylistBookmark(item_id=item_id, start_s=start_s, stop_s=stop_s, label=label)
            s.add(b)
            s.flush()
            return b.id

    def remove_bookmark(self, principal: Principal, bookmark_id: int) -> None:
        principal.require(Action.EDIT_PLAYLISTS)
        with write_session(self.sessions) as s:
            b = s.get(PlaylistBookmark, bookmark_id)
            if b is not None:
                s.delete(b)

    def delete_playlist(self, principal: Principal, playlist_id: int) -> None:
        principal.require(Action.EDIT_PLAYLISTS)
        with write_session(self.sessions) as s:
            p = s.get(Playlist, playlist_id)
            if p is not None:
                s.delete(p)
