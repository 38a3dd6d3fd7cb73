"""The review pages keep the window live: the password check, the selected call's tags, analysis,
audio, waveform and comments, and tag changes run on the real task runner (a thread pool), and
the pages after the Calls page are built when first opened. scripts/bench_ui_stall.py measured
these on the UI thread (sign-in 1.3 s, selecting a call 50-75 ms under load). Real services and
SQLite; a real Ogg Opus file.

The last tests are about lifetimes: a hub nobody holds any more is deleted at once (not later by
Python's cycle collector, which once deleted a hub's widget tree in the middle of its own
WaveformView.paintEvent: a segfault), and a result that comes back for a page that was signed out
of or deleted is dropped by the runner instead of being applied to a dead widget."""

from __future__ import annotations

import gc
import threading
import weakref
from datetime import datetime, timedelta, timezone

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QLabel

from app.domain import Role
from app.review.segments import MemoryTranscripts, Segment
from app.review.services import ReviewServices
from app.review.waveform import peaks_from_audio
from db.session import make_engine, session_factory
from tests.app.review.helpers import FolderRecordings, call, make_ogg, recording, user
from ui.review.cases import CaseReviewPage
from ui.review.hub import ReviewHub
from ui.review.player import PlayerWidget, WaveformView
from ui.tasks import TaskRunner

pytestmark = pytest.mark.qt_log_ignore("PulseAudioService", extend=True)

NOW = datetime.now(timezone.utc).replace(hour=4, minute=0, second=0, microsecond=0)


@pytest.fixture
def env(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        user(s, "sup", Role.SUPERVISOR, "Светлана Супервайзер", password="sup-password")
        c1 = call(s, ana, NOW - timedelta(hours=3), disposition="booked")
        r1 = recording(s, c1, NOW - timedelta(hours=3))
        s.commit()
        cid, rid = c1.id, r1.id
    store = FolderRecordings(tmp_path / "rec")
    store.put(rid, make_ogg(tmp_path / f"{rid}.ogg", 3.0))
    tx = MemoryTranscripts({cid: [Segment(0, 0.0, 1.2, "Здравствуйте, клиника «Улыбка»."),
                                  Segment(1, 1.3, 2.9, "Сколько стоит чистка?")]})
    rs = ReviewServices(sessions, transcripts=tx, recordings=store)
    rs.ensure_defaults()
    yield rs, cid
    engine.dispose()


@pytest.fixture
def runner(qapp):
    r = TaskRunner()
    yield r
    r.wait()


def _in_threads(monkeypatch, obj, name: str) -> list[bool]:
    """Wrap obj.name; the list gets True for each call made on the UI (main) thread."""
    real = getattr(obj, name)
    on_ui: list[bool] = []

    def wrapped(*a, **kw):
        on_ui.append(threading.current_thread() is threading.main_thread())
        return real(*a, **kw)

    monkeypatch.setattr(obj, name, wrapped)
    return on_ui


def _sign_in(qtbot, hub, password="sup-password"):
    hub.sign_in_form.login.setText("sup")
    hub.sign_in_form.password.setText(password)
    qtbot.mouseClick(hub.sign_in_form.button, Qt.MouseButton.LeftButton)


def _signed_in_library(qtbot, rs, runner):
    """(hub, its Calls page) signed in as the supervisor with the call listed; the caller keeps
    the hub (qtbot holds it weakly, and a hub nobody holds is deleted at once)."""
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.library is not None and hub.library.table.rowCount() == 1)
    return hub, hub.library


def test_the_password_is_checked_on_the_runner_while_the_form_says_so(qtbot, env, runner, monkeypatch):
    rs, _cid = env
    release = threading.Event()
    real = rs.auth.sign_in
    on_ui = []

    def slow_check(login, password):  # the real check, held until the test has looked at the form
        on_ui.append(threading.current_thread() is threading.main_thread())
        release.wait(30)
        return real(login, password)

    monkeypatch.setattr(rs.auth, "sign_in", slow_check)
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    form = hub.sign_in_form
    _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: on_ui == [False])  # the check started, on a pool thread
    assert form.error.text() == "Signing in…"
    assert not form.button.isEnabled() and not form.login.isEnabled()
    assert form.password.text() == ""  # not kept on screen while it is checked
    _sign_in(qtbot, hub)  # a second click meanwhile starts no second check
    with qtbot.waitSignal(hub.signed_in):
        release.set()
    assert on_ui == [False]
    assert [hub.tabs.tabText(i) for i in range(hub.tabs.count())] == ["Calls", "Case review", "Reports", "Settings"]
    assert form.error.text() == "" and form.button.isEnabled()


