"""Phone number normalisation with the ``phonenumbers`` library.

Every spelling a PBX, a MIS export or a person types (``8 (916) 123-45-67``,
``+7 916 123 45 67``, ``9161234567``, ``sip:+79161234567@pbx.local``,
``tel:+7-916-123-45-67``) becomes one E.164 key, so they all find the same patient.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat


class PhoneError(ValueError):
    """The text is not a usable phone number; str() is a message for a person."""


_URI_SCHEME = re.compile(r"^\s*(sips?|tel|callto|phone)\s*:\s*", re.IGNORECASE)
_DISPLAY_NAME = re.compile(r'^\s*"?[^"<]*"?\s*<([^>]*)>')
_MAX_LEN = 64


def _strip_uri(text: str) -> str:
    m = _DISPLAY_NAME.match(text)
    if m:  # '"Olga" <sip:+7916...@host>'
        text = m.group(1)
    text = _URI_SCHEME.sub("", text)
    text = unquote(text)
    # user part only: drop @host, ;params and ?headers
    text = re.split(r"[@;?]", text, maxsplit=1)[0]
    return text.strip()


def normalize(text: str, region: str = "RU") -> str:
    """Return the E.164 form (``+79161234567``) or raise :class:`PhoneError`."""
    if text is None:
        raise PhoneError("no phone number given")
    if not isinstance(text, str):
        text = str(text)
    if len(text) > _MAX_LEN * 4:
        raise PhoneError("phone number is too long")
    raw = _strip_uri(text)
    if not raw:
        raise PhoneError("empty phone number")
    if len(raw) > _MAX_LEN:
        raise PhoneError(f"{raw[:20]}… is too long to be a phone number")
    if not re.search(r"\d", raw):
        raise PhoneError(f"{raw!r} contains no digits")
    if re.search(r"[^\d\s()+\-./xext#]", raw, re.IGNORECASE):
        raise PhoneError(f"{raw!r} is not a phone number: unexpected characters")
    digits = re.sub(r"\D", "", raw)
    candidate = raw
    # "007 916 ..." international prefix from abroad; "79161234567" without plus.
    if raw.lstrip().startswith("00"):
        candidate = "+" + digits[2:]
    elif not raw.lstrip().startswith("+") and region == "RU" and len(digits) == 11 and digits[0] == "7":
        candidate = "+" + digits
    try:
        num = phonenumbers.parse(candidate, region)
    except NumberParseException as e:
        raise PhoneError(f"{raw!r} is not a phone number ({_reason(e)})") from None
    if not phonenumbers.is_possible_number(num):
        raise PhoneError(f"{raw!r} has the wrong number of digits for a phone number")
    if not phonenumbers.is_valid_number(num):
        raise PhoneError(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(num, PhoneNumberFormat.E164)


def try_normalize(text: str, region: str = "RU") -> str | None:
    try:
        return normalize(text, region)
    except PhoneError:
        return None


def display(e164: str, region: str = "RU") -> str:
    """Human form for a card: ``+7 916 123-45-67``."""
    try:
        num = phonenumbers.parse(e164, region)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)


def _reason(e: NumberParseException) -> str:
    return {
        NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        NumberParseException.NOT_A_NUMBER: "not a number",
        NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        NumberParseException.TOO_SHORT_NSN: "too short",
        NumberParseException.TOO_LONG: "too long",
    }.get(e.error_type, "unreadable")
