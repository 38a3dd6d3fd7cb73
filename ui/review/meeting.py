"""Meeting mode: the playlist replayed full screen with a large transcript; playback pauses at
each bookmark's end. Keys: Space play/pause, Right next bookmark, Left replay the bookmark,
N next case, P previous case, Esc leave."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.review.access import Principal
from app.review.cases import PlaylistInfo
from app.review.library import CallQuery
from app.review.services import ReviewServices
from ui.review import labels
from ui.review.player import PlayerWidget, fmt_time


class MeetingMode(QWidget):
    case_loaded = Signal(int)  # index of the case
    bookmark_reached = Signal(int, int)  # case index, bookmark index (paused at its end)
    closed = Signal()
    failed = Signal(str)

    def __init__(self, services: ReviewServices, principal: Principal, playlist: PlaylistInfo, runner,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.rs = services
        self.principal = principal
        self.playlist = playlist
        self.runner = runner
        self.case = -1
        self.bookmark = -1
        self.setWindowTitle(self.tr("Case review: %1").replace("%1", playlist.title))
        self.title = QLabel()
        self.info = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.hint = QLabel(self.tr("Space play/pause · → next bookmark · ← replay · N next case · "
                                   "P previous case · Esc leave"))
        big = QFont(self.font())
        big.setPointSize(24)
        big.setBold(True)
        self.title.setFont(big)
        mid = QFont(self.font())
        mid.setPointSize(16)
        for w in (self.info, self.note):
            w.setFont(mid)
        self.note.setStyleSheet("background:#fff8d8; padding:8px;")
        # under the clinic style sheet (which sizes every widget) the #meeting* rules apply
        self.title.setObjectName("meetingTitle")
        self.info.setObjectName("meetingInfo")
        self.note.setObjectName("meetingNote")
        self.player = PlayerWidget(large=True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.info)
        lay.addWidget(self.note)
        lay.addWidget(self.player, 1)
        lay.addWidget(self.hint)
        self.player.range_finished.connect(self._on_range_finished)
        for key, slot in ((Qt.Key.Key_Space, self.player.toggle), (Qt.Key.Key_Right, self.next_bookmark),
                          (Qt.Key.Key_Left, self.replay_bookmark), (Qt.Key.Key_N, self.next_case),
                          (Qt.Key.Key_P, self.previous_case), (Qt.Key.Key_Escape, self.close)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)
        self.player.play_btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.player.transcript.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.player.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.player.skip_silence.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def start(self, full_screen: bool = True) -> None:
        if full_screen:
            self.showFullScreen()
        else:
            self.show()
        self.setFocus()
        if self.playlist.items:
            self.load_case(0)
        else:
            self.title.setText(self.tr("The playlist is empty"))

    # -- cases ---------------------------------------------------------------------------
    def load_case(self, index: int) -> None:
        if not (0 <= index < len(self.playlist.items)):
            return
        self.case = index
        self.bookmark = -1
        item = self.playlist.items[index]
        self.title.setText(self.tr("Case %1 of %2").replace("%1", str(index + 1))
                           .replace("%2", str(len(self.playlist.items))))
        self.note.setText(item.note or "")
        self.note.setVisible(bool(item.note))
        self.player.set_ranges([(b.start_s, b.stop_s) for b in item.bookmarks])
        cid = item.call_id
        self.info.setText("")

        def work():
            from app.review.common import NotFound

            rows = self.rs.library.query(self.principal, CallQuery(call_ids=[cid]))
            try:
                _rid, data = self.rs.library.open_audio(self.principal, cid, purpose="meeting")
            except NotFound:
                data = b""  # no recording: the transcript is still shown
            lib = self.rs.library
            return rows, data, lib.segments(self.principal, cid), lib.waveform(self.principal, cid)

        def done(res) -> None:
            if self.case != index:
                return
            rows, data, segs, wf = res
            if rows:
                r = rows[0]
                self.info.setText(" · ".join(x for x in (
                    r.administrator, labels.situation(r.situation), labels.disposition(r.disposition),
                    "" if r.score is None else f"{r.score:.0f}/100", labels.tags(r.tags)) if x))
            self.player.load(data, segs, waveform=wf)
            self.case_loaded.emit(index)
            if item.bookmarks:
                self.play_bookmark(0)
            else:
                self.player.play()

        self.runner.run(work, done, lambda e: self.failed.emit(str(e)), receiver=self)

    def next_case(self) -> None:
        if self.case + 1 < len(self.playlist.items):
            self.player.stop()
            self.load_case(self.case + 1)

    def previous_case(self) -> None:
        if self.case > 0:
            self.player.stop()
            self.load_case(self.case - 1)

    # -- bookmarks -----------------------------------------------------------------------
    def _bookmarks(self):
        return self.playlist.items[self.case].bookmarks if 0 <= self.case < len(self.playlist.items) else ()

    def play_bookmark(self, i: int) -> None:
        bms = self._bookmarks()
        if not (0 <= i < len(bms)):
            return
        self.bookmark = i
        b = bms[i]
        self.hint.setText(self.tr("Bookmark %1 of %2: %3 (%4–%5)").replace("%1", str(i + 1))
                          .replace("%2", str(len(bms))).replace("%3", b.label or "")
                          .replace("%4", fmt_time(b.start_s)).replace("%5", fmt_time(b.stop_s)))
        self.player.play_range(b.start_s, b.stop_s)

    def next_bookmark(self) -> None:
        if self.bookmark + 1 < len(self._bookmarks()):
            self.play_bookmark(self.bookmark + 1)
        else:
            self.next_case()

    def replay_bookmark(self) -> None:
        if self.bookmark >= 0:
            self.play_bookmark(self.bookmark)
        else:
            self.player.seek(max(0.0, self.player.position - 5))

    def _on_range_finished(self, _stop: float) -> None:
        self.hint.setText(self.tr("Paused at the bookmark. → next, ← replay, Space go on"))
        self.bookmark_reached.emit(self.case, self.bookmark)

    def closeEvent(self, e) -> None:  # noqa: N802
        self.player.stop()
        self.closed.emit()
        super().closeEvent(e)

