"""UI flows with pytest-qt: sign in, tag a call with the keyboard, score it, build a playlist,
run meeting mode to the first bookmark (a real Ogg Opus file played by QMediaPlayer offscreen),
reports with CSV. Services and database are real (SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QCheckBox, QSpinBox
from sqlalchemy import select

from app.domain import Role
from app.review.audit import AuditAction
from app.review.segments import MemoryTranscripts, Segment
from app.review.services import ReviewServices
from db.models.review import AuditEntry
from db.session import make_engine, session_factory
from tests.app.review.helpers import FolderRecordings, call, make_ogg, recording, user
from ui.review.hub import ReviewHub
from ui.tasks import SyncRunner

pytestmark = pytest.mark.qt_log_ignore("PulseAudioService", extend=True)

# Today's early hours (UTC): the same day and week as today, inside the pages' default ranges.
NOW = datetime.now(timezone.utc).replace(hour=4, minute=0, second=0, microsecond=0)


@pytest.fixture
def env(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        sup = user(s, "sup", Role.SUPERVISOR, "Светлана Супервайзер", password="sup-password")
        tr = user(s, "tr", Role.TRAINER, "Тамара Тренер", password="tr-password")
        mgr = user(s, "mgr", Role.MANAGER, "Мария Менеджер", password="mgr-password")
        c1 = call(s, ana, NOW - timedelta(hours=3), disposition="booked")
        c2 = call(s, ana, NOW - timedelta(hours=2), disposition="declined")
        r1 = recording(s, c1, NOW - timedelta(hours=3))
        r2 = recording(s, c2, NOW - timedelta(hours=2))
        s.commit()
        ids = (c1.id, c2.id)
    store = FolderRecordings(tmp_path / "rec")
    for rid in (r1.id, r2.id):
        store.put(rid, make_ogg(tmp_path / f"{rid}.ogg", 3.0))
    tx = MemoryTranscripts({
        ids[0]: [Segment(0, 0.0, 1.2, "Здравствуйте, клиника «Улыбка»."), Segment(1, 1.3, 2.9, "Сколько стоит чистка?")],
        ids[1]: [Segment(0, 0.0, 1.4, "Добрый день."), Segment(1, 1.5, 2.9, "Мне не подходит.")],
    })
    rs = ReviewServices(sessions, transcripts=tx, recordings=store)
    rs.ensure_defaults()
    yield rs, ids, dict(ana=ana, sup=sup, tr=tr, mgr=mgr)
    engine.dispose()


def _sign_in(qtbot, hub, login, password):
    hub.sign_in_form.login.setText(login)
    hub.sign_in_form.password.setText(password)
    with qtbot.waitSignal(hub.signed_in):
        qtbot.mouseClick(hub.sign_in_form.button, Qt.MouseButton.LeftButton)


def _audit(rs, action):
    with rs.sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_wrong_password_is_refused_on_screen(qtbot, env):
    rs, ids, p = env
    hub = ReviewHub(rs, SyncRunner())
    qtbot.addWidget(hub)
    hub.sign_in_form.login.setText("sup")
    hub.sign_in_form.password.setText("nope")
    qtbot.mouseClick(hub.sign_in_form.button, Qt.MouseButton.LeftButton)
    assert hub.sign_in_form.error.text() == "Wrong login or password"
    assert hub.currentWidget() is hub.sign_in_form


def test_supervisor_tags_with_keyboard_and_scores(qtbot, env):
    rs, ids, p = env
    hub = ReviewHub(rs, SyncRunner())
    qtbot.addWidget(hub)
    hub.show()
    _sign_in(qtbot, hub, "sup", "sup-password")
    assert [hub.tabs.tabText(i) for i in range(hub.tabs.count())] == ["Calls", "Case review", "Reports", "Settings"]
    lib = hub.library
    assert lib.table.rowCount() == 2
    lib.table.selectRow(1)  # the older call, c1
    assert lib.selected_call() == ids[0]
    # shown (transcript and waveform) without opening the audio: nothing is played, nothing audited
    assert lib.player.transcript.count() == 2 and lib.player.wave.duration > 0
    assert lib.player.awaiting_audio and _audit(rs, AuditAction.PLAYBACK) == []
    qtbot.mouseClick(lib.player.play_btn, Qt.MouseButton.LeftButton)  # Play opens it: one PLAYBACK entry
    assert not lib.player.awaiting_audio and len(_audit(rs, AuditAction.PLAYBACK)) == 1
    lib.table.setFocus()
    qtbot.keyClick(lib.table, Qt.Key.Key_1)  # "booked"
    qtbot.keyClick(lib.table, Qt.Key.Key_4)  # "rude"
    assert lib.table.text(1, 9) == "booked, rude"
    assert [lib.palette.applied.item(i).text() for i in range(lib.palette.applied.count())] == ["booked", "rude"]
    qtbot.keyClick(lib.table, Qt.Key.Key_4)  # toggled off again
    assert lib.table.text(1, 9) == "booked"
    # score it
    dlg = lib.open_scorecard()
    qtbot.addWidget(dlg)
    spins = [w for _it, w in dlg.inputs if isinstance(w, QSpinBox)]
    for sp in spins:
        sp.setValue(sp.maximum())
    assert dlg.total_label.text() == "Score: 100 / 100"
    fails = [w for _it, w in dlg.inputs if isinstance(w, QCheckBox)]
    fails[0].setChecked(True)
    assert dlg.total_label.text() == "Score: 0 / 100 — instant fail"
    fails[0].setChecked(False)
    dlg.comment.setText("Хорошо названа цена")
    with qtbot.waitSignal(dlg.saved) as sig:
        dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert sig.args == [100.0]
    assert lib.table.text(1, 8) == "100"
    assert [c.text for c in rs.scorecards.comments(p["sup"], ids[0])] == ["Хорошо названа цена"]
    assert len(_audit(rs, AuditAction.SCORE_CHANGE)) == 1


def test_administrator_sees_own_calls_and_cannot_tag(qtbot, env):
    rs, ids, p = env
    hub = ReviewHub(rs, SyncRunner())
    qtbot.addWidget(hub)
    hub.open_for(p["ana"])
    assert [hub.tabs.tabText(i) for i in range(hub.tabs.count())] == ["Calls"]
    assert not hub.library.score_btn.isEnabled()
    assert all(not b.isEnabled() for b in hub.library.palette.buttons.values())


def test_trainer_builds_playlist_and_runs_meeting_mode_to_first_bookmark(qtbot, env, tmp_path):
    rs, ids, p = env
    rs.scorecards.score_call(p["sup"], ids[0], rs.scorecards.scorecards()[0].id,
                             {it.id: _max(it) for it in rs.scorecards.scorecards()[0].items})
    hub = ReviewHub(rs, SyncRunner())
    qtbot.addWidget(hub)
    hub.show()
    _sign_in(qtbot, hub, "tr", "tr-password")
    page = hub.cases
    hub.tabs.setCurrentWidget(page)
    page.week.setDate(QDate(NOW.year, NOW.month, NOW.day))
    qtbot.mouseClick(page.suggest_btn, Qt.MouseButton.LeftButton)
    assert page.cand_table.rowCount() == 2
    kinds = {page.cand_table.item(i, 0).text(): page.candidates[i].call_id for i in range(2)}
    assert kinds == {"best": ids[0], "worst": ids[1]}
    page.new_playlist("Разбор недели")
    assert page.playlist_box.currentText().startswith("Разбор недели")
    for row in (1, 0):  # worst first, then best
        page.cand_table.selectRow(row)
        qtbot.mouseClick(page.add_btn, Qt.MouseButton.LeftButton)
    assert page.items.count() == 2
    assert [i.call_id for i in page.current.items] == [ids[1], ids[0]]
    page.items.setCurrentRow(1)
    page.move_current(-1)  # the best case first
    assert [i.call_id for i in page.current.items] == [ids[0], ids[1]]
    assert page.items.currentRow() == 0
    page.note.setPlainText("Послушайте, как названа цена")
    qtbot.mouseClick(page.save_note_btn, Qt.MouseButton.LeftButton)
    page.bm_start.setValue(1.0)
    page.bm_stop.setValue(1.6)
    page.bm_label.setText("вопрос о цене")
    qtbot.mouseClick(page.add_bm_btn, Qt.MouseButton.LeftButton)
    assert page.bookmarks.count() == 1 and page.bookmarks.item(0).text() == "0:01–0:01  вопрос о цене"
    assert page.current.items[0].note == "Послушайте, как названа цена"
    # export (masked HTML) and PDF
    out = page.export_pack(tmp_path / "pack", pdf=True)
    assert out.name == "case-pack.pdf" and out.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "pack" / "index.html").is_file() and len(_audit(rs, AuditAction.EXPORT)) == 1
    # meeting mode: plays to the end of the first bookmark and pauses there
    with qtbot.waitSignal(page.meeting_started) as started:
        page.start_meeting(full_screen=False)
    mm = started.args[0]
    qtbot.addWidget(mm)
    with qtbot.waitSignal(mm.bookmark_reached, timeout=15000) as reached:
        pass
    assert reached.args == [0, 0]
    qtbot.waitUntil(lambda: mm.player.player.playbackState() == QMediaPlayer.PlaybackState.PausedState,
                    timeout=5000)
    assert 1.6 <= mm.player.position < 2.5
    assert mm.title.text() == "Case 1 of 2"
    assert mm.player.transcript.font().pointSize() == 20
    # N: the next case (no bookmarks: it plays from the start)
    with qtbot.waitSignal(mm.case_loaded, timeout=5000) as loaded:
        qtbot.keyClick(mm, Qt.Key.Key_N)
    assert loaded.args == [1] and mm.title.text() == "Case 2 of 2"
    with qtbot.waitSignal(mm.closed):
        qtbot.keyClick(mm, Qt.Key.Key_Escape)


def _max(it):
    from app.review.scorecards import Answer

    return Answer(0 if it.instant_fail else it.max_points)


def test_reports_page_chart_and_csv(qtbot, env, tmp_path):
    rs, ids, p = env
    hub = ReviewHub(rs, SyncRunner())
    qtbot.addWidget(hub)
    _sign_in(qtbot, hub, "mgr", "mgr-password")
    page = hub.reports
    with qtbot.waitSignal(page.shown) as sig:
        qtbot.mouseClick(page.show_btn, Qt.MouseButton.LeftButton)
    assert sig.args == [1]
    assert page.table.item(0, 1).text() == "Анна Админова"
    assert page.table.item(0, 2).text() == "2" and page.table.item(0, 7).text() == "100.0"
    assert len(page.chart.series()) == 1 and page.chart.series()[0].barSets()[0].label() == "Анна Админова"
    csv_path = page.export_csv(tmp_path / "r.csv")
    assert "Анна Админова,2,2,1,0,1,100.0," in csv_path.read_text(encoding="utf-8-sig")


def test_settings_tab_tags_retention_and_audit(qtbot, env):
    rs, ids, p = env
    hub = ReviewHub(rs, SyncRunner())
    qtbot.addWidget(hub)
    hub.open_for(p["sup"])
    adm = hub.admin
    assert not adm.retention_days.isVisibleTo(adm) and adm.tag_table.rowCount() == 12
    adm.new_tag.setText("offered a staged plan")
    adm.new_key.setCurrentIndex(adm.new_key.findData("7"))
    adm.new_polarity.setCurrentIndex(0)  # good
    qtbot.mouseClick(adm.add_tag_btn, Qt.MouseButton.LeftButton)
    assert adm.tag_table.rowCount() == 13
    assert any(t.name == "offered a staged plan" and t.hotkey == "7" and t.polarity == 1 for t in rs.tags.taxonomy())
    assert adm.tracker_table.rowCount() == 6
    adm.tr_name.setText("staged payment")
    adm.tr_speaker.setCurrentIndex(adm.tr_speaker.findData(0))
    adm.tr_tag.setText("offered a staged plan")
    adm.tr_phrases.setText("рассрочка; оплата частями; in instalments")
    assert adm.save_tracker()
    assert adm.tracker_table.rowCount() == 7
    tags = rs.tags.analyse_call(ids[0], [Segment(0, 0, 3, "Можно оформить рассрочку на лечение")])
    assert "offered a staged plan" in tags
    adm.card_name.setText("Короткая анкета")
    adm.add_checkpoint("Поздоровался", 1, 1)
    adm.add_checkpoint("Назвал цену", 2, 2)
    adm.add_checkpoint("Нагрубил", 1, 1, instant_fail=True)
    cid = adm.save_scorecard()
    card = rs.scorecards.scorecard(cid)
    assert [(i.text, i.weight, i.max_points, i.instant_fail) for i in card.items] == [
        ("Поздоровался", 1.0, 1, False), ("Назвал цену", 2.0, 2, False), ("Нагрубил", 1.0, 1, True)]
    hub.sign_out()
    hub.open_for(p["mgr"])
    adm = hub.admin
    assert adm.retention_days.value() == 1095
    adm.retention_days.setValue(30)
    qtbot.mouseClick(adm.apply_retention_btn, Qt.MouseButton.LeftButton)
    assert rs.retention.period_days() == 30
    actions = [adm.audit_table.item(i, 2).text() for i in range(adm.audit_table.rowCount())]
    assert actions[0] == "changed retention" and adm.audit_table.item(0, 1).text() == "mgr"
    adm.u_login.setText("nina")
    adm.u_name.setText("Нина Новикова")
    adm.u_role.setCurrentIndex(adm.u_role.findData("administrator"))
    adm.u_password.setText("short")
    assert not adm.add_user()
    assert "at least 8" in adm.status.text()
    adm.u_password.setText("nina-password")
    assert adm.add_user()
    assert rs.auth.sign_in("nina", "nina-password").role == "administrator"
    qtbot.mouseClick(adm.run_retention_btn, Qt.MouseButton.LeftButton)
    assert adm.status.text() == "Deleted 0 recording(s)"  # both recordings are a few hours old
