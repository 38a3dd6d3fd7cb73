"""``carecall card``: the caller card without the window, for scripts and a PBX."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from app.cli import CliError, load_settings_from


def register(sub, common) -> None:
    p = sub.add_parser("card", parents=[common], help="print the card of the patient(s) behind a number")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--phone", metavar="NUMBER", help="caller number in any spelling (sip:, tel:, 8..., +7...)")
    g.add_argument("--patient", metavar="ID", type=int, help="patient id")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    # for reproducible output in tests and support cases: the card as it looked on that day
    p.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args) -> int:
    from app.context import open_context
    from app.phones import PhoneError
    from db.session import DatabaseError

    settings = load_settings_from(args)
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        raise CliError(f"--today {args.today!r} is not a date (YYYY-MM-DD)") from None
    try:
        ctx = open_context(settings, args.database)
    except DatabaseError as e:
        raise CliError(str(e), 1) from None
    try:
        if args.patient is not None:
            try:
                cards = [ctx.cards.card(args.patient, today)]
            except LookupError as e:
                raise CliError(str(e), 1) from None
            out = {"lookup": None, "new_caller": False, "cards": [c.to_json() for c in cards]}
        else:
            try:
                lk = ctx.cards.lookup_phone(args.phone, today)
            except PhoneError as e:
                raise CliError(f"cannot look up {args.phone!r}: {e}") from None
            cards = [ctx.cards.card(m.id, today) for m in lk.matches]
            out = {"lookup": lk.to_json(), "new_caller": lk.is_new_caller, "cards": [c.to_json() for c in cards]}
        from app.card_extras import enrich

        enrich(ctx, out, today)
    finally:
        ctx.close()
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(out))
    return 0


def format_text(out: dict) -> str:
    lines: list[str] = []
    lk = out.get("lookup")
    if lk:
        lines.append(f"Number: {lk['display']} ({lk['e164']})")
        if out["new_caller"]:
            lines.append("New caller: no patient has this number.")
        elif len(out["cards"]) > 1:
            lines.append(f"{len(out['cards'])} patients share this number: choose one.")
    for c in out["cards"]:
        lines.append("")
        age = f", {c['age']}" if c["age"] is not None else ""
        lines.append(f"{c['full_name']} ({c['sex']}{age})")
        for a in c["alerts"]:
            lines.append(f"  ! {a['text']}")
        lines.append("  Phones: " + ", ".join(p["display"] for p in c["phones"]))
        lines.append(f"  Preferred channel: {c['preferred_channel']}")
        b = c["bonus"]
        exp = f", {b['nearest_expiry_amount']} expire {b['nearest_expiry_date']}" if b["nearest_expiry_date"] else ""
        lines.append(f"  Bonus: {b['balance']}{exp}; up to {b['redemption_cap_percent']}% of a bill")
        if c["next_appointment"]:
            a = c["next_appointment"]
            lines.append(f"  Next appointment: {a['starts_at'][:16]} {a['doctor']} {a['service']}")
        for pl in c["plans"]:
            due = [s for s in pl["stages"] if s["status"] == "due"]
            if due:
                lines.append(f"  Plan '{pl['title']}': {len(due)} stage(s) due, next: {due[0]['title']}")
        for v in c["visits"][:5]:
            lines.append(f"  {v['starts_at'][:10]} {v['doctor']}: {', '.join(v['services'])} {v['amount']} RUB ({v['status']})")
        if c["comments"]:
            lines.append(f"  Comments: {c['comments']}")
        for i, sit in enumerate(c.get("situations") or []):
            reason = sit.get("reason_ru") if (c.get("script") or {}).get("language") == "ru" else sit.get("reason")
            lines.append(f"  {'Why we call' if i == 0 else '  also'}: {sit['code']}: {reason or sit.get('reason', '')}")
        script = c.get("script")
        if script:
            lines.append(f"  Script: {script['title']} (version {script.get('version')})")
            lines.extend("    " + ln for ln in script["text"].splitlines() if ln.strip())
        for f in c["family"]:
            lines.append(f"  Family: {f['full_name']} ({f['role']})")
    return "\n".join(lines) + "\n"