def test_a_wrong_password_is_refused_after_the_check_and_the_form_is_usable_again(qtbot, env, runner):
    rs, _cid = env
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    _sign_in(qtbot, hub, "nope")
    qtbot.waitUntil(lambda: hub.sign_in_form.error.text() == "Wrong login or password")
    assert hub.sign_in_form.button.isEnabled() and hub.currentWidget() is hub.sign_in_form


def _play(qtbot, lib, cid):
    """Press Play on the call shown; returns once its audio is in the player."""
    with qtbot.waitSignal(lib.audio_loaded) as sig:
        qtbot.mouseClick(lib.player.play_btn, Qt.MouseButton.LeftButton)
    assert sig.args == [cid]


def test_selecting_a_call_reads_it_off_the_ui_thread_and_play_opens_its_audio_there(
        qtbot, env, runner, monkeypatch):
    """Selecting shows the transcript and the waveform (from the envelope kept with the
    recording) without opening the audio; the first Play opens it. All of it on the runner."""
    rs, cid = env
    waveform_on_ui = _in_threads(monkeypatch, rs.library, "waveform")
    opened_on_ui = _in_threads(monkeypatch, rs.library, "open_audio")
    tags_on_ui = _in_threads(monkeypatch, rs.tags, "call_tags")
    analysis_on_ui = _in_threads(monkeypatch, rs.library, "analysis")
    comments_on_ui = _in_threads(monkeypatch, rs.scorecards, "comments")
    hub, lib = _signed_in_library(qtbot, rs, runner)
    with qtbot.waitSignal(lib.call_shown) as sig:
        lib.table.selectRow(0)
    assert sig.args == [cid]
    assert lib.player.transcript.count() == 2
    assert lib.player.wave.duration == pytest.approx(3.0, abs=0.05)
    assert opened_on_ui == [] and lib.player.awaiting_audio  # nothing played, nothing opened
    qtbot.waitUntil(lambda: lib.analysis_label.text() == "Not analysed yet")
    _play(qtbot, lib, cid)
    assert not lib.player.awaiting_audio
    qtbot.waitUntil(lambda: lib.player.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState)
    for calls in (waveform_on_ui, opened_on_ui, tags_on_ui, analysis_on_ui, comments_on_ui):
        assert calls and not any(calls)


def test_a_selected_call_is_read_in_one_task_and_a_part_that_fails_does_not_hide_the_rest(
        qtbot, env, runner, monkeypatch):
    """Tags, analysis, transcription state, transcript, envelope and comments: one runner task
    per selection. When the transcription state and the analysis cannot be read, each says so
    in its own place and the transcript, waveform and tags are still shown."""
    rs, cid = env
    hub, lib = _signed_in_library(qtbot, rs, runner)
    tasks = _in_threads(monkeypatch, runner, "run")

    def broken(*_a, **_kw):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(lib.jobs, "status", broken)
    monkeypatch.setattr(rs.library, "analysis", broken)
    with qtbot.waitSignal(lib.call_shown):
        lib.table.selectRow(0)
    assert len(tasks) == 1
    assert lib.transcript_status.text() == "Transcription status unavailable"
    assert lib.status.text() == "the database went away"
    assert lib.analysis_label.text() == "Analysis unavailable"  # not "Not analysed yet": it was not read
    assert lib.player.transcript.count() == 2
    assert lib.player.wave.duration == pytest.approx(3.0, abs=0.05)
    assert lib.palette.call_id == cid and lib.palette.applied_tags == []


