"""What one action costs the UI thread, unloaded: CPU per action and the longest event-loop turns.

    .venv/bin/python scripts/bench_ui_actions.py [--repeats 8] [--patients 2000] [--library-calls 1500]
                                                 [--lang ru] [--turns]

The load-independent side of scripts/bench_ui_stall.py (which measures stalls while a call is
recorded and transcribed, so its figures move with the box's load): the real main window
(offscreen, 1366 x 820, every ``WINDOW_MODULES`` area, the real ``TaskRunner``, the clinic style
sheet) on a demo clinic in SQLite with a signed-in supervisor's call library of
``--library-calls`` calls, no worker and no recording. For each action (an incoming call's card,
a call selected in the library, a library refresh, switching the page) it is done ``--repeats``
times; after each, the event loop runs for 0.7 s and the UI thread's CPU time over that second
(``time.thread_time``) is taken, minus the same loop with nothing to do. ``--turns`` also times
the events delivered after an action (an application event filter stamps each; the time up to the
next stamp is charged to the event before it, so a paint, a layout pass or a callback shows as
one turn), which slows the window a little: its figures are for finding the long turns.
Prints JSON. A private Secret Service holds the clinic key (tests/keyring_fixture.py).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=8)
    ap.add_argument("--patients", type=int, default=2000)
    ap.add_argument("--library-calls", type=int, default=1500)
    ap.add_argument("--lang", default="ru")
    ap.add_argument("--turns", action="store_true", help="time the event-loop turns after each action")
    a = ap.parse_args()

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    tmp = Path(tempfile.mkdtemp(prefix="carecall-ui-actions-"))
    for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[k] = str(tmp)
    from tests.keyring_fixture import SecretServiceSession

    svc = SecretServiceSession()
    svc.start()
    os.environ.update(svc.env)
    try:
        return run(a, tmp)
    finally:
        svc.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(a, tmp: Path) -> int:  # noqa: C901 - one benchmark, read top to bottom
    import keyring
    from keyring.backends import SecretService

    keyring.set_keyring(SecretService.Keyring())
    from datetime import datetime, timedelta, timezone

    from PySide6.QtCore import QEvent, QObject
    from sqlalchemy import select

    from app import demo
    from app.context import open_context
    from app.settings import Settings
    from db.models import Call, Patient, PatientPhone
    from db.session import write_session
    from ui.main import install_areas, make_app
    from ui.main_window import MainWindow
    from ui.review.hub import ReviewHub
    from ui.tasks import TaskRunner

    settings = Settings()
    settings.logging.directory = str(tmp / "logs")
    settings.asr.background_worker = False
    ctx = open_context(settings, f"sqlite:///{tmp / 'clinic.sqlite3'}")
    demo.generate(ctx.engine, a.patients, demo.DEFAULT_SEED, bonus=settings.bonus)
    rs = ctx.review
    rs.ensure_defaults()
    rs.users.add(None, "svetlana", "Светлана Котова", "supervisor", "bench-supervisor")
    adm = rs.users.add(None, "anna", "Анна Смирнова", "administrator", "bench-admin")
    rng = random.Random(3)
    with ctx.sessions() as s:
        phones = [r[0] for r in s.execute(select(PatientPhone.e164).order_by(PatientPhone.id).limit(200)).all()]
        patients = [r[0] for r in s.execute(select(Patient.id)).all()]
    now = datetime.now(timezone.utc)
    with write_session(ctx.sessions) as s:
        for k in range(a.library_calls):
            ring = now - timedelta(seconds=rng.uniform(4 * 3600, 30 * 86400))
            number = phones[k % len(phones)]
            s.add(Call(direction="inbound", number_raw=number, number_e164=number, patient_id=rng.choice(patients),
                       user_id=adm.id, source="ami", ring_at=ring, answer_at=ring + timedelta(seconds=6),
                       end_at=ring + timedelta(seconds=6 + rng.uniform(20, 400)), disposition="booked",
                       situation="incoming"))

    app = make_app(a.lang)
    runner = TaskRunner(app)
    w = MainWindow(ctx.cards, runner)
    install_areas(w, ctx, runner)
    w.resize(1366, 820)
    w.show()

    def settle(ms: float) -> None:
        end = time.perf_counter() + ms / 1000
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

    settle(3000)
    hub = next(w.pages.widget(i) for i in range(w.pages.count()) if isinstance(w.pages.widget(i), ReviewHub))
    w.pages.setCurrentWidget(hub)
    form = hub.sign_in_form
    form.login.setText("svetlana")
    form.password.setText("bench-supervisor")
    form.submit()
    deadline = time.monotonic() + 30
    while (hub.library is None or not hub.library.rows) and time.monotonic() < deadline:
        settle(100)
    lib = hub.library
    if lib is None or not lib.rows:
        raise RuntimeError("the call library did not fill")

    stamps: list[tuple[float, str, str]] = []

    class Stamp(QObject):
        def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
            stamps.append((time.perf_counter(), ev.type().name, type(obj).__name__ + (
                f"#{obj.objectName()}" if obj.objectName() else "")))
            return False

    stamp = Stamp()
    wait_ms = 700.0

    def measure(name: str, page, fn) -> dict:
        w.pages.setCurrentWidget(page)
        settle(300)
        c0 = time.thread_time()
        settle(wait_ms)
        idle = (time.thread_time() - c0) * 1000
        cpu, turns = [], collections.Counter()
        longest: list[tuple[float, str, str]] = []
        for _ in range(a.repeats):
            if a.turns:
                stamps.clear()
                app.installEventFilter(stamp)
            c0 = time.thread_time()
            t0 = time.perf_counter()
            fn()
            t1 = time.perf_counter()
            end = time.perf_counter() + wait_ms / 1000
            while time.perf_counter() < end:
                app.processEvents()
                if a.turns:
                    stamps.append((time.perf_counter(), "(loop)", ""))
                time.sleep(0.002)
            cpu.append((time.thread_time() - c0) * 1000 - idle)
            if a.turns:
                app.removeEventFilter(stamp)
                seq = [(t0, "(the action's handler)", name), (t1, "", "")] + stamps
                seq.sort(key=lambda x: x[0])
                for (ta, kind, who), (tb, _k, _w) in zip(seq, seq[1:]):
                    if kind in ("", "(loop)"):
                        continue
                    ms = (tb - ta) * 1000
                    turns[f"{kind} {who}"] += ms
                    longest.append((round(ms, 1), kind, who))
        cpu.sort()
        out = {"repeats": a.repeats, "ui_thread_cpu_ms": {"median": round(cpu[len(cpu) // 2], 1),
                                                          "min": round(cpu[0], 1), "max": round(cpu[-1], 1)},
               "idle_loop_cpu_ms": round(idle, 1)}
        if a.turns:
            out["ms_per_action_by_event"] = {k: round(v / a.repeats, 1) for k, v in turns.most_common(12)}
            out["longest_turns"] = sorted(longest, reverse=True)[:8]
        print(f"{name}: {out['ui_thread_cpu_ms']}", file=sys.stderr, flush=True)
        return out

    caller = w.pages.widget(0)
    result = {
        "window": [w.width(), w.height()], "patients": a.patients, "library_rows": len(lib.rows),
        "table_rows_visible": lib.table.viewport().height() // max(1, lib.table.verticalHeader().defaultSectionSize()),
        "actions": {
            "incoming": measure("incoming", caller, lambda: w.show_incoming(rng.choice(phones), source="bench")),
            "select_call": measure("select_call", hub, lambda: lib.table.selectRow(rng.randrange(len(lib.rows)))),
            "library_refresh": measure("library_refresh", hub, lib.refresh),
            "switch_page": measure("switch_page", caller,
                                   lambda: w.pages.setCurrentIndex((w.pages.currentIndex() + 1) % w.pages.count())),
        },
    }
    runner.wait(10_000)
    ctx.close()
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
