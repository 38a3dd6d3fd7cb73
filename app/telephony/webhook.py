"""A local webhook for cloud PBXs and other systems that call a URL on each call.

``POST http://127.0.0.1:<port>/call`` with the header ``X-CareCall-Token: <token>`` and a JSON
body ``{"event": "ringing", "number": "+79161234567", "call_id": "abc-1"}``; optional
``"direction": "inbound"|"outbound"`` and ``"reason"``. Events: ringing, dialing, answered,
hungup (aliases: incoming/ring, outgoing, answer/connected, hangup/end/ended/missed).

Answers: 200 ``{"ok": true}``; 401 for a missing or wrong token; 400 for a body that is not
JSON or lacks a field, with a message saying which; 404 for other paths; 413 for bodies over
64 KiB. It listens on 127.0.0.1 only: a cloud PBX reaches it through the clinic's own relay.
The token is compared in constant time and lives in the OS keyring (``webhook``).
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from app.telephony.events import CallEvent, EventKind, Source

log = logging.getLogger("carecall.telephony.webhook")

MAX_BODY = 64 * 1024
TOKEN_HEADER = "X-CareCall-Token"

_KINDS = {
    "ringing": EventKind.RINGING, "incoming": EventKind.RINGING, "ring": EventKind.RINGING,
    "dialing": EventKind.DIALING, "outgoing": EventKind.DIALING,
    "answered": EventKind.ANSWERED, "answer": EventKind.ANSWERED, "connected": EventKind.ANSWERED,
    "hungup": EventKind.HUNGUP, "hangup": EventKind.HUNGUP, "end": EventKind.HUNGUP,
    "ended": EventKind.HUNGUP, "missed": EventKind.HUNGUP,
}


class WebhookError(ValueError):
    pass


def parse_body(body: bytes) -> CallEvent:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise WebhookError(f"the body is not JSON: {e}") from None
    if not isinstance(data, dict):
        raise WebhookError("the body must be a JSON object")
    missing = [k for k in ("event", "call_id") if not isinstance(data.get(k), (str, int)) or data.get(k) == ""]
    if missing:
        raise WebhookError("missing field(s): " + ", ".join(missing))
    kind = _KINDS.get(str(data["event"]).lower())
    if kind is None:
        raise WebhookError(f"unknown event {str(data['event'])[:40]!r} (use ringing, dialing, answered or hungup)")
    number = data.get("number", "")
    if not isinstance(number, (str, int)):
        raise WebhookError("number must be a string")
    if kind in (EventKind.RINGING, EventKind.DIALING) and not str(number):
        raise WebhookError(f"missing field: number (required for {kind})")
    direction = str(data.get("direction") or ("outbound" if kind == EventKind.DIALING else "inbound"))
    if direction not in ("inbound", "outbound"):
        raise WebhookError("direction must be inbound or outbound")
    return CallEvent(kind, str(data["call_id"])[:100], str(number)[:200], direction, Source.WEBHOOK,
                     reason=str(data.get("reason", ""))[:200], raw=data)


class WebhookServer:
    def __init__(self, token: str, on_event: Callable[[CallEvent], None], port: int = 0, host: str = "127.0.0.1"):
        if not token or len(token) < 16:
            raise WebhookError("the webhook token must be at least 16 characters (carecall secret set webhook)")
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise WebhookError("the webhook listens on the loopback interface only")
        self._token = token.encode()
        self._on_event = on_event
        outer = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "CareCall"
            sys_version = ""

            def log_message(self, fmt, *args):  # into our log, not stderr
                log.info("webhook %s - %s", self.address_string(), fmt % args)

            def _reply(self, code: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/health":
                    return self._reply(200, {"ok": True})
                return self._reply(404, {"ok": False, "error": "POST call events to /call"})

            def do_POST(self):
                if self.path.split("?")[0] != "/call":
                    return self._reply(404, {"ok": False, "error": "POST call events to /call"})
                got = (self.headers.get(TOKEN_HEADER) or "").encode()
                if not hmac.compare_digest(got, outer._token):
                    log.warning("webhook: refused a request with a %s token", "wrong" if got else "missing")
                    return self._reply(401, {"ok": False, "error": f"missing or wrong {TOKEN_HEADER} header"})
                try:
                    n = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    return self._reply(400, {"ok": False, "error": "bad Content-Length"})
                if n > MAX_BODY:
                    return self._reply(413, {"ok": False, "error": f"body over {MAX_BODY} bytes"})
                body = self.rfile.read(n)
                try:
                    ev = parse_body(body)
                except WebhookError as e:
                    log.warning("webhook: %s", e)
                    return self._reply(400, {"ok": False, "error": str(e)})
                try:
                    outer._on_event(ev)
                except Exception:  # noqa: BLE001
                    log.exception("webhook event handler failed")
                    return self._reply(500, {"ok": False, "error": "CareCall could not record the event"})
                return self._reply(200, {"ok": True})

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="webhook", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
