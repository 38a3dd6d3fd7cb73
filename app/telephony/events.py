"""One normalised call event, whatever the source (softphone, AMI, webhook, CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any, Callable


class EventKind(StrEnum):
    RINGING = "ringing"  # an inbound call rings at the administrator's phone
    DIALING = "dialing"  # an outbound call was started from this desk
    ANSWERED = "answered"  # the conversation started
    HUNGUP = "hungup"  # the call is over (answered or not)
    HOLD = "hold"
    RESUME = "resume"


class Source(StrEnum):
    SOFTPHONE = "softphone"
    AMI = "ami"
    WEBHOOK = "webhook"
    CLI = "cli"
    LIST = "list"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class CallEvent:
    kind: EventKind
    call_id: str  # the source's id: baresip call id, Asterisk Linkedid, the webhook's call_id
    number: str = ""  # the other party as the source gave it (URI, digits, +7...)
    direction: str = "inbound"  # app.domain.CallDirection
    source: str = Source.SOFTPHONE
    at: datetime = field(default_factory=utcnow)
    reason: str = ""  # for HUNGUP: why (baresip param, Asterisk Cause-txt)
    raw: dict[str, Any] = field(default_factory=dict)  # what the source sent, for the log
    # for HUNGUP from the softphone: (administrator_wav, caller_wav) written by sndfile
    audio: tuple[str, str] | None = None


@dataclass(frozen=True)
class StatusEvent:
    """Health of a source, for the status line: 'softphone stopped, restarting in 2 s'."""

    source: str
    state: str  # starting, ready, died, restarting, connecting, connected, login_failed, stopped, error
    message: str = ""
    at: datetime = field(default_factory=utcnow)


EventSink = Callable[[CallEvent], None]
StatusSink = Callable[[StatusEvent], None]


class Fanout:
    """Several listeners for one source; a listener that raises is logged, not fatal."""

    def __init__(self) -> None:
        self._sinks: list[Callable] = []

    def add(self, sink: Callable) -> None:
        self._sinks.append(sink)

    def __call__(self, ev) -> None:
        import logging

        for s in list(self._sinks):
            try:
                s(ev)
            except Exception:  # noqa: BLE001 - one broken listener must not stop the others
                logging.getLogger("carecall.telephony").exception("listener %r failed on %r", s, ev)
