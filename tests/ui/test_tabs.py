"""ui.tabs.TabWidget: a label changing inside a page repaints the label, not the whole tab widget
(QTabWidget repaints all of itself on every layout request from a page); what the tab widget lays
out itself still follows its tabs, corner widget, size and minimum size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.tabs import TabWidget


class _Painted(QObject):
    """Paint events the watched widget gets: the painted area in pixels."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.areas: list[int] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
        if ev.type() == QEvent.Type.Paint:
            r = ev.rect()
            self.areas.append(r.width() * r.height())
        return False


def _tabs_with_a_label(qtbot, cls):
    tabs = cls()
    page = QWidget()
    lay = QVBoxLayout(page)
    label = QLabel("Анализ: загрузка…")
    lay.addWidget(label)
    lay.addWidget(QWidget(), 1)  # the rest of the page
    tabs.addTab(page, "Звонки")
    tabs.addTab(QWidget(), "Отчёты")
    qtbot.addWidget(tabs)
    tabs.resize(900, 600)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.wait(50)
    return tabs, label


def _grow(qtbot, label: QLabel, n: int) -> None:
    """The label's text (and so its size hint, and the page's) changes, as a call's analysis does."""
    label.setText("Чек-лист 5 из 7 · администратор говорит 41% · " + "монолог " * n)
    qtbot.wait(60)  # the layout requests and the repaint they cause


@pytest.mark.parametrize("cls, whole", [(QTabWidget, True), (TabWidget, False)])
def test_a_label_changing_in_a_page_repaints_the_whole_tab_widget_only_with_qtabwidget(qtbot, cls, whole):
    tabs, label = _tabs_with_a_label(qtbot, cls)
    painted = _Painted(tabs)
    for n in range(1, 4):
        _grow(qtbot, label, n)
    full = tabs.width() * tabs.height()
    assert label.isVisible() and label.width() > 0
    if whole:  # Qt's behaviour this widget exists for: if it changes, TabWidget may go
        assert painted.areas and max(painted.areas) >= 0.9 * full
    else:
        assert max(painted.areas, default=0) < 0.1 * full


@pytest.mark.parametrize("cls", [QTabWidget, TabWidget])
def test_what_the_tab_widget_lays_out_itself_still_follows(qtbot, cls):
    tabs, label = _tabs_with_a_label(qtbot, cls)
    bar = tabs.tabBar()
    w0 = bar.width()
    tabs.setTabText(1, "Отчёты по администраторам за месяц")  # a longer tab: the bar grows
    qtbot.waitUntil(lambda: bar.width() > w0 + 50)
    qtbot.wait(50)
    tabs.addTab(QWidget(), "Настройки")
    qtbot.waitUntil(lambda: bar.count() == 3 and bar.width() >= bar.sizeHint().width() - 1)
    corner = QPushButton("Выйти")
    tabs.setCornerWidget(corner)
    corner.show()
    qtbot.waitUntil(lambda: corner.isVisible() and corner.width() > 0)
    qtbot.wait(50)  # settled: each change below comes on its own, as in the window
    corner.setText("Выйти из учётной записи супервизора")  # the corner widget grows
    qtbot.waitUntil(lambda: corner.width() >= corner.sizeHint().width())
    page = tabs.widget(0)
    tabs.resize(700, 500)  # the page follows the tab widget's size
    qtbot.waitUntil(lambda: page.width() > 650 and page.height() < 500)
    # a page that no longer fits: the window's layout hears of it and makes room
    host = QWidget()
    qtbot.addWidget(host)
    QVBoxLayout(host).addWidget(tabs)
    host.resize(720, 520)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(lambda: tabs.width() < 760)
    qtbot.wait(50)
    label.setMinimumSize(QSize(900, 10))
    qtbot.waitUntil(lambda: host.minimumSizeHint().width() >= 900 and host.minimumWidth() >= 900)
    qtbot.waitUntil(lambda: host.width() >= 900 and tabs.width() >= 900 and label.width() >= 900)
