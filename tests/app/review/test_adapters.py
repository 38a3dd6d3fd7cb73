"""The review reads the real transcription store (encrypted segments, hashed-token search)
and the scripts' checklist of the version shown on the call."""

from __future__ import annotations

import os

import pytest

from app.domain import Role
from app.review.adapters import TranscriptionSource, analyse_call, analyse_pending, checklist_for_call
from app.review.library import CallQuery
from app.review.services import ReviewServices
from app.transcription.crypto import TranscriptKeys
from app.transcription.store import write_segments
from app.transcription.types import Segment as TSegment
from db.models.scripts import ScriptVersion
from tests.app.review.helpers import call, recording, user
from tests.factories import dt

SCRIPT = '''
situation = "follow_up"
title = "После приёма"

[[blocks]]
kind = "opening"
text = "Здравствуйте!"

[[checklist]]
code = "care_question"
text = "Спросил(а) о самочувствии"

[[checklist]]
code = "bonus_deadline"
text = "Назвал(а) бонусы и срок"

[[checklist]]
code = "data_verified"
text = "Сверил(а) контакты"
'''


def test_transcripts_search_and_checklist_from_the_other_areas(sessions):
    keys = TranscriptKeys.from_master(os.urandom(32))
    with sessions() as s:
        sup = user(s, "sup", Role.SUPERVISOR)
        c = call(s, None, dt(2026, 11, 16))
        r = recording(s, c, dt(2026, 11, 16))
        v = ScriptVersion(situation="follow_up", language="ru", version=1, body=SCRIPT, author="test")
        s.add(v)
        s.flush()
        c.script_version_id = v.id
        write_segments(s, keys, r.id, None, [
            TSegment(0, "admin", 0.0, 3.0, "Добрый день! У вас 500 бонусных баллов."),
            TSegment(1, "caller", 3.0, 5.0, "А сколько стоит чистка зубов?"),
            TSegment(0, "admin", 5.0, 8.0, "Как вы себя чувствуете после лечения?"),
        ])
        s.commit()
        cid = c.id
    src = TranscriptionSource(sessions, keys)
    segs = src.segments(cid)
    assert [(x.speaker, x.start, x.text[:9]) for x in segs] == [(0, 0.0, "Добрый де"), (1, 3.0, "А сколько"),
                                                              (0, 5.0, "Как вы се")]
    rs = ReviewServices(sessions, transcripts=src)
    rs.ensure_defaults()
    rows = rs.library.query(sup, CallQuery(text="чистки"))  # another word form of "чистка"
    assert [r.call_id for r in rows] == [cid] and "[[" in rows[0].highlights[0]
    vid, points = checklist_for_call(sessions, cid)
    assert [p.id for p in points] == ["care_question", "bonus_deadline", "data_verified"]
    tags = analyse_call(rs, cid)
    assert "bonus before care" in tags and "bonus deadline not named" in tags and "price question" in tags
    a = rs.library.analysis(sup, cid)
    assert (a.script_version_id, a.checklist_total, a.checklist_covered) == (vid, 3, 1)
    assert a.bonus_before_care and not a.deadline_named
    assert analyse_pending(rs) == {}  # analysed already
    assert list(analyse_pending(rs, again=True)) == [cid]


def _library_calls(sessions, keys, texts_by_day):
    """One call per day of November 2026 with one recording; texts: [(channel, text), ...]."""
    from app.transcription.store import write_transcripts

    with sessions() as s:
        sup = user(s, "sup", Role.SUPERVISOR)
        ids, items = [], []
        for day, texts in texts_by_day:
            c = call(s, None, dt(2026, 11, day))
            r = recording(s, c, dt(2026, 11, day))
            ids.append(c.id)
            items.append((r.id, None, [TSegment(ch, "admin" if ch == 0 else "caller", float(k), k + 1.0, t)
                                       for k, (ch, t) in enumerate(texts)]))
        write_transcripts(s, keys, items)
        s.commit()
    return sup, ids


