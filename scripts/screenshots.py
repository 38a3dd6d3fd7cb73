"""Render the main window on the demo clinic to PNG files (offscreen), in Russian.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--language ru] [--patients 400]

Uses ``app.demo.generate`` with its SHOWCASE numbers on a throw-away SQLite database; the
README shows the pictures. Look at them as an administrator would, mid-call, in a hurry.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 23)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--language", default="ru", choices=["ru", "en"])
    ap.add_argument("--patients", type=int, default=400)
    ap.add_argument("--size", default="1366x820", help="window size WxH")
    ap.add_argument("--bare", action="store_true", help="only the foundation window, no other areas' panels")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(x) for x in a.size.split("x"))

    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from app import demo
    from app.context import open_context
    from app.settings import Settings
    from ui.main import install_areas, make_app
    from ui.main_window import MainWindow
    from ui.tasks import SyncRunner

    tmp = Path(tempfile.mkdtemp(prefix="carecall-shots-"))
    settings = Settings()
    settings.logging.directory = str(tmp / "logs")
    ctx = open_context(settings, f"sqlite:///{tmp / 'demo.sqlite3'}")
    demo.generate(ctx.engine, a.patients, demo.DEFAULT_SEED, today=TODAY, bonus=settings.bonus)

    app = make_app(a.language)
    runner = SyncRunner()
    w = MainWindow(ctx.cards, runner, today=lambda: TODAY)
    if not a.bare:
        install_areas(w, ctx, runner)  # the script panel, call lists...: the window as shipped
    w.resize(width, height)
    w.show()
    made: list[Path] = []

    def shot(name: str) -> None:
        for _ in range(3):
            # processEvents() outside a running loop leaves deleteLater()'d widgets on screen
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        p = out / f"{name}.png"
        w.grab().save(str(p))
        made.append(p)

    def typed(widget, text: str) -> None:
        for ch in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    S = demo.SHOWCASE
    w.show_incoming(S["ivanova_mother"])
    shot("01_chooser_shared_number")
    w.chooser.choose_number(1)
    shot("02_card_plan_bonus_family")
    w.show_incoming(S["open_complaint"])
    shot("03_card_open_complaint")
    w.show_incoming(S["do_not_contact"])
    shot("04_card_do_not_contact")
    w.show_incoming("+7 999 000-12-34")
    shot("05_new_caller")
    typed(w.new_caller.first_name, "Мария")
    w.new_caller.birth_date.setText("31.02.1990")
    w.new_caller.save()
    shot("06_new_caller_validation")
    w.focus_search()
    typed(w.search_field, "иван")
    w.results.search_now()
    shot("07_search_results")
    w.close()
    ctx.close()
    for p in made:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
