"""The composition root: settings -> logging -> translators -> database -> window + IPC.

``run(settings, args)`` is called by ``carecall`` / ``carecall gui`` (app/commands/gui.py).
Everything else in ui/ receives what it needs through constructor arguments.
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
from importlib import resources
from typing import Callable

log = logging.getLogger("carecall.ui")

#: Areas that put pages, side panels or status widgets into the window: modules with
#: ``install(window, ctx, runner)``, called in this order once the window exists. One line each.
WINDOW_MODULES: list[str] = [
    "ui.scripts.wiring",
    "ui.review.wiring",
    "ui.recording.wiring",
    "ui.mis.wiring",  # issue 7: import from MIS page, open card follows other workstations
    "ui.telephony.wiring",  # issue 5: call bar, missed calls, softphone / AMI / webhook
    "ui.transcription.wiring",  # issue 4: transcription queue indicator, background worker
]

#: self-test checks: ``check(ctx) -> str`` returns what was checked, raises on failure.
#: Other areas append theirs (e.g. transcription of the bundled sample).
SELF_TEST_CHECKS: list[Callable] = []


# --- translations and style --------------------------------------------------------------
def translation_files(lang: str) -> list[str]:
    """Every ``resources/translations/*_<lang>.qm`` (one per area)."""
    base = resources.files("resources") / "translations"
    if not base.is_dir():
        return []
    return sorted(str(p) for p in base.iterdir() if p.name.endswith(f"_{lang}.qm"))


def install_translators(app, lang: str) -> list:
    """Install the areas' translators and Qt's own (qtbase) for *lang*; returns them."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    installed = []
    QLocale.setDefault(QLocale(lang))
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    for path in translation_files(lang):
        t = QTranslator(app)
        if t.load(path):
            app.installTranslator(t)
            installed.append(t)
        else:
            log.warning("cannot load translation %s", path)
    return installed


def remove_translators(app, translators: list) -> None:
    for t in translators:
        app.removeTranslator(t)


def style_sheet() -> str:
    f = resources.files("resources") / "style" / "carecall.qss"
    return f.read_text(encoding="utf-8") if f.is_file() else ""


#: How long another Python thread of the window's process may keep the GIL once the UI thread
#: asks for it (Python's default: 5 ms). The UI thread needs the GIL for every Python slot and for
#: every virtual call on a widget made from Python (shiboken looks for a Python override), many
#: per repaint; the runner's threads (database reads, decoding) and the recorder's hold it while
#: they run Python code. 1 ms: those wait at most this long each time.
UI_SWITCH_INTERVAL_S = 0.001


def make_app(lang: str):
    from PySide6.QtWidgets import QApplication

    from app.settings import APP_AUTHOR, APP_NAME

    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "carecall"])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app._carecall_translators = install_translators(app, lang)  # type: ignore[attr-defined]
    app.setStyleSheet(style_sheet())
    return app


# --- self-test ------------------------------------------------------------------------------
def _check_card(ctx) -> str:
    from sqlalchemy import select

    from db.models import Patient
    from ui.card_view import CardView
    from ui.new_caller import NewCallerForm
    from ui.tasks import SyncRunner

    with ctx.sessions() as s:
        pid = s.scalars(select(Patient.id).order_by(Patient.id).limit(1)).first()
    if pid is None:
        form = NewCallerForm(ctx.cards, SyncRunner())
        form.start("+7 916 000-00-00")
        form.resize(900, 600)
        if form.grab().isNull():
            raise RuntimeError("the new caller form did not render")
        return "no patients yet: rendered the new-caller form"
    card = ctx.cards.card(pid)
    view = CardView()
    view.resize(1100, 800)
    view.show_card(card)
    if view.grab().isNull() or view.name_label.text() != card.full_name:
        raise RuntimeError("the card did not render")
    return f"rendered the card of patient {pid}"


def self_test(ctx) -> list[str]:
    """Run every check; returns the failures (empty: all good). Prints each result."""
    failures = []
    for check in [_check_card, *SELF_TEST_CHECKS]:
        name = getattr(check, "__name__", str(check))
        try:
            print(f"ok   {name}: {check(ctx)}")
        except Exception as e:  # noqa: BLE001
            log.exception("self-test %s failed", name)
            print(f"FAIL {name}: {e}")
            failures.append(f"{name}: {e}")
    return failures


# --- first start: the demo clinic -------------------------------------------------------------
def _demo_module():
    try:
        import app.demo as demo
    except ImportError as e:
        if getattr(e, "name", "") not in ("app.demo",):
            raise
        return None
    return demo


def _ensure_demo_call(engine, settings, progress=None):
    demo = _demo_module()
    if demo is None or not hasattr(demo, "ensure_demo"):
        raise RuntimeError("the demo clinic generator (app.demo.ensure_demo) is not available in this build")
    fn = demo.ensure_demo
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    if progress is not None and "progress" in params:
        return fn(engine, settings, progress=progress)
    return fn(engine, settings)


def _already_running(app) -> None:
    from PySide6.QtWidgets import QMessageBox

    text = app.translate("Startup", "CareCall is already running on this computer. Incoming calls go to that window.")
    log.warning("another CareCall is already running: not starting a second one")
    print("carecall: CareCall is already running on this computer", file=sys.stderr)
    QMessageBox.information(None, "CareCall", text)


def install_areas(window, ctx, runner) -> list[str]:
    """Call every ``WINDOW_MODULES`` module's ``install``; one that fails is logged and shown,
    the window still opens. Returns the modules installed."""
    import importlib

    from ui.errors import show_error

    done = []
    for name in WINDOW_MODULES:
        try:
            importlib.import_module(name).install(window, ctx, runner)
        except Exception as e:  # noqa: BLE001 - one broken area must not keep the card away
            log.exception("cannot install %s into the window", name)
            show_error(e, window)
        else:
            done.append(name)
    return done


def freeze_start_up_objects() -> int:
    """Take what start-up made (modules, widgets, ORM mappers, translations: ~170,000 objects
    that live as long as the program) out of the garbage collector's walks. A full collection
    holds the GIL for its whole pass, in whichever thread set it off: measured 110-290 ms with
    the UI thread blocked during a call (scripts/bench_ui_stall.py). Returns how many were frozen."""
    import gc

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


# --- run -------------------------------------------------------------------------------------------
def run(settings, args) -> int:
    from app.context import is_empty, open_context
    from app.logs import setup_logging
    from db.session import DatabaseError

    lang = getattr(args, "language", None) or settings.ui.language or "ru"
    self_testing = bool(getattr(args, "self_test", False))
    if self_testing:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # issue 7: a temporary demo clinic unless --database is given; resources + model checks
        from app.selftest import prepare_self_test

        try:
            prepare_self_test(settings, args, SELF_TEST_CHECKS)
        except Exception as e:  # noqa: BLE001
            print(f"self-test FAILED: cannot create the demo database: {e}", file=sys.stderr)
            return 1
    try:
        log_path = setup_logging(settings, console=True)
    except OSError as e:
        print(f"carecall: cannot write the log: {e}", file=sys.stderr)
        log_path = None
    log.info("starting CareCall (language %s, log %s)", lang, log_path)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from ui.errors import install_excepthook

    app = make_app(lang)
    install_excepthook()

    if not self_testing:
        from ui.ipc import another_instance_running

        if another_instance_running(settings.ipc_path()):
            # before the database and the demo clinic: nothing to wait for
            _already_running(app)
            return 1

    try:
        ctx = open_context(settings, getattr(args, "database", None), config_path=getattr(args, "config", None))
    except DatabaseError as e:
        log.error("database: %s", e)
        if self_testing:
            print(f"self-test FAILED: {e}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, "CareCall", app.translate("Startup", "Cannot open the database: %1")
                             .replace("%1", str(e)))
        return 1

    if self_testing:
        try:
            failures = self_test(ctx)
        finally:
            ctx.close()
        if failures:
            print("self-test FAILED", file=sys.stderr)
            return 1
        print("self-test ok")
        return 0

    from ui.tasks import TaskRunner

    from ui.errors import show_error

    # a background task that fails without its own handler: logged and shown, never silent
    runner = TaskRunner(app, default_on_error=lambda exc: show_error(exc, state.get("window")))
    state: dict = {}

    def start_window() -> None:
        from ui.ipc import AlreadyRunning, IpcServer
        from ui.main_window import MainWindow

        w = MainWindow(ctx.cards, runner)
        state["window"] = w
        install_areas(w, ctx, runner)
        server = IpcServer(w, settings.ipc_path(), settings.phone.default_region, w)
        try:
            server.start()
        except AlreadyRunning:  # started between the early check and now
            w.deleteLater()
            _already_running(app)
            # quit() before exec() does nothing: leave through the event loop once it runs
            QTimer.singleShot(0, lambda: app.exit(1))
            return
        except OSError as e:
            log.warning("no IPC: %s", e)
            w.statusBar().showMessage(app.translate("Startup", "Incoming calls from the PBX are off: %1")
                                      .replace("%1", str(e)), 15000)
        state["server"] = server
        w.show()
        from ui.media import prepare_players

        prepare_players()
        log.info("start-up objects frozen for the garbage collector: %d", freeze_start_up_objects())

    empty = False
    try:
        empty = is_empty(ctx.engine)
    except Exception as e:  # noqa: BLE001
        log.warning("cannot count patients: %s", e)
    if empty and settings.database.demo_patients > 0:
        if _demo_module() is None:
            log.warning("empty database and no app.demo: starting with an empty clinic")
            QMessageBox.information(None, "CareCall", app.translate(
                "Startup", "The database is empty and the demo clinic generator is not part of this build. "
                           "CareCall starts with an empty clinic."))
            start_window()
        else:
            from PySide6.QtCore import QObject, Signal, Slot

            class _Progress(QObject):
                changed = Signal(int, int)

                def __init__(self, dialog):
                    super().__init__(dialog)
                    self.dialog = dialog
                    self.changed.connect(self._on_changed)

                @Slot(int, int)
                def _on_changed(self, done: int, total: int) -> None:
                    self.dialog.setMaximum(max(total, 1))
                    self.dialog.setValue(done)

            dlg = QProgressDialog(app.translate("Startup", "First start: creating a demo clinic…"), "", 0, 0)
            dlg.setCancelButton(None)
            dlg.setWindowTitle("CareCall")
            dlg.setMinimumDuration(0)
            dlg.show()
            bridge = _Progress(dlg)  # emitted from the worker, delivered queued on the UI thread
            state["progress"] = bridge

            def demo_done(_result) -> None:
                dlg.close()
                start_window()

            def demo_failed(exc: BaseException) -> None:
                dlg.close()
                from ui.errors import show_error

                show_error(exc, modal=True)
                start_window()

            runner.run(lambda: _ensure_demo_call(ctx.engine, settings, bridge.changed.emit), demo_done, demo_failed)
    else:
        start_window()

    code = app.exec()
    runner.wait(10_000)
    if "server" in state:
        state["server"].close()
    ctx.close()
    return int(code)
