"""``carecall card --json``: adds "situations" (ranked, with reasons) and "script" (the top
situation's rendered script, checklist, objections, version) plus "scripts" (all of them).
Listed in :data:`app.card_extras.ENRICHER_MODULES`."""

from __future__ import annotations

from datetime import date, datetime, time


def _now(today: date) -> datetime:
    now = datetime.now().astimezone()
    if now.date() == today:
        return now
    return datetime.combine(today, time(9)).astimezone()


def enrich(ctx, out: dict, today: date) -> None:
    now = _now(today)
    if out.get("new_caller"):
        lk = out.get("lookup") or {}
        sits, scripts = ctx.scripts.for_patient(None, now, phone_display=lk.get("display", ""))
        out["situations"] = [s.to_json() for s in sits]
        out["script"] = scripts[0].to_json()
        out["scripts"] = [r.to_json() for r in scripts]
        return
    for card in out.get("cards", []):
        sits, scripts = ctx.scripts.for_patient(card["patient_id"], now)
        card["situations"] = [s.to_json() for s in sits]
        card["script"] = scripts[0].to_json() if scripts else None
        card["scripts"] = [r.to_json() for r in scripts]
