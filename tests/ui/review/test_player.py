"""The player with a real Ogg Opus file played by QMediaPlayer offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer

from app.review.segments import Segment
from tests.app.review.helpers import make_ogg
from ui.review.player import PlayerWidget

# No sound server here: QtMultimedia says so once per process (harmless; playback still runs).
pytestmark = pytest.mark.qt_log_ignore("PulseAudioService", extend=True)

SEGS = [Segment(0, 0.0, 1.2, "Здравствуйте, клиника «Улыбка»."), Segment(1, 1.5, 2.8, "Добрый день!")]


def test_player_plays_a_range_and_pauses_at_its_end(qtbot, tmp_path):
    w = PlayerWidget()
    qtbot.addWidget(w)
    w.load(make_ogg(tmp_path / "a.ogg", 3.0), SEGS)
    assert w.transcript.count() == 2
    assert w.transcript.item(1).text().endswith("Добрый день!")
    assert w.wave.duration == 3.0
    with qtbot.waitSignal(w.range_finished, timeout=10000) as sig:
        w.play_range(1.5, 2.0)
    assert sig.args == [2.0]
    qtbot.waitUntil(lambda: w.player.playbackState() == QMediaPlayer.PlaybackState.PausedState, timeout=5000)
    assert 2.0 <= w.position < 2.8
    assert w.current_segment() == 1
    assert w.transcript.item(1).font().bold()


def test_click_on_segment_seeks_and_speed(qtbot, tmp_path):
    w = PlayerWidget()
    qtbot.addWidget(w)
    w.load(make_ogg(tmp_path / "a.ogg", 3.0), SEGS)
    qtbot.waitUntil(lambda: w.player.duration() > 0, timeout=5000)
    rect = w.transcript.visualItemRect(w.transcript.item(1))
    qtbot.mouseClick(w.transcript.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: abs(w.position - 1.5) < 0.05, timeout=5000)
    assert w.current_segment() == 1
    w.set_speed(2.0)
    assert w.player.playbackRate() == 2.0 and w.speed.currentText() == "2×"


def test_skip_silence_jumps_over_the_pause(qtbot, tmp_path):
    w = PlayerWidget()
    qtbot.addWidget(w)
    segs = [Segment(0, 0.0, 0.5, "Алло?"), Segment(1, 2.6, 3.0, "Да!")]  # 2.1 s without speech
    w.load(make_ogg(tmp_path / "a.ogg", 3.0), segs)
    w.skip_silence.setChecked(True)
    seen = []
    w.position_changed.connect(seen.append)
    w.play()
    qtbot.waitUntil(lambda: w.position >= 2.4, timeout=10000)
    w.pause()
    assert not [t for t in seen if 1.2 < t < 2.2], seen


def test_player_and_audio_output_are_made_by_qt_not_python(qtbot):
    """Objects made from Python make Qt's audio thread take the GIL when it tears down (the
    meeting-mode freeze, ui/media.py); the players are made by Qt where QML is available."""
    import shiboken6

    from ui.recording.player import RecordingPlayer

    for w in (PlayerWidget(), RecordingPlayer()):
        qtbot.addWidget(w)
        assert not shiboken6.createdByPython(w.player) and not shiboken6.createdByPython(w.audio)
        assert w.player.audioOutput() is w.audio and w.player.parent() is w


def test_players_made_from_python_when_qml_is_missing(qtbot, monkeypatch):
    import shiboken6

    import ui.media as media

    monkeypatch.setattr(media, "_component", False)  # as in the bundle, which leaves QtQml out
    w = PlayerWidget()
    qtbot.addWidget(w)
    assert shiboken6.createdByPython(w.player) and w.player.audioOutput() is w.audio
