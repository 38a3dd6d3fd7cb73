"""The main window, built for a live call. See docs/ui.md for the public API.

Top bar: the search field (Ctrl+F / F3) and the incoming-call banner. Below, pages in tabs:
the first is the caller page (card / chooser / new caller / search results, with a side tab
area for the situation script); other areas add pages with :meth:`MainWindow.add_page`.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from app import phones
from app.card import Card, CardService, Lookup
from ui.card_view import CardView
from ui.chooser import Chooser
from ui.errors import show_error
from ui.looks import set_look
from ui.new_caller import NewCallerForm
from ui.search import SearchResults
from ui.tabs import TabWidget

log = logging.getLogger("carecall.ui")


class MainWindow(QMainWindow):
    """The caller window. Public API (stable, documented in docs/ui.md):

    * :meth:`show_incoming` — a number is ringing: banner, lookup, card / chooser / new caller.
    * :meth:`open_patient` — open a patient's card.
    * :meth:`add_side_panel` — a tab next to the card (situation script...).
    * :meth:`add_page` — a top-level page (call lists, call library, case review...).
    * :meth:`add_status_widget` — a permanent widget in the status bar.
    * signals ``patient_opened(int)`` and ``incoming_shown(str)``.
    """

    #: a card is on screen (patient id)
    patient_opened = Signal(int)
    #: the result of an incoming call is on screen (E.164 number): card, chooser or new caller
    incoming_shown = Signal(str)

    def __init__(self, cards: CardService, runner, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowTitle("CareCall")
        self.resize(1280, 820)
        self.cards = cards
        self.runner = runner
        self.today = today
        self.current_card: Card | None = None
        self.current_lookup: Lookup | None = None
        self._seq = 0  # the newest request wins; late answers to older ones are dropped
        self._call_banner = ""  # the ringing number's banner while the chooser waits for a choice
        self._shortcuts: dict[str, QShortcut] = {}

        central = QWidget()
        central.setObjectName("central")
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        # top bar: search + banner
        top = QFrame()
        top.setObjectName("top_bar")
        top_lay = QHBoxLayout(top)
        top_lay.setContentsMargins(12, 8, 12, 8)
        self.search_field = QLineEdit()
        self.search_field.setObjectName("search_field")
        self.search_field.setPlaceholderText(self.tr("Search by name or phone (Ctrl+F)"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(380)
        top_lay.addWidget(self.search_field, 2)
        self.banner = QFrame()
        self.banner.setObjectName("incoming_banner")
        b_lay = QHBoxLayout(self.banner)
        b_lay.setContentsMargins(12, 4, 6, 4)
        self.banner_label = QLabel()
        self.banner_label.setObjectName("banner_text")
        self.banner_close = QPushButton("✕")
        self.banner_close.setObjectName("banner_close")
        self.banner_close.setToolTip(self.tr("Hide the banner"))
        self.banner_close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.banner_close.clicked.connect(self.banner.hide)
        b_lay.addWidget(self.banner_label, 1)
        b_lay.addWidget(self.banner_close)
        self.banner.setVisible(False)
        top_lay.addWidget(self.banner, 3)
        outer.addWidget(top)

        # pages
        self.pages = TabWidget()
        self.pages.setObjectName("pages")
        self.pages.setTabBarAutoHide(True)
        self.pages.setDocumentMode(True)
        outer.addWidget(self.pages, 1)

        self.caller_page = QSplitter(Qt.Orientation.Horizontal)
        self.caller_page.setObjectName("caller_page")
        self.caller_page.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.stack.setObjectName("caller_stack")
        self.placeholder = QLabel(self.tr("Waiting for a call.<br><br><b>Ctrl+F</b> — find a patient by name or phone<br><b>Ctrl+N</b> — new patient"))
        self.placeholder.setTextFormat(Qt.TextFormat.RichText)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_view = CardView()
        self.card_view.patient_requested.connect(self.open_patient)
        self.chooser = Chooser()
        self.chooser.chosen.connect(self.open_patient)
        self.new_caller = NewCallerForm(cards, runner, today)
        self.new_caller.created.connect(self._on_patient_created)
        self.new_caller.cancelled.connect(self.back_to_card)
        self.results = SearchResults(self.search_field, cards, runner, today)
        self.results.chosen.connect(self._on_search_chosen)
        self.results.results_shown.connect(self._on_results_shown)
        self.results.cancelled.connect(self.back_to_card)
        self.message = QLabel()
        self.message.setObjectName("placeholder")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        for w in (self.placeholder, self.card_view, self.chooser, self.new_caller, self.results, self.message):
            self.stack.addWidget(w)
        self.side_tabs = TabWidget()
        self.side_tabs.setObjectName("side_tabs")
        self.side_tabs.setVisible(False)
        self.caller_page.addWidget(self.stack)
        self.caller_page.addWidget(self.side_tabs)
        self.caller_page.setStretchFactor(0, 3)
        self.caller_page.setStretchFactor(1, 2)
        self.pages.addTab(self.caller_page, self.tr("Caller"))
        self.pages.setTabToolTip(0, "Ctrl+1")

        self.setStatusBar(QStatusBar())
        self.statusBar().setObjectName("status_bar")

        self._shortcut("search", ["Ctrl+F", "F3"], self.focus_search)
        self._shortcut("new_patient", ["Ctrl+N"], self.quick_create)
        self._shortcut("back", ["Esc"], self.back_to_card)
        self._shortcut("caller_page", ["Ctrl+1"], lambda: self.pages.setCurrentIndex(0))
        self._shortcut("reload", ["F5"], self.reload_card)
        self._shortcut("chooser", ["Ctrl+K"], self.show_chooser_again)

    # --- public API --------------------------------------------------------------------
    def show_incoming(self, raw_number: str, direction: str = "inbound", source: str = "cli",
                      on_shown: Callable[[str], None] | None = None) -> None:
        """A number is ringing (or being dialled): show who it is and come to the front.

        One patient: the card. Several: the chooser (never a silent pick). None: the new
        caller form with the number prefilled. ``incoming_shown(e164)`` is emitted once it is
        on screen; ``on_shown(message)``, when given, gets a one-line summary (the IPC reply).
        A number that cannot be read is shown in the banner and logged, never raised.
        """
        self.bring_to_front()
        self.pages.setCurrentIndex(0)
        try:
            e164 = phones.normalize(raw_number, self.cards.region)
        except phones.PhoneError as e:
            log.warning("incoming %s call from %s: unreadable number %r: %s", direction, source, raw_number, e)
            self._banner(self.tr("Unreadable number: %1").replace("%1", raw_number[:60]), warn=True)
            if on_shown:
                on_shown(f"unreadable number {raw_number!r}: {e}")
            return
        display = phones.display(e164, self.cards.region)
        log.info("%s call %s (source %s)", direction, e164, source)
        self._banner(self._call_text(direction, display))
        self._seq += 1
        seq = self._seq
        cards, today = self.cards, self.today()

        def work():
            lk = cards.lookup_phone(e164, today)
            card = cards.card(lk.matches[0].id, today) if len(lk.matches) == 1 else None
            return lk, card

        def done(res) -> None:
            lk, card = res
            if seq != self._seq:
                if on_shown:
                    on_shown(f"{display}: superseded by a newer call")
                return
            self.current_lookup = lk
            self._call_banner = ""
            if card is not None:
                self._banner(self._call_text(direction, display) + "  —  " + card.full_name)
                self._show_card(card)
                msg = f"card shown for {card.full_name} ({display})"
            elif lk.needs_choice:
                self._banner(self._call_text(direction, display) + "  —  " +
                             self.tr("%n patient(s) share this number", "", len(lk.matches)))
                self._call_banner = self._call_text(direction, display)
                self.chooser.show_lookup(lk)
                self.stack.setCurrentWidget(self.chooser)
                self.chooser.list.setFocus()
                msg = f"chooser shown for {display}: {len(lk.matches)} patients share this number"
            else:
                self._banner(self._call_text(direction, display) + "  —  " + self.tr("new caller"))
                self.new_caller.start(display)
                self.stack.setCurrentWidget(self.new_caller)
                msg = f"new caller card shown for {display}"
            self.incoming_shown.emit(e164)
            if on_shown:
                on_shown(msg)

        def failed(exc: BaseException) -> None:
            if on_shown:
                on_shown(f"lookup of {display} failed: {exc}")
            self._show_failure(exc)

        self.runner.run(work, done, failed)

    def open_patient(self, patient_id: int) -> None:
        """Open the card of *patient_id* (from a chooser, search, family link or another area)."""
        self._seq += 1
        seq = self._seq
        cards, today = self.cards, self.today()
        self.pages.setCurrentIndex(0)

        def done(card: Card) -> None:
            if seq == self._seq:
                self._show_card(card)

        self.runner.run(lambda: cards.card(patient_id, today), done, self._show_failure)

    def add_side_panel(self, widget: QWidget, title: str) -> int:
        """A tab next to the card (e.g. the situation script). Returns the tab index."""
        self.side_tabs.setVisible(True)
        return self.side_tabs.addTab(widget, title)

    def add_page(self, widget: QWidget, title: str, shortcut: str | None = None) -> QShortcut:
        """A top-level page (call lists, call library, case review...).

        *shortcut* (e.g. ``"Ctrl+2"``) switches to it; by default Ctrl+<position>.
        Returns the QShortcut.
        """
        index = self.pages.addTab(widget, title)
        seq = shortcut or f"Ctrl+{index + 1}"
        self.pages.setTabToolTip(index, seq)
        sc = QShortcut(QKeySequence(seq), self)
        sc.activated.connect(lambda: self.pages.setCurrentWidget(widget))
        self._shortcuts[f"page:{title}"] = sc
        return sc

    def add_status_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """A permanent widget in the status bar (recording indicator, transcription queue)."""
        self.statusBar().addPermanentWidget(widget, stretch)

    # --- actions -------------------------------------------------------------------------
    def bring_to_front(self) -> None:
        if self.isMinimized() or not self.isVisible():
            self.showNormal()
        if QGuiApplication.platformName() != "offscreen":  # no stacking order there (it warns)
            self.raise_()
        self.activateWindow()

    def focus_search(self) -> None:
        self.pages.setCurrentIndex(0)
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def quick_create(self) -> None:
        lk = self.current_lookup
        number = lk.display if lk is not None and lk.is_new_caller else ""
        self.pages.setCurrentIndex(0)
        self.new_caller.start(number)
        self.stack.setCurrentWidget(self.new_caller)
        self.new_caller.last_name.setFocus()

    def back_to_card(self) -> None:
        self.pages.setCurrentIndex(0)
        if self.stack.currentWidget() is self.results and self.search_field.text():
            self.search_field.clear()
        if self.current_card is not None:
            self.stack.setCurrentWidget(self.card_view)
            self.card_view.setFocus()
        elif self.current_lookup is not None and self.current_lookup.needs_choice:
            self.stack.setCurrentWidget(self.chooser)
        else:
            self.stack.setCurrentWidget(self.placeholder)

    def reload_card(self) -> None:
        if self.current_card is not None:
            self.open_patient(self.current_card.patient_id)

    def show_chooser_again(self) -> None:
        if self.current_lookup is not None and self.current_lookup.needs_choice:
            self.pages.setCurrentIndex(0)
            self.chooser.show_lookup(self.current_lookup)
            self.stack.setCurrentWidget(self.chooser)
            self.chooser.list.setFocus()

    # --- internals -------------------------------------------------------------------------
    def _shortcut(self, name: str, keys: list[str], slot) -> None:
        for i, k in enumerate(keys):
            sc = QShortcut(QKeySequence(k), self)
            sc.activated.connect(slot)
            self._shortcuts[name if i == 0 else f"{name}:{k}"] = sc

    def _call_text(self, direction: str, display: str) -> str:
        if direction == "outbound":
            return "☎  " + self.tr("Calling %1").replace("%1", display)
        return "☎  " + self.tr("Incoming call %1").replace("%1", display)

    def _banner(self, text: str, warn: bool = False) -> None:
        self.banner_label.setText(text)
        # re-polished only when its look changes: a re-polish lays out and repaints the whole
        # window (scripts/bench_ui_stall.py; it was done twice for every call shown)
        set_look(self.banner, "warn", warn)
        self.banner.setVisible(True)

    def _show_card(self, card: Card) -> None:
        self.current_card = card
        lk = self.current_lookup
        if self._call_banner and lk is not None and any(m.id == card.patient_id for m in lk.matches):
            self._banner(self._call_banner + "  —  " + card.full_name)
        self.card_view.show_card(card, self.today())
        self.stack.setCurrentWidget(self.card_view)
        if not self.search_field.hasFocus():
            # not a family button by accident: a stray Enter mid-call must not open another card
            self.card_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setWindowTitle(f"{card.full_name} — CareCall")
        self.patient_opened.emit(card.patient_id)

    def _on_patient_created(self, patient_id: int) -> None:
        self.statusBar().showMessage(self.tr("Card created"), 5000)
        self.current_lookup = None
        self.open_patient(patient_id)

    def _on_search_chosen(self, patient_id: int) -> None:
        self.open_patient(patient_id)

    def _on_results_shown(self, _query: str, _count: int) -> None:
        self.pages.setCurrentIndex(0)
        self.stack.setCurrentWidget(self.results)

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, LookupError):
            log.warning("%s", exc)
            self.message.setText(self.tr("This patient is no longer in the database."))
            self.stack.setCurrentWidget(self.message)
            return
        self.message.setText(self.tr("Could not load the data: %1").replace("%1", str(exc)[:300]))
        self.stack.setCurrentWidget(self.message)
        show_error(exc, self)
