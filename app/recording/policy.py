"""Who may be recorded: the patient's recording consent decides."""

from __future__ import annotations

from enum import Enum


class Reason(str, Enum):
    CONSENT = "consent"  # recorded: the patient agreed
    NO_CONSENT = "no_consent"  # not recorded: the patient refused recording
    UNKNOWN_CALLER = "unknown_caller"  # recorded: not a known patient (clinic greeting announces it)
    UNKNOWN_CALLER_OFF = "unknown_caller_off"  # not recorded: settings say so for unknown callers
    DISABLED = "disabled"  # not recorded: recording switched off on this workstation


def should_record(patient, *, enabled: bool = True, record_unknown: bool = True) -> tuple[bool, Reason]:
    """``patient`` is a db Patient (or anything with ``consent_recording``) or None."""
    if not enabled:
        return False, Reason.DISABLED
    if patient is None:
        return (True, Reason.UNKNOWN_CALLER) if record_unknown else (False, Reason.UNKNOWN_CALLER_OFF)
    if not bool(getattr(patient, "consent_recording", False)):
        return False, Reason.NO_CONSENT
    return True, Reason.CONSENT
