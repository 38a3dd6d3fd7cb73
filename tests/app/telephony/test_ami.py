"""The AMI client against a peer that speaks the Asterisk Manager protocol over TCP on loopback.

Asterisk itself is not packaged here, so the peer is a small real TCP server in this file
(a fake only because the real part cannot run here): it greets like Asterisk 20, checks the
Login, answers Originate, and sends event blocks, garbage and disconnects as the test says.
"""

from __future__ import annotations

import queue
import socket
import threading
import time

import pytest

from app.telephony.ami import AmiClient, AmiError
from app.telephony.events import EventKind
from tests.app.telephony.sip_agents import wait_for


class AmiPeer:
    def __init__(self, user="carecall", secret="amipass"):
        self.user, self.secret = user, secret
        self.srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(5)
        self.port = self.srv.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.actions: queue.Queue = queue.Queue()
        self.logins = 0
        self._stop = False
        self._t = threading.Thread(target=self._accept, daemon=True)
        self._t.start()

    def _accept(self):
        self.srv.settimeout(0.2)
        while not self._stop:
            try:
                c, _ = self.srv.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.conns.append(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        try:
            c.sendall(b"Asterisk Call Manager/9.0.0\r\n")
            buf = b""
            while True:
                d = c.recv(4096)
                if not d:
                    return
                buf += d
                while b"\r\n\r\n" in buf:
                    block, buf = buf.split(b"\r\n\r\n", 1)
                    f = dict(ln.split(": ", 1) for ln in block.decode().split("\r\n") if ": " in ln)
                    self.actions.put(f)
                    aid = f.get("ActionID", "")
                    if f.get("Action") == "Login":
                        if f.get("Username") == self.user and f.get("Secret") == self.secret:
                            self.logins += 1
                            self.send(f"Response: Success\r\nActionID: {aid}\r\nMessage: Authentication accepted\r\n\r\n", c)
                        else:
                            self.send(f"Response: Error\r\nActionID: {aid}\r\nMessage: Authentication failed\r\n\r\n", c)
                    elif f.get("Action") == "Originate":
                        if f.get("Exten", "").startswith("+7") or f.get("Exten", "").isdigit():
                            self.send(f"Response: Success\r\nActionID: {aid}\r\nMessage: Originate successfully queued\r\n\r\n", c)
                        else:
                            self.send(f"Response: Error\r\nActionID: {aid}\r\nMessage: Extension does not exist.\r\n\r\n", c)
        except OSError:
            return

    def send(self, text: str | bytes, c=None):
        c = c or self.conns[-1]
        c.sendall(text.encode() if isinstance(text, str) else text)

    def drop(self):
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()
        self.conns.clear()

    def close(self):
        self._stop = True
        self.drop()
        self.srv.close()
        self._t.join(2)


def block(**kw) -> str:
    return "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in kw.items()) + "\r\n"


def inbound_call(linked="1700000000.12", caller="+79161234567"):
    return [
        block(Event="Newchannel", Channel="PJSIP/trunk-00000010", ChannelState="4", CallerIDNum=caller,
              Exten="s", Uniqueid=linked, Linkedid=linked),
        block(Event="DialBegin", Channel="PJSIP/trunk-00000010", CallerIDNum=caller, Linkedid=linked,
              DestChannel="PJSIP/101-00000011", DestCallerIDNum="101", DestLinkedid=linked, DialString="101"),
        block(Event="Newstate", Channel="PJSIP/101-00000011", ChannelState="5", ChannelStateDesc="Ringing",
              CallerIDNum="101", ConnectedLineNum=caller, Linkedid=linked),
        block(Event="Newstate", Channel="PJSIP/101-00000011", ChannelState="6", ChannelStateDesc="Up",
              CallerIDNum="101", ConnectedLineNum=caller, Linkedid=linked),
        block(Event="BridgeEnter", Channel="PJSIP/101-00000011", ConnectedLineNum=caller, Linkedid=linked),
        block(Event="Hangup", Channel="PJSIP/101-00000011", ConnectedLineNum=caller, Linkedid=linked,
              Cause="16", Cause_txt="Normal Clearing"),
    ]


@pytest.fixture
def peer():
    p = AmiPeer()
    yield p
    p.close()


def client(peer, events, statuses, secret="amipass", **kw):
    c = AmiClient("127.0.0.1", peer.port, "carecall", secret, "101", events.put, statuses.append, **kw)
    c.start()
    return c


def drain(q: queue.Queue, n: int, timeout=5.0):
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n:
        out.append(q.get(timeout=max(0.01, deadline - time.monotonic())))
    return out


def test_login_events_for_the_extension_and_originate(peer):
    events, statuses = queue.Queue(), []
    c = client(peer, events, statuses)
    try:
        assert c.connected.wait(5)
        login = peer.actions.get(timeout=2)
        assert (login["Action"], login["Username"], login["Secret"]) == ("Login", "carecall", "amipass")
        # somebody else's call is ignored
        peer.send(block(Event="DialBegin", Channel="PJSIP/trunk-1", CallerIDNum="+79990000000",
                        DestChannel="PJSIP/102-00000001", Linkedid="x.1"))
        peer.send(block(Event="Hangup", Channel="PJSIP/102-00000001", Linkedid="x.1", Cause_txt="Normal"))
        for b in inbound_call():
            peer.send(b)
        got = drain(events, 5)
        assert [e.kind for e in got] == [EventKind.RINGING, EventKind.RINGING, EventKind.ANSWERED,
                                         EventKind.ANSWERED, EventKind.HUNGUP]
        assert {e.call_id for e in got} == {"1700000000.12"}
        assert got[0].number == "+79161234567" and got[0].source == "ami"
        assert got[-1].reason == "Normal Clearing"
        assert c.originate("+7 916 123-45-67") == "Originate successfully queued"
        orig = peer.actions.get(timeout=2)
        assert (orig["Action"], orig["Channel"], orig["Exten"], orig["Context"]) == \
            ("Originate", "PJSIP/101", "+79161234567", "from-internal")
        with pytest.raises(AmiError, match="refused to call"):
            c.originate("*98")
    finally:
        c.stop()
    assert events.empty()


def test_wrong_secret_is_reported_plainly_and_not_retried(peer):
    events, statuses = queue.Queue(), []
    c = client(peer, events, statuses, secret="wrong")
    try:
        assert wait_for(lambda: c.state == "login_failed", 5)
        assert "Authentication failed" in c.last_error and "keyring" in c.last_error
        time.sleep(0.3)
        assert peer.logins == 0 and peer.actions.qsize() == 1  # one Login, no retry
        with pytest.raises(AmiError, match="not connected"):
            c.originate("+79161234567")
    finally:
        c.stop()


def test_disconnect_mid_event_reconnects_with_backoff_and_loses_nothing(peer):
    events, statuses = queue.Queue(), []
    c = client(peer, events, statuses)
    try:
        assert c.connected.wait(5)
        b = inbound_call()
        peer.send(b[1])  # ringing
        assert drain(events, 1)[0].kind == EventKind.RINGING
        peer.send(b[5][:30])  # half a Hangup, then the PBX drops the connection
        peer.drop()
        assert wait_for(lambda: c.connects == 2 and c.connected.is_set(), 10)
        assert any(s.state == "disconnected" for s in statuses)
        peer.send(b[5])  # the hang-up arrives again after the reconnect
        ev = drain(events, 1)[0]
        assert (ev.kind, ev.call_id) == (EventKind.HUNGUP, "1700000000.12")
    finally:
        c.stop()


def test_garbage_and_unknown_events_are_skipped(peer):
    events, statuses = queue.Queue(), []
    c = client(peer, events, statuses)
    try:
        assert c.connected.wait(5)
        peer.send(b"\x00\xff not an AMI line\r\nanother one\r\n\r\n")
        peer.send(block(Event="FancyNewEvent2030", Channel="PJSIP/101-1", Linkedid="z"))
        peer.send(b"X" * 70000 + b"\r\n\r\n")
        peer.send(inbound_call("9.9")[1])
        ev = drain(events, 1)[0]
        assert (ev.kind, ev.call_id) == (EventKind.RINGING, "9.9")
        assert c.garbage >= 2 and c.connected.is_set()
    finally:
        c.stop()


def test_not_an_asterisk_port_is_said_and_retried():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]

    def serve():
        c, _ = srv.accept()
        c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        time.sleep(0.3)
        c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    statuses: list = []
    c = AmiClient("127.0.0.1", port, "u", "s", "101", lambda e: None, statuses.append, max_delay=0.2)
    c.start()
    try:
        assert wait_for(lambda: "not an Asterisk manager port" in c.last_error, 5)
        assert any(s.state == "disconnected" for s in statuses)
    finally:
        c.stop()
        srv.close()
        t.join(2)


