"""``carecall card --json``: adds "recording" to each card ({"will_record": bool, "reason": ...})
and to a new caller's output, so the card says when a call will not be recorded.
Listed in :data:`app.card_extras.ENRICHER_MODULES`."""

from __future__ import annotations

from app.recording.policy import should_record
from db.models import Patient


def enrich(ctx, out: dict, today) -> None:
    a = ctx.settings.audio
    if out.get("new_caller"):
        ok, why = should_record(None, enabled=a.enabled, record_unknown=a.record_unknown_callers)
        out["recording"] = {"will_record": ok, "reason": why.value}
        return
    with ctx.sessions() as s:
        for card in out.get("cards", []):
            p = s.get(Patient, card["patient_id"])
            ok, why = should_record(p, enabled=a.enabled, record_unknown=a.record_unknown_callers)
            card["recording"] = {"will_record": ok, "reason": why.value}
