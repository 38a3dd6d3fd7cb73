"""``carecall demo-db``: fill a database with the generated demo clinic."""

from __future__ import annotations

import sys
import time
from datetime import date

from app.cli import CliError, load_settings_from


def _patients(text: str) -> int:
    from app.demo import MAX_PATIENTS

    try:
        n = int(text.replace("_", ""))
    except ValueError:
        raise CliError(f"--patients {text!r} is not a whole number (1..{MAX_PATIENTS:,})") from None
    if not 1 <= n <= MAX_PATIENTS:
        raise CliError(f"--patients must be between 1 and {MAX_PATIENTS:,}, not {n:,}")
    return n


def register(sub, common) -> None:
    p = sub.add_parser(
        "demo-db", parents=[common],
        help="fill an empty database with the generated demo clinic (patients, visits, bonuses...)",
    )
    p.add_argument("--patients", required=True, metavar="N", help="number of patients, 1..1000000")
    p.add_argument("--seed", metavar="S", help="random seed (same seed and --today: same clinic)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the day the clinic's history ends (default: today)")
    p.add_argument("--replace", action="store_true",
                   help="delete the existing clinic data (patients, visits, calls...) first")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=run)


def run(args) -> int:
    from app.context import open_context
    from app.demo import DemoError, clear_clinic, count_patients, generate
    from db.session import DatabaseError

    settings = load_settings_from(args)
    n = _patients(args.patients)
    seed = settings.database.demo_seed
    if args.seed is not None:
        try:
            seed = int(args.seed)
        except ValueError:
            raise CliError(f"--seed {args.seed!r} is not a whole number") from None
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise CliError(f"--today {args.today!r} is not a date (YYYY-MM-DD)") from None
    try:
        ctx = open_context(settings, args.database)  # migrates the schema first
    except DatabaseError as e:
        raise CliError(str(e), 1) from None
    try:
        existing = count_patients(ctx.engine)
        if existing and not args.replace:
            raise CliError(
                f"the database already has {existing:,} patients; use --replace to delete the clinic "
                "data and generate the demo clinic instead"
            )
        if args.replace:
            t0 = time.perf_counter()
            names = clear_clinic(ctx.engine)
            print(f"deleted the clinic data ({len(names)} tables) in {time.perf_counter() - t0:.1f} s")

        def progress(done: int, total: int) -> None:
            if not args.quiet:
                print(f"  {done:,} / {total:,} patients", file=sys.stderr, flush=True)

        try:
            stats = generate(ctx.engine, n, seed, today, progress, bonus=settings.bonus)
        except DemoError as e:
            raise CliError(str(e)) from None
    finally:
        ctx.close()
    url = ctx.engine.url.render_as_string(hide_password=True)
    print(f"demo clinic in {url}: {stats.patients:,} patients, {stats.total_rows:,} rows "
          f"in {stats.seconds:.1f} s (seed {stats.seed}, today {stats.today.isoformat()})")
    for name, count in stats.rows.items():
        print(f"  {name:16} {count:>10,}")
    print("showcase numbers (see docs/demo.md):")
    from app.phones import display

    for key, number in stats.showcase.items():
        print(f"  {display(number):18} {key}")
    return 0
