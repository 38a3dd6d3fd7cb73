"""Plays a decrypted recording from memory (the plaintext never touches the disk)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl, Signal
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.recording.formats import audio_suffix
from ui.media import make_player


def _mmss(ms: int) -> str:
    s = max(0, ms) // 1000
    return f"{s // 60}:{s % 60:02d}"


class RecordingPlayer(QWidget):
    ready = Signal(int)  # duration in ms, once known

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player, self.audio = make_player(self)  # made by Qt: see ui/media.py
        self._buffer: QBuffer | None = None
        lay = QHBoxLayout(self)
        self.play_button = QPushButton(self.tr("Play"), self)
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self._on_play)
        self.time = QLabel("0:00 / 0:00", self)
        lay.addWidget(self.play_button)
        lay.addWidget(self.time)
        self.player.durationChanged.connect(self._on_duration)
        self.player.positionChanged.connect(self._on_position)

    def load(self, data: bytes) -> None:
        """``data``: :meth:`RecordingStore.open_decrypted` output (FLAC, or Ogg for old recordings)."""
        self.player.stop()
        buf = QBuffer(self)
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.player.setSourceDevice(buf, QUrl("recording" + audio_suffix(data)))
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buf

    def _on_duration(self, ms: int) -> None:
        self.play_button.setEnabled(ms > 0)
        self._on_position(self.player.position())
        if ms > 0:
            self.ready.emit(ms)

    def _on_position(self, ms: int) -> None:
        self.time.setText(f"{_mmss(ms)} / {_mmss(self.player.duration())}")

    def _on_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
            self.play_button.setText(self.tr("Play"))
        else:
            self.player.play()
            self.play_button.setText(self.tr("Pause"))
