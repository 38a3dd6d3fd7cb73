"""Benchmark the demo clinic generator; prints JSON figures.

    .venv/bin/python scripts/bench_demo.py --patients 10000 --backend sqlite
    .venv/bin/python scripts/bench_demo.py --patients 100000 --backend postgresql
    .venv/bin/python scripts/bench_demo.py --patients 10000 100000 --backend both

Each (backend, N) runs in its own process so the peak RSS belongs to that run alone.
SQLite: a scratch file in a temporary directory. PostgreSQL: a scratch database on
$CARECALL_BENCH_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres), dropped after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN = os.environ.get("CARECALL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def one(backend: str, n: int, seed: int, today: date) -> dict:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app.demo import generate
    from db.session import make_engine, upgrade

    with tempfile.TemporaryDirectory(prefix="carecall-bench-") as tmp:
        admin = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            name = f"carecall_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
        engine = make_engine(url)
        try:
            upgrade(engine)
            t0 = time.perf_counter()
            r0 = resource.getrusage(resource.RUSAGE_SELF)
            stats = generate(engine, n, seed, today)
            seconds = time.perf_counter() - t0
            r1 = resource.getrusage(resource.RUSAGE_SELF)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            size = None
            if backend == "sqlite":
                size = sum(p.stat().st_size for p in Path(tmp).glob("bench.sqlite3*"))
            else:
                with engine.connect() as c:
                    size = c.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        finally:
            engine.dispose()
            if admin is not None:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    rows = stats.total_rows
    return {
        "backend": backend,
        "patients": n,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # this process only (the PostgreSQL server's work is not in it)
        "load_average_1min": round(os.getloadavg()[0], 2),
        "rows": rows,
        "rows_per_second": round(rows / seconds),
        "patients_per_second": round(n / seconds),
        "rows_per_table": stats.rows,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database_mb": round(size / 1e6, 1) if size else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patients", type=int, nargs="+", default=[10_000])
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--today", default="2026-11-23")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    today = date.fromisoformat(a.today)
    backends = ["sqlite", "postgresql"] if a.backend == "both" else [a.backend]
    if a.inner:
        print(json.dumps(one(backends[0], a.patients[0], a.seed, today)))
        return 0
    results = []
    for n in a.patients:
        for b in backends:
            p = subprocess.run(
                [sys.executable, __file__, "--inner", "--backend", b, "--patients", str(n),
                 "--seed", str(a.seed), "--today", a.today],
                capture_output=True, text=True,
            )
            if p.returncode != 0:
                results.append({"backend": b, "patients": n, "error": p.stderr.strip().splitlines()[-1:]})
            else:
                results.append(json.loads(p.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
