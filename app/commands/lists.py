"""``carecall lists``: build and show the day's outbound call lists, claim and record entries."""

from __future__ import annotations

from datetime import datetime, time, timezone

from app.cli import CliError
from app.commands._issue3_common import context, emit, parse_date


def register(sub, common) -> None:
    p = sub.add_parser("lists", parents=[common], help="outbound call lists (build, show, claim, record)")
    lsub = p.add_subparsers(dest="lists_command", metavar="ACTION", required=True)
    b = lsub.add_parser("build", parents=[common], help="build the day's lists from the patients' situations")
    b.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    b.add_argument("--json", action="store_true")
    b.set_defaults(func=run_build)
    s = lsub.add_parser("show", parents=[common], help="the day's lists, or the entries of one list")
    s.add_argument("--date", metavar="YYYY-MM-DD")
    s.add_argument("--list", metavar="NAME", help="a list name (situation code, or 'messages')")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=run_show)
    c = lsub.add_parser("claim", parents=[common], help="take the next entry to call")
    c.add_argument("--who", required=True, help="the administrator's login")
    c.add_argument("--date", metavar="YYYY-MM-DD")
    c.add_argument("--list", metavar="NAME")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_claim)
    r = lsub.add_parser("record", parents=[common], help="record the outcome of a call to an entry")
    r.add_argument("entry", type=int, help="entry id")
    r.add_argument("--who", required=True)
    r.add_argument("--disposition", required=True,
                   help="booked, call_back, declined, no_answer, wrong_number, info_given, complaint, other")
    r.add_argument("--note", default="")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_record)


def _now(day) -> datetime:
    now = datetime.now(timezone.utc)
    return now if now.date() == day else datetime.combine(day, time(18), timezone.utc)


def run_build(args) -> int:
    day = parse_date(args.date, "--date")
    with context(args) as ctx:
        counts = ctx.call_lists.build(day, datetime.now(timezone.utc) if day == datetime.now(timezone.utc).date() else None)
        lists = ctx.call_lists.lists(day)
    text = [f"Call lists for {day.isoformat()}: {sum(counts.values())} new entries"]
    text += [f"  {l.name}: {l.total} ({l.open} open, {l.done} done)" for l in lists]
    emit({"date": day.isoformat(), "added": counts, "lists": [l.to_json() for l in lists]}, args.json, "\n".join(text))
    return 0


def run_show(args) -> int:
    day = parse_date(args.date, "--date")
    with context(args) as ctx:
        if args.list:
            names = {l.name for l in ctx.call_lists.lists(day)}
            if args.list not in names:
                raise CliError(f"no list {args.list!r} on {day.isoformat()}"
                               + (f"; lists: {', '.join(sorted(names))}" if names else "; run 'carecall lists build' first"))
            entries = ctx.call_lists.entries(day, args.list)
            text = [f"{args.list} on {day.isoformat()}: {len(entries)} entries"]
            for e in entries:
                fam = f" (+{len(e.member_ids) - 1} family)" if len(e.member_ids) > 1 else ""
                text.append(f"  #{e.id} [{e.status}] p{e.priority} {e.due_at:%H:%M} {e.patient_name}{fam} "
                            f"{e.phone_e164} via {e.channel}: {e.reason}")
            emit({"date": day.isoformat(), "list": args.list, "entries": [e.to_json() for e in entries]},
                 args.json, "\n".join(text))
        else:
            lists = ctx.call_lists.lists(day)
            text = [f"Call lists for {day.isoformat()}:"] if lists else [
                f"No call lists for {day.isoformat()}; run 'carecall lists build'"]
            text += [f"  {l.name}: {l.total} ({l.open} open, {l.claimed} claimed, {l.done} done, "
                     f"{l.exhausted} exhausted)" for l in lists]
            emit({"date": day.isoformat(), "lists": [l.to_json() for l in lists]}, args.json, "\n".join(text))
    return 0


def run_claim(args) -> int:
    day = parse_date(args.date, "--date")
    with context(args) as ctx:
        e = ctx.call_lists.claim_next(day, args.who, _now(day), args.list)
    if e is None:
        emit({"entry": None}, args.json, "Nothing to call right now.")
    else:
        emit({"entry": e.to_json()}, args.json, f"#{e.id} {e.patient_name} {e.phone_e164}: {e.reason}")
    return 0


def run_record(args) -> int:
    from app.call_list_service import ClaimError

    with context(args) as ctx:
        try:
            e = ctx.call_lists.record(args.entry, args.who, args.disposition, datetime.now(timezone.utc), args.note)
        except (ClaimError, ValueError) as err:
            raise CliError(str(err)) from None
    emit({"entry": e.to_json()}, args.json, f"#{e.id}: {e.disposition}, now {e.status}")
    return 0
