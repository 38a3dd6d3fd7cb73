"""How long does the review call library take to show a page of calls on the UI thread?

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_library_fill.py [--rows 500 2000] [--repeat 5]

A real ``CallLibraryPage`` (SQLite, real services) shown at 1366x820 is handed ready-made
``CallRow`` lists (what the library query returns: dates, names, numbers, tags, transcript
snippets) and ``_show_rows`` is timed, then the paint that follows (``QApplication.processEvents``
after a ``repaint``), then selecting a row. Prints JSON: median and max per size, in ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_rows(n: int, seed: int = 5):
    from app.review.library import CallRow

    r = random.Random(seed)
    now = datetime.now(timezone.utc)
    names = ["Иванова Ольга Петровна", "Смирнов Алексей Игоревич", "Кузнецова Мария Сергеевна",
             "Попов Дмитрий Андреевич", "Васильева Екатерина Юрьевна"]
    tags = ["booked", "rude", "price", "bonus", "complaint"]
    rows = []
    for i in range(n):
        rows.append(CallRow(
            call_id=i + 1, ring_at=now - timedelta(seconds=r.uniform(0, 30 * 86400)), user_id=1,
            administrator="Анна Смирнова", patient_id=i, patient=r.choice(names),
            number=f"+7 916 {r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(10, 99)}",
            direction=r.choice(["inbound", "outbound"]), situation="incoming",
            disposition=r.choice(["booked", "declined", "callback"]), duration_s=r.uniform(10, 600),
            score=None if r.random() < 0.5 else r.uniform(0, 100), tags=tuple(r.sample(tags, r.randint(0, 2))),
            recording_id=None,
            highlights=(("…сколько стоит [[пломба]] у вас…",) if r.random() < 0.3 else ())))
    rows.sort(key=lambda x: x.ring_at, reverse=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[500, 2000])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from app.domain import Role
    from app.review.access import Principal
    from app.review.services import ReviewServices
    from db.session import make_engine, session_factory, upgrade
    from ui.review.library import CallLibraryPage
    from ui.tasks import SyncRunner

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="carecall-libfill-"))
    engine = make_engine(f"sqlite:///{tmp / 'db.sqlite3'}")
    upgrade(engine)
    rs = ReviewServices(session_factory(engine))
    rs.ensure_defaults()
    principal = Principal(user_id=1, login="sup", full_name="Светлана", role=Role.SUPERVISOR)
    page = CallLibraryPage(rs, principal, SyncRunner())
    page.resize(1366, 820)
    page.show()
    app.processEvents()
    out = {"implementation": type(page.table).__name__, "sizes": {}}
    for n in a.rows:
        rows = make_rows(n)
        fill, paint, select = [], [], []
        for k in range(a.repeat + 1):
            page._show_rows([])
            app.processEvents()
            t0 = time.perf_counter()
            page._show_rows(rows)
            t1 = time.perf_counter()
            page.table.viewport().repaint()
            app.processEvents()
            t2 = time.perf_counter()
            page.table.selectRow(3 + k)
            app.processEvents()
            t3 = time.perf_counter()
            if k:  # the first round warms caches up
                fill.append((t1 - t0) * 1000)
                paint.append((t2 - t1) * 1000)
                select.append((t3 - t2) * 1000)
        assert page.selected_call() == rows[3 + a.repeat].call_id
        out["sizes"][n] = {name: {"median_ms": round(statistics.median(v), 1), "max_ms": round(max(v), 1)}
                           for name, v in (("fill", fill), ("paint", paint), ("select", select))}
    import os

    out["load_average_1min"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, indent=1))
    page.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
