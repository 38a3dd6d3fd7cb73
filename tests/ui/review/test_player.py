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


def test_a_call_shown_without_its_audio_opens_it_on_play_and_keeps_the_seek(qtbot, tmp_path):
    """load_deferred shows the waveform and transcript only; the first Play asks for the audio
    once, and the seek and Play made before it arrived are carried out when it has loaded."""
    import soundfile as sf

    from app.recording.peaks import peaks_of_audio
    from app.review.waveform import waveform_from_peaks

    w = PlayerWidget()
    qtbot.addWidget(w)
    data = make_ogg(tmp_path / "a.ogg", 3.0)
    audio, sr = sf.read(str(tmp_path / "a.ogg"), dtype="float32", always_2d=True)
    w.load_deferred(SEGS, waveform_from_peaks(peaks_of_audio(audio.T, sr)))
    assert w.awaiting_audio and w.transcript.count() == 2
    assert w.wave.duration == pytest.approx(3.0, abs=0.05)
    asked = []
    w.audio_wanted.connect(lambda: asked.append(True))
    w.seek(1.5)  # a click on the second segment before any audio: the cursor moves, nothing is opened
    assert asked == [] and w.position == 1.5 and w.current_segment() == 1
    w.toggle()  # Play
    assert asked == [True] and w.play_btn.text() == "Opening…" and w.playing
    w.toggle()  # Pause before it came: nothing starts when it comes
    w.toggle()  # Play again: the audio was already asked for, it is not asked for twice
    assert asked == [True] and w.playing
    w.set_audio(data)
    qtbot.waitUntil(lambda: w.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    assert not w.awaiting_audio and w.play_btn.text() == "Pause"
    assert 1.45 <= w.position < 2.5  # it started at the seek, not at 0
    w.pause()
    assert not w.playing and w.play_btn.text() == "Play"


def test_audio_that_cannot_be_opened_lets_play_be_pressed_again(qtbot):
    w = PlayerWidget()
    qtbot.addWidget(w)
    w.load_deferred(SEGS, None, duration=3.0)
    asked = []
    w.audio_wanted.connect(lambda: asked.append(True))
    w.play()
    assert asked == [True] and w.play_btn.text() == "Opening…"
    w.audio_failed()
    assert w.play_btn.text() == "Play" and not w.playing and w.awaiting_audio
    w.play()
    assert asked == [True, True]


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


def test_the_player_speaks_russian_while_it_opens_a_call(qtbot, russian):
    w = PlayerWidget()
    qtbot.addWidget(w)
    w.load_deferred(SEGS, None, duration=3.0)
    assert w.play_btn.text() == "Играть"
    w.play()
    assert w.play_btn.text() == "Открывается…"
    w.audio_failed()
    assert w.play_btn.text() == "Играть"
