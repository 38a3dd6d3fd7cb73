"""The call player: waveform, transcript beside it (current segment highlighted, click to
seek), speed 0.75x-2x, skip silence, speaker colours; can play a range and pause at its end."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.recording.formats import audio_suffix
from ui.media import make_player
from app.review.adherence import silent_gaps
from app.review.segments import ADMINISTRATOR, Segment
from app.review.waveform import Waveform, waveform_of

SPEAKER_COLOURS = {0: QColor("#1b4f9c"), 1: QColor("#b5541c")}  # administrator blue, caller orange
SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
DECODE = object()  # PlayerWidget.load: no waveform given, decode the audio


def _spoken_at(sg: Segment, pos: float) -> bool:
    """*pos* (seconds) falls in the phrase (a phrase without length counts for 10 ms)."""
    return sg.start <= pos < max(sg.end, sg.start + 0.01)


def fmt_time(t: float) -> str:
    t = max(0, int(t))
    return f"{t // 60}:{t % 60:02d}"


def _peaks_image(peaks: np.ndarray, width: int, height: int, ratio: float) -> QImage:
    """Each channel's peaks in its band (channel 0 on top), one bar per device pixel column,
    made with numpy (a call's waveform in about a millisecond: drawn as 1,600 lines from
    Python it took 3 ms of the UI thread each time a call was selected). Transparent elsewhere."""
    chans, n = peaks.shape
    img = np.zeros((height, width), np.uint32)
    if n and chans:
        bucket = np.minimum((np.arange(width) * n) // width, n - 1)
        band = height / chans
        for c in range(chans):
            top, bottom = round(band * c), round(band * (c + 1))
            mid = band * c + band / 2
            amp = peaks[c, bucket] * max(0.0, band / 2 - 2 * ratio)  # (width,) half-heights in pixels
            y = np.arange(top, bottom, dtype=np.float32)[:, None] + 0.5
            on = np.abs(y - mid) <= np.maximum(amp, 0.5)[None, :]
            img[top:bottom][on] = SPEAKER_COLOURS.get(c, QColor("#555")).rgba()
    out = QImage(img.data, width, height, 4 * width, QImage.Format.Format_ARGB32).copy()  # owns its pixels
    out.setDevicePixelRatio(ratio)
    return out


class WaveformView(QWidget):
    """Both channels (administrator above, caller below), the play position, marked ranges.

    The waveform, ranges and comment marks are drawn once into a pixmap (again only when they or
    the size change); a repaint for the moving play position (every 40 ms while playing) only
    copies it and draws one line."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(70)
        self._wf: Waveform | None = None
        self._pos = 0.0
        self._ranges: list[tuple[float, float]] = []
        self._comments: list[float] = []
        self._static: QPixmap | None = None  # everything but the play position
        self.setToolTip(self.tr("Click to jump to that moment"))

    def set_waveform(self, wf: Waveform | None) -> None:
        self._wf = wf
        self._invalidate()

    def set_position(self, sec: float) -> None:
        """Move the play-position line: only the strips under the old and the new line are
        repainted (25 times a second while playing), not the whole waveform."""
        if sec == self._pos:
            return
        old, self._pos = self._line_x(), sec
        new = self._line_x()
        if old is None or new is None:
            self.update()
            return
        h = self.height()
        self.update(QRect(int(old) - 2, 0, 5, h))
        self.update(QRect(int(new) - 2, 0, 5, h))

    def _line_x(self) -> float | None:
        d = self.duration
        return self._pos / d * self.width() if self._wf is not None and d > 0 else None

    def set_ranges(self, ranges: Sequence[tuple[float, float]]) -> None:
        self._ranges = list(ranges)
        self._invalidate()

    def set_comments(self, times: Sequence[float]) -> None:
        self._comments = list(times)
        self._invalidate()

    def _invalidate(self) -> None:
        self._static = None
        self.update()

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt name
        self._static = None
        super().resizeEvent(e)

    @property
    def duration(self) -> float:
        return self._wf.duration if self._wf else 0.0

    def _draw_static(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pm = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
        pm.setDevicePixelRatio(ratio)
        pm.fill(QColor("#fafafa"))
        p = QPainter(pm)
        try:
            w, h, d = self.width(), self.height(), self.duration
            if self._wf is None or d <= 0:
                p.setPen(QColor("#888"))
                p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, self.tr("No audio"))
                return pm
            for a, b in self._ranges:
                p.fillRect(QRectF(a / d * w, 0, max(2.0, (b - a) / d * w), h), QColor(200, 235, 200))
            p.drawImage(0, 0, _peaks_image(self._wf.peaks, pm.width(), pm.height(), ratio))
            p.setPen(QPen(QColor("#7a1fa2"), 1))
            for t in self._comments:
                x = t / d * w
                p.drawLine(QPointF(x, 0), QPointF(x, 6))
            return pm
        finally:
            p.end()

    def paintEvent(self, _e) -> None:  # noqa: N802 - Qt name
        if self._static is None or self._static.deviceIndependentSize().toSize() != self.size():
            self._static = self._draw_static()
        p = QPainter(self)
        try:
            p.drawPixmap(0, 0, self._static)
            x = self._line_x()
            if x is not None:
                p.setPen(QPen(QColor("#d00"), 2))
                p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        finally:
            p.end()

    def mousePressEvent(self, e) -> None:  # noqa: N802
        if self.duration > 0 and self.width() > 0:
            self.seek_requested.emit(max(0.0, min(self.duration, e.position().x() / self.width() * self.duration)))


