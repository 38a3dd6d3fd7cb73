"""Column mappings: which column of a MIS export holds which field.

A mapping is ``{"column header": "field"}`` for one kind of export. Mappings are saved in the
database by name (one per MIS and kind, e.g. "Medods"/patients); built-in presets cover a
few well-known export layouts, and :func:`guess` maps Russian or English headers by synonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports KINDS on every start: keep SQLAlchemy out of that path
    from sqlalchemy.orm import Session

KINDS = ("patients", "visits", "plans", "appointments", "bonus")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label_en: str
    label_ru: str
    synonyms: tuple[str, ...] = ()


def _f(name, en, ru, *syn):
    return FieldSpec(name, en, ru, tuple(syn))


# Fields that identify the patient a visit/plan/appointment/bonus row belongs to.
_PATIENT_REF = [
    _f("patient_external_id", "Patient MIS id", "Код пациента в МИС", "код пациента", "id пациента",
       "номер карты", "№ карты", "карта", "медкарта", "patient id", "patient_id", "card no", "patient code"),
    _f("patient_full_name", "Patient full name", "ФИО пациента", "фио", "пациент", "фио пациента",
       "patient", "patient name", "full name"),
    _f("patient_birth_date", "Patient birth date", "Дата рождения пациента", "дата рождения", "д.р.",
       "др", "birth date", "date of birth", "dob", "birthday"),
    _f("patient_phone", "Patient phone", "Телефон пациента", "телефон", "тел", "тел.", "phone", "mobile"),
]

FIELDS: dict[str, list[FieldSpec]] = {
    "patients": [
        _f("external_id", "MIS id", "Код в МИС", "код", "id", "код пациента", "id пациента", "номер карты",
           "№ карты", "карта", "медкарта", "patient id", "external id", "card no", "card number"),
        _f("full_name", "Full name", "ФИО", "фио", "пациент", "фио пациента", "full name", "name", "patient"),
        _f("last_name", "Last name", "Фамилия", "фамилия", "last name", "surname", "family name", "lastname"),
        _f("first_name", "First name", "Имя", "имя", "first name", "given name", "firstname"),
        _f("patronymic", "Patronymic", "Отчество", "отчество", "patronymic", "middle name", "middlename"),
        _f("sex", "Sex", "Пол", "пол", "sex", "gender"),
        _f("birth_date", "Birth date", "Дата рождения", "дата рождения", "д.р.", "др", "birth date",
           "date of birth", "dob", "birthday", "birthdate"),
        _f("phones", "Phones", "Телефоны", "телефон", "телефоны", "тел", "тел.", "мобильный", "моб. телефон",
           "мобильный телефон", "контактный телефон", "phone", "phones", "mobile", "telephone", "tel"),
        _f("email", "E-mail", "E-mail", "email", "e-mail", "эл. почта", "электронная почта", "почта", "mail"),
        _f("address", "Address", "Адрес", "адрес", "адрес проживания", "address"),
        _f("comments", "Comments", "Комментарий", "комментарий", "примечание", "комментарии", "заметки",
           "comment", "comments", "notes", "note"),
        _f("consent_calls", "Consent to calls", "Согласие на звонки", "согласие на звонки", "consent calls"),
        _f("consent_messages", "Consent to messages", "Согласие на рассылки", "согласие на смс",
           "согласие на рассылки", "consent messages", "consent sms"),
        _f("preferred_channel", "Preferred channel", "Канал связи", "канал связи", "предпочтительный канал",
           "preferred channel", "channel"),
    ],
    "visits": [
        _f("external_id", "Visit MIS id", "Код визита", "код визита", "id визита", "номер визита",
           "visit id", "visit no"),
        *_PATIENT_REF,
        _f("date", "Date", "Дата", "дата", "дата визита", "дата приема", "дата приёма", "date", "visit date"),
        _f("time", "Time", "Время", "время", "time"),
        _f("doctor", "Doctor", "Врач", "врач", "доктор", "специалист", "doctor", "physician"),
        _f("specialty", "Specialty", "Специальность", "специальность", "специализация", "specialty"),
        _f("service_codes", "Service codes", "Коды услуг", "код услуги", "коды услуг", "service code",
           "service codes"),
        _f("services", "Services", "Услуги", "услуги", "услуга", "services", "service"),
        _f("amount", "Amount", "Сумма", "сумма", "стоимость", "итого", "amount", "total", "sum"),
        _f("bonus_paid", "Paid by bonus", "Оплачено бонусами", "оплачено бонусами", "бонусами",
           "paid by bonus"),
        _f("status", "Status", "Статус", "статус", "status"),
        _f("notes", "Notes", "Примечание", "примечание", "комментарий", "notes", "comment"),
    ],
    "plans": [
        _f("external_id", "Plan MIS id", "Код плана", "код плана", "id плана", "номер плана", "plan id"),
        *_PATIENT_REF,
        _f("title", "Plan title", "Название плана", "план", "название плана", "план лечения", "plan",
           "plan title", "title"),
        _f("doctor", "Doctor", "Врач", "врач", "доктор", "doctor"),
        _f("created_on", "Created on", "Дата плана", "дата плана", "дата создания", "дата", "created",
           "created on", "date"),
        _f("plan_status", "Plan status", "Статус плана", "статус плана", "plan status"),
        _f("stage_seq", "Stage no.", "№ этапа", "этап №", "№ этапа", "номер этапа", "stage no", "stage", "seq"),
        _f("stage_title", "Stage", "Этап", "этап", "название этапа", "stage title", "stage name"),
        _f("service_code", "Service code", "Код услуги", "код услуги", "service code"),
        _f("stage_price", "Stage price", "Стоимость этапа", "стоимость", "цена", "сумма", "price", "amount"),
        _f("stage_due", "Stage due", "Срок этапа", "срок", "срок этапа", "дата этапа", "due", "due date"),
        _f("stage_status", "Stage status", "Статус этапа", "статус этапа", "статус", "stage status", "status"),
    ],
    "appointments": [
        _f("external_id", "Appointment MIS id", "Код записи", "код записи", "id записи", "номер записи",
           "appointment id"),
        *_PATIENT_REF,
        _f("date", "Date", "Дата", "дата", "дата записи", "дата приема", "дата приёма", "date"),
        _f("time", "Time", "Время", "время", "time"),
        _f("doctor", "Doctor", "Врач", "врач", "доктор", "специалист", "doctor"),
        _f("specialty", "Specialty", "Специальность", "специальность", "specialty"),
        _f("service", "Service", "Услуга", "услуга", "service"),
        _f("status", "Status", "Статус", "статус", "status"),
    ],
    "bonus": [
        _f("external_id", "Entry MIS id", "Код операции", "код операции", "id операции", "номер операции",
           "entry id", "operation id"),
        *_PATIENT_REF,
        _f("kind", "Operation", "Операция", "операция", "тип", "тип операции", "вид", "kind", "type", "operation"),
        _f("amount", "Amount", "Сумма", "сумма", "баллы", "бонусы", "количество", "amount", "points"),
        _f("on_date", "Date", "Дата", "дата", "дата операции", "date"),
        _f("expires_on", "Expires", "Сгорают", "сгорают", "срок действия", "действует до", "дата сгорания",
           "expires", "expiry", "valid until"),
        _f("reason", "Reason", "Основание", "основание", "причина", "комментарий", "reason", "comment"),
    ],
}

REQUIRED: dict[str, list[tuple[str, ...]]] = {
    # each tuple: at least one of these fields must be mapped
    "patients": [("full_name", "last_name"), ("full_name", "first_name")],
    "visits": [("patient_external_id", "patient_full_name"), ("date",), ("doctor",)],
    "plans": [("patient_external_id", "patient_full_name"), ("title",), ("doctor",), ("stage_title", "service_code")],
    "appointments": [("patient_external_id", "patient_full_name"), ("date",), ("doctor",)],
    "bonus": [("patient_external_id", "patient_full_name"), ("kind",), ("amount",), ("on_date",)],
}


# fields that several columns may feed (their cells are joined): "Телефон 1", "Телефон 2"
MULTI = {"phones", "patient_phone", "comments", "notes"}


class MappingError(ValueError):
    pass


def field_names(kind: str) -> list[str]:
    return [f.name for f in fields(kind)]


def fields(kind: str) -> list[FieldSpec]:
    if kind not in FIELDS:
        raise MappingError(f"unknown import kind {kind!r} (use one of: {', '.join(KINDS)})")
    return FIELDS[kind]


def _norm(h: str) -> str:
    h = h.strip().lower().replace("ё", "е").replace("_", " ")
    h = re.sub(r"[\"'*:]+", "", h)
    return " ".join(h.split())


def guess(kind: str, headers: list[str]) -> dict[str, str]:
    """``{header: field}`` for the headers whose names are known synonyms; each field once.

    Exact synonym matches win over containment ("Телефон мобильный" contains "телефон").
    """
    specs = fields(kind)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for exact in (True, False):
        for h in headers:
            if not h or h in out:
                continue
            nh = _norm(h)
            for spec in specs:
                if spec.name in taken and spec.name not in MULTI:
                    continue
                syns = [_norm(s) for s in (*spec.synonyms, spec.name, spec.label_ru, spec.label_en)]
                hit = nh in syns if exact else any(
                    len(s) >= 4 and (nh.startswith(s + " ") or nh.endswith(" " + s)) for s in syns
                )
                if hit:
                    out[h] = spec.name
                    taken.add(spec.name)
                    break
    return out


def validate(kind: str, columns: dict[str, str], headers: list[str] | None = None) -> list[str]:
    """Problems with a mapping (empty list = usable)."""
    names = set(field_names(kind))
    problems = []
    used: dict[str, str] = {}
    for h, f in columns.items():
        if not f:
            continue
        if f not in names:
            problems.append(f"column {h!r}: unknown field {f!r} for {kind}")
        elif f in used and f not in MULTI:
            problems.append(f"field {f!r} is mapped twice ({used[f]!r} and {h!r})")
        else:
            used[f] = h
        if headers is not None and h not in headers:
            problems.append(f"column {h!r} is not in the file")
    mapped = set(used)
    for alternatives in REQUIRED[kind]:
        if not mapped & set(alternatives):
            problems.append("no column is mapped to " + " or ".join(repr(a) for a in alternatives))
    return problems


# --- built-in presets -----------------------------------------------------------------------

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    # A generic Russian export (what most MIS write with "Экспорт в Excel").
    "generic-ru": {
        "patients": {"Номер карты": "external_id", "Фамилия": "last_name", "Имя": "first_name",
                     "Отчество": "patronymic", "Пол": "sex", "Дата рождения": "birth_date",
                     "Телефон": "phones", "E-mail": "email", "Адрес": "address", "Комментарий": "comments"},
        "visits": {"Код визита": "external_id", "Номер карты": "patient_external_id", "Дата": "date",
                   "Время": "time", "Врач": "doctor", "Специальность": "specialty", "Код услуги": "service_codes",
                   "Услуги": "services", "Сумма": "amount", "Статус": "status"},
        "plans": {"Код плана": "external_id", "Номер карты": "patient_external_id", "План": "title",
                  "Врач": "doctor", "Дата плана": "created_on", "№ этапа": "stage_seq", "Этап": "stage_title",
                  "Код услуги": "service_code", "Стоимость": "stage_price", "Срок": "stage_due",
                  "Статус этапа": "stage_status"},
        "appointments": {"Код записи": "external_id", "Номер карты": "patient_external_id", "Дата": "date",
                         "Время": "time", "Врач": "doctor", "Услуга": "service", "Статус": "status"},
        "bonus": {"Код операции": "external_id", "Номер карты": "patient_external_id", "Операция": "kind",
                  "Сумма": "amount", "Дата": "on_date", "Действует до": "expires_on", "Основание": "reason"},
    },
    # An English export layout (international MIS, CRM spreadsheets).
    "generic-en": {
        "patients": {"Patient ID": "external_id", "Last name": "last_name", "First name": "first_name",
                     "Middle name": "patronymic", "Sex": "sex", "Date of birth": "birth_date",
                     "Phone": "phones", "Email": "email", "Address": "address", "Notes": "comments"},
    },
}


# --- saved mappings -------------------------------------------------------------------------

def load(session: Session, name: str, kind: str) -> dict[str, str] | None:
    from sqlalchemy import select

    from db.models import ImportMapping

    m = session.scalars(select(ImportMapping).where(ImportMapping.name == name, ImportMapping.kind == kind)).first()
    if m is not None:
        return dict(m.columns)
    preset = PRESETS.get(name, {}).get(kind)
    return dict(preset) if preset else None


def save(session: Session, name: str, kind: str, columns: dict[str, str]) -> None:
    from sqlalchemy import select

    from db.models import ImportMapping

    name = name.strip()
    if not name:
        raise MappingError("a mapping needs a name (e.g. the MIS: Medods, 1C, IDENT)")
    fields(kind)
    clean = {h: f for h, f in columns.items() if f}
    m = session.scalars(select(ImportMapping).where(ImportMapping.name == name, ImportMapping.kind == kind)).first()
    if m is None:
        session.add(ImportMapping(name=name, kind=kind, columns=clean))
    else:
        m.columns = clean


def names(session: Session, kind: str | None = None) -> list[str]:
    from sqlalchemy import select

    from db.models import ImportMapping

    stmt = select(ImportMapping.name).distinct()
    if kind:
        stmt = stmt.where(ImportMapping.kind == kind)
    saved = set(session.scalars(stmt).all())
    builtin = {n for n, kinds in PRESETS.items() if kind is None or kind in kinds}
    return sorted(saved | builtin)
