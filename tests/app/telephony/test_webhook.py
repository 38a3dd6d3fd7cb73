"""The local webhook over real HTTP on 127.0.0.1 (an ephemeral port)."""

from __future__ import annotations

import http.client
import json
import queue

import pytest

from app.telephony.events import EventKind
from app.telephony.webhook import TOKEN_HEADER, WebhookError, WebhookServer

TOKEN = "t0ken-for-the-test-0123456789"


@pytest.fixture
def hook():
    got: queue.Queue = queue.Queue()
    srv = WebhookServer(TOKEN, got.put)
    srv.start()
    yield srv, got
    srv.stop()


def post(port, body, token=TOKEN, path="/call"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers[TOKEN_HEADER] = token
    c.request("POST", path, body=body if isinstance(body, bytes) else json.dumps(body).encode(), headers=headers)
    r = c.getresponse()
    out = r.status, json.loads(r.read())
    c.close()
    return out


def test_events_arrive(hook):
    srv, got = hook
    assert post(srv.port, {"event": "ringing", "number": "+79161234567", "call_id": "cloud-1"}) == (200, {"ok": True})
    assert post(srv.port, {"event": "hangup", "call_id": "cloud-1", "reason": "missed"})[0] == 200
    a, b = got.get(timeout=2), got.get(timeout=2)
    assert (a.kind, a.number, a.call_id, a.source, a.direction) == (EventKind.RINGING, "+79161234567", "cloud-1", "webhook", "inbound")
    assert (b.kind, b.reason) == (EventKind.HUNGUP, "missed")


@pytest.mark.parametrize("token", [None, "", "wrong-token-wrong-token", TOKEN + "x"])
def test_wrong_or_missing_token_is_401(hook, token):
    srv, got = hook
    code, body = post(srv.port, {"event": "ringing", "number": "1", "call_id": "x"}, token=token)
    assert code == 401 and TOKEN_HEADER in body["error"]
    assert got.empty()


@pytest.mark.parametrize("body,msg", [
    (b"{not json", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (b"[1,2]", "JSON object"),
    ({"number": "+79161234567"}, "missing field(s): event, call_id"),
    ({"event": "teleport", "call_id": "1", "number": "1"}, "unknown event"),
    ({"event": "ringing", "call_id": "1"}, "number"),
    ({"event": "ringing", "call_id": "1", "number": "1", "direction": "sideways"}, "direction"),
])
def test_bad_bodies_are_400_with_a_clear_message(hook, body, msg):
    srv, got = hook
    code, out = post(srv.port, body)
    assert code == 400 and msg in out["error"]
    assert got.empty()
    assert post(srv.port, {"event": "ringing", "number": "+7 916 1234567", "call_id": "after"})[0] == 200


def test_other_paths_and_weak_tokens(hook):
    srv, _ = hook
    assert post(srv.port, {}, path="/admin")[0] == 404
    with pytest.raises(WebhookError, match="16 characters"):
        WebhookServer("short", lambda e: None)
    with pytest.raises(WebhookError, match="loopback"):
        WebhookServer(TOKEN, lambda e: None, host="0.0.0.0")
