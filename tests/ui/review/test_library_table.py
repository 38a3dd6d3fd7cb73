"""The call library's table (a model and a view, ui.review.library.CallTable): the rows, texts,
columns, sorting, transcript snippets and selection a supervisor sees. Real services, SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from app.domain import Role
from app.review.library import CallRow
from app.review.segments import MemoryTranscripts, Segment
from app.review.services import ReviewServices
from db.session import make_engine, session_factory
from tests.app.review.helpers import call, user
from ui.review import labels
from ui.review.library import COLUMNS, CallLibraryPage
from ui.tasks import SyncRunner

pytestmark = pytest.mark.qt_log_ignore("PulseAudioService", extend=True)

NOW = datetime.now(timezone.utc).replace(hour=4, minute=0, second=0, microsecond=0)
HEADERS = ["Date", "Administrator", "Patient", "Number", "Direction", "Situation", "Outcome", "Length", "Score",
           "Tags", "Found in transcript"]


@pytest.fixture
def env(sqlite_url):
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        bob = user(s, "bob", Role.ADMINISTRATOR, "Борис Бобров")
        sup = user(s, "sup", Role.SUPERVISOR, "Светлана Супервайзер")
        c1 = call(s, ana, NOW - timedelta(hours=3), disposition="booked", seconds=95)
        c2 = call(s, bob, NOW - timedelta(hours=2), disposition="declined", direction="outbound", seconds=30,
                  number="+79160000002")
        c3 = call(s, ana, NOW - timedelta(hours=1), disposition="booked", seconds=600, number="+79160000003")
        s.commit()
        ids = (c1.id, c2.id, c3.id)
    tx = MemoryTranscripts({ids[1]: [Segment(1, 0.0, 2.0, "Сколько стоит пломба?")]})
    rs = ReviewServices(sessions, transcripts=tx)
    rs.ensure_defaults()
    yield rs, ids, sup
    engine.dispose()


def _page(qtbot, rs, sup) -> CallLibraryPage:
    page = CallLibraryPage(rs, sup, SyncRunner())
    qtbot.addWidget(page)
    page.resize(1366, 820)
    page.show()
    qtbot.waitExposed(page)
    return page


def _column(page, key: str) -> list[str]:
    return [page.table.text(r, COLUMNS.index(key)) for r in range(page.table.rowCount())]


def _click_row(qtbot, page, row: int) -> None:
    rect = page.table.visualRect(page.table.model().index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_calls_are_shown_newest_first_with_their_texts_and_headers(qtbot, env):
    rs, ids, sup = env
    page = _page(qtbot, rs, sup)
    with qtbot.waitSignal(page.rows_shown) as sig:
        page.refresh()
    assert sig.args == [3]
    model = page.table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == HEADERS
    assert page.table.rowCount() == model.rowCount() == 3
    assert _column(page, "administrator") == ["Анна Админова", "Борис Бобров", "Анна Админова"]
    assert _column(page, "disposition") == ["booked", "declined", "booked"]
    assert _column(page, "direction") == [labels.direction("inbound"), labels.direction("outbound"), labels.direction("inbound")]
    assert _column(page, "duration") == ["10:00", "0:30", "1:35"]
    assert _column(page, "date")[0] == (NOW - timedelta(hours=1)).astimezone().strftime("%d.%m.%Y %H:%M")
    assert model.data(model.index(1, COLUMNS.index("administrator"))) == "Борис Бобров"  # what the view paints
    assert [model.data(model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(3)] == list(reversed(ids))
    assert page.status.text() == "3 call(s)"
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_clicking_a_header_sorts_the_calls_and_shows_the_indicator(qtbot, env):
    rs, ids, sup = env
    page = _page(qtbot, rs, sup)
    page.refresh()
    head = page.table.horizontalHeader()
    with qtbot.waitSignal(page.rows_shown):
        head.sectionClicked.emit(COLUMNS.index("duration"))
    assert _column(page, "duration") == ["10:00", "1:35", "0:30"]  # longest first
    assert head.sortIndicatorSection() == COLUMNS.index("duration")
    assert head.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    with qtbot.waitSignal(page.rows_shown):
        head.sectionClicked.emit(COLUMNS.index("duration"))
    assert _column(page, "duration") == ["0:30", "1:35", "10:00"]
    assert head.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_a_transcript_search_shows_the_snippet_in_the_row_and_marked_below_when_selected(qtbot, env):
    rs, ids, sup = env
    page = _page(qtbot, rs, sup)
    page.text_edit.setText("пломба")
    page.refresh()
    assert page.table.rowCount() == 1
    assert page.table.text(0, COLUMNS.index("found")) == "Сколько стоит «пломба»?"
    with qtbot.waitSignal(page.call_selected) as sig:
        _click_row(qtbot, page, 0)
    assert sig.args == [ids[1]]
    assert "<b style='background:#ffe066'>пломба</b>" in page.highlights.text()


def test_selecting_calls_with_more_or_fewer_snippets_leaves_the_table_where_it_is(qtbot, sqlite_url):
    """Snippets (one call: five long ones that wrap, another: one) fill a box of fixed height below
    the table: the table is not resized, so it is not repainted whole on each selection. The box
    shows only while the page is a transcript search, and follows a new search."""
    engine = make_engine(sqlite_url)
    sessions = session_factory(engine)
    with sessions() as s:
        ana = user(s, "ana", Role.ADMINISTRATOR, "Анна Админова")
        sup = user(s, "sup", Role.SUPERVISOR, "Светлана Супервайзер")
        many = call(s, ana, NOW - timedelta(hours=2), seconds=300)
        one = call(s, ana, NOW - timedelta(hours=1), seconds=60, number="+79160000003")
        s.commit()
        many_id, one_id = many.id, one.id
    long = "и ещё раз про пломбу, которую поставили на прошлой неделе, она выпала вчера вечером " * 2
    tx = MemoryTranscripts({
        many_id: [Segment(k % 2, k * 10.0, k * 10.0 + 5, f"пломба {k}: {long}") for k in range(7)],
        one_id: [Segment(1, 0.0, 2.0, "Сколько стоит пломба?")]})
    rs = ReviewServices(sessions, transcripts=tx)
    rs.ensure_defaults()
    page = _page(qtbot, rs, sup)
    page.refresh()
    assert not page.highlights_box.isVisible()  # no transcript search: no box
    page.text_edit.setText("пломба")
    page.refresh()
    assert page.table.rowCount() == 2 and page.highlights_box.isVisible()
    qtbot.wait(50)
    geometry = page.table.geometry()
    for row in (0, 1, 0, 1):
        cid = page.rows[row].call_id
        with qtbot.waitSignal(page.call_selected):
            _click_row(qtbot, page, row)
        qtbot.wait(50)  # the layout requests a text change would send
        shown = page.highlights.text()
        assert shown.count("<b style='background:#ffe066'>") == (5 if cid == many_id else 1)
        assert page.table.geometry() == geometry
    # five snippets of a line each are seen whole, no scrolling needed
    assert page.highlights.heightForWidth(page.highlights_box.viewport().width()) <= page.highlights_box.height()
    page.text_edit.setText("")
    page.refresh()
    assert not page.highlights_box.isVisible() and page.highlights.text() == ""
    engine.dispose()


def test_selecting_rows_with_the_mouse_and_keys_selects_their_calls(qtbot, env):
    rs, ids, sup = env
    page = _page(qtbot, rs, sup)
    page.refresh()
    assert page.selected_call() is None
    with qtbot.waitSignal(page.call_selected) as sig:
        _click_row(qtbot, page, 1)
    assert sig.args == [ids[1]] and page.selected_call() == ids[1]
    assert [ix.row() for ix in page.table.selectionModel().selectedRows()] == [1]  # the whole row
    with qtbot.waitSignal(page.call_selected) as sig:
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert sig.args == [ids[0]]
    page.select_call(ids[2])
    assert page.table.currentRow() == 0 and page.selected_call() == ids[2]


def test_a_refresh_keeps_the_selected_call_selected_without_reading_it_again(qtbot, env):
    rs, ids, sup = env
    page = _page(qtbot, rs, sup)
    page.refresh()
    _click_row(qtbot, page, 1)
    assert page.selected_call() == ids[1]
    picked = []
    page.call_selected.connect(picked.append)
    with qtbot.waitSignal(page.rows_shown):
        page.table.horizontalHeader().sectionClicked.emit(COLUMNS.index("duration"))  # now the last row
    assert page.selected_call() == ids[1] and page.table.currentRow() == 2
    assert picked == []
    page.admin_box.setCurrentIndex(page.admin_box.findText("Анна Админова"))
    page.refresh()  # the selected call is not in the page any more: nothing selected
    assert page.table.rowCount() == 2 and page.selected_call() is None and picked == []


def test_a_big_page_is_shown_whole_and_only_the_rows_on_screen_are_made(qtbot, env):
    rs, ids, sup = env
    page = _page(qtbot, rs, sup)
    rows = [CallRow(call_id=10_000 + i, ring_at=NOW - timedelta(minutes=i), user_id=None, administrator=f"Админ {i}",
                    patient_id=None, patient="", number="+79160000000", direction="inbound", situation="incoming",
                    disposition="booked", duration_s=61.0, score=87.4 if i % 2 else None, tags=("booked",),
                    recording_id=None, highlights=()) for i in range(2000)]
    page._show_rows(rows)  # what the runner hands over after the library query
    qtbot.waitUntil(lambda: page.table.viewport().isVisible())
    page.table.viewport().repaint()
    assert page.table.rowCount() == 2000 and page.status.text() == "2000 call(s)"
    made = sum(t is not None for t in page.table.calls._texts)
    assert 0 < made <= 100  # the first rows (on screen and the column-width sample), not 2,000
    assert page.table.text(1999, COLUMNS.index("administrator")) == "Админ 1999"
    assert [page.table.text(r, COLUMNS.index("score")) for r in (0, 1)] == ["", "87"]
    page.table.scrollToBottom()
    page.select_call(10_000 + 1999)
    assert page.table.currentRow() == 1999
    head = page.table.horizontalHeader()
    assert all(0 < head.sectionSize(c) <= 130 for c in range(len(COLUMNS) - 1))


def test_in_a_1366_x_820_window_the_table_shows_several_calls_and_every_tag_button_whole(qtbot, env):
    """The page gets about 1366 x 640 of a 1366 x 820 window (search field, tabs, status bar):
    the details (player, tag palette) start at their least height so the table shows at least
    seven rows here (four before; two in the whole window), and the tag buttons are wide enough for their texts."""
    rs, _ids, sup = env
    page = _page(qtbot, rs, sup)
    page.resize(1366, 640)
    with qtbot.waitSignal(page.rows_shown):
        page.refresh()
    qtbot.wait(50)  # the layout settles
    rows = page.table.viewport().height() // page.table.verticalHeader().defaultSectionSize()
    assert rows >= 7, rows
    for b in page.palette.buttons.values():
        assert b.isVisible() and b.width() >= b.sizeHint().width(), b.text()