def _select_nothing(lib):
    from PySide6.QtCore import QModelIndex

    lib.table.setCurrentIndex(QModelIndex())
    lib.table.clearSelection()
    assert lib.selected_call() is None


def test_a_call_played_again_is_shown_the_same_and_audited_again_without_decoding_it_again(
        qtbot, env, runner, monkeypatch):
    """The page keeps the last recordings it played decoded: playing the call again gives the
    same transcript, waveform and audio, and the opening is audited again (a PLAYBACK entry each
    time), but the store is not read (decrypted and decoded) a second time."""
    from sqlalchemy import select

    from db.models.review import AuditEntry

    rs, cid = env
    opened = _in_threads(monkeypatch, rs.library.recordings, "open_decrypted")
    hub, lib = _signed_in_library(qtbot, rs, runner)

    def playbacks():
        with rs.sessions() as s:
            return [(e.object_id, e.details) for e in
                    s.scalars(select(AuditEntry).where(AuditEntry.action == "playback").order_by(AuditEntry.id))]

    with qtbot.waitSignal(lib.call_shown):
        lib.table.selectRow(0)
    assert playbacks() == []  # shown, not played
    _play(qtbot, lib, cid)
    first = (lib.player.transcript.count(), lib.player.wave.duration, bytes(lib.player._bytes.data()))
    assert len(playbacks()) == 1
    _select_nothing(lib)
    with qtbot.waitSignal(lib.call_shown):
        lib.table.selectRow(0)
    _play(qtbot, lib, cid)
    assert (lib.player.transcript.count(), lib.player.wave.duration, bytes(lib.player._bytes.data())) == first
    assert first[0] == 2 and first[1] == pytest.approx(3.0, abs=0.05)
    entries = playbacks()
    assert len(entries) == 2 and entries[0] == entries[1]  # both openings audited alike
    assert len(opened) == 1  # read, decrypted and decoded once


def test_a_call_whose_recording_was_replaced_is_opened_anew(qtbot, env, runner, monkeypatch, tmp_path):
    """When the call's recording is another one by the time it is selected again, the held audio
    is not used: the new recording is read, decoded and shown (and audited once)."""
    from sqlalchemy import func, select

    from db.models.review import AuditEntry
    from tests.app.review.helpers import make_ogg, recording

    rs, cid = env
    opened = _in_threads(monkeypatch, rs.library.recordings, "open_decrypted")
    hub, lib = _signed_in_library(qtbot, rs, runner)
    with qtbot.waitSignal(lib.call_shown):
        lib.table.selectRow(0)
    _play(qtbot, lib, cid)
    assert lib.player.wave.duration == pytest.approx(3.0, abs=0.05)
    with rs.sessions() as s:
        from db.models.core import Call

        r2 = recording(s, s.get(Call, cid), NOW - timedelta(hours=2))
        s.commit()
        rid2 = r2.id
    rs.library.recordings.put(rid2, make_ogg(tmp_path / f"{rid2}.ogg", 5.0))
    _select_nothing(lib)
    with qtbot.waitSignal(lib.call_shown):
        lib.table.selectRow(0)
    assert lib.player.wave.duration == pytest.approx(5.0, abs=0.05)  # the new recording's waveform
    _play(qtbot, lib, cid)
    assert len(opened) == 2
    with rs.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "playback")) == 2


def test_tags_toggled_quickly_are_applied_in_order_on_the_runner(qtbot, env, runner, monkeypatch):
    rs, _cid = env
    toggled_on_ui = _in_threads(monkeypatch, rs.tags, "toggle")
    hub, lib = _signed_in_library(qtbot, rs, runner)
    with qtbot.waitSignal(lib.call_shown):
        lib.table.selectRow(0)
    lib.table.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_4, Qt.Key.Key_4):  # "booked" on; "rude" on, off again
        qtbot.keyClick(lib.table, key)
    # serialised: the third toggle starts once the second one's "booked, rude" is on screen
    qtbot.waitUntil(lambda: len(toggled_on_ui) == 3 and lib.table.text(0, 9) == "booked")
    assert [lib.palette.applied.item(i).text() for i in range(lib.palette.applied.count())] == ["booked"]
    assert not any(toggled_on_ui)


