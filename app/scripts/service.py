"""Script versions in the database, rendering for a real patient, checklist saved with a call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.scripts import loader
from app.scripts.renderer import CHECKLIST_CODES, RenderedScript, ScriptError, parse, render, values_for
from app.situation_service import SituationService
from app.situations import ALL, PatientFacts, Situation, detect, new_patient
from db.models import Call, ScriptVersion
from db.session import write_session


EDITOR_ROLES = {"supervisor", "manager"}


@dataclass
class VersionInfo:
    id: int
    situation: str
    language: str
    version: int
    author: str
    note: str
    created_at: datetime
    body: str


class ScriptService:
    def __init__(self, sessions: sessionmaker[Session], situations: SituationService,
                 language: str = "ru", clinic_name: str = ""):
        self._sessions = sessions
        self.situations = situations
        self.language = language
        self.clinic_name = clinic_name

    # versions ------------------------------------------------------------------------
    def ensure_seeded(self) -> int:
        """Version 1 of every built-in script that has no version yet. Returns how many added."""
        with self._sessions() as s:
            have = set(s.execute(select(ScriptVersion.situation, ScriptVersion.language).distinct()).all())
        missing = [(sit, lang) for lang in loader.LANGUAGES for sit in ALL if (sit, lang) not in have]
        if not missing:
            return 0
        added = 0
        for sit, lang in missing:
            try:
                with write_session(self._sessions) as s:
                    exists = s.scalar(select(func.count()).select_from(ScriptVersion).where(
                        ScriptVersion.situation == sit, ScriptVersion.language == lang))
                    if exists:
                        continue
                    s.add(ScriptVersion(situation=sit, language=lang, version=1,
                                        body=loader.builtin_body(sit, lang), author="resources",
                                        note="built-in script"))
                added += 1
            except IntegrityError:  # another workstation seeded it at the same moment
                pass
        return added

    def current(self, situation: str, lang: str | None = None) -> VersionInfo:
        lang = lang or self.language
        self.ensure_seeded()
        with self._sessions() as s:
            v = s.scalars(select(ScriptVersion).where(
                ScriptVersion.situation == situation, ScriptVersion.language == lang,
            ).order_by(ScriptVersion.version.desc()).limit(1)).first()
            if v is None:
                raise LookupError(f"no script for situation {situation!r} in {lang!r}")
            return _info(v)

    def history(self, situation: str, lang: str | None = None) -> list[VersionInfo]:
        lang = lang or self.language
        self.ensure_seeded()
        with self._sessions() as s:
            return [_info(v) for v in s.scalars(select(ScriptVersion).where(
                ScriptVersion.situation == situation, ScriptVersion.language == lang,
            ).order_by(ScriptVersion.version.desc()))]

    def save(self, situation: str, body: str, author: str, note: str = "", lang: str | None = None,
             role: str | None = None) -> VersionInfo:
        """Validate and store a new version; raises :class:`ScriptError` for a bad script and
        :class:`PermissionError` when *role* (given by the UI) may not edit scripts."""
        if role is not None and role not in EDITOR_ROLES:
            raise PermissionError(f"a {role} may not edit scripts (supervisors and managers may)")
        lang = lang or self.language
        if situation not in ALL:
            raise ScriptError(f"unknown situation {situation!r}")
        tpl = parse(body)
        if tpl.situation and tpl.situation != situation:
            raise ScriptError(f"the script says situation = {tpl.situation!r}, not {situation!r}")
        self.ensure_seeded()
        for _ in range(5):
            try:
                with write_session(self._sessions) as s:
                    top = s.scalar(select(func.max(ScriptVersion.version)).where(
                        ScriptVersion.situation == situation, ScriptVersion.language == lang)) or 0
                    v = ScriptVersion(situation=situation, language=lang, version=top + 1, body=body,
                                      author=author, note=note)
                    s.add(v)
                    s.flush()
                    return _info(v)
            except IntegrityError:
                continue  # two supervisors saved at once: take the next number
        raise ScriptError("could not save the script (the version number kept changing); try again")

    # rendering -----------------------------------------------------------------------
    def render_body(self, body: str, facts: PatientFacts, situation: Situation, now: datetime,
                    lang: str | None = None, admin: str = "", version: VersionInfo | None = None) -> RenderedScript:
        """Render a (possibly unsaved) script body: the editor's live preview."""
        lang = lang or self.language
        tpl = loader.with_common(parse(body), lang)
        vals = values_for(facts, situation, lang, now.date(), self.clinic_name, admin, now.tzinfo)
        return render(tpl, vals, lang, situation.data, version.id if version else None,
                      version.version if version else None)

    def render(self, facts: PatientFacts, situation: Situation, now: datetime, lang: str | None = None,
               admin: str = "") -> RenderedScript:
        v = self.current(situation.code, lang)
        return self.render_body(v.body, facts, situation, now, lang, admin, v)

    def for_patient(self, patient_id: int | None, now: datetime, lang: str | None = None, admin: str = "",
                    phone_display: str = "") -> tuple[list[Situation], list[RenderedScript]]:
        """Situations (best first) and a rendered script for each. ``None``: an unknown caller."""
        if patient_id is None:
            facts = PatientFacts(None, phone_display=phone_display)
            sits = [new_patient()]
        else:
            facts = self.situations.facts(patient_id, now)
            sits = detect(facts, now, self.situations.rules)
        return sits, [self.render(facts, s, now, lang, admin) for s in sits]

    # calls -----------------------------------------------------------------------------
    def record_on_call(self, call_id: int, script_version_id: int | None, checklist: dict[str, bool],
                       situation: str | None = None) -> None:
        """Save which script version was shown and the ticked checklist with the call."""
        bad = [k for k in checklist if k not in CHECKLIST_CODES]
        if bad:
            raise ValueError(f"unknown checklist items: {', '.join(bad)}")
        with write_session(self._sessions) as s:
            call = s.get(Call, call_id)
            if call is None:
                raise LookupError(f"no call with id {call_id}")
            call.script_version_id = script_version_id
            call.checklist = {k: bool(v) for k, v in checklist.items()}
            if situation:
                call.situation = situation


def _info(v: ScriptVersion) -> VersionInfo:
    return VersionInfo(v.id, v.situation, v.language, v.version, v.author, v.note, v.created_at, v.body)
