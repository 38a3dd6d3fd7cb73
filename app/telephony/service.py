"""The telephony service: one source chosen in the settings, the call tracker, click-to-call.

``TelephonyService(ctx_like, ...)`` builds, but does not start:
* ``source = "softphone"``: :class:`app.telephony.baresip.Softphone` (answer, hang up, mute,
  hold, dial);
* ``source = "ami"``: :class:`app.telephony.ami.AmiClient` (events; dial = Originate);
* ``source = "webhook"``: :class:`app.telephony.webhook.WebhookServer` (events only);
* ``source = "none"``: nothing (``carecall call --phone`` still works through the IPC).

Listeners get every :class:`CallEvent` *before* the tracker writes the row, so the card can
pop while the database is being written; then :class:`CallUpdate` after. Listeners run on the
source's thread: a UI must hop to its own thread (``ui.telephony.bridge`` does).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from app.telephony.calls import CallTracker, CallUpdate
from app.telephony.events import CallEvent, Fanout, Source, StatusEvent
from app.telephony.missed import MissedCalls

log = logging.getLogger("carecall.telephony")


def administrator_id(sessions, login: str | None = None) -> int | None:
    """The ``users`` row of the person at this workstation (OS login = ``users.login``), if any."""
    import getpass

    from sqlalchemy import select

    from db.models import User

    try:
        login = login or getpass.getuser()
        with sessions() as s:
            return s.scalar(select(User.id).where(User.login == login, User.active.is_(True)))
    except Exception as e:  # noqa: BLE001 - calls are still logged, without the administrator
        log.warning("cannot find the administrator's user row: %s", e)
        return None


class TelephonyError(RuntimeError):
    """A message for the administrator (no softphone, PBX refused, nothing to dial)."""


class TelephonyService:
    def __init__(self, settings, sessions, cards, user_id: int | None = None,
                 recordings: Any = None, jobs: Any = None,
                 secret: Callable[[str], str | None] | None = None, call_recording: Any = None):
        self.settings = settings
        self.t = settings.telephony
        self.events = Fanout()
        self.updates = Fanout()
        self.statuses = Fanout()
        if user_id is None:
            user_id = administrator_id(sessions)
        # call_recording: desk phones (AMI, webhook) are recorded on this computer by the
        # recording area's controller; the softphone's audio comes from baresip (recordings/jobs)
        self.tracker = CallTracker(sessions, cards, user_id, recordings, jobs, on_update=self.updates,
                                   call_recording=call_recording)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="call-rows")
        self._pending: list = []
        self.missed = MissedCalls(sessions, settings.phone.default_region)
        self._secret = secret
        self.source = None
        self.kind = self.t.source
        self.last_status: StatusEvent | None = None
        self.statuses.add(self._remember)

    def _remember(self, st: StatusEvent) -> None:
        self.last_status = st
        log.info("telephony %s: %s %s", st.source, st.state, st.message)

    def _get_secret(self, name: str) -> str | None:
        if self._secret is not None:
            return self._secret(name)
        from app.secrets import get_secret

        return get_secret(name)

    def _on_event(self, ev: CallEvent) -> None:
        """On the source's thread: listeners first (the card pops), then the row is written on
        the single database-writer thread, so a slow database never holds up the source."""
        self.events(ev)
        self._pending.append(self._writer.submit(self.tracker.handle, ev))
        if len(self._pending) > 64:
            self._pending = [f for f in self._pending if not f.done()]

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every event so far is in the database (tests, shutdown)."""
        pending, self._pending = self._pending, []
        for f in pending:
            f.result(timeout)

    # lifecycle -----------------------------------------------------------------------------------
    def start(self, wait: float = 0.0) -> None:
        kind = self.kind
        if kind == "softphone":
            from app.telephony.baresip import Softphone, SoftphoneConfig

            cfg = SoftphoneConfig.from_settings(self.t)
            from app.settings import runtime_dir

            self.source = Softphone(cfg, self._on_event, self.statuses,
                                    password=lambda: self._get_secret(f"sip:{cfg.sip_uri}"),
                                    runtime_parent=runtime_dir())
            self.source.start(wait=wait)
        elif kind == "ami":
            from app.telephony.ami import AmiClient

            if not (self.t.ami_user and self.t.extension):
                raise TelephonyError("AMI needs telephony.ami_user and telephony.extension in the settings")
            self.source = AmiClient(self.t.ami_host, self.t.ami_port, self.t.ami_user,
                                    lambda: self._get_secret(f"ami:{self.t.ami_user}@{self.t.ami_host}"),
                                    self.t.extension, self._on_event, self.statuses,
                                    context=self.t.originate_context)
            self.source.start()
        elif kind == "webhook":
            from app.telephony.webhook import WebhookServer

            token = self._get_secret("webhook")
            if not token:
                raise TelephonyError("no webhook token in the OS keyring (carecall secret set webhook)")
            self.source = WebhookServer(token, self._on_event, port=self.t.webhook_port)
            self.source.start()
            self.statuses(StatusEvent(Source.WEBHOOK, "ready", f"webhook on http://127.0.0.1:{self.source.port}/call"))

    def stop(self) -> None:
        if self.source is not None:
            self.source.stop()
            self.source = None
        self.flush(30)
        self._writer.shutdown(wait=True)
        self.tracker.drain(30)
        self.tracker.close()

    # call control ---------------------------------------------------------------------------------
    @property
    def can_control(self) -> bool:
        """Answer / hang up / mute / hold are possible (the built-in softphone)."""
        return self.kind == "softphone"

    @property
    def can_dial(self) -> bool:
        return self.kind in ("softphone", "ami")

    def _softphone(self):
        if self.kind != "softphone" or self.source is None:
            raise TelephonyError("call control needs the built-in softphone (telephony.source = \"softphone\")")
        return self.source

    def answer(self) -> str:
        return self._softphone().accept()

    def hangup(self) -> str:
        return self._softphone().hangup()

    def mute(self) -> str:
        return self._softphone().mute()

    def hold(self) -> str:
        return self._softphone().hold()

    def resume(self) -> str:
        return self._softphone().resume()

    def dial(self, number: str) -> str:
        """Click-to-call: through the softphone, or Originate on Asterisk for a desk phone."""
        from app import phones

        e164 = phones.try_normalize(number, self.settings.phone.default_region)
        target = e164 or number.strip()
        if not target:
            raise TelephonyError("no number to call")
        if self.kind == "softphone" and self.source is not None:
            return self.source.dial(target)
        if self.kind == "ami" and self.source is not None:
            return self.source.originate(target)
        raise TelephonyError("calling out needs the built-in softphone or an Asterisk connection")

    def set_disposition(self, call_db_id: int, disposition: str, note: str = "") -> None:
        self.tracker.set_disposition(call_db_id, disposition, note)


__all__ = ["TelephonyService", "TelephonyError", "CallUpdate"]