def test_library_search_filters_orders_and_limits_in_the_database(sessions):
    """Matches older than a thousand newer matching segments are still found when a filter
    selects them (the search used to keep the newest 1000 segments, then filter), and every
    query word must be in one segment: a call that has them in different segments is dropped
    and the next one fills the page."""
    keys = TranscriptKeys.from_master(os.urandom(32))
    busy = [(0, "Выпала пломба, запишу вас.")] * 1200
    sup, ids = _library_calls(sessions, keys, [
        (2, [(1, "У меня выпала пломба."), (0, "Запишу вас на завтра.")]),
        (3, [(1, "Пломба стоит дорого?"), (0, "Выпала — значит, приходите.")]),  # words apart
        (4, [(1, "Выпала пломба вчера."), (0, "Выпала пломба? Приходите сегодня.")]),
        (20, busy),
    ])
    lib = ReviewServices(sessions, transcripts=TranscriptionSource(sessions, keys)).library
    rows = lib.query(sup, CallQuery(text="пломбу", date_from=dt(2026, 11, 1), date_to=dt(2026, 11, 10)))
    assert [r.call_id for r in rows] == [ids[2], ids[1], ids[0]]
    assert rows[2].highlights == ("У меня выпала [[пломба]].",)
    # two words: the call with them in different segments is not a match; limit 1 and 2 refill
    for limit, want in ((1, [ids[3]]), (2, [ids[3], ids[2]]), (10, [ids[3], ids[2], ids[0]])):
        got = lib.query(sup, CallQuery(text="выпала пломба", limit=limit))
        assert [r.call_id for r in got] == want
    got = lib.query(sup, CallQuery(text="выпала пломба"))
    assert len(got[0].highlights) == 5 and got[0].highlights[4] == "[[Выпала]] [[пломба]], запишу вас."
    assert list(got[1].highlights) == ["[[Выпала]] [[пломба]] вчера.", "[[Выпала]] [[пломба]]? Приходите сегодня."]
    assert lib.query(sup, CallQuery(text="пломба кариес")) == []
    assert lib.query(sup, CallQuery(text="?!")) == []


def test_library_search_plans_give_the_same_calls(sessions, monkeypatch):
    """SQLite looks calls up from the matches when there are few, and walks the calls probing
    the matches when there are many; both give the same page. A call with two recordings is
    found through either and listed once."""
    import app.transcription.search as search
    from db.models import Call

    keys = TranscriptKeys.from_master(os.urandom(32))
    sup, ids = _library_calls(sessions, keys, [(d, [(1, f"Запись на чистку, {d} ноября.")]) for d in range(1, 13)])
    with sessions() as s:  # the newest call gets a second recording, also about a cleaning
        r = recording(s, s.get(Call, ids[-1]), dt(2026, 11, 12, 11))
        write_segments(s, keys, r.id, None, [TSegment(0, "admin", 0.0, 1.0, "Чистка в пятницу.")])
        s.commit()
    lib = ReviewServices(sessions, transcripts=TranscriptionSource(sessions, keys)).library
    first = lib.query(sup, CallQuery(text="чистка", limit=5))
    assert [r.call_id for r in first] == ids[::-1][:5]
    assert list(first[0].highlights) == ["[[Чистка]] в пятницу.", "Запись на [[чистку]], 12 ноября."]
    # SQLite's ways: calls walked / looked up from the matches; the page's segments read by one
    # FTS query over nearby ranges, by every match of the words, or by one query per range
    for few, gap, all_max in ((0, 4000, 20000), (1000, -1, 20000), (1000, -1, 0), (0, -1, 0)):
        monkeypatch.setattr(search, "FEW_MATCHES", few)
        monkeypatch.setattr(search, "_RANGE_GAP", gap)
        monkeypatch.setattr(search, "_ALL_MATCHES_MAX", all_max)
        assert [list(r.highlights) for r in lib.query(sup, CallQuery(text="чистка", limit=2))] == \
            [list(r.highlights) for r in first[:2]]
        assert [r.call_id for r in lib.query(sup, CallQuery(text="чистка", limit=5))] == [r.call_id for r in first]
        assert [r.call_id for r in lib.query(sup, CallQuery(text="чистка", date_to=dt(2026, 11, 3)))] == ids[1::-1]
        assert [r.call_id for r in lib.query(sup, CallQuery(text="ноября", descending=False, limit=3))] == ids[:3]
        assert lib.query(sup, CallQuery(text="кариес")) == []


