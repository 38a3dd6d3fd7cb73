"""The review area as one page of the main window: sign-in first, then the tabs this role may use.

``install(window, services, runner)`` adds it with ``MainWindow.add_page``."""

from __future__ import annotations

import logging
from functools import partial
from typing import Iterator

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.review.access import Action, Principal
from app.review.auth import SignInRefused
from app.review.services import ReviewServices
from ui.review import labels
from ui.review.admin import ReviewAdminPage
from ui.review.cases import CaseReviewPage
from ui.review.library import CallLibraryPage, LibraryChoices
from ui.review.reports import ReportsPage
from ui.tabs import TabWidget

log = logging.getLogger("carecall.review")


class SignInForm(QWidget):
    """Login and password. The password check (Argon2id, deliberately slow, plus a write to the
    audit log) runs on the task runner: the window stays live meanwhile (measured 1.3 s on the
    UI thread under load, scripts/bench_ui_stall.py)."""

    signed_in = Signal(object)  # Principal

    def __init__(self, services: ReviewServices, parent: QWidget | None = None, runner=None):
        super().__init__(parent)
        self.rs = services
        if runner is None:
            from ui.tasks import SyncRunner

            runner = SyncRunner()
        self.runner = runner
        self.busy = False
        #: set by the hub: after a successful check the form stays busy ("Signing in…") until
        #: the hub has built the pages and calls :meth:`finish`
        self.hold_after_sign_in = False
        self.login = QLineEdit()
        self.login.setObjectName("reviewLogin")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color:#b00020")
        self.error.setWordWrap(True)
        self.button = QPushButton(self.tr("Sign in"))
        self.button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("Login"), self.login)
        form.addRow(self.tr("Password"), self.password)
        box = QWidget()
        bl = QVBoxLayout(box)
        title = QLabel(self.tr("<h2>Call review</h2><p>Sign in to listen to, tag and score calls.</p>"))
        bl.addWidget(title)
        bl.addLayout(form)
        bl.addWidget(self.error)
        bl.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        box.setMaximumWidth(420)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box)
        outer.addStretch(1)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.login.returnPressed.connect(self.password.setFocus)

    def submit(self) -> None:
        if self.busy:
            return
        login, password = self.login.text(), self.password.text()
        self.password.clear()
        self._set_busy(True)
        self.error.setText(self.tr("Signing in…"))
        self.runner.run(lambda: self.rs.auth.sign_in(login, password), self._on_signed_in, self._on_refused,
                        receiver=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.button, self.login, self.password):
            w.setEnabled(not busy)

    def _on_signed_in(self, principal: Principal) -> None:
        if not self.hold_after_sign_in:
            self.finish()
        self.signed_in.emit(principal)

    def finish(self) -> None:
        """Ready for the next sign-in (after a held one: the pages are on screen)."""
        self._set_busy(False)
        self.error.clear()

    def fail(self, exc: BaseException) -> None:
        """A held sign-in could not be completed (the pages' data could not be read)."""
        self._on_refused(exc)

    def _on_refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, SignInRefused):
            self.error.setText(self._say(str(exc)))
        else:  # the database is unreachable, say: shown here, the details in the log
            log.error("sign-in failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.error.setText(self.tr("Cannot sign in: %1").replace("%1", str(exc)[:200]))
        self.password.setFocus()

    def _say(self, msg: str) -> str:
        """The service's refusal in the interface language."""
        if msg == "wrong login or password":
            return self.tr("Wrong login or password")
        if msg.startswith("this account is disabled"):
            return self.tr("This account is disabled; ask the clinic manager")
        if msg.startswith("too many wrong passwords"):
            return self.tr("Too many wrong passwords: the account is locked for a while")
        return msg


class ReviewHub(QStackedWidget):
    """Sign-in, then tabs: Calls (everyone), Case review (trainer, supervisor, manager),
    Reports (supervisor, manager), Settings (taxonomy, audit).

    Signing in builds the Calls page only; the other pages are built the first time their tab
    is opened (or ``hub.cases`` / ``hub.reports`` / ``hub.admin`` is read): building all four at
    once held the UI thread for 0.25-0.6 s (scripts/bench_ui_stall.py). Their modules are
    imported with this one, at start-up, not at the first sign-in. The Calls page itself is read
    (filter choices, tags) on the runner and built in slices, one per event-loop turn, while the
    form still says "Signing in…" (at once: 130-200 ms on the UI thread under load).

    Nothing the hub keeps refers back to it (no closure over ``self`` in its attributes): a
    reference cycle would leave a hub without a parent (tests, a closed window) to Python's cycle
    collector, which deletes the whole widget tree at whatever allocation it happens to run, once
    in the middle of that tree's own ``WaveformView.paintEvent`` (a segfault). Without a cycle the
    tree goes when its last reference does. (A build in slices is held by Qt's single-shot timer
    between slices, never by the hub.)"""

    signed_in = Signal(object)
    signed_out = Signal()

    def __init__(self, services: ReviewServices, runner, parent: QWidget | None = None, jobs=None,
                 retranscribe_choices: list[tuple[str, str, str]] | None = None):
        super().__init__(parent)
        self.rs = services
        self.runner = runner
        self.jobs = jobs  # the transcription queue for the library's per-call status
        self.retranscribe_choices = retranscribe_choices
        self.principal: Principal | None = None
        self.sign_in_form = SignInForm(services, runner=runner)
        self.addWidget(self.sign_in_form)
        self.tabs: QTabWidget | None = None
        self.library: CallLibraryPage | None = None
        self._pages: dict[str, QWidget] = {}
        self._lazy: dict[str, tuple[QWidget, str]] = {}  # key -> (placeholder tab, title)
        self._building: object | None = None  # the sign-in being built in slices
        self.sign_in_form.hold_after_sign_in = True
        self.sign_in_form.signed_in.connect(self._on_form_signed_in)

    # the pages after the Calls page, built on first use
    @property
    def cases(self) -> CaseReviewPage | None:
        return self._page("cases")

    @property
    def reports(self) -> ReportsPage | None:
        return self._page("reports")

    @property
    def admin(self) -> ReviewAdminPage | None:
        return self._page("admin")

    def open_for(self, principal: Principal) -> None:
        """Show the tabs for *principal* at once (the sign-in form builds them in slices)."""
        self._building = None
        for _ in self._open_steps(principal, None):
            pass

    def _on_form_signed_in(self, principal: Principal) -> None:
        """The password was right: read what the Calls page offers (administrators, situations,
        tags) on the runner, then build the page in slices, one per event-loop turn, with the
        form still saying "Signing in…"; the tabs are shown when complete. Built at once it held
        the UI thread 130-200 ms under load (scripts/bench_ui_stall.py)."""
        rs = self.rs
        token = object()  # a sign-out (or another sign-in) meanwhile ends this one
        self._building = token
        self.runner.run(lambda: LibraryChoices.read(rs, principal),
                        partial(self._build_in_slices, principal, token), partial(self._choices_failed, token),
                        receiver=self)

    def _choices_failed(self, token: object, exc: BaseException) -> None:
        if self._building is token:
            self._building = None
            self.sign_in_form.fail(exc)

    def _build_in_slices(self, principal: Principal, token: object, choices: LibraryChoices) -> None:
        if self._building is token:
            self._next_slice(self._open_steps(principal, choices), token)

    def _next_slice(self, steps, token: object) -> None:
        # the pending step is held by Qt's timer only (not by the hub: no reference cycle)
        if self._building is not token:
            steps.close()
            return
        try:
            next(steps)
        except StopIteration:
            return
        except Exception as e:  # noqa: BLE001 - said in the form, logged there
            self._building = None
            self.sign_in_form.fail(e)
            return
        QTimer.singleShot(0, self, partial(self._next_slice, steps, token))

    def _open_steps(self, principal: Principal, choices: LibraryChoices | None) -> Iterator[None]:
        """Build the tabs for *principal*; yields between parts. The host joins the stack at once
        (hidden; small, so cheap) and everything is made inside it: re-parenting a built tree
        walks it again under the style sheet."""
        host = QWidget()
        self.addWidget(host)
        try:
            lay = QVBoxLayout(host)
            lay.setContentsMargins(0, 0, 0, 0)
            head = QHBoxLayout()
            lay.addLayout(head)
            who = QLabel(self.tr("%1 — %2").replace("%1", principal.full_name)
                         .replace("%2", labels.role(str(principal.role))), host)
            out = QPushButton(self.tr("Sign out"), host)
            head.addWidget(who)
            head.addStretch(1)
            head.addWidget(out)
            tabs = TabWidget(host)
            lay.addWidget(tabs, 1)
            library = CallLibraryPage(self.rs, principal, self.runner, jobs=self.jobs,
                                      retranscribe_choices=self.retranscribe_choices, choices=choices, build=False)
            tabs.addTab(library, self.tr("Calls"))
            for _ in library.build_steps():
                yield
            lazy: dict[str, tuple[QWidget, str]] = {}
            for key, title, allowed in (
                    ("cases", self.tr("Case review"), principal.can(Action.VIEW_PLAYLISTS)),
                    ("reports", self.tr("Reports"), principal.can(Action.REPORTS)),
                    ("admin", self.tr("Settings"),
                     principal.can(Action.EDIT_TAXONOMY) or principal.can(Action.VIEW_AUDIT))):
                if allowed:
                    holder = QWidget()
                    lazy[key] = (holder, title)
                    tabs.addTab(holder, title)
            yield
        except BaseException:
            self.removeWidget(host)
            host.deleteLater()
            raise
        self._building = None
        self.principal = principal
        self.tabs, self.library = tabs, library
        self._pages, self._lazy = {}, lazy
        tabs.currentChanged.connect(self._on_tab)
        out.clicked.connect(self.sign_out)
        self.sign_in_form.finish()  # as before: the form is usable again, then the tabs replace it
        self.setCurrentWidget(host)
        self.library.refresh()
        self.signed_in.emit(principal)

    def _make(self, key: str) -> QWidget:
        """The page for *key*, for the principal signed in (a method, not a stored closure: see
        the class docstring)."""
        if key == "cases":
            return CaseReviewPage(self.rs, self.principal, self.runner)
        if key == "reports":
            return ReportsPage(self.rs, self.principal, self.runner)
        page = ReviewAdminPage(self.rs, self.principal, self.runner)
        page.setMinimumHeight(1400)
        return page

    def _on_tab(self, index: int) -> None:
        w = self.tabs.widget(index)
        for key, (holder, _title) in list(self._lazy.items()):
            if holder is w:
                self._page(key)

    def _page(self, key: str) -> QWidget | None:
        if key in self._pages:
            return self._pages[key]
        if key not in self._lazy or self.tabs is None:
            return None
        holder, title = self._lazy.pop(key)
        page = self._make(key)
        shown = page
        if key == "admin":  # tall: in a scroll area
            shown = QScrollArea()
            shown.setWidgetResizable(True)
            shown.setWidget(page)
        i, current = self.tabs.indexOf(holder), self.tabs.currentIndex()
        was = self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, shown, title)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(was)
        holder.deleteLater()
        self._pages[key] = page
        return page

    def sign_out(self) -> None:
        if self._building is not None:  # a build in slices stops; its next slice drops its host
            self._building = None
            self.sign_in_form.finish()
        w = self.currentWidget()
        if w is not self.sign_in_form:
            self.runner.discard(w)  # a call still loading is not shown on a page being deleted
            self.setCurrentWidget(self.sign_in_form)
            self.removeWidget(w)
            w.deleteLater()
        self.principal = None
        self.library = None
        self._pages, self._lazy = {}, {}
        self.signed_out.emit()


def install_hub(window, services: ReviewServices, runner, shortcut: str = "Ctrl+Shift+R", jobs=None,
                retranscribe_choices: list[tuple[str, str, str]] | None = None) -> ReviewHub:
    services.ensure_defaults()
    hub = ReviewHub(services, runner, jobs=jobs, retranscribe_choices=retranscribe_choices)
    window.add_page(hub, QCoreApplication.translate("ReviewHub", "Review"), shortcut)
    return hub