class PlayerWidget(QWidget):
    """Plays a call from memory. A call is shown with its audio (:meth:`load`) or, cheaper, with
    its waveform and transcript only (:meth:`load_deferred`): then the first Play emits
    ``audio_wanted``, the owner opens the audio on a worker thread and hands it over with
    :meth:`set_audio` (or calls :meth:`audio_failed`). Seeks and a Play asked for before the
    audio is there are kept and carried out once it has loaded."""

    position_changed = Signal(float)
    range_finished = Signal(float)  # paused at the end of a range (seconds)
    loaded = Signal(float)  # duration
    audio_wanted = Signal()  # load_deferred: Play was pressed; answer with set_audio or audio_failed

    def __init__(self, parent: QWidget | None = None, large: bool = False):
        super().__init__(parent)
        self.player, self.audio = make_player(self)  # made by Qt: see ui/media.py
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()
        self._segments: list[Segment] = []
        self._gaps: list[tuple[float, float]] = []
        self._stop_at: float | None = None
        self._current = -1
        self._duration = 0.0
        self._deferred = False  # load_deferred: the audio is opened on the first Play
        self._asked = False  # audio_wanted emitted, set_audio / audio_failed not yet called
        self._loading = False  # a source is set, QMediaPlayer has not loaded it yet
        self._want_pos: float | None = None  # a seek made before the audio had loaded
        self._want_play = False  # a Play pressed before the audio had loaded

        # built top-down: each widget is made inside its final parent. Built bottom-up, every
        # addWidget re-parented a whole subtree, and under the clinic style sheet each re-parent
        # walks the subtree again (fonts, palettes, style) - the same result, several times slower.
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal if not large else Qt.Orientation.Vertical, self)
        lay.addWidget(split)
        left = QWidget(split)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.wave = WaveformView(left)
        lv.addWidget(self.wave, 1)
        bar = QHBoxLayout()
        lv.addLayout(bar)
        self.play_btn = QPushButton(self.tr("Play"), left)
        self.play_btn.setShortcut("Ctrl+Space")
        self.time_label = QLabel("0:00 / 0:00", left)
        bar.addWidget(self.play_btn)
        bar.addWidget(self.time_label)
        bar.addStretch(1)
        legend = QLabel(self.tr("<span style='color:#1b4f9c'>■ Administrator</span>  "
                                "<span style='color:#b5541c'>■ Caller</span>"), left)
        bar.addWidget(legend)
        bar.addWidget(QLabel(self.tr("Speed"), left))
        self.speed = QComboBox(left)
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip(self.tr("Playback speed"))
        self.skip_silence = QCheckBox(self.tr("Skip silence"), left)
        bar.addWidget(self.speed)
        bar.addWidget(self.skip_silence)
        self.transcript = QListWidget(split)
        self.transcript.setWordWrap(True)
        self.transcript.setObjectName("reviewTranscript")
        if large:  # meeting mode: read from across the room
            self.wave.setMinimumHeight(120)
            f = QFont(self.transcript.font())
            f.setPointSize(20)
            self.transcript.setFont(f)
            # the clinic style sheet sets every widget's size; its #meetingTranscript rule wins there
            self.transcript.setObjectName("meetingTranscript")
        split.addWidget(left)
        split.addWidget(self.transcript)
        split.setStretchFactor(1, 1)

        self._poll = QTimer(self)
        self._poll.setInterval(40)
        self._poll.timeout.connect(self._on_tick)
        self.player.positionChanged.connect(lambda _ms: self._on_tick())
        self.player.durationChanged.connect(self._on_duration)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.mediaStatusChanged.connect(self._on_media_status)
        self.play_btn.clicked.connect(self.toggle)
        self.speed.currentIndexChanged.connect(lambda _i: self.player.setPlaybackRate(self.speed.currentData()))
        self.wave.seek_requested.connect(self.seek)
        self.transcript.itemClicked.connect(self._on_segment_clicked)

    # -- loading -------------------------------------------------------------------------
    def load(self, data: bytes, segments: Sequence[Segment], duration: float | None = None,
             waveform: Waveform | None | object = DECODE) -> None:
        """Show *segments* and make *data* playable. ``waveform``: what
        :func:`app.review.waveform.waveform_of` made of *data* on a worker thread (pass it:
        decoding a call here would hold up the window); left out, *data* is decoded here."""
        self.stop()
        self._deferred = self._asked = False
        self._want_pos = None
        self._segments = sorted(segments, key=lambda s: s.start)
        wf = waveform_of(data) if waveform is DECODE else waveform
        self.wave.set_waveform(wf)
        self._duration = duration or (wf.duration if wf else 0.0)
        self._gaps = silent_gaps(self._segments, self._duration, 1.5) if self._segments else []
        self.transcript.clear()
        for sg in self._segments:
            who = self.tr("Administrator") if sg.speaker == ADMINISTRATOR else self.tr("Caller")
            it = QListWidgetItem(f"{fmt_time(sg.start)}  {who}: {sg.text}")
            it.setForeground(QBrush(SPEAKER_COLOURS.get(sg.speaker, QColor("#333"))))
            it.setData(Qt.ItemDataRole.UserRole, sg.start)
            self.transcript.addItem(it)
        self._current = -1
        self._set_source(data)
        self._update_time(0.0)
        self.loaded.emit(self._duration)

    def load_deferred(self, segments: Sequence[Segment], waveform: Waveform | None,
                      duration: float | None = None) -> None:
        """Show a call's *segments* and *waveform* (its stored envelope) without its audio: the
        audio is asked for (``audio_wanted``) when Play is first pressed."""
        self.load(b"", segments, duration, waveform)
        self._deferred = waveform is not None or bool(self._segments)

    @property
    def awaiting_audio(self) -> bool:
        """Shown with load_deferred and the audio not handed over yet."""
        return self._deferred

    def set_audio(self, data: bytes) -> None:
        """The audio of the call shown with :meth:`load_deferred`; a Play or seek asked for
        meanwhile is carried out once QMediaPlayer has loaded it."""
        if not self._deferred:
            return
        self._deferred = self._asked = False
        self._set_source(data)
        if not data:
            self._want_play = False
        self._on_state(self.player.playbackState())

    def audio_failed(self) -> None:
        """The audio asked for could not be opened: Play may be pressed again."""
        self._asked = self._want_play = False
        self._on_state(self.player.playbackState())

    def _set_source(self, data: bytes) -> None:
        if data:
            self._bytes = QByteArray(data)
            self._buffer = QBuffer(self)
            self._buffer.setData(self._bytes)
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self._loading = True
            self.player.setSourceDevice(self._buffer, QUrl("recording" + audio_suffix(data)))
        else:
            self._loading = False
            self.player.setSource(QUrl())
        self.player.setPlaybackRate(self.speed.currentData())

    def clear(self) -> None:
        self.stop()
        self._deferred = self._asked = False
        self._want_pos = None
        self._set_source(b"")
        self.transcript.clear()
        self._segments = []
        self.wave.set_waveform(None)

    # -- control -------------------------------------------------------------------------
    @property
    def position(self) -> float:
        if self._want_pos is not None:  # a seek waiting for the audio
            return self._want_pos
        return self.player.position() / 1000.0

    @property
    def playing(self) -> bool:
        """Playing, or a Play pressed that starts once the audio is there."""
        return self._want_play or self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    @property
    def segments(self) -> list[Segment]:
        return list(self._segments)

    def play(self) -> None:
        if self._deferred or self._loading:
            self._want_play = True
            if self._deferred and not self._asked:
                self._asked = True
                self.audio_wanted.emit()
            self._on_state(self.player.playbackState())
            return
        self.player.play()
        self._poll.start()

    def pause(self) -> None:
        self._want_play = False
        self.player.pause()
        self._on_state(self.player.playbackState())

    def stop(self) -> None:
        self._stop_at = None
        self._want_play = False
        self.player.stop()
        self._poll.stop()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self._stop_at = None if (self._stop_at is not None and self.position >= self._stop_at) else self._stop_at
            self.play()

    def seek(self, sec: float) -> None:
        sec = max(0.0, sec)
        if self._deferred or self._loading:
            self._want_pos = sec
        else:
            self.player.setPosition(int(sec * 1000))
        self._on_tick()

    def set_speed(self, rate: float) -> None:
        best = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - rate))
        self.speed.setCurrentIndex(best)

    def play_range(self, start: float, stop: float) -> None:
        """Play from *start* and pause at *stop* (emits range_finished)."""
        self._stop_at = stop
        self.seek(start)
        self.play()

    def set_ranges(self, ranges: Sequence[tuple[float, float]]) -> None:
        self.wave.set_ranges(ranges)

    # -- slots ---------------------------------------------------------------------------
    def _on_duration(self, ms: int) -> None:
        if ms > 0:
            self._duration = ms / 1000.0
            self._update_time(self.position)

    def _on_state(self, state) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if self._want_play and not playing:
            self.play_btn.setText(self.tr("Opening…"))
        else:
            self.play_btn.setText(self.tr("Pause") if playing else self.tr("Play"))
        if not playing:
            self._poll.stop()

    def _on_media_status(self, status) -> None:
        """The audio has loaded: the seek and Play asked for meanwhile happen now."""
        if not self._loading:
            return
        if status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._loading = self._want_play = False
            self._want_pos = None
            self._on_state(self.player.playbackState())
        elif status in (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia):
            self._loading = False
            pos, self._want_pos = self._want_pos, None
            if pos is not None:
                self.player.setPosition(int(pos * 1000))
            if self._want_play:
                self._want_play = False
                self.player.play()
                self._poll.start()

    def _on_tick(self) -> None:
        pos = self.position
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        if playing and self._stop_at is not None and pos >= self._stop_at:
            stop = self._stop_at
            self._stop_at = None
            self.player.pause()
            self.range_finished.emit(stop)
        elif playing and self.skip_silence.isChecked():
            for a, b in self._gaps:
                if a + 0.3 <= pos < b - 0.3:
                    self.player.setPosition(int((b - 0.3) * 1000))
                    break
        self.wave.set_position(pos)
        self._update_time(pos)
        self._highlight(pos)
        self.position_changed.emit(pos)

    def _update_time(self, pos: float) -> None:
        text = f"{fmt_time(pos)} / {fmt_time(self._duration)}"
        if text != self.time_label.text():  # a new second: not on every tick
            self.time_label.setText(text)

    def current_segment(self) -> int:
        return self._current

    def _highlight(self, pos: float) -> None:
        segs, i = self._segments, self._current
        if 0 <= i < len(segs) and _spoken_at(segs[i], pos) and (i + 1 == len(segs) or segs[i + 1].start > pos):
            return  # still in the highlighted phrase, no later one begun (the common case on a tick)
        idx = -1
        for i, sg in enumerate(segs):
            if _spoken_at(sg, pos):
                idx = i
            elif sg.start > pos:
                break
        if idx == self._current:
            return
        if 0 <= self._current < self.transcript.count():
            old = self.transcript.item(self._current)
            old.setBackground(QBrush())
            f = old.font()
            f.setBold(False)
            old.setFont(f)
        self._current = idx
        if idx >= 0:
            it = self.transcript.item(idx)
            it.setBackground(QBrush(QColor("#fff2a8")))
            f = it.font()
            f.setBold(True)
            it.setFont(f)
            self.transcript.scrollToItem(it)

    def _on_segment_clicked(self, item: QListWidgetItem) -> None:
        self.seek(float(item.data(Qt.ItemDataRole.UserRole)))
