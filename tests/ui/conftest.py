"""UI fixtures: a small clinic, the card service, and a main window with the style sheet."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f

TODAY = date(2026, 11, 23)


@pytest.fixture
def ui_url(sqlite_url):
    """The caller-window tests run on SQLite; test_postgres.py overrides this with PostgreSQL.

    (Not an override of ``db_url``: other areas' tests under tests/ui keep both backends.)
    """
    return sqlite_url


@pytest.fixture
def ui_sessions(ui_url):
    from db.session import make_engine, session_factory

    e = make_engine(ui_url)
    yield session_factory(e)
    e.dispose()


@pytest.fixture
def clinic(ui_sessions):
    """Olga and her son share a mobile; Andrei asked not to be called; Maria has no family."""
    with ui_sessions() as s, s.begin():
        d = f.doctor(s)
        cons = f.service(s, "C01", "Консультация стоматолога", price=1500, is_consultation=True)
        fill = f.service(s, "T10", "Пломба световая", price=6500)
        fam = f.family(s)
        olga = f.patient(s, phones=("+79161234567", "+74951234567"), family=fam, family_role="мать",
                         comments="Боится уколов", consent_recording=False, preferred_channel="whatsapp")
        son = f.patient(s, "Иванов", "Пётр", "Сергеевич", "M", date(2012, 5, 2), phones=("+79161234567",),
                        family=fam, family_role="сын")
        lone = f.patient(s, "Соколов", "Андрей", "Игоревич", "M", date(1970, 1, 30), phones=("+79035550011",),
                         do_not_contact=True)
        maria = f.patient(s, "Кузнецова", "Мария", "Ильинична", "F", date(1990, 7, 7), phones=("+79265550022",),
                          consent_calls=False)
        f.visit(s, olga, d, f.dt(2026, 5, 10), [cons])
        f.visit(s, olga, d, f.dt(2026, 6, 1), [fill])
        f.plan(s, olga, d, "Лечение кариеса", date(2026, 5, 10),
               [("Пломба 36", 6500, date(2026, 6, 1), "done"), ("Пломба 46", 6500, date(2026, 7, 1), "due"),
                ("Чистка", 4500, date(2027, 1, 15), "due"), ("Отбеливание", 15000, None, "declined")])
        f.appointment(s, olga, d, f.dt(2026, 12, 2, 15), fill)
        f.bonus(s, olga, "accrual", 500, date(2026, 5, 10), date(2026, 11, 30))
        f.bonus(s, olga, "accrual", 1000, date(2026, 6, 1), date(2027, 6, 1))
        f.bonus(s, olga, "redemption", 300, date(2026, 6, 1))
        f.complaint(s, olga, "Долго ждала в холле")
        ids = dict(olga=olga.id, son=son.id, lone=lone.id, maria=maria.id)
    return ids


@pytest.fixture
def cards(ui_sessions):
    from app.card import CardService

    return CardService(ui_sessions)


@pytest.fixture
def english(qapp):
    """English, as the program runs with --language en (plural forms from carecall_en.qm)."""
    from ui.main import install_translators, remove_translators

    ts = install_translators(qapp, "en")
    yield ts
    remove_translators(qapp, ts)


@pytest.fixture
def russian(qapp, english):
    from ui.main import install_translators, remove_translators

    remove_translators(qapp, english)
    ts = install_translators(qapp, "ru")
    assert any(t.filePath().endswith("carecall_ru.qm") for t in ts), "no Russian translation loaded"
    yield ts
    remove_translators(qapp, ts)


@pytest.fixture
def make_window(qtbot, cards):
    """A main window with the style sheet; ``runner`` is a SyncRunner unless given."""
    from ui.main import style_sheet
    from ui.main_window import MainWindow
    from ui.tasks import SyncRunner

    def make(runner=None, svc=None):
        w = MainWindow(svc or cards, runner or SyncRunner(), today=lambda: TODAY)
        w.setStyleSheet(style_sheet())
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make