def test_the_other_review_pages_are_built_when_their_tab_is_first_opened(qtbot, env, runner):
    rs, _cid = env
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    with qtbot.waitSignal(hub.signed_in):
        _sign_in(qtbot, hub)
    assert hub.tabs.tabText(1) == "Case review"
    assert not isinstance(hub.tabs.widget(1), CaseReviewPage)  # nothing built yet
    hub.tabs.setCurrentIndex(1)
    page = hub.tabs.widget(1)
    assert isinstance(page, CaseReviewPage) and page.isVisible()
    assert hub.tabs.currentIndex() == 1 and hub.tabs.tabText(1) == "Case review"
    assert hub.cases is page  # the same page from then on
    assert hub.tabs.tabText(2) == "Reports" and hub.reports is hub.tabs.widget(2)  # reading it builds it


def test_after_the_check_the_calls_page_is_read_off_the_ui_thread_and_built_while_the_form_waits(
        qtbot, env, runner, monkeypatch):
    rs, _cid = env
    admins_on_ui = _in_threads(monkeypatch, rs.users, "administrators")
    situations_on_ui = _in_threads(monkeypatch, rs.library, "situations")
    taxonomy_on_ui = _in_threads(monkeypatch, rs.tags, "taxonomy")
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    form = hub.sign_in_form
    seen = []  # what a person saw when the password had been accepted
    form.signed_in.connect(lambda _p: seen.append((form.error.text(), form.button.isEnabled(),
                                                   hub.currentWidget() is form, hub.library)))
    with qtbot.waitSignal(hub.signed_in):
        _sign_in(qtbot, hub)
    assert seen == [("Signing in…", False, True, None)]  # the page is not there yet: still "Signing in…"
    assert admins_on_ui == [False] and situations_on_ui == [False] and taxonomy_on_ui == [False]
    lib = hub.library
    assert hub.currentWidget() is not form and lib.isVisible()
    assert [lib.admin_box.itemText(i) for i in range(lib.admin_box.count())] == [
        "Everyone", "Анна Админова", "Светлана Супервайзер"]
    assert lib.situation_box.count() > 1 and lib.tag_box.count() == 1 + len(lib.palette.buttons) > 1
    assert form.error.text() == "" and form.button.isEnabled()
    qtbot.waitUntil(lambda: lib.table.rowCount() == 1)


@pytest.mark.parametrize("when", ["before its data is read", "halfway through"])
def test_signing_out_while_the_calls_page_is_being_built_drops_it(qtbot, env, runner, monkeypatch, when):
    import ui.review.library as library_ui

    rs, _cid = env
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    form = hub.sign_in_form
    if when == "before its data is read":
        form.signed_in.connect(lambda _p: hub.sign_out())
    else:
        real = library_ui.CallLibraryPage.build_steps

        def build_steps(page):
            steps = real(page)
            yield next(steps)  # the filters are there: now the person signs out
            hub.sign_out()
            yield from steps

        monkeypatch.setattr(library_ui.CallLibraryPage, "build_steps", build_steps)
    opened = []
    hub.signed_in.connect(opened.append)
    with qtbot.waitSignal(form.signed_in):
        _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: runner.pending == 0 and hub.count() == 1)  # the half-built page is gone
    assert hub.currentWidget() is form and hub.library is None and opened == []
    assert form.button.isEnabled() and form.error.text() == ""


def test_when_the_calls_page_cannot_be_read_the_form_says_so(qtbot, env, runner, monkeypatch):
    rs, _cid = env

    def broken():
        raise OSError("disk I/O error")

    monkeypatch.setattr(rs.library, "situations", broken)
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.sign_in_form.error.text() == "Cannot sign in: disk I/O error")
    assert hub.sign_in_form.button.isEnabled() and hub.currentWidget() is hub.sign_in_form
    assert hub.library is None and hub.count() == 1


