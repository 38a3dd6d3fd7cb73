"""Puts the recording indicator and level meter into the status bar and the audio device page
into the main window; salvages recordings a crash left behind (in the background).

Called once from the composition root (``ui.main.WINDOW_MODULES``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Signal

log = logging.getLogger("carecall.ui.recording")


class RecordingBridge(QObject):
    """Controller callbacks arrive on the telephony thread; this re-emits them on the UI thread."""

    state_changed = Signal(object)  # app.recording.calls.RecordingState


def install(window, ctx, runner) -> dict:
    from app.recording.capture import list_input_devices
    from ui.recording.device_page import AudioDevicePage
    from ui.recording.indicator import RecordingIndicator
    from ui.recording.level_meter import LevelFeed, LevelMeter

    controller = ctx.call_recording
    indicator = RecordingIndicator(window)
    meter = LevelMeter(window)
    meter.setObjectName("recording_levels")
    meter.setMaximumWidth(220)
    meter.hide()
    window.add_status_widget(meter)
    window.add_status_widget(indicator)
    feed = LevelFeed(controller.recorder.levels, meter, parent=window)
    bridge = RecordingBridge(window)
    controller.subscribe(bridge.state_changed.emit)

    def on_state(state) -> None:
        indicator.show_state(state)
        if state.recording:
            meter.show()
            feed.start()
        else:
            feed.stop()
            meter.hide()

    bridge.state_changed.connect(on_state)
    page = AudioDevicePage(ctx.settings.audio, list_input_devices(), parent=window)

    def on_saved(admin: str, caller: str) -> None:
        controller.recorder.admin_device = admin or None
        controller.recorder.caller_device = caller or None

    page.saved.connect(on_saved)
    window.add_page(page, QCoreApplication.translate("RecordingWiring", "Audio devices"))
    runner.run(lambda: ctx.recordings.recover_interrupted(),
               lambda ids: ids and log.warning("recordings salvaged after a crash: %s", ids),
               lambda exc: log.error("could not check for interrupted recordings: %s", exc))
    return {"indicator": indicator, "meter": meter, "feed": feed, "devices": page, "bridge": bridge}
