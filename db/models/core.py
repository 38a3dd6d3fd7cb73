"""The clinic: patients, phones, families, doctors, services, visits, plans, bonuses, calls."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, utcnow


class Family(Base):
    __tablename__ = "families"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    members: Mapped[list[Patient]] = relationship(back_populates="family")


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # MIS id
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    # lower-case "last first patronymic" with ё -> е, for prefix search (see app.card.name_key)
    name_key: Mapped[str] = mapped_column(String(310), default="")
    sex: Mapped[str] = mapped_column(String(1))  # app.domain.Sex
    birth_date: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    preferred_channel: Mapped[str] = mapped_column(String(16), default="phone")  # app.domain.Channel
    consent_calls: Mapped[bool] = mapped_column(Boolean, default=True)
    consent_messages: Mapped[bool] = mapped_column(Boolean, default=True)
    consent_recording: Mapped[bool] = mapped_column(Boolean, default=True)
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    comments: Mapped[str] = mapped_column(Text, default="")
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id", ondelete="SET NULL"))
    family_role: Mapped[str] = mapped_column(String(40), default="")  # mother, son, spouse...
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    family: Mapped[Family | None] = relationship(back_populates="members")
    phones: Mapped[list[PatientPhone]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", order_by="PatientPhone.id"
    )

    __table_args__ = (
        Index("ix_patients_name_key", "name_key", postgresql_ops={"name_key": "text_pattern_ops"}),
        Index("ix_patients_family_id", "family_id"),
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class PatientPhone(Base):
    __tablename__ = "patient_phones"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    e164: Mapped[str] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(String(64), default="")  # as entered in the MIS
    kind: Mapped[str] = mapped_column(String(16), default="mobile")  # mobile, home, work
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    patient: Mapped[Patient] = relationship(back_populates="phones")
    __table_args__ = (
        UniqueConstraint("patient_id", "e164", name="uq_patient_phones_patient_e164"),
        Index("ix_patient_phones_e164", "e164"),
    )


class Doctor(Base):
    __tablename__ = "doctors"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    specialty: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        ini = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {ini}".strip()


class Service(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    specialty: Mapped[str] = mapped_column(String(100))
    price: Mapped[int] = mapped_column(Integer)  # roubles
    is_consultation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Months until a control examination / check-up is due after this service (recall).
    recall_months: Mapped[int | None] = mapped_column(Integer)


class Visit(Base):
    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="done")  # app.domain.VisitStatus
    amount: Mapped[int] = mapped_column(Integer, default=0)  # roubles billed
    bonus_paid: Mapped[int] = mapped_column(Integer, default=0)  # part of amount paid by bonus
    notes: Mapped[str] = mapped_column(Text, default="")
    doctor: Mapped[Doctor] = relationship()
    services: Mapped[list[VisitService]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitService.id"
    )
    __table_args__ = (Index("ix_visits_patient_starts", "patient_id", "starts_at"),)


class VisitService(Base):
    __tablename__ = "visit_services"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    visit: Mapped[Visit] = relationship(back_populates="services")
    service: Mapped[Service] = relationship()
    __table_args__ = (Index("ix_visit_services_visit_id", "visit_id"),)


class TreatmentPlan(Base):
    __tablename__ = "treatment_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"))
    title: Mapped[str] = mapped_column(String(200))
    created_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")  # app.domain.PlanStatus
    doctor: Mapped[Doctor] = relationship()
    stages: Mapped[list[PlanStage]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanStage.seq"
    )
    __table_args__ = (Index("ix_treatment_plans_patient_id", "patient_id"),)


class PlanStage(Base):
    __tablename__ = "plan_stages"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("treatment_plans.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    title: Mapped[str] = mapped_column(String(200))
    price: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="due")  # app.domain.StageStatus
    done_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    plan: Mapped[TreatmentPlan] = relationship(back_populates="stages")
    service: Mapped[Service | None] = relationship()
    __table_args__ = (Index("ix_plan_stages_plan_id", "plan_id"),)


class Appointment(Base):
    __tablename__ = "appointments"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # AppointmentStatus
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    doctor: Mapped[Doctor] = relationship()
    service: Mapped[Service | None] = relationship()
    __table_args__ = (
        Index("ix_appointments_patient_starts", "patient_id", "starts_at"),
        Index("ix_appointments_starts_at", "starts_at"),
    )


class BonusEntry(Base):
    """One line of the bonus ledger. Amounts are positive; ``kind`` gives the sign."""

    __tablename__ = "bonus_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # app.domain.BonusKind
    amount: Mapped[int] = mapped_column(Integer)
    on_date: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)  # accruals and compensations
    reason: Mapped[str] = mapped_column(String(200), default="")
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    __table_args__ = (Index("ix_bonus_entries_patient_date", "patient_id", "on_date"),)


class Complaint(Base):
    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # ComplaintStatus
    text: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_complaints_patient_id", "patient_id"),)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # app.domain.Role
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Call(Base):
    """A telephone conversation (or an attempt) as the front desk saw it."""

    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))  # app.domain.CallDirection
    number_raw: Mapped[str] = mapped_column(String(200), default="")
    number_e164: Mapped[str | None] = mapped_column(String(20))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="manual")  # cli, softphone, ami, webhook, list
    external_id: Mapped[str] = mapped_column(String(100), default="")  # PBX / baresip call id
    ring_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    disposition: Mapped[str | None] = mapped_column(String(16))  # app.domain.Disposition
    disposition_note: Mapped[str] = mapped_column(Text, default="")
    situation: Mapped[str | None] = mapped_column(String(32))
    interrupted: Mapped[bool] = mapped_column(Boolean, default=False)
    # issue 3 (migration 0002): which script version was shown, and the ticked checklist
    script_version_id: Mapped[int | None] = mapped_column(ForeignKey("script_versions.id"))  # versions are never deleted
    checklist: Mapped[dict | None] = mapped_column(JSON)  # {"care_question": true, ...}
    __table_args__ = (
        Index("ix_calls_ring_at", "ring_at"),
        Index("ix_calls_patient_id", "patient_id"),
        Index("ix_calls_user_id", "user_id"),
        Index("ix_calls_number_e164", "number_e164"),
    )