def test_the_waveform_follows_the_play_position_and_new_comment_marks(qtbot):
    import numpy as np

    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 80)
    view.show()
    t = np.arange(8000 * 4) / 8000
    view.set_waveform(peaks_from_audio(np.stack([np.sin(t * 500) * 0.5, np.sin(t * 700) * 0.2], axis=1), 8000))
    red = QColor("#dd0000")

    def column(img, x):
        return [img.pixelColor(x, y) for y in range(img.height())]

    first = view.grab().toImage()
    assert red in column(first, 0)  # the play position at 0 s
    view.set_position(2.0)
    moved = view.grab().toImage()
    assert red in column(moved, 200) and red not in column(moved, 0)
    assert column(moved, 100) == column(first, 100)  # the waveform itself is unchanged
    purple = QColor("#7a1fa2")
    assert purple not in column(moved, 300)
    view.set_comments([3.0])  # a comment at 3 s: its mark is drawn at once
    assert purple in column(view.grab().toImage(), 300)


def test_the_waveform_draws_each_speaker_in_their_band_as_loud_as_they_were(qtbot):
    """Administrator (blue) above, caller (orange) below, each column as tall as its peak."""
    import numpy as np

    from app.review.waveform import Waveform

    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 100)
    view.show()
    peaks = np.zeros((2, 400))
    peaks[0, :200] = 1.0  # the administrator speaks loudly in the first half
    peaks[1, 200:] = 0.5  # the caller half as loud in the second
    view.set_waveform(Waveform(4.0, peaks))
    view.set_position(4.0)  # the red line out of the way, at the right edge
    img = view.grab().toImage()
    blue, orange = QColor("#1b4f9c"), QColor("#b5541c")

    def tall(x, colour, top, bottom):
        return sum(img.pixelColor(x, y) == colour for y in range(top, bottom))

    assert tall(100, blue, 0, 50) >= 44 and tall(100, orange, 50, 100) <= 2  # loud admin; a silent caller: the baseline
    assert tall(300, blue, 0, 50) <= 2 and 20 <= tall(300, orange, 50, 100) <= 26  # caller at half height
    assert tall(100, orange, 0, 50) == 0 and tall(300, blue, 50, 100) == 0  # nobody in the other's band


def test_while_playing_only_the_strips_under_the_old_and_new_position_are_repainted(qtbot):
    """25 times a second while a call plays: the old line is painted over and the new one drawn,
    the rest of the waveform is not painted again."""
    import numpy as np
    from PySide6.QtCore import QEvent, QPoint

    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 80)
    view.show()
    qtbot.waitExposed(view)
    t = np.arange(8000 * 4) / 8000
    view.set_waveform(peaks_from_audio(np.stack([np.sin(t * 500) * 0.5, np.sin(t * 700) * 0.2], axis=1), 8000))
    qtbot.wait(50)  # the first whole paint done
    regions = []

    class Painted(QObject):
        def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
            if obj is view and ev.type() == QEvent.Type.Paint:
                regions.append(ev.region())
            return False

    spy = Painted()
    view.installEventFilter(spy)
    view.set_position(2.0)
    qtbot.waitUntil(lambda: len(regions) > 0)
    painted = regions[0]
    for y in (5, 40, 75):
        assert painted.contains(QPoint(0, y)) and painted.contains(QPoint(200, y))  # the old line, the new one
    assert not painted.contains(QPoint(100, 40)) and not painted.contains(QPoint(300, 40))
    assert painted.boundingRect().width() <= 210
    red = QColor("#dd0000")
    img = view.grab().toImage()
    assert red in [img.pixelColor(200, y) for y in range(80)] and red not in [img.pixelColor(0, y) for y in range(80)]


def _signed_in_with_a_call(qtbot, hub, runner):
    """Signed in as the supervisor (Case review, Reports and Settings still unbuilt), the call
    selected and its waveform drawn, nothing left on the runner."""
    hub.show()
    with qtbot.waitSignal(hub.signed_in):
        _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.library.table.rowCount() == 1)
    with qtbot.waitSignal(hub.library.call_shown):
        hub.library.table.selectRow(0)
    hub.library.player.wave.repaint()
    qtbot.waitUntil(lambda: runner.pending == 0)


