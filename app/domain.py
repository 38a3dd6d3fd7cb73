"""Plain domain vocabulary shared by every layer (no Qt, no SQLAlchemy)."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class Channel(StrEnum):
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    SMS = "sms"
    EMAIL = "email"


class VisitStatus(StrEnum):
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class PlanStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DECLINED = "declined"


class StageStatus(StrEnum):
    DONE = "done"
    DUE = "due"
    DECLINED = "declined"


class BonusKind(StrEnum):
    ACCRUAL = "accrual"
    REDEMPTION = "redemption"
    EXPIRY = "expiry"
    COMPENSATION = "compensation"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"
    MANAGER = "manager"


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Disposition(StrEnum):
    BOOKED = "booked"
    CALL_BACK = "call_back"
    DECLINED = "declined"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    INFO_GIVEN = "info_given"
    COMPLAINT = "complaint"
    OTHER = "other"
