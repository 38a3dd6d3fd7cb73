"""Each role tries what it must not do, in the services, and is refused."""

from __future__ import annotations

import pytest

from app.domain import Role
from app.review.access import PermissionDenied
from app.review.library import CallQuery
from app.review.scorecards import Answer
from app.review.services import ReviewServices
from tests.app.review.helpers import FolderRecordings, call, recording, user
from tests.factories import dt


@pytest.fixture
def world(sessions, tmp_path):
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        bob = user(s, "bob", Role.ADMINISTRATOR, "Борис Админов")
        sup = user(s, "sup", Role.SUPERVISOR)
        tr = user(s, "tr", Role.TRAINER)
        mgr = user(s, "mgr", Role.MANAGER)
        c_ana = call(s, ana)
        c_bob = call(s, bob)
        rec = recording(s, c_bob, dt(2026, 11, 16))
        s.commit()
        ids = (c_ana.id, c_bob.id, rec.id)
    store = FolderRecordings(tmp_path / "rec")
    store.put(ids[2], b"OggS...")
    rs = ReviewServices(sessions, recordings=store)
    rs.ensure_defaults()
    return rs, dict(ana=ana, bob=bob, sup=sup, tr=tr, mgr=mgr), ids, store


def _refused(fn, role: str):
    with pytest.raises(PermissionDenied) as e:
        fn()
    assert role in str(e.value)
    return str(e.value)


def test_administrator_sees_only_their_own_calls(world):
    rs, p, (c_ana, c_bob, rec), _ = world
    rows = rs.library.query(p["ana"], CallQuery())
    assert [r.call_id for r in rows] == [c_ana]
    assert {r.call_id for r in rs.library.query(p["sup"], CallQuery())} == {c_ana, c_bob}
    msg = _refused(lambda: rs.library.open_audio(p["ana"], c_bob), "administrator")
    assert "own calls" in msg
    _refused(lambda: rs.tags.call_tags(p["ana"], c_bob), "administrator")
    _refused(lambda: rs.scorecards.reviews(p["ana"], c_bob), "administrator")


def test_a_waveform_is_shown_to_who_may_play_the_call_and_is_not_a_playback(world, tmp_path):
    from app.review.audit import AuditAction
    from db.models.review import AuditEntry
    from tests.app.review.helpers import make_ogg

    rs, p, (c_ana, c_bob, rec), store = world
    _refused(lambda: rs.library.waveform(p["ana"], c_bob), "administrator")
    assert rs.library.waveform(p["sup"], c_bob) is None  # "OggS..." does not decode: no waveform, no error
    assert rs.library.waveform(p["ana"], c_ana) is None  # no recording
    store.put(rec, make_ogg(tmp_path / "bob.ogg", 3.0))
    wf = rs.library.waveform(p["sup"], c_bob)
    assert wf.duration == 3.0 and wf.peaks.shape == (2, 60) and wf.peaks.max() == 1.0
    assert wf.peaks[0, :25].min() > 0.5 and wf.peaks[0, 35:].max() < 0.2  # the left tone ends half-way
    with rs.sessions() as s:
        assert s.query(AuditEntry).filter_by(action=AuditAction.PLAYBACK).count() == 0


def test_administrator_may_not_tag_score_build_export_delete_or_report(world, tmp_path):
    rs, p, (c_ana, c_bob, rec), _ = world
    a = p["ana"]
    tag = rs.tags.taxonomy()[0]
    card = rs.scorecards.scorecards()[0]
    _refused(lambda: rs.tags.apply(a, c_ana, tag.id), "administrator")
    _refused(lambda: rs.scorecards.score_call(a, c_ana, card.id, {}), "administrator")
    _refused(lambda: rs.cases.create_playlist(a, "mine"), "administrator")
    _refused(lambda: rs.cases.playlists(a), "administrator")
    _refused(lambda: rs.export.export(a, "x", [], tmp_path / "x"), "administrator")
    _refused(lambda: rs.library.delete_recording(a, rec), "administrator")
    _refused(lambda: rs.reports.weekly(a, dt(2026, 11, 1), dt(2026, 12, 1)), "administrator")
    _refused(lambda: rs.retention.set_period(a, 30), "administrator")
    _refused(lambda: rs.users.add(a, "eve", "Eve", "manager", "long-password"), "administrator")
    _refused(lambda: rs.audit.entries(a), "administrator")


