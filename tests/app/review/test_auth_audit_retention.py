"""Sign-in with Argon2 hashes, lockout, the audit log, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain import Role
from app.review.audit import AuditAction
from app.review.auth import AuthService, SignInRefused, UserError, UserService, verify_password
from app.review.retention import RetentionService
from app.review.services import ReviewServices
from db.models.core import User
from db.models.recording import Recording
from db.models.review import AuditEntry
from tests.app.review.helpers import FolderRecordings, call, recording, user
from tests.factories import dt


def _audit(sessions, action):
    with sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_users_are_added_with_argon2_hashes_and_sign_in(sessions):
    us = UserService(sessions)
    us.add(None, "olga", "Ольга Смирнова", "administrator", "correct horse")
    with sessions() as s:
        h = s.scalar(select(User.password_hash).where(User.login == "olga"))
    assert h.startswith("$argon2id$") and "correct horse" not in h
    assert verify_password(h, "correct horse") and not verify_password(h, "wrong")
    p = AuthService(sessions).sign_in("olga", "correct horse")
    assert (p.login, p.role, p.full_name) == ("olga", Role.ADMINISTRATOR, "Ольга Смирнова")
    with pytest.raises(UserError, match="at least 8"):
        us.add(None, "x", "X", "trainer", "short")
    with pytest.raises(UserError, match="already exists"):
        us.add(None, "olga", "Olga", "trainer", "long enough")
    with pytest.raises(UserError, match="unknown role"):
        us.add(None, "y", "Y", "janitor", "long enough")


def test_wrong_password_is_refused_plainly_and_locks_after_five(sessions):
    UserService(sessions).add(None, "olga", "Olga", "supervisor", "correct horse")
    auth = AuthService(sessions, max_failures=5, lockout_minutes=15)
    with pytest.raises(SignInRefused, match="wrong login or password"):
        auth.sign_in("nobody", "x")
    for _ in range(4):
        with pytest.raises(SignInRefused, match="wrong login or password"):
            auth.sign_in("olga", "nope")
    with pytest.raises(SignInRefused, match="locked"):
        auth.sign_in("olga", "nope")
    with pytest.raises(SignInRefused, match="locked"):
        auth.sign_in("olga", "correct horse")  # even the right password, while locked
    UserService(sessions).set_password(None, "olga", "new password")  # a manager resets it
    assert auth.sign_in("olga", "new password").login == "olga"
    assert len(_audit(sessions, AuditAction.SIGN_IN_REFUSED)) == 7
    UserService(sessions).set_active(None, "olga", False)
    with pytest.raises(SignInRefused, match="disabled"):
        auth.sign_in("olga", "new password")


def test_playback_export_deletion_and_score_change_are_audited(sessions, tmp_path):
    with sessions() as s:
        sup = user(s, "sup", Role.SUPERVISOR)
        mgr = user(s, "mgr", Role.MANAGER)
        c = call(s, None)
        r = recording(s, c, dt(2026, 11, 16))
        s.commit()
        cid, rid = c.id, r.id
    store = FolderRecordings(tmp_path / "rec")
    store.put(rid, b"OggS-data")
    rs = ReviewServices(sessions, recordings=store)
    rs.ensure_defaults()
    got_rid, data = rs.library.open_audio(sup, cid)
    assert (got_rid, data) == (rid, b"OggS-data")
    card = rs.scorecards.scorecards()[0]
    rs.scorecards.score_call(sup, cid, card.id, {card.items[0].id: rs_answer(1)})
    rs.scorecards.score_call(sup, cid, card.id, {card.items[0].id: rs_answer(0)})
    rs.export.export(sup, "pack", [rs_pack(cid)], tmp_path / "pack", include_audio=True)
    rs.library.delete_recording(mgr, rid)
    play = _audit(sessions, AuditAction.PLAYBACK)
    assert [(e.login, e.object_type, e.object_id) for e in play] == [("sup", "recording", str(rid))]
    scores = _audit(sessions, AuditAction.SCORE_CHANGE)
    assert len(scores) == 2 and '"old": null' in scores[0].details and '"new": 0.0' in scores[1].details
    exp = _audit(sessions, AuditAction.EXPORT)
    assert len(exp) == 1 and exp[0].login == "sup" and f'"audio": [{rid}]' in exp[0].details
    dele = _audit(sessions, AuditAction.DELETE)
    assert [(e.login, e.role, e.object_id) for e in dele] == [("mgr", "manager", str(rid))]
    assert all(e.at is not None for e in play + scores + exp + dele)
    assert [r.action for r in rs.audit.entries(mgr)][:1] == [AuditAction.DELETE]


def rs_answer(points):
    from app.review.scorecards import Answer

    return Answer(points)


def rs_pack(cid):
    from app.review.export import PackCall

    return PackCall(cid)


def test_retention_deletes_old_recordings_with_audit(sessions, tmp_path):
    now = dt(2026, 11, 23, 12)
    with sessions() as s:
        mgr = user(s, "mgr", Role.MANAGER)
        c = call(s, None)
        old = recording(s, c, now - timedelta(days=40))
        new = recording(s, c, now - timedelta(days=5))
        s.commit()
        old_id, new_id = old.id, new.id
    store = FolderRecordings(tmp_path / "rec")
    for rid in (old_id, new_id):
        store.put(rid, b"OggS")
    svc = RetentionService(sessions, store, default_days=365)
    assert svc.run(None, now=now).deleted == ()
    svc.set_period(mgr, 30)
    res = svc.run(None, now=now)
    assert res.deleted == (old_id,) and store.deleted == [old_id]
    with sessions() as s:
        assert s.get(Recording, old_id).status == "deleted"
        assert s.get(Recording, new_id).status == "complete"
    dele = _audit(sessions, AuditAction.DELETE)
    assert len(dele) == 1 and dele[0].login == "retention" and '"reason": "retention"' in dele[0].details
    ch = _audit(sessions, AuditAction.RETENTION_CHANGE)
    assert len(ch) == 1 and ch[0].login == "mgr" and '"new": 30' in ch[0].details
    assert svc.run(None, now=now).deleted == ()  # nothing twice
