"""The call library: filters, a sortable table, transcript search with highlights, and the
selected call's player, tags, analysis and scorecard."""

from __future__ import annotations

import html
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Callable, Iterator

from PySide6.QtCore import QAbstractTableModel, QDate, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import CallDirection, Disposition
from app.review.access import Action, Principal
from app.review.library import SNIPPETS_PER_CALL, CallQuery, CallRow
from app.review.reopen import audit_reopening
from app.review.services import ReviewServices
from ui.review import labels
from ui.review.player import PlayerWidget, fmt_time
from ui.review.scorecard import ScorecardDialog
from ui.review.tagging import TagPalette
from ui.tables import fit_columns
from ui.transcription.widgets import CallTranscriptStatus, RetranscribeAction

COLUMNS = ("date", "administrator", "patient", "number", "direction", "situation", "disposition", "duration",
           "score", "tags", "found")
SORTABLE = {"date", "administrator", "patient", "direction", "situation", "disposition", "duration", "score"}
WIDTH_SAMPLE_ROWS = 60  # the columns are fitted to the header and the first rows' texts, not to every row
MAX_COLUMN_WIDTH = 130  # px; the last column ("found in transcript") stretches
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _marked_html(snippet: str) -> str:
    return html.escape(snippet).replace("[[", "<b style='background:#ffe066'>").replace("]]", "</b>")


def _snippets_html(r: CallRow) -> str:
    return "<br>".join(_marked_html(h) for h in r.highlights[:SNIPPETS_PER_CALL])


def _read_or_error(read: Callable[[], object]) -> object:
    """*read*'s result, or the exception it raised (so one part of a call that cannot be read,
    e.g. its transcription state, does not keep the rest from being shown)."""
    try:
        return read()
    except Exception as e:  # noqa: BLE001 - handed to the UI thread, shown there
        return e


def _show_or_fail(value: object, show: Callable[[object], None], fail: Callable[[Exception], None]) -> None:
    (fail if isinstance(value, Exception) else show)(value)


def row_texts(r: CallRow) -> list[str]:
    """What a row of the call table shows, column by column (COLUMNS)."""
    return [r.ring_at.astimezone().strftime("%d.%m.%Y %H:%M"), r.administrator, r.patient, r.number,
            labels.direction(r.direction), labels.situation(r.situation), labels.disposition(r.disposition),
            fmt_time(r.duration_s) if r.duration_s else "",
            "" if r.score is None else f"{r.score:.0f}", labels.tags(r.tags),
            r.highlights[0].replace("[[", "«").replace("]]", "»") if r.highlights else ""]


