"""Recording widgets as a person sees them (pytest-qt, offscreen)."""

from __future__ import annotations

import numpy as np
import pytest

from app.recording.calls import RecordingState
from app.recording.capture import ChannelLevel, InputDevice
from app.recording.policy import Reason
from app.settings import AudioSettings, load_settings
from ui.recording.device_page import AudioDevicePage
from ui.recording.indicator import RecordingIndicator
from ui.recording.level_meter import LevelFeed, LevelMeter, level_percent
from ui.recording.player import RecordingPlayer


def test_level_meter_shows_both_channels(qtbot):
    meter = LevelMeter()
    qtbot.addWidget(meter)
    assert [lb.text() for lb in meter.labels] == ["Administrator", "Caller"]
    meter.set_levels((ChannelLevel(0.5, 0.9), ChannelLevel(0.001, 0.002)))
    assert meter.bars[0].value() == level_percent(0.5) == 90  # -6 dBFS on a 60 dB scale
    assert meter.bars[1].value() == 0  # -60 dBFS: silent
    assert "peak 98" in meter.bars[0].toolTip()
    meter.set_levels(None)
    assert [b.value() for b in meter.bars] == [0, 0]


def test_level_feed_polls_a_thread_safe_source(qtbot):
    meter = LevelMeter()
    qtbot.addWidget(meter)
    levels = [(ChannelLevel(0.1, 0.2), ChannelLevel(0.3, 0.4))]
    feed = LevelFeed(lambda: levels[0], meter, interval_ms=10)
    with qtbot.waitSignal(feed.updated):
        feed.start()
    assert meter.bars[0].value() == level_percent(0.1) and meter.bars[1].value() == level_percent(0.3)
    feed.stop()
    assert meter.bars[1].value() == 0


def test_indicator_texts(qtbot):
    ind = RecordingIndicator()
    qtbot.addWidget(ind)
    assert ind.text() == "" and ind.isHidden()
    ind.show_state(RecordingState(1, True, Reason.CONSENT, 5))
    assert ind.text() == "● REC" and not ind.isHidden()
    ind.show_state(RecordingState(2, False, Reason.NO_CONSENT))
    assert ind.text() == "not recorded: no consent"
    ind.show_state(RecordingState(3, False, Reason.CONSENT, error="cannot open the caller input 'x'"))
    assert ind.text() == "not recorded: device problem" and "caller input" in ind.toolTip()
    with qtbot.waitSignal(ind.state_shown, check_params_cb=lambda t: t == ""):
        ind.show_state(RecordingState(1, False, None, 5, ended=True))


def test_device_choice_is_saved_and_remembered(qtbot, tmp_path):
    user = tmp_path / "user-settings.toml"
    devices = [InputDevice(0, "USB headset", 1, 48000.0, "ALSA"), InputDevice(1, "Loopback", 2, 48000.0, "ALSA")]
    audio = AudioSettings(admin_device="Old headset")
    page = AudioDevicePage(audio, devices, user)
    qtbot.addWidget(page)
    assert page.admin.currentText() == "Old headset (not connected)"
    assert page.caller.currentText() == "Second channel of the administrator's input"
    page.admin.setCurrentIndex(page.admin.findData("USB headset"))
    page.caller.setCurrentIndex(page.caller.findData("Loopback"))
    with qtbot.waitSignal(page.saved) as sig:
        page.save_button.click()
    assert sig.args == ["USB headset", "Loopback"]
    assert page.message.text() == "Saved. Used from the next call."
    remembered = load_settings(None, user_overlay=user).audio
    assert (remembered.admin_device, remembered.caller_device) == ("USB headset", "Loopback")
    again = AudioDevicePage(remembered, devices, user)
    qtbot.addWidget(again)
    assert again.admin.currentText().startswith("USB headset") and again.caller.currentText().startswith("Loopback")


@pytest.fixture
def recording_store(sqlite_url, tmp_path, real_keyring):
    from app.recording.store import RecordingStore
    from app.security.keys import KeyManager
    from db.session import make_engine, session_factory

    e = make_engine(sqlite_url)
    yield RecordingStore(session_factory(e), tmp_path / "rec", KeyManager(real_keyring + "ui"))
    e.dispose()


@pytest.mark.qt_log_ignore("PulseAudioService")  # no sound server here; playback still runs
def test_decrypted_recording_plays_from_memory(qtbot, recording_store):
    from PySide6.QtMultimedia import QMediaPlayer

    t = np.arange(8000 * 3) / 8000
    x = np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.2 * np.sin(2 * np.pi * 700 * t)], 1).astype(np.float32)
    w = recording_store.start(None, 8000)
    w.write(x)
    rid = w.close()
    player = RecordingPlayer()
    qtbot.addWidget(player)
    assert not player.play_button.isEnabled()
    with qtbot.waitSignal(player.ready, timeout=10000) as sig:
        player.load(recording_store.open_decrypted(rid))
    assert 2900 <= sig.args[0] <= 3100
    qtbot.waitUntil(lambda: player.player.mediaStatus() in (QMediaPlayer.MediaStatus.LoadedMedia,
                                                            QMediaPlayer.MediaStatus.BufferedMedia))
    assert player.play_button.isEnabled() and player.time.text() == "0:00 / 0:03"
    player.play_button.click()
    qtbot.waitUntil(lambda: player.player.mediaStatus() == QMediaPlayer.MediaStatus.BufferedMedia, timeout=10000)
    assert player.play_button.text() == "Pause"
    player.player.stop()


def test_russian_texts(qtbot, russian):
    ind = RecordingIndicator()
    qtbot.addWidget(ind)
    ind.show_state(RecordingState(1, True, Reason.CONSENT, 5))
    assert ind.text() == "● ЗАПИСЬ"
    ind.show_state(RecordingState(2, False, Reason.NO_CONSENT))
    assert ind.text() == "не записывается: нет согласия"
    meter = LevelMeter()
    qtbot.addWidget(meter)
    assert [lb.text() for lb in meter.labels] == ["Администратор", "Звонящий"]