def test_a_pbx_dropping_mid_event_loses_no_call_row(peer, sqlite_url):
    """AMI client -> CallTracker on a real database while the PBX drops the connection."""
    from app.card import CardService
    from app.telephony.calls import CallTracker
    from db.models import Call, MissedCall
    from db.session import make_engine, session_factory
    from sqlalchemy import select

    e = make_engine(sqlite_url)
    sessions = session_factory(e)
    tracker = CallTracker(sessions, CardService(sessions))
    seen: queue.Queue = queue.Queue()

    def sink(ev):
        tracker.handle(ev)
        seen.put(ev)

    c = AmiClient("127.0.0.1", peer.port, "carecall", "amipass", "101", sink, max_delay=0.2)
    c.start()
    try:
        assert c.connected.wait(5)
        b = inbound_call("77.1")
        peer.send(b[1])
        drain(seen, 1)
        peer.send(b"Event: Hangup\r\nChannel: PJSIP/101-0000")  # cut mid-event
        peer.drop()
        assert wait_for(lambda: c.connects == 2 and c.connected.is_set(), 10)
        with sessions() as s:
            row = s.scalars(select(Call)).one()
            assert row.external_id == "77.1" and row.end_at is None  # kept, still open
        peer.send(b[5])
        drain(seen, 1)
        with sessions() as s:
            row = s.scalars(select(Call)).one()
            assert row.end_at is not None and row.end_reason == "Normal Clearing"
            assert s.scalars(select(MissedCall)).one().call_id == row.id
        assert tracker.errors == 0
    finally:
        c.stop()
        tracker.close()
        e.dispose()
