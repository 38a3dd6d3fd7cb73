"""The review page is installed into the real main window through ui.main.WINDOW_MODULES."""

from __future__ import annotations

from app.context import open_context
from ui.main import WINDOW_MODULES, install_areas
from ui.main_window import MainWindow
from ui.review.hub import ReviewHub
from ui.tasks import SyncRunner


def test_review_page_in_main_window(qtbot, settings, sqlite_url):
    assert "ui.review.wiring" in WINDOW_MODULES
    settings.review.max_failed_sign_ins = 3
    ctx = open_context(settings, sqlite_url)
    try:
        w = MainWindow(ctx.cards, SyncRunner())
        qtbot.addWidget(w)
        assert "ui.review.wiring" in install_areas(w, ctx, SyncRunner())
        titles = [w.pages.tabText(i) for i in range(w.pages.count())]
        assert "Review" in titles
        hub = w.pages.widget(titles.index("Review"))
        assert isinstance(hub, ReviewHub) and hub.currentWidget() is hub.sign_in_form
        assert ctx.review.tags.taxonomy()  # defaults seeded
        assert ctx.review.auth.max_failures == 3
    finally:
        ctx.close()


def test_russian_translation_of_the_review_pages(qtbot, qapp, sqlite_url):
    from importlib import resources

    from PySide6.QtCore import QTranslator

    from app.review.services import ReviewServices
    from db.session import make_engine, session_factory
    from ui.review.hub import SignInForm

    qm = resources.files("resources") / "translations" / "review_ru.qm"
    t = QTranslator()
    assert t.load(str(qm))
    qapp.installTranslator(t)
    e = make_engine(sqlite_url)
    try:
        form = SignInForm(ReviewServices(session_factory(e)))
        qtbot.addWidget(form)
        assert form.button.text() == "Войти"
        form.login.setText("nobody")
        form.password.setText("x")
        form.submit()
        assert form.error.text() == "Неверный логин или пароль"
    finally:
        qapp.removeTranslator(t)
        e.dispose()
