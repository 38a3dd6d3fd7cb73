"""Reports: per administrator and week, with a chart of conversion and a CSV export."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.review.access import Principal
from app.review.reports import WeekRow, write_csv
from app.review.services import ReviewServices


class ReportsPage(QWidget):
    shown = Signal(int)

    def __init__(self, services: ReviewServices, principal: Principal, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.rs = services
        self.principal = principal
        self.runner = runner
        self.rows: list[WeekRow] = []
        self.date_from = QDateEdit(QDate.currentDate().addDays(-56))
        self.date_to = QDateEdit(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd.MM.yyyy")
        self.show_btn = QPushButton(self.tr("Show"))
        self.csv_btn = QPushButton(self.tr("Export CSV…"))
        self.table = QTableWidget(0, 9)
        self.table.setHorizontalHeaderLabels([
            self.tr("Week"), self.tr("Administrator"), self.tr("Calls"), self.tr("Answered"),
            self.tr("Booked first visits"), self.tr("Booked returns"), self.tr("Unique callers"),
            self.tr("Conversion %"), self.tr("Average score")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.chart = QChart()
        self.chart.setTitle(self.tr("Conversion % per administrator and week"))
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("From")))
        top.addWidget(self.date_from)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.date_to)
        top.addWidget(self.show_btn)
        top.addStretch(1)
        top.addWidget(self.csv_btn)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart_view)
        split.setSizes([300, 450])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        self.show_btn.clicked.connect(self.refresh)
        self.csv_btn.clicked.connect(self._on_csv)

    def refresh(self) -> None:
        a = datetime.combine(self.date_from.date().toPython(), time(0), tzinfo=timezone.utc)
        b = datetime.combine(self.date_to.date().toPython(), time(0), tzinfo=timezone.utc) + timedelta(days=1)
        self.runner.run(lambda: self.rs.reports.weekly(self.principal, a, b), self._show,
                        lambda e: self.status.setText(str(e)), receiver=self)

    def _show(self, rows: list[WeekRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            vals = [r.week.strftime("%d.%m.%Y"), r.administrator, r.calls, r.answered, r.booked_first,
                    r.booked_return, r.unique_callers, f"{r.conversion_pct:.1f}",
                    "" if r.average_score is None else f"{r.average_score:.0f}"]
            for j, v in enumerate(vals):
                it = QTableWidgetItem(str(v))
                if isinstance(v, int):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, it)
        self.table.resizeColumnsToContents()
        self._chart(rows)
        self.shown.emit(len(rows))

    def _chart(self, rows: list[WeekRow]) -> None:
        self.chart.removeAllSeries()
        for ax in self.chart.axes():
            self.chart.removeAxis(ax)
        weeks = sorted({r.week for r in rows})
        admins = sorted({r.administrator for r in rows})
        series = QBarSeries()
        for name in admins:
            s = QBarSet(name)
            by_week = {r.week: r.conversion_pct for r in rows if r.administrator == name}
            for w in weeks:
                s.append(by_week.get(w, 0.0))
            series.append(s)
        self.chart.addSeries(series)
        ax = QBarCategoryAxis()
        ax.append([w.strftime("%d.%m") for w in weeks])
        ay = QValueAxis()
        ay.setRange(0, 100)
        ay.setLabelFormat("%d%%")
        self.chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ax)
        series.attachAxis(ay)

    def export_csv(self, path: Path | str) -> Path:
        p = write_csv(self.rows, path)
        self.status.setText(self.tr("Saved %1").replace("%1", str(p)))
        return p

    def _on_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), "carecall-report.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)
