"""Cross-workstation freshness: a card open on one PC sees a disposition saved on another.

Every saved call disposition becomes a row in ``change_events`` (database triggers from
migration 0006, so it holds whatever code saves the call); other changes can be announced with
:func:`record_change`. A :class:`ChangeNotifier` delivers new events to a callback:

* PostgreSQL: ``LISTEN carecall_changes`` on a dedicated psycopg connection; the trigger sends
  ``NOTIFY`` at commit, so the callback runs within milliseconds. The listener also re-reads
  at least every ``poll_interval`` seconds and reconnects after a lost connection, so nothing
  is missed.
* SQLite (one PC, or a fallback): polling ``change_events`` for ids above the last seen one,
  every ``poll_interval`` seconds (default 1 s, never more than 2 s).

The callback runs on the notifier's thread: a UI must hop to its own thread (a queued signal).

    notifier = ChangeNotifier(engine, on_events)   # on_events(list[ChangeEvent])
    notifier.start()
    ...
    notifier.stop()
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import ChangeEvent as ChangeEventRow

log = logging.getLogger("carecall.sync")

CHANNEL = "carecall_changes"
MAX_POLL_INTERVAL = 2.0


@dataclass(frozen=True)
class ChangeEvent:
    id: int
    topic: str  # "call_disposition", "import", ...
    entity_id: int | None  # the call id for call_disposition
    patient_id: int | None
    detail: str  # the disposition for call_disposition, the kind for import
    created_at: datetime


def record_change(session: Session, topic: str, entity_id: int | None = None, patient_id: int | None = None,
                  detail: str = "") -> None:
    """Announce a change in the caller's transaction (delivered to others at commit)."""
    session.add(ChangeEventRow(topic=topic[:32], entity_id=entity_id, patient_id=patient_id, detail=detail))


KEEP_DAYS = 7


def prune_events(engine: Engine, keep_days: int = KEEP_DAYS) -> int:
    """Delete change events older than *keep_days* (they only matter for a few seconds);
    every workstation does it when its notifier starts. Returns how many went."""
    from datetime import timedelta

    from sqlalchemy import delete

    from db.base import utcnow

    with engine.begin() as c:
        return c.execute(delete(ChangeEventRow).where(
            ChangeEventRow.created_at < utcnow() - timedelta(days=keep_days))).rowcount or 0


def last_event_id(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.coalesce(func.max(ChangeEventRow.id), 0))).scalar_one())


def events_after(engine: Engine, after_id: int, limit: int = 500) -> list[ChangeEvent]:
    with engine.connect() as c:
        rows = c.execute(
            select(ChangeEventRow.id, ChangeEventRow.topic, ChangeEventRow.entity_id, ChangeEventRow.patient_id,
                   ChangeEventRow.detail, ChangeEventRow.created_at)
            .where(ChangeEventRow.id > after_id).order_by(ChangeEventRow.id).limit(limit)
        ).all()
    return [ChangeEvent(*r) for r in rows]


class ChangeNotifier:
    """Delivers change events committed by any workstation to ``callback(list[ChangeEvent])``."""

    def __init__(self, engine: Engine, callback: Callable[[list[ChangeEvent]], None],
                 poll_interval: float = 1.0, since_id: int | None = None):
        self.engine = engine
        self.callback = callback
        self.poll_interval = min(max(poll_interval, 0.05), MAX_POLL_INTERVAL)
        self._since = since_id
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.mode = "listen" if engine.dialect.name == "postgresql" else "poll"
        self.listening = threading.Event()  # set once LISTEN is active (PostgreSQL)

    @property
    def last_seen(self) -> int:
        return self._since or 0

    def start(self) -> None:
        if self._thread is not None:
            return
        try:
            prune_events(self.engine)
        except Exception as e:  # noqa: BLE001 - housekeeping only (a busy SQLite, a read-only user)
            log.info("change events not pruned: %s", e)
        if self._since is None:
            self._since = last_event_id(self.engine)
        target = self._listen_loop if self.mode == "listen" else self._poll_loop
        self._thread = threading.Thread(target=target, name="carecall-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # ------------------------------------------------------------------------------------
    def _deliver(self) -> None:
        while True:
            evs = events_after(self.engine, self._since or 0)
            if not evs:
                return
            self._since = evs[-1].id
            try:
                self.callback(evs)
            except Exception:  # noqa: BLE001 - a bad callback must not kill the notifier
                log.exception("change callback failed")
            if len(evs) < 500:
                return

    def _poll_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._deliver()
            except Exception as e:  # noqa: BLE001 - the database may be away for a moment
                log.warning("change polling failed: %s", e)
            self._stop.wait(self.poll_interval)

    def _listen_loop(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._deliver()  # anything committed while we were not listening
                    while not self._stop.is_set():
                        got = False
                        for _n in conn.notifies(timeout=self.poll_interval, stop_after=1):
                            got = True
                        self._deliver()
                        if got:
                            continue
            except Exception as e:  # noqa: BLE001 - reconnect after a lost connection
                self.listening.clear()
                if self._stop.is_set():
                    return
                log.warning("change listener lost its connection (%s); polling until it is back", e)
                try:
                    self._deliver()
                except Exception:  # noqa: BLE001
                    pass
                self._stop.wait(self.poll_interval)
