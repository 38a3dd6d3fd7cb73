"""The review reads the real transcription store (encrypted segments, hashed-token search)
and the scripts' checklist of the version shown on the call."""

from __future__ import annotations

import os

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
