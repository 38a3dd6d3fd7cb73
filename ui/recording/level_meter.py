"""A two-channel level meter (administrator / caller) fed by the Recorder."""

from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

FLOOR_DB = -60.0


def level_percent(value: float) -> int:
    """0..1 of full scale -> 0..100 on a -60..0 dBFS scale (what ears judge as loudness)."""
    if value <= 0:
        return 0
    db = 20 * math.log10(min(value, 1.0))
    return int(round(max(0.0, (db - FLOOR_DB) / -FLOOR_DB) * 100))


class LevelMeter(QWidget):
    """Two bars: the RMS level as the bar, the peak in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.bars: list[QProgressBar] = []
        self.labels: list[QLabel] = []
        for row, (name, text) in enumerate((("admin", self.tr("Administrator")), ("caller", self.tr("Caller")))):
            label = QLabel(text, self)
            bar = QProgressBar(self)
            bar.setObjectName(f"level_{name}")
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setMaximumHeight(10)
            label.setBuddy(bar)
            grid.addWidget(label, row, 0)
            grid.addWidget(bar, row, 1)
            self.labels.append(label)
            self.bars.append(bar)
        self.set_levels(None)

    def set_levels(self, levels) -> None:
        """``levels``: ((rms, peak), (rms, peak)) or ChannelLevel pairs; None = silent/idle."""
        for i, bar in enumerate(self.bars):
            rms = peak = 0.0
            if levels is not None:
                lv = levels[i]
                rms, peak = (lv.rms, lv.peak) if hasattr(lv, "rms") else lv
            bar.setValue(level_percent(rms))
            bar.setToolTip(self.tr("peak %1 %").replace("%1", str(level_percent(peak))))


class LevelFeed(QObject):
    """Polls ``levels()`` (thread-safe, e.g. Recorder.levels) on the UI thread every interval."""

    updated = Signal(object)

    def __init__(self, levels: Callable[[], object], meter: LevelMeter | None = None, interval_ms: int = 50,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._levels = levels
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)
        if meter is not None:
            self.updated.connect(meter.set_levels)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.updated.emit(None)

    def _on_tick(self) -> None:
        self.updated.emit(self._levels())
