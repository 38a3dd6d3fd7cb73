"""The caller card: phone lookup, patient search and everything an administrator sees mid-call."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app import phones
from app.bonus import LedgerLine, replay
from app.domain import AppointmentStatus, ComplaintStatus, StageStatus
from db.models import (
    Appointment,
    BonusEntry,
    Complaint,
    Patient,
    PatientPhone,
    TreatmentPlan,
    Visit,
    VisitService,
)


def name_key(last: str, first: str, patronymic: str = "") -> str:
    """The search key stored on a patient: lower case, ё folded to е, single spaces."""
    return fold(" ".join(p for p in (last, first, patronymic) if p))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("ё", "е"))


def age_on(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --- what the card shows (plain data, JSON-ready) ----------------------------------------

@dataclass
class PhoneInfo:
    e164: str
    display: str
    kind: str
    primary: bool


@dataclass
class PatientSummary:
    """One line in a chooser or a search result."""

    id: int
    full_name: str
    sex: str
    birth_date: date | None
    age: int | None
    phones: list[str]
    family_role: str = ""


@dataclass
class FamilyMember:
    id: int
    full_name: str
    role: str
    age: int | None
    shares_phone: bool


@dataclass
class VisitInfo:
    id: int
    starts_at: datetime
    doctor: str
    specialty: str
    services: list[str]
    amount: int
    status: str


@dataclass
class StageInfo:
    seq: int
    title: str
    price: int
    due_on: date | None
    status: str


@dataclass
class PlanInfo:
    id: int
    title: str
    doctor: str
    created_on: date
    status: str
    stages: list[StageInfo]

    @property
    def unfinished(self) -> bool:
        return any(s.status == StageStatus.DUE for s in self.stages)


@dataclass
class AppointmentInfo:
    id: int
    starts_at: datetime
    doctor: str
    service: str
    status: str


@dataclass
class BonusInfo:
    balance: int
    nearest_expiry_amount: int | None
    nearest_expiry_date: date | None
    redemption_cap_percent: int


@dataclass
class Alert:
    code: str  # do_not_contact, no_call_consent, no_recording_consent, open_complaint
    text: str  # English; the UI shows its own translation of the code


@dataclass
class Card:
    patient_id: int
    full_name: str
    last_name: str
    first_name: str
    patronymic: str
    sex: str
    birth_date: date | None
    age: int | None
    phones: list[PhoneInfo]
    email: str
    address: str
    preferred_channel: str
    consent_calls: bool
    consent_messages: bool
    consent_recording: bool
    do_not_contact: bool
    comments: str
    family: list[FamilyMember]
    visits: list[VisitInfo]
    plans: list[PlanInfo]
    next_appointment: AppointmentInfo | None
    bonus: BonusInfo
    alerts: list[Alert]
    open_complaints: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # later parts add situations, script...

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class Lookup:
    """What a ringing number resolves to: none (new caller), one, or several (a chooser)."""

    raw: str
    e164: str
    display: str
    matches: list[PatientSummary]

    @property
    def is_new_caller(self) -> bool:
        return not self.matches

    @property
    def needs_choice(self) -> bool:
        return len(self.matches) > 1

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


# --- the service -----------------------------------------------------------------------

class CardService:
    def __init__(self, sessions: sessionmaker[Session], region: str = "RU", redemption_cap_percent: int = 50):
        self._sessions = sessions
        self.region = region
        self.redemption_cap_percent = redemption_cap_percent

    # lookup ---------------------------------------------------------------------------
    def lookup_phone(self, raw: str, today: date | None = None) -> Lookup:
        """Resolve a caller number; raises :class:`app.phones.PhoneError` for garbage."""
        e164 = phones.normalize(raw, self.region)
        today = today or date.today()
        with self._sessions() as s:
            ids = s.scalars(
                select(PatientPhone.patient_id).where(PatientPhone.e164 == e164).distinct()
            ).all()
            pats = self._summaries(s, ids, today)
        return Lookup(raw, e164, phones.display(e164, self.region), pats)

    def search(self, query: str, limit: int = 50, today: date | None = None) -> list[PatientSummary]:
        """Patients by name (each word a prefix of the name's words, in order) or by phone."""
        today = today or date.today()
        q = query.strip()
        if not q:
            return []
        with self._sessions() as s:
            digits = re.sub(r"\D", "", q)
            if digits and not re.search(r"[^\d\s()+\-.:@a-z]", q.lower()) and len(digits) >= 4:
                e164 = phones.try_normalize(q, self.region)
                cond = PatientPhone.e164 == e164 if e164 else PatientPhone.e164.like(f"%{digits}")
                ids = s.scalars(
                    select(PatientPhone.patient_id).where(cond).distinct().limit(limit)
                ).all()
                return self._summaries(s, ids, today)
            words = fold(q).split(" ")
            stmt = select(Patient.id)
            first = _escape_like(words[0])
            if s.get_bind().dialect.name == "sqlite":
                # GLOB is case-sensitive and uses the index on name_key; keys are lower case.
                stmt = stmt.where(Patient.name_key.op("GLOB")(_escape_glob(words[0]) + "*"))
            else:
                stmt = stmt.where(Patient.name_key.like(first + "%", escape="\\"))
            for w in words[1:]:
                stmt = stmt.where((" " + Patient.name_key).like("% " + _escape_like(w) + "%", escape="\\"))
            ids = s.scalars(stmt.order_by(Patient.name_key, Patient.id).limit(limit)).all()
            return self._summaries(s, ids, today)

    def _summaries(self, s: Session, ids, today: date) -> list[PatientSummary]:
        if not ids:
            return []
        rows = s.scalars(
            select(Patient).where(Patient.id.in_(ids)).options(selectinload(Patient.phones))
        ).all()
        order = {pid: i for i, pid in enumerate(ids)}
        rows = sorted(rows, key=lambda p: order[p.id])
        return [
            PatientSummary(
                p.id, p.full_name, p.sex, p.birth_date, age_on(p.birth_date, today),
                [phones.display(ph.e164, self.region) for ph in p.phones], p.family_role,
            )
            for p in rows
        ]

    # the card -------------------------------------------------------------------------
    def card(self, patient_id: int, today: date | None = None, visit_limit: int = 50) -> Card:
        today = today or date.today()
        with self._sessions() as s:
            p = s.get(Patient, patient_id, options=[selectinload(Patient.phones)])
            if p is None:
                raise LookupError(f"no patient with id {patient_id}")
            my_numbers = {ph.e164 for ph in p.phones}
            family: list[FamilyMember] = []
            if p.family_id is not None:
                members = s.scalars(
                    select(Patient)
                    .where(Patient.family_id == p.family_id, Patient.id != p.id)
                    .options(selectinload(Patient.phones))
                    .order_by(Patient.birth_date)
                ).all()
                family = [
                    FamilyMember(m.id, m.full_name, m.family_role, age_on(m.birth_date, today),
                                 bool(my_numbers & {ph.e164 for ph in m.phones}))
                    for m in members
                ]
            visits = s.scalars(
                select(Visit)
                .where(Visit.patient_id == p.id)
                .options(selectinload(Visit.doctor), selectinload(Visit.services).selectinload(VisitService.service))
                .order_by(Visit.starts_at.desc())
                .limit(visit_limit)
            ).all()
            visit_infos = [
                VisitInfo(v.id, v.starts_at, v.doctor.short_name, v.doctor.specialty,
                          [vs.service.name for vs in v.services], v.amount, v.status)
                for v in visits
            ]
            plans = s.scalars(
                select(TreatmentPlan)
                .where(TreatmentPlan.patient_id == p.id)
                .options(selectinload(TreatmentPlan.stages), selectinload(TreatmentPlan.doctor))
                .order_by(TreatmentPlan.created_on.desc())
            ).all()
            plan_infos = [
                PlanInfo(pl.id, pl.title, pl.doctor.short_name, pl.created_on, pl.status,
                         [StageInfo(st.seq, st.title, st.price, st.due_on, st.status) for st in pl.stages])
                for pl in plans
            ]
            # unfinished plans first
            plan_infos.sort(key=lambda pi: (not pi.unfinished, -pi.created_on.toordinal()))
            now = datetime.combine(today, datetime.min.time()).astimezone()
            appt = s.scalars(
                select(Appointment)
                .where(
                    Appointment.patient_id == p.id,
                    Appointment.starts_at >= now,
                    Appointment.status.in_([AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED]),
                )
                .options(selectinload(Appointment.doctor), selectinload(Appointment.service))
                .order_by(Appointment.starts_at)
                .limit(1)
            ).first()
            next_appt = (
                AppointmentInfo(appt.id, appt.starts_at, appt.doctor.short_name,
                                appt.service.name if appt.service else appt.doctor.specialty, appt.status)
                if appt else None
            )
            ledger = s.execute(
                select(BonusEntry.kind, BonusEntry.amount, BonusEntry.on_date, BonusEntry.expires_on)
                .where(BonusEntry.patient_id == p.id)
            ).all()
            state = replay([LedgerLine(*row) for row in ledger], today)
            nearest = state.nearest_expiry
            bonus = BonusInfo(
                state.balance,
                nearest.remaining if nearest else None,
                nearest.expires_on if nearest else None,
                self.redemption_cap_percent,
            )
            complaints = s.scalars(
                select(Complaint.text).where(Complaint.patient_id == p.id, Complaint.status == ComplaintStatus.OPEN)
            ).all()
            alerts = []
            if p.do_not_contact:
                alerts.append(Alert("do_not_contact", "Do not contact: the patient asked not to be called"))
            elif not p.consent_calls:
                alerts.append(Alert("no_call_consent", "No consent to outbound calls: send a message instead"))
            if not p.consent_recording:
                alerts.append(Alert("no_recording_consent", "No consent to recording: this call is not recorded"))
            if complaints:
                alerts.append(Alert("open_complaint", f"Open complaint: {complaints[0][:120]}"))
            return Card(
                patient_id=p.id, full_name=p.full_name, last_name=p.last_name, first_name=p.first_name,
                patronymic=p.patronymic, sex=p.sex, birth_date=p.birth_date, age=age_on(p.birth_date, today),
                phones=[PhoneInfo(ph.e164, phones.display(ph.e164, self.region), ph.kind, ph.is_primary) for ph in p.phones],
                email=p.email, address=p.address, preferred_channel=p.preferred_channel,
                consent_calls=p.consent_calls, consent_messages=p.consent_messages,
                consent_recording=p.consent_recording, do_not_contact=p.do_not_contact,
                comments=p.comments, family=family, visits=visit_infos, plans=plan_infos,
                next_appointment=next_appt, bonus=bonus, alerts=alerts, open_complaints=list(complaints),
            )

    # quick create for a new caller --------------------------------------------------------
    def create_patient(self, last_name: str, first_name: str, patronymic: str, sex: str,
                       phone: str, birth_date: date | None = None, comments: str = "") -> int:
        last_name, first_name, patronymic = last_name.strip(), first_name.strip(), patronymic.strip()
        if not last_name or not first_name:
            raise ValueError("last name and first name are required")
        if sex not in ("M", "F"):
            raise ValueError("sex must be M or F")
        e164 = phones.normalize(phone, self.region)
        with self._sessions() as s, s.begin():
            p = Patient(
                last_name=last_name, first_name=first_name, patronymic=patronymic,
                name_key=name_key(last_name, first_name, patronymic), sex=sex,
                birth_date=birth_date, comments=comments,
                phones=[PatientPhone(e164=e164, raw=phone.strip(), kind="mobile", is_primary=True)],
            )
            s.add(p)
            s.flush()
            return p.id


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _escape_glob(s: str) -> str:
    return re.sub(r"([*?\[\]])", r"[\1]", s)
