"""Script templates: parsing, validation (care -> value -> bonus) and rendering. Pure.

A template is TOML::

    situation = "prevention"
    title = "..."
    [[blocks]]            # in order: opening, care, value, bonus, booking, verify, closing
    kind = "care"
    text = "Как вы себя чувствуете, {name}?"
    fallback = "..."      # optional: said instead when a field of ``text`` is unknown
    optional = true       # optional: dropped when a field is unknown (and no fallback)
    when = { kind = "remind" }  # optional: only when the situation's data matches
    [[checklist]]
    code = "care_question"
    text = "..."
    [[objections]]
    code = "price"
    question = "..."
    answer = "..."

Rules the renderer keeps: block kinds never go backwards in the order above (so care comes
before value, value before bonus); a bonus block always names the deadline ``{bonus_expiry}``
and is shown only when there is a balance with a deadline; no ``{field}`` is ever left in
the output (unknown values drop their optional block or fall back to a neutral phrase).
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

KINDS = ["opening", "care", "value", "bonus", "booking", "verify", "closing"]
CHECKLIST_CODES = ["care_question", "reason_explored", "value_offered", "bonus_deadline",
                   "booking_confirmed", "data_verified"]
FIELDS = {
    "name", "first_name", "patronymic", "last_name", "clinic", "admin", "doctor", "specialty",
    "due_service", "due_date", "plan_stage", "plan_title", "visit_date", "visit_services",
    "appointment_date", "appointment_time", "referred_name", "birthday", "bonus_balance",
    "bonus_expiry", "max_redeem_percent", "phone", "address", "email",
}

MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

# Neutral phrases for a missing value in a block that must be said anyway.
NEUTRAL = {
    "ru": {"name": "", "first_name": "", "patronymic": "", "last_name": "", "clinic": "клиника",
           "admin": "администратор", "doctor": "ваш врач", "specialty": "врач", "due_service": "приём",
           "due_date": "в ближайшее время", "plan_stage": "следующий этап лечения",
           "plan_title": "план лечения", "visit_date": "недавно", "visit_services": "приём",
           "appointment_date": "в назначенный день", "appointment_time": "в назначенное время",
           "referred_name": "ваш знакомый", "birthday": "скоро", "phone": "ваш номер",
           "address": "ваш адрес", "email": "ваша почта", "max_redeem_percent": "50"},
    "en": {"name": "", "first_name": "", "patronymic": "", "last_name": "", "clinic": "the clinic",
           "admin": "the front desk", "doctor": "your doctor", "specialty": "the doctor",
           "due_service": "the appointment", "due_date": "soon", "plan_stage": "the next stage of treatment",
           "plan_title": "your treatment plan", "visit_date": "recently", "visit_services": "the visit",
           "appointment_date": "on the booked day", "appointment_time": "at the booked time",
           "referred_name": "your friend", "birthday": "soon", "phone": "your number",
           "address": "your address", "email": "your e-mail", "max_redeem_percent": "50"},
}

_UNRESOLVED = re.compile(r"\{[a-z_]+\}")


class ScriptError(ValueError):
    """A template that cannot be used; the message says what to fix."""


@dataclass
class Block:
    kind: str
    text: str
    fallback: str = ""
    optional: bool = False
    when: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChecklistItem:
    code: str
    text: str


@dataclass
class Objection:
    code: str
    question: str
    answer: str


@dataclass
class Template:
    situation: str
    title: str
    blocks: list[Block]
    checklist: list[ChecklistItem]
    objections: list[Objection]


@dataclass
class RenderedScript:
    situation: str
    language: str
    title: str
    text: str
    blocks: list[dict[str, str]]
    checklist: list[dict[str, str]]
    objections: list[dict[str, str]]
    version_id: int | None = None
    version: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _fields_of(text: str) -> list[str]:
    try:
        return [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as e:
        raise ScriptError(f"broken braces in {text[:60]!r}: {e}") from None


def parse(body: str) -> Template:
    """Parse and validate a template; raises :class:`ScriptError` with a clear message."""
    try:
        raw = tomllib.loads(body)
    except tomllib.TOMLDecodeError as e:
        raise ScriptError(f"the script is not valid TOML: {e}") from None
    blocks = []
    for i, b in enumerate(raw.get("blocks", []), 1):
        kind = b.get("kind")
        if kind not in KINDS:
            raise ScriptError(f"block {i}: kind {kind!r} is not one of {', '.join(KINDS)}")
        text = str(b.get("text", "")).strip()
        if not text:
            raise ScriptError(f"block {i} ({kind}) has no text")
        blk = Block(kind, text, str(b.get("fallback", "")).strip(), bool(b.get("optional", False)),
                    dict(b.get("when", {})))
        for t in (blk.text, blk.fallback):
            for f in _fields_of(t):
                if f not in FIELDS:
                    raise ScriptError(f"block {i} ({kind}): unknown field {{{f}}}; known: {', '.join(sorted(FIELDS))}")
        if kind == "bonus" and "bonus_expiry" not in _fields_of(blk.text):
            raise ScriptError(f"block {i}: a bonus line must name the deadline {{bonus_expiry}}")
        blocks.append(blk)
    if not blocks:
        raise ScriptError("the script has no blocks")
    _check_order(blocks)
    checklist = []
    for c in raw.get("checklist", []):
        if c.get("code") not in CHECKLIST_CODES:
            raise ScriptError(f"checklist code {c.get('code')!r} is not one of {', '.join(CHECKLIST_CODES)}")
        checklist.append(ChecklistItem(c["code"], str(c.get("text", "")).strip()))
    objections = [Objection(str(o.get("code", "")), str(o.get("question", "")), str(o.get("answer", "")))
                  for o in raw.get("objections", [])]
    for o in objections:
        if _fields_of(o.answer) or _fields_of(o.question):
            for f in _fields_of(o.answer) + _fields_of(o.question):
                if f not in FIELDS:
                    raise ScriptError(f"objection {o.code}: unknown field {{{f}}}")
    return Template(str(raw.get("situation", "")), str(raw.get("title", "")), blocks, checklist, objections)


def _check_order(blocks: list[Block]) -> None:
    last = -1
    seen: set[str] = set()
    for b in blocks:
        r = KINDS.index(b.kind)
        if r < last:
            raise ScriptError(
                f"a {b.kind} block comes after a {KINDS[last]} block: the order is care first, "
                "value second, bonus last (opening, care, value, bonus, booking, verify, closing)"
            )
        if b.kind == "bonus" and not {"care", "value"} <= seen:
            raise ScriptError("a bonus line needs a care block and a value block before it: "
                              "bonuses only close a conversation with a real medical reason")
        last = r
        seen.add(b.kind)


# --- formatting ---------------------------------------------------------------------------

def fmt_number(n: int, lang: str) -> str:
    s = f"{n:,}"
    return s.replace(",", " ") if lang == "ru" else s


def fmt_date(d: date, lang: str, today: date | None = None) -> str:
    if isinstance(d, datetime):
        d = d.date()
    if lang == "ru":
        s = f"{d.day} {MONTHS_RU[d.month - 1]}"
        return s + (f" {d.year} г." if today is None or d.year != today.year else "")
    s = f"{d.day} {MONTHS_EN[d.month - 1]}"
    return s + (f" {d.year}" if today is None or d.year != today.year else "")


def values_for(facts, situation, lang: str, today: date, clinic: str = "", admin: str = "",
               tz=None) -> dict[str, str | None]:
    """Field values for a patient (:class:`app.situations.PatientFacts`) and a situation."""
    data = situation.data if situation else {}

    def d(v):
        return fmt_date(v, lang, today) if isinstance(v, (date, datetime)) and v else None

    name = " ".join(p for p in (facts.first_name, facts.patronymic) if p) or None
    appt = data.get("appointment_at")
    if appt is not None and tz is not None:
        appt = appt.astimezone(tz)
    bal = facts.bonus_balance if facts.bonus_balance > 0 and facts.bonus_expiry else None
    return {
        "name": name, "first_name": facts.first_name or None, "patronymic": facts.patronymic or None,
        "last_name": facts.last_name or None, "clinic": clinic or None, "admin": admin or None,
        "doctor": data.get("doctor") or None, "specialty": data.get("specialty") or None,
        "due_service": data.get("due_service") or None, "due_date": d(data.get("due_date")),
        "plan_stage": data.get("plan_stage") or None, "plan_title": data.get("plan_title") or None,
        "visit_date": d(data.get("visit_date")), "visit_services": data.get("visit_services") or None,
        "appointment_date": d(appt), "appointment_time": appt.strftime("%H:%M") if appt else None,
        "referred_name": data.get("referred_name") or None, "birthday": d(data.get("birthday")),
        "bonus_balance": fmt_number(bal, lang) if bal else None,
        "bonus_expiry": _expiry(facts, lang, today) if bal else None,
        "max_redeem_percent": str(facts.max_redeem_percent) if bal else None,
        "phone": facts.phone_display or None, "address": facts.address or None, "email": facts.email or None,
    }


def _expiry(facts, lang: str, today: date) -> str:
    """The deadline; when only part of the balance lapses then, say how much (never mislead)."""
    d = fmt_date(facts.bonus_expiry, lang, today)
    part = getattr(facts, "bonus_expiring", None)
    if part is None or part >= facts.bonus_balance:
        return d
    n = fmt_number(part, lang)
    return f"{d} (сгорают {n} из них, остальные позже)" if lang == "ru" else f"{d} ({n} of them; the rest later)"


def render(tpl: Template, values: dict[str, str | None], lang: str, situation_data: dict | None = None,
           version_id: int | None = None, version: int | None = None) -> RenderedScript:
    situation_data = situation_data or {}
    neutral = NEUTRAL[lang]
    out_blocks: list[dict[str, str]] = []
    for b in tpl.blocks:
        if any(str(situation_data.get(k)) != str(v) for k, v in b.when.items()):
            continue
        text = b.text
        missing = [f for f in _fields_of(text) if not values.get(f)]
        if b.kind == "bonus" and missing:
            continue  # no balance or no deadline: no bonus line at all
        if missing and b.fallback:
            text = b.fallback
            missing = [f for f in _fields_of(text) if not values.get(f)]
        if missing and b.optional:
            continue
        filled = {f: (values.get(f) or neutral.get(f, "")) for f in _fields_of(text)}
        said = _tidy(text.format(**filled))
        out_blocks.append({"kind": b.kind, "text": said})
    shown = {b["kind"] for b in out_blocks}
    checklist = [
        {"code": c.code, "text": c.text} for c in tpl.checklist
        if c.code != "bonus_deadline" or "bonus" in shown
    ]
    objections = []
    for o in tpl.objections:
        fq = {f: (values.get(f) or neutral.get(f, "")) for f in _fields_of(o.question)}
        fa = {f: (values.get(f) or neutral.get(f, "")) for f in _fields_of(o.answer)}
        objections.append({"code": o.code, "question": _tidy(o.question.format(**fq)),
                           "answer": _tidy(o.answer.format(**fa))})
    text = "\n\n".join(b["text"] for b in out_blocks)
    rs = RenderedScript(tpl.situation, lang, tpl.title, text, out_blocks, checklist, objections, version_id, version)
    left = _UNRESOLVED.findall(text + "".join(o["answer"] for o in objections))
    if left:  # cannot happen with a validated template; never show a raw field
        raise ScriptError(f"unresolved fields {left} in script {tpl.situation}")
    return rs


def _tidy(s: str) -> str:
    """Clean what a neutral empty value leaves behind: ", !" -> "!", double spaces."""
    s = re.sub(r",\s*([!?.,])", r"\1", s)
    s = re.sub(r"(?<!\.)\.\.(?!\.)", ".", s)  # "Смирнова А. В.." at the end of a sentence
    s = re.sub(r"[ \t]{2,}", " ", s)
    return s.strip()
