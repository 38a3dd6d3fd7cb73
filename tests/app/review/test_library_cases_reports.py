"""Library filters and sorting (both backends), weekly candidates, playlists, export masking,
weekly reports with conversion."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import Role
from app.review.cases import PlaylistError
from app.review.export import Masker, mask_phone
from app.review.library import CallQuery
from app.review.reports import to_csv
from app.review.scorecards import Answer
from app.review.segments import MemoryTranscripts, Segment
from app.review.services import ReviewServices
from tests import factories as f
from tests.app.review.helpers import call, user
from tests.factories import dt


@pytest.fixture
def world(sessions):
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        bob = user(s, "bob", Role.ADMINISTRATOR, "Борис Админов")
        sup = user(s, "sup", Role.SUPERVISOR, "Светлана")
        tr = user(s, "tr", Role.TRAINER, "Тамара")
        mgr = user(s, "mgr", Role.MANAGER, "Мария")
        doc = f.doctor(s)
        olga = f.patient(s)  # Иванова Ольга Петровна, +79161234567
        petr = f.patient(s, "Петров", "Пётр", "Ильич", sex="M", phones=("+79035550011",))
        f.visit(s, petr, doc, dt(2026, 5, 1))  # Petrov has been before: his booking is a return
        c = [
            call(s, ana, dt(2026, 11, 16, 9), patient=olga, situation="incoming", disposition="booked"),
            call(s, ana, dt(2026, 11, 17, 9), patient=olga, situation="incoming", disposition="call_back"),
            call(s, ana, dt(2026, 11, 18, 9), number="+79990000001", situation="incoming", disposition="declined"),
            call(s, bob, dt(2026, 11, 18, 11), patient=petr, number="+79035550011", direction="outbound",
                 situation="recall", disposition="booked"),
            call(s, bob, dt(2026, 11, 19, 11), number="+79990000002", direction="outbound", situation="recall",
                 disposition="no_answer", answered=False),
            call(s, ana, dt(2026, 11, 25, 9), number="+79990000003", disposition="booked"),  # next week
        ]
        s.commit()
        ids = [x.id for x in c]
        p = dict(ana=ana, bob=bob, sup=sup, tr=tr, mgr=mgr)
    tx = MemoryTranscripts({
        ids[0]: [Segment(0, 0, 4, "Здравствуйте, Ольга Петровна! Клиника «Улыбка»."),
                 Segment(1, 4, 8, "Сколько стоит чистка? Мой номер +7 916 123-45-67."),
                 Segment(0, 8, 12, "Записала вас, Ольгу Петровну Иванову, на четверг.")],
        ids[3]: [Segment(0, 0, 4, "Пётр Ильич, пора на контрольный осмотр.")],
    })
    rs = ReviewServices(sessions, transcripts=tx)
    rs.ensure_defaults()
    card = rs.scorecards.scorecards()[0]
    full = {it.id: Answer(it.max_points) for it in card.items if not it.instant_fail}
    rs.scorecards.score_call(p["sup"], ids[0], card.id, full)  # 100
    rs.scorecards.score_call(p["sup"], ids[2], card.id, {card.items[0].id: Answer(1)})  # low
    rs.scorecards.score_call(p["sup"], ids[3], card.id, full)
    tax = {t.name: t.id for t in rs.tags.taxonomy()}
    rs.tags.apply(p["sup"], ids[2], tax["rude"])
    rs.tags.apply(p["sup"], ids[0], tax["good example"])
    return rs, p, ids, tax


def _ids(rows):
    return [r.call_id for r in rows]


def test_library_filters_and_sorts(world):
    rs, p, ids, tax = world
    q = rs.library.query
    sup = p["sup"]
    assert _ids(q(sup, CallQuery())) == list(reversed(ids))
    assert _ids(q(sup, CallQuery(sort="date", descending=False))) == ids
    assert _ids(q(sup, CallQuery(date_from=dt(2026, 11, 17, 0), date_to=dt(2026, 11, 19, 0)))) == [ids[3], ids[2], ids[1]]
    assert set(_ids(q(sup, CallQuery(user_ids=[p["bob"].user_id])))) == {ids[3], ids[4]}
    assert _ids(q(sup, CallQuery(patient="иванова", descending=False))) == [ids[0], ids[1]]
    assert _ids(q(sup, CallQuery(patient="Ольга"))) == [ids[1], ids[0]]
    assert _ids(q(sup, CallQuery(patient="555001"))) == [ids[3]]
    assert set(_ids(q(sup, CallQuery(direction="outbound")))) == {ids[3], ids[4]}
    assert set(_ids(q(sup, CallQuery(situation="recall")))) == {ids[3], ids[4]}
    assert set(_ids(q(sup, CallQuery(disposition="booked")))) == {ids[0], ids[3], ids[5]}
    assert _ids(q(sup, CallQuery(tag_ids=[tax["rude"]]))) == [ids[2]]
    assert _ids(q(sup, CallQuery(tag_ids=[tax["rude"], tax["good example"]]))) == []
    assert set(_ids(q(sup, CallQuery(min_score=90)))) == {ids[0], ids[3]}
    assert _ids(q(sup, CallQuery(max_score=50))) == [ids[2]]
    assert _ids(q(sup, CallQuery(sort="score", descending=False)))[0] == ids[2]
    assert _ids(q(sup, CallQuery(sort="administrator", descending=False)))[:4] == [ids[5], ids[2], ids[1], ids[0]]
    rows = q(sup, CallQuery(text="сколько стоит"))
    assert _ids(rows) == [ids[0]] and "[[Сколько стоит]]" in rows[0].highlights[0]
    assert q(sup, CallQuery(text="нет такого")) == []
    r0 = next(r for r in q(sup, CallQuery()) if r.call_id == ids[0])
    assert (r0.administrator, r0.patient, r0.score, r0.tags, r0.duration_s) == (
        "Анна Админова", "Иванова Ольга Петровна", 100.0, ("good example",), 120.0)
    # the administrator's own view with the same filters
    assert set(_ids(q(p["ana"], CallQuery(disposition="booked")))) == {ids[0], ids[5]}


def test_weekly_candidates_best_and_worst_per_administrator_and_situation(world):
    rs, p, ids, tax = world
    cands = rs.cases.candidates(p["tr"], date(2026, 11, 18))
    got = {(c.administrator, c.situation, c.kind): c.call_id for c in cands}
    assert got[("Анна Админова", "incoming", "best")] == ids[0]
    assert got[("Анна Админова", "incoming", "worst")] == ids[2]
    assert got[("Борис Админов", "recall", "best")] == ids[3]
    assert ("Борис Админов", "recall", "worst") not in got  # the unanswered call is no case
    assert ids[5] not in {c.call_id for c in cands}  # another week
    worst = next(c for c in cands if c.call_id == ids[2])
    assert "declined" in worst.reasons and "1 bad tag(s)" in worst.reasons


def test_playlist_build_reorder_bookmarks(world):
    rs, p, ids, tax = world
    t = p["tr"]
    pid = rs.cases.create_playlist(t, "Неделя 47", date(2026, 11, 18))
    a = rs.cases.add_item(t, pid, ids[0], "хороший пример")
    b = rs.cases.add_item(t, pid, ids[2], "грубость")
    rs.cases.add_bookmark(t, b, 4.0, 8.0, "вот здесь")
    rs.cases.reorder(t, pid, [b, a])
    rs.cases.set_note(t, a, "образец")
    pl = rs.cases.playlist(t, pid)
    assert pl.week_start == date(2026, 11, 16) and pl.owner == "Тамара"
    assert [(i.call_id, i.note) for i in pl.items] == [(ids[2], "грубость"), (ids[0], "образец")]
    assert [(bm.start_s, bm.stop_s, bm.label) for bm in pl.items[0].bookmarks] == [(4.0, 8.0, "вот здесь")]
    rs.cases.move(t, b, +1)
    assert [i.call_id for i in rs.cases.playlist(t, pid).items] == [ids[0], ids[2]]
    with pytest.raises(PlaylistError):
        rs.cases.add_bookmark(t, b, 8.0, 4.0)
    with pytest.raises(PlaylistError):
        rs.cases.reorder(t, pid, [a])
    assert rs.cases.playlists(p["sup"]) == [(pid, "Неделя 47", date(2026, 11, 16))]


def test_masking_functions():
    assert mask_phone("+79161234567") == "+7 916 ***-**-67"
    assert mask_phone("8 (916) 123-45-67") == "+7 916 ***-**-67"
    m = Masker([("Иванова", "Ольга", "Петровна")])
    out = m("Ольга Петровна, это Ольге Петровне Ивановой звонили с +7 916 123-45-67")
    assert out == "О. П., это О. П. И. звонили с +7 916 ***-**-67"


def test_export_pack_masks_names_and_numbers(world, tmp_path):
    rs, p, ids, tax = world
    t = p["tr"]
    pid = rs.cases.create_playlist(t, "Разбор")
    item = rs.cases.add_item(t, pid, ids[0], "Ольга Петровна спросила цену, перезвонить на 89161234567")
    rs.cases.add_bookmark(t, item, 4.0, 8.0, "цена")
    res = rs.export.export_playlist(t, pid, tmp_path / "pack", mask=True)
    doc = res.index.read_text(encoding="utf-8")
    for secret in ("Иванова", "Ивановой", "Ольга", "Ольгу", "Петровн", "1234567", "123-45-67", "34567"):
        assert secret not in doc, secret
    assert "И. О. П." in doc and "+7 916 ***-**-67" in doc and "[[" not in doc
    assert "Анна Админова" in doc and "good example" in doc and "100 / 100" in doc
    assert "Сколько стоит чистка?" in doc and "class='seg1 bm'" in doc
    plain = rs.export.export_playlist(t, pid, tmp_path / "plain", mask=False).html
    assert "Иванова Ольга Петровна" in plain and "+79161234567" in plain


def test_weekly_report_and_conversion(world):
    rs, p, ids, tax = world
    rows = rs.reports.weekly(p["mgr"], dt(2026, 11, 16, 0), dt(2026, 11, 30, 0))
    got = {(r.week.isoformat(), r.administrator): r for r in rows}
    ana = got[("2026-11-16", "Анна Админова")]
    # calls 0,1,2: all answered; callers: Olga's number twice + one other = 2 unique; one booking (first visit)
    assert (ana.calls, ana.answered, ana.unique_callers, ana.booked_first, ana.booked_return) == (3, 3, 2, 1, 0)
    assert ana.conversion_pct == 50.0
    assert ana.average_score is not None and ana.average_score < 100
    bob = got[("2026-11-16", "Борис Админов")]
    assert (bob.calls, bob.answered, bob.booked_first, bob.booked_return, bob.conversion_pct) == (2, 1, 0, 1, 100.0)
    nxt = got[("2026-11-23", "Анна Админова")]
    assert (nxt.booked_first, nxt.conversion_pct, nxt.average_score) == (1, 100.0, None)
    csv_text = to_csv(rows)
    assert csv_text.splitlines()[0].startswith("week,administrator,calls,answered,booked first visits")
    assert "2026-11-16,Анна Админова,3,3,1,0,2,50.0," in csv_text
