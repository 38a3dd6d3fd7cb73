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
from db.models.telephony import MissedCall  # noqa: F401  (telephony, issue 5)
from db.models.deployment import ChangeEvent, ImportLink, ImportMapping, ImportRun  # noqa: F401  (issue 7)
from db.models.transcription import TranscriptDocument, TranscriptionJob, TranscriptSegment
from db.models.scripts import CallList, CallListAttempt, CallListEntry, ScriptVersion
from db.models.review import (  # noqa: F401  (review and training, issue 6)
    AuditEntry,
    CallTag,
    Playlist,
    ReviewTag,
)

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
    "TranscriptionJob",
    "TranscriptSegment",
    "TranscriptDocument",
    "CallList",
    "CallListAttempt",
    "CallListEntry",
    "ScriptVersion",
    "PatientPhone",
    "PlanStage",
    "Service",
    "TreatmentPlan",
    "User",
    "Visit",
    "VisitService",
]
