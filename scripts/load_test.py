"""Load test: N simulated workstations (processes) against a scratch PostgreSQL database.

    .venv/bin/python scripts/load_test.py [--workstations 20] [--seconds 30]
        [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--keep]

Prints JSON: throughput and p50/p95/max latency per operation, the cross-workstation change
notifier's delivery lag, and the integrity checks (no lost, duplicated or double-claimed rows);
exit code 1 if a check fails. See app/loadtest.py for what each workstation does (transcription
jobs are completed by a fake engine: the model is not what is measured).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _run(args):
    from app.loadtest import workstation

    return workstation(*args)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workstations", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--patients", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=400)
    ap.add_argument("--entries", type=int, default=400)
    ap.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    a = ap.parse_args()

    from app import loadtest as L
    from app.sync import ChangeNotifier
    from db.session import make_engine, upgrade

    url = L.scratch_database(a.admin_url)
    try:
        e = make_engine(url)
        upgrade(e)
        e.dispose()
        t0 = time.perf_counter()
        info = L.seed(url, a.patients, a.jobs, a.entries)
        seeded = time.perf_counter() - t0
        # a listening workstation: how late does it learn of the others' dispositions?
        lags: list[float] = []
        lock = threading.Lock()

        def on_events(evs):
            now = datetime.now(timezone.utc)
            with lock:
                lags.extend((now - ev.created_at).total_seconds() for ev in evs if ev.topic == "call_disposition")

        le = make_engine(url)
        notifier = ChangeNotifier(le, on_events)
        notifier.start()
        start_at = time.time() + 3.0
        work = [(f"ws{i:02d}", url, a.seconds, info["phones"], info["today"], start_at, i)
                for i in range(a.workstations)]
        ctx = mp.get_context("fork")
        with ctx.Pool(a.workstations) as pool:
            reports = pool.map(_run, work)
        time.sleep(1.5)  # let the listener catch the last commits
        notifier.stop()
        le.dispose()
        checks = L.verify(url, reports)
        lag_sorted = sorted(lags)
        out = {
            "workstations": a.workstations, "seconds": a.seconds, "database": "postgresql",
            "seeded": {"patients": a.patients, "jobs": info["jobs"], "list_entries": info["entries"],
                       "seconds": round(seeded, 1)},
            "cpu_cores": mp.cpu_count(),
            "operations": L.summarize(reports, a.seconds),
            "change_notifier": {
                "mode": notifier.mode, "events": len(lags),
                "p50_lag_ms": round(L._pct(lag_sorted, 50) * 1000, 1),
                "p95_lag_ms": round(L._pct(lag_sorted, 95) * 1000, 1),
                "max_lag_ms": round(max(lag_sorted, default=0) * 1000, 1),
            },
            "checks": checks,
            "ok": L.ok(checks),
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0 if out["ok"] else 1
    finally:
        if not a.keep:
            L.drop_database(a.admin_url, url)


if __name__ == "__main__":
    sys.exit(main())
