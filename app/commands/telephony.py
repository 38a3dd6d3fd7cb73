"""``carecall softphone`` (headless softphone printing events, for ops) and ``carecall webhook``."""

from __future__ import annotations

import json
import signal
import threading

from app.cli import CliError, load_settings_from


def register(sub, common) -> None:
    p = sub.add_parser("softphone", parents=[common],
                       help="run the built-in softphone (baresip) headless and print call events as JSON lines")
    p.add_argument("--seconds", type=float, default=0, help="stop after this many seconds (default: until Ctrl+C)")
    p.add_argument("--no-db", action="store_true", help="only print events; do not write calls to the database")
    p.set_defaults(func=run_softphone)
    w = sub.add_parser("webhook", parents=[common],
                       help="run the local call webhook (127.0.0.1, token from the keyring) and print events")
    w.add_argument("--port", type=int, help="port (default: telephony.webhook_port)")
    w.add_argument("--seconds", type=float, default=0)
    w.set_defaults(func=run_webhook)


def _print_event(ev) -> None:
    print(json.dumps({"event": str(ev.kind), "call_id": ev.call_id, "number": ev.number, "direction": ev.direction,
                      "source": str(ev.source), "at": ev.at.isoformat(), "reason": ev.reason,
                      "audio": list(ev.audio) if ev.audio else None}, ensure_ascii=False), flush=True)


def _print_status(st) -> None:
    print(json.dumps({"status": st.state, "source": str(st.source), "message": st.message}, ensure_ascii=False),
          flush=True)


def _wait(seconds: float) -> None:
    done = threading.Event()
    prev = signal.signal(signal.SIGTERM, lambda *a: done.set())
    try:
        done.wait(seconds if seconds > 0 else None)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, prev)


def run_softphone(args) -> int:
    from app.secrets import SecretStoreUnavailable
    from app.telephony.baresip import Softphone, SoftphoneConfig, SoftphoneError

    settings = load_settings_from(args)
    try:
        cfg = SoftphoneConfig.from_settings(settings.telephony)
    except SoftphoneError as e:
        raise CliError(str(e)) from None
    sink = _print_event
    ctx = None
    if not args.no_db:
        from app.context import open_context
        from app.telephony.calls import CallTracker

        try:
            ctx = open_context(settings, getattr(args, "database", None))
        except Exception as e:  # noqa: BLE001
            raise CliError(f"cannot open the database: {e}", 1) from None
        tracker = CallTracker(ctx.sessions, ctx.cards)

        def sink(ev):
            _print_event(ev)
            tracker.handle(ev)

    def password():
        from app.telephony.baresip import keyring_password

        try:
            return keyring_password(cfg.sip_uri)
        except SecretStoreUnavailable:
            return None  # a peer-to-peer or IP-authenticated account needs none; say so in the log

    phone = Softphone(cfg, sink, _print_status, password=password)
    try:
        phone.start(wait=15)
    except SoftphoneError as e:
        phone.stop()
        raise CliError(str(e), 1) from None
    try:
        _wait(args.seconds)
    finally:
        phone.stop()
        if ctx is not None:
            ctx.close()
    return 0


def run_webhook(args) -> int:
    from app.secrets import SecretStoreUnavailable, get_secret
    from app.telephony.webhook import WebhookError, WebhookServer

    settings = load_settings_from(args)
    try:
        token = get_secret("webhook")
    except SecretStoreUnavailable as e:
        raise CliError(str(e), 1) from None
    if not token:
        raise CliError("no webhook token in the OS keyring: carecall secret set webhook", 1)
    try:
        srv = WebhookServer(token, _print_event, port=args.port or settings.telephony.webhook_port)
    except (WebhookError, OSError) as e:
        raise CliError(f"cannot start the webhook: {e}", 1) from None
    srv.start()
    _print_status(type("S", (), {"state": "ready", "source": "webhook",
                                 "message": f"POST http://127.0.0.1:{srv.port}/call"})())
    try:
        _wait(args.seconds)
    finally:
        srv.stop()
    return 0
