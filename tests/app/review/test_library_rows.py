"""Every field of the library's rows (both backends), with and without a transcript search:
the page reads plain columns, not Call entities, so each field is checked against what was
stored - including a second batch that goes on after the last row read (keyset)."""

from __future__ import annotations

import os
from datetime import timezone

from app.domain import Role
from app.review.adapters import TranscriptionSource
from app.review.library import CallQuery, CallRow
from app.review.scorecards import Answer
from app.review.services import ReviewServices
from app.transcription.crypto import TranscriptKeys
from app.transcription.store import write_transcripts
from app.transcription.types import Segment as TSegment
from db.models import Call
from tests import factories as f
from tests.app.review.helpers import call, recording, user
from tests.factories import dt


def _world(sessions):
    keys = TranscriptKeys.from_master(os.urandom(32))
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        sup = user(s, "sup", Role.SUPERVISOR, "Светлана")
        olga = f.patient(s)  # Иванова Ольга Петровна
        c1 = call(s, ana, dt(2026, 11, 2, 9), patient=olga, seconds=95)
        c2 = call(s, None, dt(2026, 11, 3, 9), number="8 916 000", direction="outbound",
                  situation="recall", disposition="no_answer", answered=False)
        c2.number_e164 = None  # the number as dialled is shown
        c2.situation = c2.disposition = None
        c3 = call(s, ana, dt(2026, 11, 4, 9), seconds=61)  # words in different segments: no match
        c4 = call(s, ana, dt(2026, 11, 5, 9), seconds=30)
        r1 = recording(s, c1, dt(2026, 11, 2, 9))
        r1b = recording(s, c1, dt(2026, 11, 2, 10))  # a newer one, deleted: not shown
        r1b.status = "deleted"
        r2 = recording(s, c2, dt(2026, 11, 3, 9))
        r3 = recording(s, c3, dt(2026, 11, 4, 9))
        r4 = recording(s, c4, dt(2026, 11, 5, 9))
        write_transcripts(s, keys, [
            (r1.id, None, [TSegment(1, "caller", 0.0, 2.0, "Выпала пломба."),
                           TSegment(0, "admin", 2.0, 4.0, "Пломбу поставим, выпала — приходите.")]),
            (r2.id, None, [TSegment(1, "caller", 0.0, 2.0, "Пломба выпала вчера.")]),
            (r3.id, None, [TSegment(1, "caller", 0.0, 2.0, "Выпала коронка."),
                           TSegment(0, "admin", 2.0, 4.0, "Пломба на месте.")]),
            (r4.id, None, [TSegment(0, "admin", 0.0, 2.0, "Выпала пломба? Запишу.")]),
        ])
        s.commit()
        ids = (c1.id, c2.id, c3.id, c4.id, r1.id, r2.id, r3.id, r4.id, olga.id, ana.user_id)
    rs = ReviewServices(sessions, transcripts=TranscriptionSource(sessions, keys))
    rs.ensure_defaults()
    card = rs.scorecards.scorecards()[0]
    full = {it.id: Answer(it.max_points) for it in card.items if not it.instant_fail}
    rs.scorecards.score_call(sup, ids[0], card.id, full)
    tax = {t.name: t.id for t in rs.tags.taxonomy()}
    rs.tags.apply(sup, ids[0], tax["rude"])
    rs.tags.apply(sup, ids[0], tax["good example"])
    rs.tags.apply(sup, ids[3], tax["rude"])
    return rs, sup, ids


def test_library_rows_hold_every_field_of_the_call(sessions):
    rs, sup, (c1, c2, c3, c4, r1, r2, r3, r4, olga, ana) = _world(sessions)
    want = {
        c1: CallRow(c1, dt(2026, 11, 2, 9), ana, "Анна Админова", olga, "Иванова Ольга Петровна", "+79161234567",
                    "inbound", "incoming", "booked", 95.0, 100.0, ("good example", "rude"), r1),
        c2: CallRow(c2, dt(2026, 11, 3, 9), None, "", None, "", "8 916 000", "outbound", "", "", None, None, (), r2),
        c3: CallRow(c3, dt(2026, 11, 4, 9), ana, "Анна Админова", None, "", "+79161234567",
                    "inbound", "incoming", "booked", 61.0, None, (), r3),
        c4: CallRow(c4, dt(2026, 11, 5, 9), ana, "Анна Админова", None, "", "+79161234567",
                    "inbound", "incoming", "booked", 30.0, None, ("rude",), r4),
    }
    rows = rs.library.query(sup, CallQuery())
    assert rows == [want[c] for c in (c4, c3, c2, c1)]
    assert all(r.ring_at.tzinfo == timezone.utc for r in rows)
    assert [r.call_id for r in rs.library.query(sup, CallQuery(sort="duration"))] == [c1, c3, c4, c2]

    def marked(rows):
        return [(r.call_id, list(r.highlights)) for r in rows]

    snippets = {c1: ["[[Выпала]] [[пломба]].", "[[Пломбу]] поставим, [[выпала]] — приходите."],
                c2: ["[[Пломба]] [[выпала]] вчера."], c4: ["[[Выпала]] [[пломба]]? Запишу."]}
    # a search: the same fields, the call with the words apart left out; with limit 2 the first
    # batch (c4, c3) keeps one row and the next batch goes on after c3's time and id
    for limit, order in ((10, [c4, c2, c1]), (2, [c4, c2]), (1, [c4])):
        rows = rs.library.query(sup, CallQuery(text="выпала пломба", limit=limit))
        assert [r.call_id for r in rows] == order
        assert marked(rows) == [(c, snippets[c]) for c in order]
        assert [CallRow(*[getattr(r, k) for k in CallRow.__dataclass_fields__ if k != "highlights"])
                for r in rows] == [want[c] for c in order]
    rows = rs.library.query(sup, CallQuery(text="выпала пломба", limit=2, descending=False))
    assert marked(rows) == [(c1, snippets[c1]), (c2, snippets[c2])]
    # calls at one and the same time: a batch boundary between them goes on by id
    with sessions() as s:
        for cid in (c2, c3, c4):
            s.get(Call, cid).ring_at = dt(2026, 11, 4, 9)
        s.commit()
    rows = rs.library.query(sup, CallQuery(text="выпала пломба", limit=2))
    assert [r.call_id for r in rows] == [c4, c2]
    rows = rs.library.query(sup, CallQuery(text="выпала пломба", limit=3, descending=False))
    assert [r.call_id for r in rows] == [c1, c4, c2]
