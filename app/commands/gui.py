"""``carecall`` / ``carecall gui`` starts the window; ``carecall call`` tells it who is calling."""

from __future__ import annotations

from app.cli import CliError, load_settings_from


def register(sub, common) -> None:
    p = sub.add_parser("gui", parents=[common], help="start the CareCall window (the default)")
    p.add_argument("--language", choices=["ru", "en"], help="interface language")
    p.add_argument("--self-test", action="store_true", help="open, render a card, and exit (for installers)")
    p.set_defaults(func=run_gui)
    c = sub.add_parser("call", parents=[common], help="tell a running CareCall that NUMBER is calling")
    c.add_argument("--phone", required=True, metavar="NUMBER")
    c.add_argument("--direction", choices=["inbound", "outbound"], default="inbound")
    c.set_defaults(func=run_call)


def run_gui(args) -> int:
    settings = load_settings_from(args)
    # The only hop from the core to the UI: the composition root lives in ui.main.
    import importlib

    return importlib.import_module("ui.main").run(settings, args)


def run_call(args) -> int:
    from app.ipc import IpcError, send_call
    from app.phones import PhoneError, normalize

    settings = load_settings_from(args)
    try:
        normalize(args.phone, settings.phone.default_region)
    except PhoneError as e:
        raise CliError(f"cannot look up {args.phone!r}: {e}") from None
    try:
        reply = send_call(settings.ipc_path(), args.phone, args.direction)
    except IpcError as e:
        raise CliError(str(e), 1) from None
    print(reply)
    return 0
