"""Time from a ringing number to the card on screen, through the real task runner (offscreen).

    .venv/bin/python scripts/bench_ui_card.py [--patients 2000] [--rounds 20] [--database URL]

Prints JSON: milliseconds from ``MainWindow.show_incoming`` to ``incoming_shown`` (card,
chooser or new caller painted data), per kind of number. Target: under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--database", help="an existing demo database (default: a fresh SQLite one)")
    a = ap.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QTimer

    from app import demo
    from app.context import open_context
    from app.settings import Settings
    from ui.main import make_app
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    tmp = Path(tempfile.mkdtemp(prefix="carecall-bench-"))
    settings = Settings()
    settings.logging.directory = str(tmp / "logs")
    url = a.database or f"sqlite:///{tmp / 'demo.sqlite3'}"
    ctx = open_context(settings, url)
    today = date.today()
    if not a.database:
        demo.generate(ctx.engine, a.patients, demo.DEFAULT_SEED, today=today, bonus=settings.bonus)
    app = make_app("ru")
    runner = TaskRunner()
    w = MainWindow(ctx.cards, runner, today=lambda: today)
    w.resize(1280, 820)
    w.show()
    app.processEvents()

    def once(number: str) -> float:
        loop = QEventLoop()
        w.incoming_shown.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        t0 = time.perf_counter()
        w.show_incoming(number)
        loop.exec()
        w.repaint()  # the card is painted, not just set
        ms = (time.perf_counter() - t0) * 1000
        w.incoming_shown.disconnect(loop.quit)
        return ms

    kinds = {
        "single_patient": demo.SHOWCASE["open_complaint"],
        "shared_number_chooser": demo.SHOWCASE["ivanova_mother"],
        "new_caller": "+7 999 000-12-34",
    }
    out = {"patients": a.patients if not a.database else None, "backend": ctx.engine.dialect.name,
           "rounds": a.rounds, "ms": {}}
    for kind, number in kinds.items():
        once(number)  # warm-up
        xs = sorted(once(number) for _ in range(a.rounds))
        out["ms"][kind] = {"median": round(statistics.median(xs), 1), "p90": round(xs[int(len(xs) * 0.9) - 1], 1),
                           "max": round(xs[-1], 1)}
    runner.wait()
    ctx.close()
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