class CallTableModel(QAbstractTableModel):
    """The library's page of calls for a :class:`CallTable`. Showing a page is one model reset;
    a row's texts are made when the view first asks for them (the rows on screen), so the UI
    thread's work does not grow with the page (500 calls by default, app.review.library)."""

    def __init__(self, headers: list[str], parent: QObject | None = None):
        super().__init__(parent)
        self._headers = headers
        self._rows: list[CallRow] = []
        self._texts: list[list[str] | None] = []

    def set_rows(self, rows: list[CallRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._texts = [None] * len(self._rows)
        self.endResetModel()

    def texts(self, row: int) -> list[str]:
        t = self._texts[row]
        if t is None:
            t = self._texts[row] = row_texts(self._rows[row])
        return t

    def text(self, row: int, column: int) -> str:
        return self.texts(row)[column]

    def set_text(self, row: int, column: int, text: str) -> None:
        """A cell shown anew (a call's tags or score changed after the page was read)."""
        self.texts(row)[column] = text
        ix = self.index(row, column)
        self.dataChanged.emit(ix, ix, [Qt.ItemDataRole.DisplayRole])

    # -- QAbstractTableModel ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # called for every role of every cell painted: plain int comparisons, the common miss first
        if role != _DISPLAY:
            return self._rows[index.row()].call_id if role == _USER and index.isValid() else None
        if not index.isValid():
            return None
        row = index.row()
        t = self._texts[row]
        if t is None:
            t = self._texts[row] = row_texts(self._rows[row])
        return t[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        # asked for every cell painted: a constant, not an enum OR made each time
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


class CallTable(QTableView):
    """The call table: one row per call, whole rows selected, one at a time, read-only."""

    def __init__(self, headers: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.calls = CallTableModel(headers, self)
        self.setModel(self.calls)

    def rowCount(self) -> int:  # noqa: N802 - as QTableWidget's
        return self.calls.rowCount()

    def currentRow(self) -> int:  # noqa: N802
        ix = self.currentIndex()
        return ix.row() if ix.isValid() else -1

    def text(self, row: int, column: int) -> str:
        """The text shown in a cell."""
        return self.calls.text(row, column)

    def fit_columns(self) -> None:
        """Each column as wide as its header and the texts of the first WIDTH_SAMPLE_ROWS rows
        (at most MAX_COLUMN_WIDTH, so the last column stays on screen): not over all rows as
        ``resizeColumnsToContents`` does on a page that is not on screen (ui.tables)."""
        n = min(self.calls.rowCount(), WIDTH_SAMPLE_ROWS)
        fit_columns(self, {c: [self.calls.text(r, c) for r in range(n)] for c in range(self.calls.columnCount() - 1)},
                    MAX_COLUMN_WIDTH)


class OpenedAudio:
    """The last few recordings played on the page, decoded (call id -> recording id, the
    decrypted bytes), so playing a call again does not read, decrypt and decode it again (each
    opening is still audited: :func:`app.review.reopen.audit_reopening`). Used from the
    runner's threads, hence the lock."""

    def __init__(self, size: int = 4):
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[int, tuple[int, bytes]] = OrderedDict()

    def get(self, call_id: int) -> tuple[int, bytes] | None:
        with self._lock:
            got = self._items.get(call_id)
            if got is not None:
                self._items.move_to_end(call_id)
            return got

    def put(self, call_id: int, recording_id: int, data: bytes) -> None:
        with self._lock:
            self._items[call_id] = (recording_id, data)
            self._items.move_to_end(call_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop_recording(self, recording_id: int) -> None:
        with self._lock:
            for cid in [c for c, v in self._items.items() if v[0] == recording_id]:
                del self._items[cid]


class _DigitForwarder(QObject):
    def __init__(self, palette: TagPalette):
        super().__init__(palette)
        self.palette = palette

    def eventFilter(self, obj, e) -> bool:  # noqa: N802
        if e.type() == QEvent.Type.KeyPress and e.text().isdigit() and not e.modifiers():
            return self.palette.handle_key(e.text())
        return False


@dataclass(frozen=True)
class LibraryChoices:
    """What the filters and the tag palette offer, read from the database: on a worker thread
    (``runner.run(lambda: LibraryChoices.read(rs, principal), ...)``) before the page is built."""

    administrators: list  # UserInfo, for a principal who sees everyone's calls; else empty
    situations: list[str]
    taxonomy: list  # TagInfo

    @staticmethod
    def read(services: ReviewServices, principal: Principal) -> "LibraryChoices":
        return LibraryChoices(services.users.administrators() if principal.sees_all_calls else [],
                              services.library.situations(), services.tags.taxonomy())


class CallLibraryPage(QWidget):
    """Built top-down (every widget made inside its final parent) and, for the hub, in slices:
    ``CallLibraryPage(..., build=False)`` makes an empty page and :meth:`build_steps` yields
    between parts, so the window's event loop runs between them (scripts/bench_ui_stall.py:
    built at once at sign-in it held the UI thread 130-200 ms under load)."""

    call_selected = Signal(int)
    rows_shown = Signal(int)
    call_shown = Signal(int)  # the selected call's transcript and waveform are on screen
    audio_loaded = Signal(int)  # its audio, opened when Play was first pressed, is in the player

    def __init__(self, services: ReviewServices, principal: Principal, runner, parent: QWidget | None = None,
                 jobs=None, retranscribe_choices: list[tuple[str, str, str]] | None = None,
                 choices: LibraryChoices | None = None, build: bool = True):
        """``jobs``: the transcription queue (:class:`app.transcription.queue.JobQueue`; one on
        the services' database when None); ``retranscribe_choices``: (label, engine, model);
        ``choices``: :meth:`LibraryChoices.read` done beforehand (read here when None);
        ``build=False``: the caller builds the page with :meth:`build_steps`."""
        super().__init__(parent)
        self.rs = services
        self.principal = principal
        self.runner = runner
        self.rows: list[CallRow] = []
        self._restoring = False  # a page is being shown: the selection is put back, not a new choice
        self.opened = OpenedAudio()
        self._shown: int | None = None  # the call the player shows
        self.sort_key = "date"
        self.descending = True
        self._build_args = (jobs, retranscribe_choices, choices)
        if build:
            for _ in self.build_steps():
                pass

    def build_steps(self) -> Iterator[None]:
        """Build the page; yields between its parts (filters, table, player, the rest)."""
        jobs, retranscribe_choices, choices = self._build_args
        self._build_args = None
        services, principal, runner = self.rs, self.principal, self.runner
        if choices is None:
            choices = LibraryChoices.read(services, principal)
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        lay.addWidget(split, 1)
        upper = QWidget(split)
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)

        # filters
        self.date_from = QDateEdit(QDate.currentDate().addDays(-30), upper)
        self.date_to = QDateEdit(QDate.currentDate(), upper)
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd.MM.yyyy")
        self.admin_box = QComboBox(upper)
        self.admin_box.addItem(self.tr("Everyone"), None)
        if principal.sees_all_calls:
            for u in choices.administrators:
                self.admin_box.addItem(u.full_name, u.id)
        else:
            self.admin_box.setEnabled(False)
        self.patient_edit = QLineEdit(upper)
        self.patient_edit.setPlaceholderText(self.tr("Patient name or number"))
        self.direction_box = QComboBox(upper)
        self.direction_box.addItem(self.tr("Any direction"), None)
        for d in CallDirection:
            self.direction_box.addItem(labels.direction(d.value), d.value)
        self.situation_box = QComboBox(upper)
        self.situation_box.addItem(self.tr("Any situation"), None)
        for s in choices.situations:
            self.situation_box.addItem(labels.situation(s), s)
        self.disposition_box = QComboBox(upper)
        self.disposition_box.addItem(self.tr("Any outcome"), None)
        for d in Disposition:
            self.disposition_box.addItem(labels.disposition(d.value), d.value)
        self.tag_box = QComboBox(upper)
        self.tag_box.addItem(self.tr("Any tag"), None)
        for t in choices.taxonomy:
            self.tag_box.addItem(labels.tag(t.name), t.id)
        self.min_score = QDoubleSpinBox(upper)
        self.min_score.setRange(-1, 100)
        self.min_score.setSpecialValueText(self.tr("any score"))
        self.min_score.setValue(-1)
        self.min_score.setPrefix("≥ ")
        self.text_edit = QLineEdit(upper)
        self.text_edit.setPlaceholderText(self.tr("Words in the transcript"))
        self.search_btn = QPushButton(self.tr("Search"), upper)
        self.search_btn.setDefault(True)
        grid = QGridLayout()
        ul.addLayout(grid)
        grid.addWidget(QLabel(self.tr("From"), upper), 0, 0)
        grid.addWidget(self.date_from, 0, 1)
        grid.addWidget(QLabel(self.tr("to"), upper), 0, 2)
        grid.addWidget(self.date_to, 0, 3)
        grid.addWidget(self.admin_box, 0, 4)
        grid.addWidget(self.patient_edit, 0, 5)
        grid.addWidget(self.direction_box, 0, 6)
        grid.addWidget(self.situation_box, 1, 0, 1, 2)
        grid.addWidget(self.disposition_box, 1, 2, 1, 2)
        grid.addWidget(self.tag_box, 1, 4)
        grid.addWidget(self.min_score, 1, 5)
        grid.addWidget(self.text_edit, 1, 6)
        grid.addWidget(self.search_btn, 1, 7)
        yield

        # table
        self.table = CallTable([
            self.tr("Date"), self.tr("Administrator"), self.tr("Patient"), self.tr("Number"), self.tr("Direction"),
            self.tr("Situation"), self.tr("Outcome"), self.tr("Length"), self.tr("Score"), self.tr("Tags"),
            self.tr("Found in transcript")], upper)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.verticalHeader().setVisible(False)
        # the selected call's snippets, in a box of fixed height shown while the page is a
        # transcript search: one to five snippets (wrapped or not) fill it without re-laying out
        # the table above, whose resize repainted all of it, 7-17 ms on each selection
        self.highlights_box = QScrollArea(upper)
        self.highlights_box.setObjectName("highlights_box")
        self.highlights_box.setFrameShape(QFrame.Shape.NoFrame)
        self.highlights_box.setWidgetResizable(True)
        self.highlights_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.highlights = QLabel(self.highlights_box)
        self.highlights.setWordWrap(True)
        self.highlights.setTextFormat(Qt.TextFormat.RichText)
        self.highlights.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.highlights_box.setWidget(self.highlights)
        self.highlights.ensurePolished()  # the style sheet's font
        m = self.highlights.contentsMargins()
        self.highlights_box.setFixedHeight(self.highlights.fontMetrics().lineSpacing() * SNIPPETS_PER_CALL
                                           + m.top() + m.bottom() + 2)
        self.highlights_box.setVisible(False)
        ul.addWidget(self.table, 1)
        ul.addWidget(self.highlights_box)
        yield

        # details
        details = QWidget(split)
        dl = QVBoxLayout(details)
        self.player = PlayerWidget(details)
        self.player.audio_wanted.connect(self._open_audio)
        dl.addWidget(self.player, 3)
        yield
        side = QHBoxLayout()
        dl.addLayout(side, 1)
        self.palette = TagPalette(services.tags, principal, details, runner=runner, taxonomy=choices.taxonomy)
        side.addWidget(self.palette, 3)
        right = QVBoxLayout()
        side.addLayout(right, 1)
        self.analysis_label = QLabel(details)
        self.analysis_label.setWordWrap(True)
        if jobs is None:
            from app.transcription.queue import JobQueue

            jobs = JobQueue(services.sessions)
        # status reads pass through; queueing checks the role in the service and is audited
        jobs = services.library.retranscribe_queue(principal, jobs)
        self.jobs = jobs
        # "pending / running / done / failed: reason" of the selected call's recording, and
        # "re-transcribe with model…" for the people who review everyone's calls
        self.transcript_status = CallTranscriptStatus(jobs, runner, parent=details)
        self.transcript_status.setWordWrap(True)
        self.retranscribe = RetranscribeAction(jobs, runner, retranscribe_choices, parent=self)
        self.addAction(self.retranscribe)
        self.retranscribe.setIconText(self.retranscribe.text())  # keep the "…": a dialog follows
        self.retranscribe_btn = QToolButton(details)
        self.retranscribe_btn.setDefaultAction(self.retranscribe)
        self.retranscribe_btn.setVisible(principal.sees_all_calls)
        self.retranscribe.requeued.connect(lambda _job: self.transcript_status.refresh())
        self.score_btn = QPushButton(self.tr("Score…"), details)
        self.score_btn.setShortcut("Ctrl+Shift+S")
        self.score_btn.setEnabled(principal.can(Action.SCORE))
        self.delete_btn = QPushButton(self.tr("Delete recording"), details)
        self.delete_btn.setVisible(principal.can(Action.DELETE))
        right.addWidget(self.analysis_label)
        right.addWidget(self.transcript_status)
        right.addWidget(self.retranscribe_btn)
        right.addWidget(self.score_btn)
        right.addWidget(self.delete_btn)
        right.addStretch(1)
        split.addWidget(upper)
        split.addWidget(details)
        # the table first: the details start at their least height (the player and the tag
        # palette whole), and a taller window gives the table more rows than the details
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([10_000, 1])
        self.status = QLabel(self)
        lay.addWidget(self.status)

        fwd = _DigitForwarder(self.palette)
        self.table.installEventFilter(fwd)
        self.player.transcript.installEventFilter(fwd)
        self.search_btn.clicked.connect(self.refresh)
        self.text_edit.returnPressed.connect(self.refresh)
        self.patient_edit.returnPressed.connect(self.refresh)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.score_btn.clicked.connect(self.open_scorecard)
        self.delete_btn.clicked.connect(self._on_delete)
        self.palette.failed.connect(self._show_error)
        self.palette.tags_changed.connect(lambda _cid: self._refresh_row_tags())

    # -- querying ------------------------------------------------------------------------
    def query(self) -> CallQuery:
        def utc(d: QDate, end: bool) -> datetime:
            dd = d.toPython()
            v = datetime.combine(dd, time(0), tzinfo=timezone.utc)
            return v + timedelta(days=1) if end else v

        tag = self.tag_box.currentData()
        uid = self.admin_box.currentData()
        return CallQuery(
            date_from=utc(self.date_from.date(), False), date_to=utc(self.date_to.date(), True),
            user_ids=[uid] if uid else [], patient=self.patient_edit.text(),
            direction=self.direction_box.currentData(), situation=self.situation_box.currentData(),
            disposition=self.disposition_box.currentData(), tag_ids=[tag] if tag else [],
            min_score=self.min_score.value() if self.min_score.value() >= 0 else None,
            text=self.text_edit.text(), sort=self.sort_key, descending=self.descending)

    def refresh(self) -> None:
        q = self.query()
        self.runner.run(lambda: self.rs.library.query(self.principal, q), self._show_rows, self._on_error)

    def _show_rows(self, rows: list[CallRow]) -> None:
        """One model reset (O(1) here; the view asks for the rows on screen), the columns fitted
        to a sample. The call that was selected stays selected when it is still in the page (the
        player keeps showing it; nothing is read again)."""
        before = self.selected_call()
        self.rows = rows
        self._restoring = True
        try:
            self.table.calls.set_rows(rows)
            if before is not None:
                self.select_call(before)
        finally:
            self._restoring = False
        self.table.fit_columns()
        self.highlights_box.setVisible(any(r.highlights for r in rows))
        current = self.table.currentRow() if self.selected_call() is not None else -1
        self.highlights.setText(_snippets_html(rows[current]) if 0 <= current < len(rows) else "")
        self.status.setText(self.tr("%1 call(s)").replace("%1", str(len(rows))))
        self.rows_shown.emit(len(rows))

    def _on_header(self, col: int) -> None:
        key = COLUMNS[col]
        if key not in SORTABLE:
            return
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, key in ("date", "score", "duration")
        self.table.horizontalHeader().setSortIndicator(
            col, Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder)
        self.refresh()

    # -- the selected call -----------------------------------------------------------------
    def selected_call(self) -> int | None:
        r = self.table.currentRow()
        return self.rows[r].call_id if 0 <= r < len(self.rows) else None

    def select_call(self, call_id: int) -> None:
        for i, r in enumerate(self.rows):
            if r.call_id == call_id:
                self.table.selectRow(i)
                return

    def _on_selection(self, *_selection) -> None:
        """Everything about the selected call (its tags, analysis, transcription state,
        transcript, stored waveform and comments) is read in one task on the runner and shown
        by one callback: one database round on a pool thread and one pass of the UI thread per
        selection, not four of each (scripts/bench_ui_stall.py). A part that cannot be read
        reports its own error; the others are still shown."""
        if self._restoring:
            return
        cid = self.selected_call()
        if cid is None:
            self.palette.set_call(None)
            self.transcript_status.set_recording(None)
            self.retranscribe.set_recording(None)
            return
        row = self.rows[self.table.currentRow()]
        rid = row.recording_id
        show_tags = self.palette.reading(cid)
        show_status = self.transcript_status.reading(rid)
        self.retranscribe.set_recording(rid if self.principal.sees_all_calls else None)
        self.highlights.setText(_snippets_html(row))
        self.highlights_box.verticalScrollBar().setValue(0)
        self.analysis_label.setText(self.tr("Loading…"))
        self.call_selected.emit(cid)
        principal, library, scorecards = self.principal, self.rs.library, self.rs.scorecards
        tags, jobs = self.rs.tags, self.jobs

        def call():
            wf = library.waveform(principal, cid) if rid is not None else None
            segs = library.segments(principal, cid)
            return segs, wf, ([c.at_s for c in scorecards.comments(principal, cid)] if wf is not None else [])

        def work() -> dict[str, object]:
            reads = {"tags": lambda: tags.call_tags(principal, cid),
                     "analysis": lambda: library.analysis(principal, cid), "call": call}
            if rid is not None:
                reads["status"] = lambda: jobs.status(rid)
            return {part: _read_or_error(read) for part, read in reads.items()}

        def show_call(shown) -> None:
            segs, wf, comments = shown
            self._shown = cid
            self.player.load_deferred(segs, wf)
            if wf is not None:
                self.player.wave.set_comments(comments)
            self.call_shown.emit(cid)

        def done(res: dict[str, object]) -> None:
            _show_or_fail(res["tags"], show_tags, lambda e: self.palette.failed.emit(str(e)))
            if "status" in res:
                _show_or_fail(res["status"], show_status, self.transcript_status.show_error)
            if self.selected_call() != cid:
                return  # the palette and the status checked for themselves
            _show_or_fail(res["analysis"], self._show_analysis, self._analysis_failed)
            _show_or_fail(res["call"], show_call, self._on_error)

        self.runner.run(work, done, self._on_error, receiver=self)

    def _open_audio(self) -> None:
        """Play was pressed on the call shown: its audio is opened (audited as a playback),
        decrypted and decoded on the runner, or taken from the last few opened on this page
        (audited again, not decoded again)."""
        cid = self._shown
        if cid is None:
            self.player.audio_failed()
            return
        principal, library, opened = self.principal, self.rs.library, self.opened

        def work() -> bytes:
            held = opened.get(cid)
            if held is not None and audit_reopening(library, principal, cid, held[0]):
                return held[1]  # the same recording again: audited, not decoded again
            rid, data = library.open_audio(principal, cid)
            if data:
                opened.put(cid, rid, data)
            return data

        def done(data: bytes) -> None:
            if self._shown != cid:
                return
            self.player.set_audio(data)
            if data:
                self.audio_loaded.emit(cid)

        def failed(exc: BaseException) -> None:
            if self._shown == cid:
                self.player.audio_failed()
            self._on_error(exc)

        self.runner.run(work, done, failed, receiver=self)

    def _analysis_failed(self, exc: BaseException) -> None:
        self.analysis_label.setText(self.tr("Analysis unavailable"))
        self._on_error(exc)

    def _show_analysis(self, a) -> None:
        if a is None:
            self.analysis_label.setText(self.tr("Not analysed yet"))
            return
        parts = []
        if a.checklist_total:
            parts.append(self.tr("Checklist %1 of %2").replace("%1", str(a.checklist_covered))
                         .replace("%2", str(a.checklist_total)))
        parts.append(self.tr("administrator talks %1% · longest monologue %2 s · interruptions %3 · silence %4%")
                     .replace("%1", f"{a.talk_ratio * 100:.0f}").replace("%2", f"{a.longest_monologue_s:.0f}")
                     .replace("%3", str(a.interruptions)).replace("%4", f"{a.silence_share * 100:.0f}"))
        if a.bonus_mentioned:
            parts.append(self.tr("bonus before care") if a.bonus_before_care else self.tr("bonus after care"))
            parts.append(self.tr("deadline named") if a.deadline_named else self.tr("deadline not named"))
        self.analysis_label.setText(" · ".join(parts))

    def _refresh_row_tags(self) -> None:
        """The palette has just read the call's tags again: the table row follows."""
        cid = self.selected_call()
        if cid is None or cid != self.palette.call_id:
            return
        names = labels.tags(t.name for t in self.palette.applied_tags)
        self.table.calls.set_text(self.table.currentRow(), COLUMNS.index("tags"), names)

    def open_scorecard(self) -> ScorecardDialog | None:
        cid = self.selected_call()
        if cid is None:
            return None
        dlg = ScorecardDialog(self.rs.scorecards, self.principal, cid, self.player.position, self)
        dlg.saved.connect(lambda total: self._on_scored(cid, total))
        dlg.open()
        return dlg

    def _on_scored(self, cid: int, _total: float) -> None:
        def show(score) -> None:
            if self.selected_call() == cid:
                self.table.calls.set_text(self.table.currentRow(), COLUMNS.index("score"),
                                          "" if score is None else f"{score:.0f}")

        self.runner.run(lambda: self.rs.scorecards.call_score(self.principal, cid), show, self._on_error,
                        receiver=self)

    def _on_delete(self) -> None:
        r = self.table.currentRow()
        if not (0 <= r < len(self.rows)) or self.rows[r].recording_id is None:
            return
        if QMessageBox.question(self, self.tr("Delete recording"),
                                self.tr("Delete this recording for good? This is logged.")) \
                != QMessageBox.StandardButton.Yes:
            return
        rid = self.rows[r].recording_id
        self.opened.drop_recording(rid)
        self.runner.run(lambda: self.rs.library.delete_recording(self.principal, rid),
                        lambda _r: self.refresh(), self._on_error, receiver=self)

    def _on_error(self, exc: BaseException) -> None:
        self._show_error(str(exc))

    def _show_error(self, msg: str) -> None:
        self.status.setText(msg)
