"""Media players whose QMediaPlayer and QAudioOutput are made by Qt, not by Python.

A QMediaPlayer or QAudioOutput constructed from Python is a shiboken wrapper: every virtual
call on it (``disconnectNotify`` when a connection goes, among others) first takes the GIL to
look for a Python override. Qt's FFmpeg backend tears its audio renderer down on the renderer's
own thread, and that teardown disconnects from the player and the audio output while holding a
Qt connection lock. If the window's thread is then inside a player call (``stop()`` when the
next case loads) it holds the GIL and waits for that lock, and the renderer waits for the GIL:
the window freezes for good. It happened in meeting mode (gdb: the main thread in
``QObject::disconnect`` under ``QMediaPlayer.stop``, "QFFmpeg::AudioRenderer" in ``~QObject`` ->
``Sbk_GetPyOverride`` -> ``PyGILState_Ensure``).

Objects made by Qt have no Python override hooks, so Qt's threads never need the GIL for them.
They are made here by a two-line QML component (QtMultimedia's ``MediaPlayer`` is a
QMediaPlayer, ``AudioOutput`` a QAudioOutput): the engine and component once per process
(~13 ms), then ~0.3 ms per player. Where QtQml or the QML multimedia module is missing (the
PyInstaller bundle leaves QtQml out) the objects are made from Python as before, and that is
logged once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger("carecall.ui.media")

_QML = b"import QtMultimedia\nMediaPlayer { audioOutput: AudioOutput {} }\n"
_component = None  # (engine, component), or False when QML cannot make them here


def _qml_component():
    global _component
    if _component is None:
        try:
            from PySide6.QtQml import QQmlComponent, QQmlEngine

            engine = QQmlEngine(QCoreApplication.instance())
            comp = QQmlComponent(engine)
            comp.setData(_QML, QUrl("carecall-media.qml"))
            if comp.isError():
                raise RuntimeError("; ".join(e.toString() for e in comp.errors()))
            _component = (engine, comp)
        except Exception as e:  # noqa: BLE001 - ImportError, a missing QML module
            log.info("media players made from Python (Qt's QML multimedia module is not usable: %s)", e)
            _component = False
    return _component or None


def prepare_players() -> bool:
    """Make the QML engine and component now (the window calls this once it shows, before the
    start-up objects are frozen) rather than inside the first player's page: loading the QML
    multimedia module took 13 ms unloaded but 100-190 ms of the UI thread waiting on a loaded
    machine, in the first review sign-in (scripts/bench_ui_stall.py). True when players will be
    made by Qt."""
    return _qml_component() is not None


def make_player(parent: QObject) -> tuple[QMediaPlayer, QAudioOutput]:
    """A player with its audio output, both owned by *parent* (see the module docstring)."""
    made = _qml_component()
    if made is not None:
        player = made[1].create()
        if isinstance(player, QMediaPlayer) and isinstance(player.audioOutput(), QAudioOutput):
            player.setParent(parent)
            return player, player.audioOutput()
        log.warning("the QML media player could not be made; using one made from Python")
    player = QMediaPlayer(parent)
    audio = QAudioOutput(parent)
    player.setAudioOutput(audio)
    return player, audio
