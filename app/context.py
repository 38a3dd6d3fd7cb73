"""The non-UI composition: settings -> engine -> services. The UI's root builds on this."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.card import CardService
from app.settings import Settings
from db.session import DatabaseError, make_engine, session_factory, upgrade

log = logging.getLogger("carecall.context")


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cards: CardService
    #: the ``--config`` file these settings were read from (absolute), or None: passed on to the
    #: processes this program starts (the detached transcription worker)
    config_path: str | None = None

    def close(self) -> None:
        self.engine.dispose()

    # --- issue 4: recording (clinic keys, encrypted store, capture that follows the call) ---
    @functools.cached_property
    def keys(self):
        from app.security.keys import default_key_manager

        return default_key_manager()

    @functools.cached_property
    def recordings(self):
        from app.recording.store import RecordingStore

        return RecordingStore.from_settings(self.sessions, self.settings.audio, self.keys)

    @functools.cached_property
    def call_recording(self):
        from app.recording.calls import CallRecordingController
        from app.recording.capture import Recorder
        from app.transcription.queue import JobQueue

        a = self.settings.audio
        rec = Recorder(self.recordings, a.admin_device or None, a.caller_device or None, a.samplerate,
                       blocksize=a.blocksize, latency=a.latency_s)
        jobs = JobQueue(self.sessions, default_engine=self.settings.asr.engine,
                        default_language=self.settings.asr.language)
        return CallRecordingController(self.sessions, rec, enabled=a.enabled, record_unknown=a.record_unknown_callers,
                                       jobs=jobs)

    # --- issue 3: situations, scripts, call lists, bonus ledger ---
    @functools.cached_property
    def situations(self):
        from app.situation_service import SituationService
        from app.situations import Rules

        return SituationService(self.sessions, Rules.from_settings(self.settings.scripts),
                                self.settings.phone.default_region, self.settings.bonus.redemption_cap_percent)

    @functools.cached_property
    def scripts(self):
        from app.scripts.service import ScriptService

        return ScriptService(self.sessions, self.situations, self.settings.scripts.language,
                             self.settings.scripts.clinic_name)

    @functools.cached_property
    def call_lists(self):
        from app.call_list_service import CallListService

        return CallListService(self.sessions, self.situations, self.settings.scripts.lists,
                               self.settings.scripts.claim_timeout_minutes, self.settings.scripts.language)

    @functools.cached_property
    def bonus(self):
        from app.bonus_programme import Programme
        from app.bonus_service import BonusService

        return BonusService(self.sessions, Programme.from_settings(self.settings.bonus))

    # --- issue 5: telephony (softphone / AMI / webhook), call rows, missed-call list ---
    @functools.cached_property
    def telephony(self):
        """Built, not started (``.start()``); audio goes to the recording pipeline when it can be
        built here (master key in the keyring), otherwise stays in the softphone's private dir."""
        from app.telephony.service import TelephonyService

        recordings = jobs = None
        if self.settings.telephony.source == "softphone" and self.settings.telephony.record_calls:
            try:
                from app.recording.store import RecordingStore
                from app.transcription.queue import JobQueue

                recordings = RecordingStore.from_settings(self.sessions, self.settings.audio)
                jobs = JobQueue(self.sessions, default_engine=self.settings.asr.engine,
                                default_language=self.settings.asr.language)
            except Exception as e:  # noqa: BLE001 - calls still work; the log says why audio is not stored
                log.error("telephony: the recording pipeline is not available: %s", e)
        call_recording = None
        if self.settings.telephony.source in ("ami", "webhook"):  # desk phones: recorded on this computer
            try:
                call_recording = self.call_recording
            except Exception as e:  # noqa: BLE001 - calls still work; the log says why they are not recorded
                log.error("telephony: desk-phone calls will not be recorded: %s", e)
        return TelephonyService(self.settings, self.sessions, self.cards, recordings=recordings, jobs=jobs,
                                call_recording=call_recording)

    # --- issue 6: review and training (roles, audit, library, tags, scorecards, cases, reports) ---
    @functools.cached_property
    def review(self):
        """Transcripts and recordings are attached when this workstation can open them."""
        from app.review.adapters import recording_store, transcript_source
        from app.review.services import ReviewServices

        r = self.settings.review
        return ReviewServices(self.sessions, r.retention_days, transcripts=transcript_source(self),
                              recordings=recording_store(self), max_failed_sign_ins=r.max_failed_sign_ins,
                              lockout_minutes=r.lockout_minutes)


def database_url(settings: Settings, override: str | None = None) -> str:
    return override or settings.database.resolved_url()


def open_context(settings: Settings, url: str | None = None, migrate: bool = True,
                 config_path: str | None = None) -> AppContext:
    """*config_path*: the ``--config`` file *settings* came from, kept on the context."""
    url = database_url(settings, url)
    password = None
    try:
        u = make_url(url)
    except Exception:
        raise DatabaseError(f"{url!r} is not a database URL") from None
    if u.get_backend_name() == "postgresql" and not u.password and u.username:
        from app.secrets import SecretStoreUnavailable, database_secret_name, get_secret

        try:
            password = get_secret(database_secret_name(url))
        except SecretStoreUnavailable:
            log.info("no keyring: connecting to %s without a stored password", u.host)
    engine = make_engine(url, password=password)
    try:
        if migrate:
            upgrade(engine)
    except Exception as e:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {u.render_as_string(hide_password=True)}: {e}") from e
    sessions = session_factory(engine)
    cards = CardService(sessions, settings.phone.default_region, settings.bonus.redemption_cap_percent)
    if config_path:
        import os

        config_path = os.path.abspath(config_path)
    return AppContext(settings, engine, sessions, cards, config_path=config_path or None)


def is_empty(engine: Engine) -> bool:
    from sqlalchemy import func, select

    from db.models import Patient

    if not inspect(engine).has_table("patients"):
        return True
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(Patient)).scalar_one() == 0