def test_library_search_next_batches_go_on_from_the_last_row(sessions):
    """A page whose first batch loses calls (the words in different segments) reads the next
    batch after the last row read, in both date orders, with calls at the same time ordered by
    id: no call twice, none skipped."""
    from db.models import Call

    keys = TranscriptKeys.from_master(os.urandom(32))
    apart = [(1, "Выпала коронка."), (0, "Пломба на месте.")]
    together = [(1, "Выпала пломба.")]
    days = [(d, together if d % 3 == 0 else apart) for d in range(1, 25)]
    sup, ids = _library_calls(sessions, keys, days)
    with sessions() as s:  # four calls at one and the same moment (one of them dropped): by id
        for cid in (ids[2], ids[3], ids[5], ids[8]):  # the newest
            s.get(Call, cid).ring_at = dt(2026, 11, 28, 10)
        for cid in (ids[14], ids[15], ids[17], ids[20]):  # the oldest
            s.get(Call, cid).ring_at = dt(2026, 10, 30, 10)
        s.commit()
        ring = {c.id: c.ring_at for c in s.query(Call).filter(Call.id.in_(ids))}
    match = [cid for (d, texts), cid in zip(days, ids) if texts is together]
    lib = ReviewServices(sessions, transcripts=TranscriptionSource(sessions, keys)).library
    newest = sorted(match, key=lambda c: (ring[c], c), reverse=True)
    oldest = sorted(match, key=lambda c: (ring[c], -c))
    for limit in (1, 2, 3, 5, 50):
        assert [r.call_id for r in lib.query(sup, CallQuery(text="выпала пломба", limit=limit))] == newest[:limit]
        assert [r.call_id for r in lib.query(sup, CallQuery(text="выпала пломба", limit=limit, descending=False))] \
            == oldest[:limit]
    # another order reads its next batches with an offset, as before
    got = lib.query(sup, CallQuery(text="выпала пломба", limit=3, sort="direction"))
    assert len(got) == 3 and set(r.call_id for r in got) <= set(match)


def test_library_snippets_are_the_first_five_by_time_then_channel(sessions):
    """Five snippets per call, in time order and, for segments that start together, channel 0
    first: PostgreSQL reads each recording's segments in start order up to the fifth match and
    any more starting at the same time as the fifth (WITH TIES), and the order by channel is
    settled here."""
    from app.transcription.store import write_transcripts

    keys = TranscriptKeys.from_master(os.urandom(32))
    starts = [(0.0, 0), (1.0, 1), (2.0, 0), (3.0, 1), (4.0, 1), (4.0, 0), (5.0, 0), (6.0, 1)]
    with sessions() as s:
        sup = user(s, "sup", Role.SUPERVISOR)
        c = call(s, None, dt(2026, 11, 3))
        r = recording(s, c, dt(2026, 11, 3))
        write_transcripts(s, keys, [(r.id, None, [TSegment(ch, "admin" if ch == 0 else "caller", t, t + 0.5,
                                                           f"Пломба {k}.") for k, (t, ch) in enumerate(starts)])])
        s.commit()
    lib = ReviewServices(sessions, transcripts=TranscriptionSource(sessions, keys)).library
    rows = lib.query(sup, CallQuery(text="пломба"))
    assert list(rows[0].highlights) == ["[[Пломба]] 0.", "[[Пломба]] 1.", "[[Пломба]] 2.", "[[Пломба]] 3.",
                                        "[[Пломба]] 5."]


@pytest.mark.postgres
def test_postgresql_search_statements(pg_url):
    """PostgreSQL: a word in few recordings gives the library a constant array of call ids (no
    join of the matches with every recording and call in each batch), counted and looked up in
    one statement; a page's segments are read in the index's order with no sort."""
    from sqlalchemy import select, text

    import app.transcription.search as search
    from db.models import Call
    from db.session import int_array, make_engine, session_factory

    engine = make_engine(pg_url)
    try:
        sessions = session_factory(engine)
        keys = TranscriptKeys.from_master(os.urandom(32))
        _, ids = _library_calls(sessions, keys, [(d, [(1, f"Запись на чистку, {d} ноября.")]) for d in range(1, 6)]
                                + [(6, [(0, "Пломба на месте.")])])
        ts = search.TranscriptSearch(sessions, keys)
        cond = ts.call_condition("чистка", Call.id)
        sql = str(select(Call.id).where(cond).compile(engine))
        assert "= ANY (CAST(" in sql and "transcript_documents" not in sql, sql
        with sessions() as s:
            assert sorted(s.scalars(select(Call.id).where(cond))) == ids[:5]
            assert list(s.scalars(select(Call.id).where(ts.call_condition("пломба", Call.id)))) == [ids[5]]
            search.pg_interactive(s)
            s.execute(text("SET LOCAL enable_seqscan = off"))
            s.execute(text("SET LOCAL enable_bitmapscan = off"))
            cur = s.connection().connection.cursor()
            toks = " & ".join(search.textnorm.tokens(keys.index_key, "чистка"))
            cur.execute("EXPLAIN " + search._PG_SEGMENTS, (toks, 5, int_array(ids)))
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "Sort" not in plan and "ix_transcript_segments_recording_id" in plan, plan
    finally:
        engine.dispose()
