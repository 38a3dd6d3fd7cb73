"""All models; importing this module registers every table on ``Base.metadata``."""

from db.base import Base
from db.models.core import (
    Appointment,
    BonusEntry,
    Call,
    Complaint,
    Doctor,
    Family,
    Patient,
    PatientPhone,
    PlanStage,
    Service,
    TreatmentPlan,
    User,
    Visit,
    VisitService,
)
from db.models.recording import Recording

__all__ = [
    "Base",
    "Appointment",
    "BonusEntry",
    "Call",
    "Complaint",
    "Doctor",
    "Family",
    "Patient",
    "Recording",
    "PatientPhone",
    "PlanStage",
    "Service",
    "TreatmentPlan",
    "User",
    "Visit",
    "VisitService",
]
