"""The review area as one page of the main window: sign-in first, then the tabs this role may use.

``install(window, services, runner)`` adds it with ``MainWindow.add_page``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
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


class SignInForm(QWidget):
    signed_in = Signal(object)  # Principal

    def __init__(self, services: ReviewServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.rs = services
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
        try:
            p = self.rs.auth.sign_in(self.login.text(), self.password.text())
        except SignInRefused as e:
            self.error.setText(self._say(str(e)))
            self.password.clear()
            return
        self.error.clear()
        self.password.clear()
        self.signed_in.emit(p)

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
    Reports (supervisor, manager)."""

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
        self.sign_in_form = SignInForm(services)
        self.addWidget(self.sign_in_form)
        self.tabs: QTabWidget | None = None
        self.library = self.cases = self.reports = self.admin = None
        self.sign_in_form.signed_in.connect(self.open_for)

    def open_for(self, principal: Principal) -> None:
        from ui.review.cases import CaseReviewPage
        from ui.review.library import CallLibraryPage
        from ui.review.reports import ReportsPage

        self.principal = principal
        host = QWidget()
        lay = QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        who = QLabel(self.tr("%1 — %2").replace("%1", principal.full_name).replace("%2", labels.role(str(principal.role))))
        out = QPushButton(self.tr("Sign out"))
        head.addWidget(who)
        head.addStretch(1)
        head.addWidget(out)
        lay.addLayout(head)
        self.tabs = QTabWidget()
        self.library = CallLibraryPage(self.rs, principal, self.runner, jobs=self.jobs,
                                       retranscribe_choices=self.retranscribe_choices)
        self.tabs.addTab(self.library, self.tr("Calls"))
        if principal.can(Action.VIEW_PLAYLISTS):
            self.cases = CaseReviewPage(self.rs, principal, self.runner)
            self.tabs.addTab(self.cases, self.tr("Case review"))
        if principal.can(Action.REPORTS):
            self.reports = ReportsPage(self.rs, principal, self.runner)
            self.tabs.addTab(self.reports, self.tr("Reports"))
        if principal.can(Action.EDIT_TAXONOMY) or principal.can(Action.VIEW_AUDIT):
            from ui.review.admin import ReviewAdminPage

            self.admin = ReviewAdminPage(self.rs, principal, self.runner)
            self.admin.setMinimumHeight(1400)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(self.admin)
            self.tabs.addTab(scroll, self.tr("Settings"))
        lay.addWidget(self.tabs, 1)
        self.addWidget(host)
        self.setCurrentWidget(host)
        out.clicked.connect(self.sign_out)
        self.library.refresh()
        self.signed_in.emit(principal)

    def sign_out(self) -> None:
        w = self.currentWidget()
        if w is not self.sign_in_form:
            self.setCurrentWidget(self.sign_in_form)
            self.removeWidget(w)
            w.deleteLater()
        self.principal = None
        self.library = self.cases = self.reports = self.admin = None
        self.signed_out.emit()


def install_hub(window, services: ReviewServices, runner, shortcut: str = "Ctrl+Shift+R", jobs=None,
                retranscribe_choices: list[tuple[str, str, str]] | None = None) -> ReviewHub:
    services.ensure_defaults()
    hub = ReviewHub(services, runner, jobs=jobs, retranscribe_choices=retranscribe_choices)
    window.add_page(hub, QCoreApplication.translate("ReviewHub", "Review"), shortcut)
    return hub
