"""The review pages keep the window live: the password check, the selected call's tags, analysis,
audio, waveform and comments, and tag changes run on the real task runner (a thread pool), and
the pages after the Calls page are built when first opened. scripts/bench_ui_stall.py measured
these on the UI thread (sign-in 1.3 s, selecting a call 50-75 ms under load). Real services and
SQLite; a real Ogg Opus file."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain import Role
from app.review.segments import MemoryTranscripts, Segment
from app.review.services import ReviewServices
from app.review.waveform import peaks_from_audio
from db.session import make_engine, session_factory
from tests.app.review.helpers import FolderRecordings, call, make_ogg, recording, user
from ui.review.cases import CaseReviewPage
from ui.review.hub import ReviewHub
from ui.review.player import WaveformView
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


def test_selecting_a_call_reads_and_decodes_it_off_the_ui_thread(qtbot, env, runner, monkeypatch):
    import ui.review.library as library_ui

    rs, cid = env
    decoded_on_ui = _in_threads(monkeypatch, library_ui, "waveform_of")
    tags_on_ui = _in_threads(monkeypatch, rs.tags, "call_tags")
    analysis_on_ui = _in_threads(monkeypatch, rs.library, "analysis")
    comments_on_ui = _in_threads(monkeypatch, rs.scorecards, "comments")
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.library is not None and hub.library.table.rowCount() == 1)
    lib = hub.library
    with qtbot.waitSignal(lib.audio_loaded) as sig:
        lib.table.selectRow(0)
    assert sig.args == [cid]
    assert lib.player.transcript.count() == 2
    assert lib.player.wave.duration == pytest.approx(3.0, abs=0.05)  # the waveform came with the audio
    qtbot.waitUntil(lambda: lib.analysis_label.text() == "Not analysed yet")
    for calls in (decoded_on_ui, tags_on_ui, analysis_on_ui, comments_on_ui):
        assert calls and not any(calls)


def test_tags_toggled_quickly_are_applied_in_order_on_the_runner(qtbot, env, runner, monkeypatch):
    rs, _cid = env
    toggled_on_ui = _in_threads(monkeypatch, rs.tags, "toggle")
    hub = ReviewHub(rs, runner)
    qtbot.addWidget(hub)
    hub.show()
    _sign_in(qtbot, hub)
    qtbot.waitUntil(lambda: hub.library is not None and hub.library.table.rowCount() == 1)
    lib = hub.library
    with qtbot.waitSignal(lib.audio_loaded):
        lib.table.selectRow(0)
    lib.table.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_4, Qt.Key.Key_4):  # "booked" on; "rude" on, off again
        qtbot.keyClick(lib.table, key)
    # serialised: the third toggle starts once the second one's "booked, rude" is on screen
    qtbot.waitUntil(lambda: len(toggled_on_ui) == 3 and lib.table.item(0, 9).text() == "booked")
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
