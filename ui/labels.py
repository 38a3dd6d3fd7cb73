"""Human words for the core's codes (alerts, statuses, channels) and number/date formats.

The core speaks in codes (``no_call_consent``, ``due``, ``whatsapp``); the UI translates them
here, so the texts follow the interface language.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def alert_text(code: str, detail: str = "") -> str:
    texts = {
        "do_not_contact": QCoreApplication.translate("Labels", "Do not contact: the patient asked not to be called"),
        "no_call_consent": QCoreApplication.translate("Labels", "No consent to calls: send a message instead of calling"),
        "no_recording_consent": QCoreApplication.translate("Labels", "No consent to recording: do not record this call"),
        "open_complaint": QCoreApplication.translate("Labels", "Open complaint"),
    }
    text = texts.get(code, code)
    if code == "open_complaint" and detail:
        text += ": " + detail
    return text


#: red alerts; the rest are amber
DANGER_ALERTS = {"do_not_contact", "open_complaint"}


def channel(code: str) -> str:
    return {
        "phone": QCoreApplication.translate("Labels", "phone call"),
        "whatsapp": QCoreApplication.translate("Labels", "WhatsApp"),
        "telegram": QCoreApplication.translate("Labels", "Telegram"),
        "sms": QCoreApplication.translate("Labels", "SMS"),
        "email": QCoreApplication.translate("Labels", "e-mail"),
    }.get(code, code)


def sex(code: str) -> str:
    return {
        "F": QCoreApplication.translate("Labels", "female"),
        "M": QCoreApplication.translate("Labels", "male"),
    }.get(code, code)


def phone_kind(code: str) -> str:
    return {
        "mobile": QCoreApplication.translate("Labels", "mobile"),
        "home": QCoreApplication.translate("Labels", "home"),
        "work": QCoreApplication.translate("Labels", "work"),
    }.get(code, code)


def visit_status(code: str) -> str:
    return {
        "done": QCoreApplication.translate("Labels", "visited"),
        "no_show": QCoreApplication.translate("Labels", "no-show"),
        "cancelled": QCoreApplication.translate("Labels", "cancelled"),
        "scheduled": QCoreApplication.translate("Labels", "scheduled"),
        "confirmed": QCoreApplication.translate("Labels", "confirmed"),
    }.get(code, code)


def stage_status(code: str) -> str:
    return {
        "done": QCoreApplication.translate("Labels", "done"),
        "due": QCoreApplication.translate("Labels", "due"),
        "declined": QCoreApplication.translate("Labels", "declined"),
    }.get(code, code)


def plan_status(code: str) -> str:
    return {
        "active": QCoreApplication.translate("Labels", "active"),
        "completed": QCoreApplication.translate("Labels", "completed"),
        "declined": QCoreApplication.translate("Labels", "declined by the patient"),
    }.get(code, code)


def age(years: int | None) -> str:
    if years is None:
        return QCoreApplication.translate("Labels", "age unknown")
    return QCoreApplication.translate("Labels", "%n year(s)", "", years)


def fmt_date(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone()
    return d.strftime("%d.%m.%Y")


def fmt_datetime(d: datetime | None) -> str:
    if d is None:
        return ""
    return d.astimezone().strftime("%d.%m.%Y %H:%M")


def money(amount: int | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0₽"


def points(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0")
