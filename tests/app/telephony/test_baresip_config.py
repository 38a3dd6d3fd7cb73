"""Generated baresip configuration, the private files, and WAV repair (no process needed)."""

from __future__ import annotations

import os
import stat
import struct
import wave

import numpy as np
import pytest

from app.telephony.baresip import (
    SoftphoneConfig,
    SoftphoneError,
    account_line,
    config_text,
    private_dir,
    repair_wav,
    to_call_event,
    write_private,
)
from app.telephony.events import EventKind


def cfg(**kw):
    base = dict(sip_uri="sip:101@pbx.clinic.local", audio_source="alsa,default", audio_player="alsa,default",
                module_dir="/usr/lib/baresip/modules")
    base.update(kw)
    return SoftphoneConfig(**base)


def test_account_line_carries_the_password_only_there(tmp_path):
    c = cfg(auth_user="101", sip_options="regint=600")
    assert account_line(c, "Pa55-word!") == "<sip:101@pbx.clinic.local>;auth_user=101;auth_pass=Pa55-word!;regint=600\n"
    text = config_text(c, 4444, tmp_path / "rec")
    assert "Pa55" not in text and "auth" not in text
    assert "ctrl_tcp_listen 127.0.0.1:4444" in text and f"snd_path {tmp_path / 'rec'}" in text
    assert "module sndfile.so" in text and "audio_source alsa,default" in text and "module alsa.so" in text


@pytest.mark.parametrize("password", ["with space", "semi;colon", 'quo"te', "new\nline"])
def test_passwords_baresip_cannot_read_are_refused_plainly(password):
    with pytest.raises(SoftphoneError, match="characters baresip cannot read"):
        account_line(cfg(), password)


@pytest.mark.parametrize("field", ["audio_source", "sip_listen"])
def test_no_config_injection_through_settings(tmp_path, field):
    with pytest.raises(SoftphoneError, match="one line"):
        config_text(cfg(**{field: "alsa,default\nmodule evil.so"}), 1, tmp_path)
    with pytest.raises(SoftphoneError, match="one line"):
        account_line(cfg(sip_options="regint=0\n<sip:x@y>"), None)
    with pytest.raises(SoftphoneError, match="not a SIP address"):
        account_line(cfg(sip_uri="sip:a@b>;x=<"), None)


def test_private_files(tmp_path):
    d = private_dir(tmp_path / "run")
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    write_private(d / "accounts", "secret")
    assert stat.S_IMODE(os.stat(d / "accounts").st_mode) == 0o600
    with pytest.raises(FileExistsError):  # never follows or reuses an existing file
        write_private(d / "accounts", "again")


def test_repair_wav_left_by_a_killed_writer(tmp_path):
    p = tmp_path / "dump-dec.wav"
    pcm = (np.sin(np.arange(8000) / 5) * 8000).astype("<i2").tobytes()
    # header as libsndfile writes it before close: RIFF and data sizes still 0
    header = b"RIFF" + struct.pack("<I", 0) + b"WAVE" + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    p.write_bytes(header + b"data" + struct.pack("<I", 0) + pcm)
    assert repair_wav(p) is True
    with wave.open(str(p)) as w:
        assert w.getnframes() == 8000 and w.getframerate() == 8000
    assert repair_wav(p) is False  # already right
    (tmp_path / "x.wav").write_bytes(b"garbage")
    assert repair_wav(tmp_path / "x.wav") is False


def test_ctrl_tcp_events_map_to_call_events():
    base = {"event": True, "class": "call", "accountaor": "sip:clinic@127.0.0.1", "id": "a1",
            "peeruri": "sip:+79161234567@127.0.0.1:5070"}
    assert to_call_event({**base, "type": "CALL_INCOMING", "direction": "incoming"}).kind == EventKind.RINGING
    closed = to_call_event({**base, "type": "CALL_CLOSED", "direction": "incoming", "param": "Connection reset by peer"})
    assert (closed.kind, closed.reason, closed.direction) == (EventKind.HUNGUP, "Connection reset by peer", "inbound")
    assert to_call_event({**base, "type": "CALL_RINGING", "direction": "outgoing"}).direction == "outbound"
    assert to_call_event({**base, "type": "CALL_RTCP", "direction": "incoming"}) is None
    assert to_call_event({**base, "type": "REGISTER_OK", "class": "register"}) is None
    assert to_call_event({**base, "type": "CALL_INCOMING", "id": ""}) is None  # no id: logged, ignored


def test_ctrl_client_survives_garbage_invalid_json_and_unknown_events():
    """CareCall's ctrl_tcp client against a loopback server replaying real baresip event bytes
    mixed with garbage (baresip itself never sends garbage, so the server is this test's)."""
    import json
    import socket
    import threading

    from app.telephony.baresip import CtrlClient
    from app.telephony.netstring import encode

    real = (b'{"event":true,"type":"CALL_INCOMING","class":"call","accountaor":"sip:clinic@127.0.0.1:25060",'
            b'"direction":"incoming","peeruri":"sip:+79161234567@127.0.0.1:25070","id":"a0551519a17c79c2",'
            b'"param":"sip:+79161234567@127.0.0.1:25070"}')
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    got, closed = [], threading.Event()

    def serve():
        c, _ = srv.accept()
        c.sendall(b"garbage!!" + encode(b"{not json") + encode(b"[1,2]") + encode(b"\xff\xfe")
                  + encode(json.dumps({"event": True, "type": "SOMETHING_NEW_2030", "class": "x"}))
                  + b"00012:" + encode(real))
        cmd = c.recv(4096)  # one command: answer it with its token
        tok = json.loads(cmd[cmd.index(b":") + 1:-1])["token"]
        c.sendall(encode(json.dumps({"response": True, "ok": True, "data": "done", "token": tok})))
        c.sendall(b"300:{\"event\":true,\"type\":\"CALL_CL")  # disconnect mid-event
        c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    cl = CtrlClient("127.0.0.1", srv.getsockname()[1], got.append, on_close=closed.set)
    cl.connect(timeout=5)
    try:
        assert cl.command("listcalls") == "done"
        assert closed.wait(5)
        types = [m.get("type") for m in got]
        assert types == ["SOMETHING_NEW_2030", "CALL_INCOMING"]  # unknown ones pass through, mapped later
        assert to_call_event(got[0]) is None and to_call_event(got[1]).number.startswith("sip:+7916")
        assert cl.bad_messages == 3 and cl.parser.errors >= 2
    finally:
        cl.close()
        srv.close()
        t.join(2)
