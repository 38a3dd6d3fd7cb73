"""The ctrl_tcp framing: strict netstrings, incremental, garbage resynchronises."""

import pytest

from app.telephony.netstring import NetstringError, NetstringParser, encode

EV = b'{"event":true,"type":"CALL_INCOMING","id":"a1","peeruri":"sip:+79161234567@127.0.0.1"}'


def test_roundtrip_and_byte_by_byte():
    data = encode(EV) + encode("ё") + encode(b"")
    p = NetstringParser()
    assert p.feed(data) == [EV, "ё".encode(), b""]
    p2 = NetstringParser()
    out = []
    for i in range(len(data)):
        out += p2.feed(data[i:i + 1])
    assert out == [EV, "ё".encode(), b""] and p2.pending == 0 and p2.errors == 0


@pytest.mark.parametrize("garbage", [
    b"hello world",  # no length at all
    b"12x:abc,",  # not digits
    b"05:abcde,",  # leading zero
    b"3:abcd,",  # payload longer than announced (no comma where expected)
    b"999999999:",  # length over the limit
    b"\x00\xff\xfe",
])
def test_garbage_is_counted_and_the_next_message_still_arrives(garbage):
    p = NetstringParser(max_length=1000)
    got = p.feed(garbage + encode(EV))
    assert got[-1] == EV
    assert p.errors >= 1


def test_incomplete_message_waits_and_a_huge_length_does_not_allocate():
    p = NetstringParser(max_length=100)
    assert p.feed(b"19:{\"a\":") == [] and p.pending == 8
    assert p.feed(b"1234567890123},") == [b'{"a":1234567890123}']
    assert p.feed(b"5000:" + b"x" * 10 + encode(b"ok")) == [b"ok"]
    assert p.errors == 1


def test_close_mode_raises():
    p = NetstringParser(on_garbage="close")
    with pytest.raises(NetstringError):
        p.feed(b"abc:")
    assert p.pending == 0