def test_trainer_builds_playlists_but_may_not_tag_score_delete_or_change_retention(world):
    rs, p, (c_ana, c_bob, rec), _ = world
    t = p["tr"]
    pid = rs.cases.create_playlist(t, "Week 47")
    rs.cases.add_item(t, pid, c_bob)
    _refused(lambda: rs.tags.apply(t, c_bob, rs.tags.taxonomy()[0].id), "trainer")
    _refused(lambda: rs.scorecards.score_call(t, c_bob, rs.scorecards.scorecards()[0].id, {}), "trainer")
    _refused(lambda: rs.library.delete_recording(t, rec), "trainer")
    _refused(lambda: rs.retention.set_period(t, 30), "trainer")
    _refused(lambda: rs.retention.run(t), "trainer")


def test_supervisor_tags_and_scores_but_may_not_delete_build_playlists_or_change_retention(world):
    rs, p, (c_ana, c_bob, rec), store = world
    sv = p["sup"]
    rs.tags.apply(sv, c_bob, rs.tags.taxonomy()[0].id)
    card = rs.scorecards.scorecards()[0]
    rs.scorecards.score_call(sv, c_bob, card.id, {card.items[0].id: Answer(1)})
    _refused(lambda: rs.library.delete_recording(sv, rec), "supervisor")
    _refused(lambda: rs.retention.set_period(sv, 10), "supervisor")
    _refused(lambda: rs.cases.create_playlist(sv, "x"), "supervisor")
    _refused(lambda: rs.users.set_role(sv, "ana", "manager"), "supervisor")
    assert store.deleted == []


def test_manager_deletes_and_changes_retention_but_does_not_score_or_tag(world):
    rs, p, (c_ana, c_bob, rec), store = world
    m = p["mgr"]
    _refused(lambda: rs.tags.apply(m, c_bob, rs.tags.taxonomy()[0].id), "manager")
    _refused(lambda: rs.scorecards.score_call(m, c_bob, rs.scorecards.scorecards()[0].id, {}), "manager")
    _refused(lambda: rs.cases.create_playlist(m, "x"), "manager")
    rs.retention.set_period(m, 90)
    assert rs.retention.period_days() == 90
    rs.library.delete_recording(m, rec)
    assert store.deleted == [rec]
    with pytest.raises(Exception):
        rs.library.open_audio(p["sup"], c_bob)


def test_only_reviewers_may_re_transcribe_and_it_is_audited(world):
    from app.transcription.queue import JobQueue
    from db.models import TranscriptionJob
    from db.models.review import AuditEntry

    rs, p, (c_ana, c_bob, rec), _ = world
    jobs = JobQueue(rs.sessions)
    msg = _refused(lambda: rs.library.retranscribe_queue(p["ana"], jobs).enqueue(rec, engine="faster-whisper"),
                   "administrator")
    assert "re-transcribe" in msg
    job = rs.library.retranscribe_queue(p["sup"], jobs).enqueue(rec, engine="faster-whisper", model="base")
    with rs.sessions() as s:
        assert [j.id for j in s.query(TranscriptionJob).filter_by(recording_id=rec)] == [job]
        entries = s.query(AuditEntry).filter_by(action="retranscribe").all()
    assert [(e.login, e.object_id) for e in entries] == [("sup", str(rec))]
    # reading the status stays open to whoever sees the call
    assert rs.library.retranscribe_queue(p["ana"], jobs).status(rec) is not None
