"""``carecall bonus``: balance, redeem (with clear refusals), compensate, measure the programme."""

from __future__ import annotations

from app.cli import CliError
from app.commands._issue3_common import context, emit, parse_date


def register(sub, common) -> None:
    p = sub.add_parser("bonus", parents=[common], help="the bonus ledger and programme")
    bsub = p.add_subparsers(dest="bonus_command", metavar="ACTION", required=True)
    b = bsub.add_parser("balance", parents=[common], help="a patient's balance, nearest expiry, discount")
    b.add_argument("--patient", type=int, required=True, metavar="ID")
    b.add_argument("--today", metavar="YYYY-MM-DD")
    b.add_argument("--json", action="store_true")
    b.set_defaults(func=run_balance)
    r = bsub.add_parser("redeem", parents=[common], help="pay part of a bill with points")
    r.add_argument("--patient", type=int, required=True, metavar="ID")
    r.add_argument("--amount", type=int, required=True, help="points to redeem")
    r.add_argument("--bill", type=int, required=True, help="the bill in roubles")
    r.add_argument("--today", metavar="YYYY-MM-DD")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_redeem)
    c = bsub.add_parser("compensate", parents=[common], help="compensation bonus after a reviewed complaint")
    c.add_argument("--patient", type=int, required=True, metavar="ID")
    c.add_argument("--spent", type=int, required=True, help="amount the patient spent, roubles")
    c.add_argument("--today", metavar="YYYY-MM-DD")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_compensate)
    a = bsub.add_parser("apply", parents=[common],
                        help="add the programme accruals earned (first/second visit, 6 months) and book expiries")
    a.add_argument("--patient", type=int, metavar="ID", help="one patient (default: everybody)")
    a.add_argument("--today", metavar="YYYY-MM-DD")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=run_apply)
    m = bsub.add_parser("measure", parents=[common], help="accrued / told / used for a period")
    m.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    m.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=run_measure)


def run_balance(args) -> int:
    today = parse_date(args.today, "--today")
    with context(args) as ctx:
        try:
            b = ctx.bonus.summary(args.patient, today)
        except LookupError as e:
            raise CliError(str(e), 1) from None
        cap = ctx.settings.bonus.redemption_cap_percent
    exp = (f"; {b.nearest_expiry_amount} expire on {b.nearest_expiry_date.isoformat()}"
           if b.nearest_expiry_date else "")
    text = (f"Patient {b.patient_id}: {b.balance} points{exp}; up to {cap}% of a bill.\n"
            f"Paid so far {b.total_paid} RUB: cumulative discount {b.discount_percent}%; "
            f"services done {b.services_done}" + (" (the next one is free)" if b.next_service_free else ""))
    emit(b.to_json() | {"redemption_cap_percent": cap}, args.json, text)
    return 0


def run_redeem(args) -> int:
    from app.bonus_programme import RedemptionRefused

    today = parse_date(args.today, "--today")
    with context(args) as ctx:
        try:
            left = ctx.bonus.redeem(args.patient, args.amount, args.bill, today)
        except RedemptionRefused as e:
            raise CliError(str(e)) from None
        except LookupError as e:
            raise CliError(str(e), 1) from None
    emit({"patient_id": args.patient, "redeemed": args.amount, "bill": args.bill, "balance": left}, args.json,
         f"Redeemed {args.amount} points on a bill of {args.bill}: to pay {args.bill - args.amount} RUB; "
         f"balance {left}.")
    return 0


def run_compensate(args) -> int:
    today = parse_date(args.today, "--today")
    with context(args) as ctx:
        try:
            pts = ctx.bonus.compensate(args.patient, args.spent, today)
        except LookupError as e:
            raise CliError(str(e), 1) from None
        except ValueError as e:
            raise CliError(str(e)) from None
    emit({"patient_id": args.patient, "granted": pts}, args.json, f"Granted {pts} compensation points.")
    return 0


def run_apply(args) -> int:
    today = parse_date(args.today, "--today")
    with context(args) as ctx:
        try:
            res = ctx.bonus.apply_all(today, [args.patient] if args.patient else None)
        except LookupError as e:
            raise CliError(str(e), 1) from None
    emit(res, args.json, f"Accruals added: {res['accruals']} ({res['patients']} patients); "
                         f"points expired and booked: {res['expired_points']}")
    return 0


def run_measure(args) -> int:
    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    if end < start:
        raise CliError("--to is before --from")
    with context(args) as ctx:
        m = ctx.bonus.measure(start, end)
        p = ctx.bonus.p
    j = m.to_json(p)
    text = (f"Bonus programme {start.isoformat()} .. {end.isoformat()}:\n"
            f"  accrued: {m.accrued} patients ({m.points_accrued} points)\n"
            f"  told:    {m.told} ({m.told_percent}%)\n"
            f"  used:    {m.used} ({m.used_percent}%, {m.points_used} points)\n"
            f"  verdict: {j['verdict']} (below {p.measure_not_working_percent}% not working, "
            f"{p.measure_good_percent}% good, {p.measure_target_percent}% target)")
    emit(j, args.json, text)
    return 0
