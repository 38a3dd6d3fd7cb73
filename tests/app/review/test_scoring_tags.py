"""Scorecard maths, several reviewers, pinned comments, trends; manual and automatic tags."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import Role
from app.review.scorecards import Answer, ItemDef, ScoreError, compute_score
from app.review.segments import Segment
from app.review.services import ReviewServices
from db.models.review import CallAnalysis
from tests.app.review.helpers import call, user
from tests.factories import dt

ITEMS = [
    ItemDef("greeting", weight=1, max_points=1),
    ItemDef("care first", weight=2, max_points=2),
    ItemDef("booked", weight=3, max_points=4),
    ItemDef("rude", instant_fail=True),
]


def test_weighted_score():
    assert compute_score(ITEMS, {0: Answer(1), 1: Answer(2), 2: Answer(4)}) == (100.0, False)
    # 1*1/1 + 2*1/2 + 3*2/4 = 1 + 1 + 1.5 = 3.5 of 6
    assert compute_score(ITEMS, {0: Answer(1), 1: Answer(1), 2: Answer(2)}) == (round(350 / 6, 2), False)
    assert compute_score(ITEMS, {}) == (0.0, False)


def test_instant_fail_makes_zero():
    assert compute_score(ITEMS, {0: Answer(1), 1: Answer(2), 2: Answer(4), 3: Answer(failed=True)}) == (0.0, True)


def test_points_out_of_range_are_refused():
    with pytest.raises(ScoreError, match="outside 0..2"):
        compute_score(ITEMS, {1: Answer(3)})


@pytest.fixture
def rs(sessions):
    r = ReviewServices(sessions)
    r.ensure_defaults()
    return r


def test_several_reviewers_comments_and_trend(sessions, rs):
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна")
        s1 = user(s, "s1", Role.SUPERVISOR, "Светлана")
        s2 = user(s, "s2", Role.SUPERVISOR, "Сергей")
        mgr = user(s, "mgr", Role.MANAGER)
        c1 = call(s, ana, dt(2026, 11, 16, 10)).id
        c2 = call(s, ana, dt(2026, 11, 24, 10)).id
        s.commit()
    card_id = rs.scorecards.save_scorecard(s1, "Short", ITEMS)
    card = rs.scorecards.scorecard(card_id)
    ids = [it.id for it in card.items]
    assert rs.scorecards.score_call(s1, c1, card_id, {ids[0]: Answer(1), ids[1]: Answer(2), ids[2]: Answer(4)}) == 100.0
    assert rs.scorecards.score_call(s2, c1, card_id, {ids[0]: Answer(1), ids[1]: Answer(1), ids[2]: Answer(2)}) \
        == pytest.approx(58.33)
    assert rs.scorecards.call_score(s1, c1) == pytest.approx((100 + 58.33) / 2, abs=0.01)
    # the same reviewer scoring again replaces their card, not adds one
    rs.scorecards.score_call(s2, c1, card_id, {ids[3]: Answer(failed=True)})
    reviews = rs.scorecards.reviews(s1, c1)
    assert [(r.reviewer, r.total, r.failed) for r in reviews] == [("Светлана", 100.0, False), ("Сергей", 0.0, True)]
    assert rs.scorecards.call_score(ana, c1) == 50.0  # an administrator sees the score of their own call
    rs.scorecards.score_call(s1, c2, card_id, {ids[0]: Answer(1)})
    rs.scorecards.add_comment(s1, c1, 42.5, "Здесь нужно было назвать срок бонусов")
    rs.scorecards.add_comment(s2, c1, 3.0, "Хорошее приветствие")
    assert [(c.at_s, c.author) for c in rs.scorecards.comments(s2, c1)] == [(3.0, "Сергей"), (42.5, "Светлана")]
    trend = rs.scorecards.trend(mgr)
    assert [(t.administrator, t.week.isoformat(), t.calls_scored, t.average) for t in trend] == [
        ("Анна", "2026-11-16", 1, 50.0), ("Анна", "2026-11-23", 1, round(100 / 6, 2))]


def test_manual_and_automatic_tags(sessions, rs):
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR)
        sup = user(s, "sup", Role.SUPERVISOR)
        cid = call(s, ana).id
        s.commit()
    tax = {t.name: t for t in rs.tags.taxonomy()}
    assert tax["booked"].hotkey == "1" and tax["rude"].polarity == -1
    assert rs.tags.toggle(sup, cid, tax["rude"].id) is True
    segs = [
        Segment(0, 0, 3, "Добрый день! У вас 500 бонусов."),
        Segment(1, 3, 6, "А сколько стоит чистка?"),
        Segment(0, 6, 9, "Как вы себя чувствуете?"),
    ]
    got = rs.tags.analyse_call(cid, segs, duration=10)
    assert got == sorted(["bonus offered", "price question", "care question asked", "bonus before care",
                          "bonus deadline not named"])
    applied = {t.name: t for t in rs.tags.call_tags(sup, cid)}
    assert applied["rude"].source == "manual" and applied["rude"].confirmed
    assert applied["price question"].source == "auto" and not applied["price question"].confirmed
    assert "сколько стоит" in applied["price question"].evidence
    rs.tags.confirm(sup, cid, tax["bonus before care"].id)
    rs.tags.remove(sup, cid, tax["price question"].id)
    # analysed again: the removed automatic tag stays removed, the confirmed one stays
    rs.tags.analyse_call(cid, segs, duration=10)
    applied = {t.name: t for t in rs.tags.call_tags(sup, cid)}
    assert "price question" not in applied
    assert applied["bonus before care"].confirmed and applied["bonus before care"].source == "auto"
    # a new transcript without the bonus: unconfirmed auto tags that no longer match go away
    rs.tags.analyse_call(cid, [Segment(0, 0, 3, "Как вы себя чувствуете?")], duration=5)
    applied = {t.name for t in rs.tags.call_tags(sup, cid)}
    assert applied == {"rude", "bonus before care", "care question asked"}
    with sessions() as s:
        a = s.scalar(select(CallAnalysis).where(CallAnalysis.call_id == cid))
        assert a.talk_ratio == 1.0 and a.silence_share == pytest.approx(0.4)
    assert rs.tags.toggle(sup, cid, tax["rude"].id) is False
