"""Weekly case review: suggested candidates, the playlist editor (reorder, notes, bookmarks),
case pack export (HTML/PDF) and the way into meeting mode."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.review.access import Action, Principal
from app.review.cases import Candidate, PlaylistInfo
from app.review.services import ReviewServices
from ui.review import labels
from ui.review.meeting import MeetingMode
from ui.review.player import PlayerWidget, fmt_time


def html_to_pdf(html_text: str, path: Path | str) -> Path:
    """Render the case pack's HTML to PDF with Qt (no extra dependency)."""
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    w = QPdfWriter(str(path))
    w.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    w.setResolution(96)
    doc = QTextDocument()
    doc.setHtml(html_text)
    doc.setPageSize(w.pageLayout().paintRectPixels(96).size().toSizeF())
    doc.print_(w)
    return Path(path)


class CaseReviewPage(QWidget):
    playlist_changed = Signal(int)
    meeting_started = Signal(object)  # the MeetingMode window
    exported = Signal(str)

    def __init__(self, services: ReviewServices, principal: Principal, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.rs = services
        self.principal = principal
        self.runner = runner
        self.candidates: list[Candidate] = []
        self.current: PlaylistInfo | None = None
        self.meeting: MeetingMode | None = None
        can_edit = principal.can(Action.EDIT_PLAYLISTS)

        # candidates
        self.week = QDateEdit(QDate.currentDate())
        self.week.setCalendarPopup(True)
        self.week.setDisplayFormat("dd.MM.yyyy")
        self.suggest_btn = QPushButton(self.tr("Suggest cases"))
        self.cand_table = QTableWidget(0, 7)
        self.cand_table.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Administrator"), self.tr("Situation"),
                                                   self.tr("Outcome"), self.tr("Score"), self.tr("Tags"),
                                                   self.tr("Why")])
        self.cand_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cand_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cand_table.horizontalHeader().setStretchLastSection(True)
        self.cand_table.verticalHeader().setVisible(False)
        self.add_btn = QPushButton(self.tr("Add to playlist"))
        self.add_btn.setShortcut("Ctrl+Return")
        self.add_btn.setEnabled(can_edit)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Week of")))
        top.addWidget(self.week)
        top.addWidget(self.suggest_btn)
        top.addStretch(1)
        top.addWidget(self.add_btn)
        cand = QWidget()
        cl = QVBoxLayout(cand)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addLayout(top)
        cl.addWidget(self.cand_table)

        # playlist
        self.playlist_box = QComboBox()
        # a long playlist title must not widen the page past a 1366-pixel screen
        self.playlist_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.playlist_box.setMinimumContentsLength(18)
        self.new_btn = QPushButton(self.tr("New playlist…"))
        self.new_btn.setEnabled(can_edit)
        self.items = QListWidget()
        self.up_btn = QPushButton(self.tr("Up"))
        self.down_btn = QPushButton(self.tr("Down"))
        self.remove_btn = QPushButton(self.tr("Remove"))
        for b in (self.up_btn, self.down_btn, self.remove_btn):
            b.setEnabled(can_edit)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Trainer's note for this case"))
        self.note.setMaximumHeight(80)
        self.note.setReadOnly(not can_edit)
        self.save_note_btn = QPushButton(self.tr("Save note"))
        self.save_note_btn.setEnabled(can_edit)
        self.player = PlayerWidget()
        self.bm_start = QDoubleSpinBox()
        self.bm_stop = QDoubleSpinBox()
        for sp in (self.bm_start, self.bm_stop):
            sp.setRange(0, 24 * 3600)
            sp.setDecimals(1)
            sp.setSuffix(" s")
        self.bm_label = QLineEdit()
        self.bm_label.setPlaceholderText(self.tr("What to listen for"))
        self.mark_start_btn = QPushButton(self.tr("Start = now"))
        self.mark_stop_btn = QPushButton(self.tr("Stop = now"))
        self.add_bm_btn = QPushButton(self.tr("Add bookmark"))
        self.add_bm_btn.setEnabled(can_edit)
        self.bookmarks = QListWidget()
        self.bookmarks.setMaximumHeight(90)
        self.mask_box = QCheckBox(self.tr("Mask names and numbers"))
        self.mask_box.setChecked(True)
        self.audio_box = QCheckBox(self.tr("Include audio"))
        self.export_html_btn = QPushButton(self.tr("Export HTML…"))
        self.export_pdf_btn = QPushButton(self.tr("Export PDF…"))
        for b in (self.export_html_btn, self.export_pdf_btn):
            b.setEnabled(principal.can(Action.EXPORT))
        self.meeting_btn = QPushButton(self.tr("Meeting mode (Ctrl+Shift+M)"))
        self.status = QLabel()

        pl_top = QHBoxLayout()
        pl_top.addWidget(QLabel(self.tr("Playlist")))
        pl_top.addWidget(self.playlist_box, 1)
        pl_top.addWidget(self.new_btn)
        order = QHBoxLayout()
        for b in (self.up_btn, self.down_btn, self.remove_btn):
            order.addWidget(b)
        order.addStretch(1)
        order.addWidget(self.meeting_btn)  # plays the playlist; under it, so the page fits a 1366-pixel screen
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(pl_top)
        ll.addWidget(self.items, 1)
        ll.addLayout(order)
        bm_row = QHBoxLayout()
        for w in (self.bm_start, self.mark_start_btn, self.bm_stop, self.mark_stop_btn, self.bm_label,
                  self.add_bm_btn):
            bm_row.addWidget(w)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.note)
        rl.addWidget(self.save_note_btn, 0, Qt.AlignmentFlag.AlignRight)
        rl.addWidget(self.player, 1)
        rl.addLayout(bm_row)
        rl.addWidget(self.bookmarks)
        exp = QHBoxLayout()
        for w in (self.mask_box, self.audio_box, self.export_html_btn, self.export_pdf_btn):
            exp.addWidget(w)
        exp.addStretch(1)
        rl.addLayout(exp)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(left)
        lower.addWidget(right)
        lower.setStretchFactor(1, 2)
        lower.setSizes([420, 900])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(cand)
        split.addWidget(lower)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)

        self.suggest_btn.clicked.connect(self.suggest)
        self.add_btn.clicked.connect(self.add_selected_candidate)
        self.cand_table.doubleClicked.connect(lambda _i: self.add_selected_candidate())
        self.new_btn.clicked.connect(self._on_new)
        self.playlist_box.currentIndexChanged.connect(self._on_playlist_chosen)
        self.items.currentRowChanged.connect(self._on_item_chosen)
        self.up_btn.clicked.connect(lambda: self.move_current(-1))
        self.down_btn.clicked.connect(lambda: self.move_current(+1))
        self.remove_btn.clicked.connect(self._on_remove)
        self.save_note_btn.clicked.connect(self.save_note)
        self.mark_start_btn.clicked.connect(lambda: self.bm_start.setValue(self.player.position))
        self.mark_stop_btn.clicked.connect(lambda: self.bm_stop.setValue(self.player.position))
        self.add_bm_btn.clicked.connect(self.add_bookmark)
        self.export_html_btn.clicked.connect(lambda: self._on_export(pdf=False))
        self.export_pdf_btn.clicked.connect(lambda: self._on_export(pdf=True))
        self.meeting_btn.clicked.connect(self.start_meeting)
        for keys, slot in (("Ctrl+Up", lambda: self.move_current(-1)), ("Ctrl+Down", lambda: self.move_current(+1)),
                           ("Ctrl+Shift+M", self.start_meeting)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        self.reload_playlists()

    # -- candidates ----------------------------------------------------------------------
    def suggest(self) -> None:
        wk: date = self.week.date().toPython()
        self.runner.run(lambda: self.rs.cases.candidates(self.principal, wk, per_group=2),
                        self._show_candidates, self._on_error)

    def _show_candidates(self, cands: list[Candidate]) -> None:
        self.candidates = cands
        self.cand_table.setRowCount(len(cands))
        for i, c in enumerate(cands):
            kind = self.tr("best") if c.kind == "best" else self.tr("worst")
            vals = [kind, c.administrator, labels.situation(c.situation), labels.disposition(c.disposition),
                    "" if c.score is None else f"{c.score:.0f}", labels.tags(c.tags),
                    ", ".join(self._reason(r) for r in c.reasons)]
            for j, v in enumerate(vals):
                self.cand_table.setItem(i, j, QTableWidgetItem(v))
        self.cand_table.resizeColumnsToContents()
        head = self.cand_table.horizontalHeader()
        for c in range(self.cand_table.columnCount() - 1):  # long tag lists must not push "why" off screen
            head.resizeSection(c, min(head.sectionSize(c), 260))
        self.status.setText(self.tr("%1 candidate(s)").replace("%1", str(len(cands))))

    def _reason(self, r: str) -> str:
        import re

        m = re.fullmatch(r"score (\S+)", r)
        if m:
            return self.tr("score %1").replace("%1", m.group(1))
        m = re.fullmatch(r"(\d+) (good|bad) tag\(s\)", r)
        if m:
            return (self.tr("good tags: %1") if m.group(2) == "good" else self.tr("bad tags: %1")).replace("%1", m.group(1))
        return labels.disposition(r)

    def add_selected_candidate(self) -> None:
        r = self.cand_table.currentRow()
        if not (0 <= r < len(self.candidates)):
            return
        if self.current is None:
            self.status.setText(self.tr("Create a playlist first"))
            return
        c = self.candidates[r]
        self.add_call(c.call_id, ", ".join(self._reason(r) for r in c.reasons))

    def add_call(self, call_id: int, note: str = "") -> None:
        try:
            self.rs.cases.add_item(self.principal, self.current.id, call_id, note)
        except Exception as e:  # noqa: BLE001
            self._on_error(e)
            return
        self.reload_current(select_last=True)

    # -- playlists -----------------------------------------------------------------------
    def reload_playlists(self, select_id: int | None = None) -> None:
        if not self.principal.can(Action.VIEW_PLAYLISTS):
            return
        self.playlist_box.blockSignals(True)
        self.playlist_box.clear()
        for pid, title, wk in self.rs.cases.playlists(self.principal):
            self.playlist_box.addItem(f"{title}" + (f" ({wk:%d.%m.%Y})" if wk else ""), pid)
        self.playlist_box.blockSignals(False)
        if select_id is not None:
            self.playlist_box.setCurrentIndex(self.playlist_box.findData(select_id))
        self._on_playlist_chosen()

    def new_playlist(self, title: str) -> int:
        pid = self.rs.cases.create_playlist(self.principal, title, self.week.date().toPython())
        self.reload_playlists(pid)
        return pid

    def _on_new(self) -> None:
        title, ok = QInputDialog.getText(self, self.tr("New playlist"), self.tr("Title"))
        if ok and title.strip():
            self.new_playlist(title)

    def _on_playlist_chosen(self) -> None:
        pid = self.playlist_box.currentData()
        self.current = self.rs.cases.playlist(self.principal, pid) if pid is not None else None
        self._fill_items()
        if pid is not None:
            self.playlist_changed.emit(pid)

    def reload_current(self, select_last: bool = False, select_item: int | None = None) -> None:
        if self.current is None:
            return
        self.current = self.rs.cases.playlist(self.principal, self.current.id)
        self._fill_items(select_last, select_item)
        self.playlist_changed.emit(self.current.id)

    def _fill_items(self, select_last: bool = False, select_item: int | None = None) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        rows = {}
        if self.current and self.current.items:
            from app.review.library import CallQuery

            rows = {r.call_id: r for r in self.rs.library.query(
                self.principal, CallQuery(call_ids=[i.call_id for i in self.current.items]))}
        for n, it in enumerate(self.current.items if self.current else (), 1):
            r = rows.get(it.call_id)
            desc = (f"{r.administrator} · {labels.situation(r.situation)} · {labels.disposition(r.disposition)}"
                    if r else f"#{it.call_id}")
            marks = " — " + self.tr("%n bookmark(s)", "", len(it.bookmarks)) if it.bookmarks else ""
            li = QListWidgetItem(f"{n}. {desc}" + marks)
            li.setData(Qt.ItemDataRole.UserRole, it.id)
            self.items.addItem(li)
        self.items.blockSignals(False)
        if self.items.count():
            row = self.items.count() - 1 if select_last else 0
            if select_item is not None:
                row = next((i for i in range(self.items.count())
                            if self.items.item(i).data(Qt.ItemDataRole.UserRole) == select_item), 0)
            self.items.setCurrentRow(row)
            self._on_item_chosen(row)
        else:
            self._on_item_chosen(-1)

    def current_item(self):
        r = self.items.currentRow()
        if self.current is None or not (0 <= r < len(self.current.items)):
            return None
        return self.current.items[r]

    def _on_item_chosen(self, _row: int) -> None:
        it = self.current_item()
        self.note.setPlainText(it.note if it else "")
        self.bookmarks.clear()
        if it is None:
            self.player.clear()
            return
        for b in it.bookmarks:
            self.bookmarks.addItem(f"{fmt_time(b.start_s)}–{fmt_time(b.stop_s)}  {b.label}")
        self.player.set_ranges([(b.start_s, b.stop_s) for b in it.bookmarks])
        cid = it.call_id

        def work():
            from app.review.common import NotFound

            try:
                _rid, data = self.rs.library.open_audio(self.principal, cid, purpose="case review")
            except NotFound:
                data = b""  # no recording (or none on this workstation): the transcript still shows
            lib = self.rs.library
            return data, lib.segments(self.principal, cid), lib.waveform(self.principal, cid)

        def done(res) -> None:
            cur = self.current_item()
            if cur is None or cur.call_id != cid:
                return
            data, segs, wf = res
            self.player.load(data, segs, waveform=wf)
            self.player.set_ranges([(b.start_s, b.stop_s) for b in cur.bookmarks])

        self.runner.run(work, done, lambda e: self.status.setText(str(e)), receiver=self)

    def move_current(self, delta: int) -> None:
        it = self.current_item()
        if it is None:
            return
        try:
            self.rs.cases.move(self.principal, it.id, delta)
        except Exception as e:  # noqa: BLE001
            self._on_error(e)
            return
        self.reload_current(select_item=it.id)

    def _on_remove(self) -> None:
        it = self.current_item()
        if it is not None:
            self.rs.cases.remove_item(self.principal, it.id)
            self.reload_current()

    def save_note(self) -> None:
        it = self.current_item()
        if it is not None:
            self.rs.cases.set_note(self.principal, it.id, self.note.toPlainText())
            self.reload_current(select_item=it.id)

    def add_bookmark(self) -> None:
        it = self.current_item()
        if it is None:
            return
        try:
            self.rs.cases.add_bookmark(self.principal, it.id, self.bm_start.value(), self.bm_stop.value(),
                                       self.bm_label.text())
        except Exception as e:  # noqa: BLE001
            self._on_error(e)
            return
        self.bm_label.clear()
        self.reload_current(select_item=it.id)

    # -- export and meeting --------------------------------------------------------------
    def export_pack(self, folder: Path | str, pdf: bool = False) -> Path | None:
        if self.current is None:
            return None
        try:
            res = self.rs.export.export_playlist(self.principal, self.current.id, folder,
                                                 mask=self.mask_box.isChecked(), include_audio=self.audio_box.isChecked())
        except Exception as e:  # noqa: BLE001
            self._on_error(e)
            return None
        out = res.index
        if pdf:
            out = html_to_pdf(res.html, Path(folder) / "case-pack.pdf")
        self.status.setText(self.tr("Exported to %1").replace("%1", str(out)))
        self.exported.emit(str(out))
        return out

    def _on_export(self, pdf: bool) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the case pack"))
        if folder:
            self.export_pack(folder, pdf)

    def start_meeting(self, full_screen: bool = True) -> MeetingMode | None:
        if self.current is None or not self.current.items:
            self.status.setText(self.tr("The playlist is empty"))
            return None
        self.player.stop()
        self.meeting = MeetingMode(self.rs, self.principal, self.current, self.runner)
        self.meeting.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.meeting.failed.connect(self.status.setText)
        self.meeting.destroyed.connect(lambda *_: setattr(self, "meeting", None))
        self.meeting.start(full_screen)
        self.meeting_started.emit(self.meeting)
        return self.meeting

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
