"""Opening a recording again that this workstation still holds decoded in memory: the opening is
checked and audited exactly as :meth:`app.review.library.LibraryService.open_audio` does it, but
nothing is read from the store or decrypted/decoded again."""

from __future__ import annotations

from app.review import audit
from app.review.access import Action, Principal
from app.review.common import NotFound, call_checked
from db.session import write_session


def audit_reopening(library, principal: Principal, call_id: int, recording_id: int,
                    purpose: str = "player") -> bool:
    """Audit playing *recording_id* of *call_id* again from memory, when it is still the call's
    recording (the same check, the same ``PLAYBACK`` entry as ``open_audio``). False (nothing
    audited) when the call's recording is another one now: open it anew with ``open_audio``.
    Raises as ``open_audio`` does when the principal may not play the call or it has no
    recording any more (deleted)."""
    with write_session(library.sessions) as s:
        call_checked(s, principal, call_id, Action.PLAY)
        r = library.recording_of(s, call_id)
        if r is None:
            raise NotFound(f"call {call_id} has no recording")
        if r.id != recording_id:
            return False
        audit.record(s, principal, audit.AuditAction.PLAYBACK, "recording", r.id,
                     {"call": call_id, "purpose": purpose})
    return True
