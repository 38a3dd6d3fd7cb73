"""``WINDOW_MODULES`` entry for telephony: the call bar, the missed-calls page, and the source
chosen in ``settings.telephony`` (softphone / AMI / webhook), stopped when the program quits."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def install(window, ctx, runner):
    from ui.telephony import install_telephony

    tui = install_telephony(window, ctx, runner)
    if tui is not None:
        app = QCoreApplication.instance()
        if app is not None:
            # stops baresip by its pid with a time bound, lets the last audio hand-over finish
            app.aboutToQuit.connect(tui.stop)
    return tui
