"""``carecall user ...`` (people and roles) and ``carecall retention ...``."""

from __future__ import annotations

import getpass
import sys

from app.cli import CliError


def register(sub, common) -> None:
    p = sub.add_parser("user", parents=[common], help="add users, set passwords and roles, list users")
    us = p.add_subparsers(dest="user_action", metavar="ACTION", required=True)
    a = us.add_parser("add", parents=[common], help="add a user")
    a.add_argument("login")
    a.add_argument("--name", default="", help="full name as shown in reports")
    a.add_argument("--role", required=True, choices=["administrator", "supervisor", "trainer", "manager"])
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a.set_defaults(func=_add)
    pw = us.add_parser("passwd", parents=[common], help="set a user's password")
    pw.add_argument("login")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=_passwd)
    r = us.add_parser("role", parents=[common], help="change a user's role")
    r.add_argument("login")
    r.add_argument("role", choices=["administrator", "supervisor", "trainer", "manager"])
    r.set_defaults(func=_role)
    for name, active in (("disable", False), ("enable", True)):
        d = us.add_parser(name, parents=[common], help=f"{name} a user's sign-in")
        d.add_argument("login")
        d.set_defaults(func=_active, active=active)
    ls = us.add_parser("list", parents=[common], help="list users")
    ls.set_defaults(func=_list)

    an = sub.add_parser("review", parents=[common], help="call review: automatic analysis of transcribed calls")
    an.add_argument("action", choices=["analyse"])
    an.add_argument("--call", type=int, action="append", default=[], help="only this call (repeatable)")
    an.add_argument("--again", action="store_true", help="also calls analysed before")
    an.set_defaults(func=_analyse)

    rt = sub.add_parser("retention", parents=[common], help="delete recordings older than the retention period")
    rt.add_argument("action", choices=["show", "run"])
    rt.set_defaults(func=_retention)


def _context(args):
    from app.cli import load_settings_from
    from app.context import open_context
    from db.session import DatabaseError

    settings = load_settings_from(args)
    try:
        return open_context(settings, args.database)
    except DatabaseError as e:
        raise CliError(str(e), 1) from None


def _password(args, login: str) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    a = getpass.getpass(f"password for {login}: ")
    b = getpass.getpass("again: ")
    if a != b:
        raise CliError("the passwords differ")
    return a


def _users(ctx):
    from app.review.auth import UserService

    return UserService(ctx.sessions)


def _run_user(fn):
    from app.review.auth import UserError

    try:
        return fn()
    except UserError as e:
        raise CliError(str(e)) from None


def _add(args) -> int:
    ctx = _context(args)
    try:
        pw = _password(args, args.login)
        u = _run_user(lambda: _users(ctx).add(None, args.login, args.name, args.role, pw))
        print(f"added {u.login} ({u.role})")
    finally:
        ctx.close()
    return 0


def _passwd(args) -> int:
    ctx = _context(args)
    try:
        pw = _password(args, args.login)
        _run_user(lambda: _users(ctx).set_password(None, args.login, pw))
        print(f"password set for {args.login}")
    finally:
        ctx.close()
    return 0


def _role(args) -> int:
    ctx = _context(args)
    try:
        _run_user(lambda: _users(ctx).set_role(None, args.login, args.role))
        print(f"{args.login} is now a {args.role}")
    finally:
        ctx.close()
    return 0


def _active(args) -> int:
    ctx = _context(args)
    try:
        _run_user(lambda: _users(ctx).set_active(None, args.login, args.active))
        print(f"{args.login} {'enabled' if args.active else 'disabled'}")
    finally:
        ctx.close()
    return 0


def _list(args) -> int:
    ctx = _context(args)
    try:
        rows = _users(ctx).list(None)
        if not rows:
            print("no users yet: add one with  carecall user add LOGIN --role manager")
        for u in rows:
            flags = [] if u.active else ["disabled"]
            if not u.has_password:
                flags.append("no password")
            print(f"{u.login:20} {u.role:14} {u.full_name}" + (f"  ({', '.join(flags)})" if flags else ""))
    finally:
        ctx.close()
    return 0


def _retention(args) -> int:
    ctx = _context(args)
    try:
        from app.review.retention import KEY, RetentionService

        days = ctx.settings.review.retention_days
        if args.action == "show":
            from db.models.review import ReviewOption

            with ctx.sessions() as s:
                o = s.get(ReviewOption, KEY)
            print(f"retention period: {int(o.value) if o else days} days"
                  + (" (set by a manager)" if o else " (from settings)"))
            return 0
        store = _recording_store(ctx)
        res = RetentionService(ctx.sessions, store, days).run(None)
        print(f"deleted {len(res.deleted)} recording(s) older than {res.cutoff:%Y-%m-%d}")
        for rid, err in res.failed:
            print(f"  recording {rid}: {err}", file=sys.stderr)
        return 1 if res.failed else 0
    finally:
        ctx.close()


def _recording_store(ctx):
    try:
        from app.review.adapters import recording_store
    except ImportError as e:  # pragma: no cover - until the recording area lands
        raise CliError(f"the recording store is not available: {e}", 1) from None
    store = recording_store(ctx)
    if store is None:
        raise CliError("the recording store is not available on this workstation", 1)
    return store


def _analyse(args) -> int:
    ctx = _context(args)
    try:
        from app.review.adapters import transcript_source
        from app.review.services import ReviewServices

        src = transcript_source(ctx)
        if src is None:
            raise CliError("transcripts cannot be read on this workstation (no transcript key in the OS keyring)", 1)
        rs = ReviewServices(ctx.sessions, ctx.settings.review.retention_days, transcripts=src)
        rs.ensure_defaults()
        from app.review.adapters import analyse_pending

        res = analyse_pending(rs, again=args.again, call_ids=args.call)
        for cid, tags in res.items():
            if tags or args.call:
                print(f"call {cid}: {', '.join(tags) if tags else 'no automatic tags'}")
        done = len(res)
        print(f"analysed {done} call(s)")
    finally:
        ctx.close()
    return 0