@pytest.mark.parametrize("open_tabs", [False, True], ids=["tabs-unbuilt", "tabs-built"])
def test_a_hub_nobody_holds_is_deleted_at_once_not_by_the_cycle_collector(qtbot, env, runner, open_tabs):
    rs, _cid = env
    hub = ReviewHub(rs, runner)
    _signed_in_with_a_call(qtbot, hub, runner)
    if open_tabs:
        for i in range(hub.tabs.count()):
            hub.tabs.setCurrentIndex(i)
        qtbot.waitUntil(lambda: runner.pending == 0)
    wave = hub.library.player.wave
    gone = weakref.ref(hub)
    gc.collect()
    gc.disable()  # only reference counting now
    try:
        del hub
        # a reference cycle through the hub (it kept closures over itself for its unbuilt tabs)
        # left it alive here, for the cycle collector to delete with all its widgets whenever
        # an allocation set it off: once while Qt was inside this WaveformView's paintEvent
        assert gone() is None
        assert not shiboken6.isValid(wave)
    finally:
        gc.enable()


def _slow_waveform(monkeypatch, rs):
    """Selecting a call reads its waveform on the runner; this holds the reading until released."""
    started, release = threading.Event(), threading.Event()
    real = rs.library.waveform

    def held(*a, **kw):
        started.set()
        release.wait(30)
        return real(*a, **kw)

    monkeypatch.setattr(rs.library, "waveform", held)
    return started, release


def _loads(monkeypatch) -> list:
    loads: list = []
    real = PlayerWidget.load

    def load(player, *a, **kw):
        loads.append(player)
        return real(player, *a, **kw)

    monkeypatch.setattr(PlayerWidget, "load", load)
    return loads


def test_a_call_still_loading_when_the_hub_is_deleted_reaches_no_dead_widget(qtbot, env, runner, monkeypatch):
    rs, _cid = env
    started, release = _slow_waveform(monkeypatch, rs)
    loads = _loads(monkeypatch)
    hub = ReviewHub(rs, runner)
    hub.show()
    with qtbot.waitSignal(hub.signed_in):
        _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.library.table.rowCount() == 1)
    lib = hub.library
    lib.table.selectRow(0)
    qtbot.waitUntil(started.is_set)  # the call is being read on a pool thread
    hub.close()
    hub.deleteLater()
    del hub
    qtbot.waitUntil(lambda: not shiboken6.isValid(lib))
    release.set()
    assert runner.wait()
    qtbot.waitUntil(lambda: runner.pending == 0)
    QCoreApplication.processEvents()
    # before: the result went to the deleted page ("Internal C++ object (CallLibraryPage) already
    # deleted" raised in the event loop, a failure here)
    assert loads == []


def test_a_call_still_loading_at_sign_out_is_not_shown_on_the_page_being_deleted(qtbot, env, runner, monkeypatch):
    rs, _cid = env
    started, release = _slow_waveform(monkeypatch, rs)
    loads = _loads(monkeypatch)
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    with qtbot.waitSignal(hub.signed_in):
        _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.library.table.rowCount() == 1)
    lib = hub.library
    lib.table.selectRow(0)
    qtbot.waitUntil(started.is_set)
    hub.sign_out()
    release.set()
    assert runner.wait()
    # the result arrives while the signed-out page still exists (its deletion is deferred)
    QCoreApplication.sendPostedEvents(runner, 0)
    assert shiboken6.isValid(lib) and runner.pending == 0
    assert loads == []
    assert hub.currentWidget() is hub.sign_in_form


def test_the_runner_drops_results_for_a_receiver_that_was_destroyed(qtbot, runner):
    label = QLabel()
    other = QObject()
    got: list = []
    release = threading.Event()

    def slow():
        release.wait(30)
        return "done"

    runner.run(slow, lambda res: got.append(("closure", res)), receiver=label)
    runner.run(slow, label.setText)  # a bound method: its object is the receiver
    runner.run(slow, lambda res: got.append(("alive", res)), receiver=other)
    runner.run(lambda: 1 / 0, got.append, lambda e: got.append(("error", e)), receiver=label)
    shiboken6.delete(label)
    release.set()
    assert runner.wait()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert got == [("alive", "done")]
