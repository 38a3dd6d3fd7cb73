"""Cell values from MIS exports: dates, times, money, sex, phones, yes/no, names."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from app import phones as phones_mod


class ValueProblem(ValueError):
    """A cell that cannot be used; the message says which and why."""


_EXCEL_EPOCH = date(1899, 12, 30)

_DATE_PATTERNS = [
    # (regex, order) -- order of the groups: d m y
    (re.compile(r"^(\d{1,2})[.](\d{1,2})[.](\d{4}|\d{2})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$"), "dmy"),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4}|\d{2})$"), "dmy"),
]
_MONTHS_RU = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}
_MONTH_WORD = re.compile(r"^(\d{1,2})\s+([а-яё]+)\.?\s+(\d{4})(?:\s*г\.?)?$")


def _year(y: str, today: date, birth: bool) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    # two-digit years: a birth date is never in the future; other dates within ~20 years ahead
    century = today.year // 100 * 100
    cand = century + n
    limit = today.year if birth else today.year + 20
    return cand if cand <= limit else cand - 100


def parse_date(v: Any, *, birth: bool = False, today: date | None = None) -> date | None:
    """A date from a cell: date/datetime objects, Excel serials, and common text spellings.

    Returns None for an empty cell; raises :class:`ValueProblem` for text that is not a date.
    """
    today = today or date.today()
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _serial(v)
    s = str(v).strip()
    if not s:
        return None
    s = re.sub(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$", "", s).strip()
    for rx, order in _DATE_PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        a, b, c = m.groups()
        if order == "dmy":
            d, mth, y = int(a), int(b), _year(c, today, birth)
        else:
            y, mth, d = int(a), int(b), int(c)
        try:
            out = date(y, mth, d)
        except ValueError:
            raise ValueProblem(f"{s!r} is not a real date") from None
        return _check(out, s, birth, today)
    m = _MONTH_WORD.match(s.lower())
    if m and m.group(2)[:3] in _MONTHS_RU:
        try:
            return _check(date(int(m.group(3)), _MONTHS_RU[m.group(2)[:3]], int(m.group(1))), s, birth, today)
        except ValueError:
            raise ValueProblem(f"{s!r} is not a real date") from None
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return _serial(float(s))
    raise ValueProblem(f"{s!r} is not a date (expected e.g. 14.03.1985 or 1985-03-14)")


def _check(d: date, s: str, birth: bool, today: date) -> date:
    if d.year < 1900:
        raise ValueProblem(f"{s!r}: year {d.year} is too early")
    if birth and d > today:
        raise ValueProblem(f"birth date {s!r} is in the future")
    return d


def _serial(n: float) -> date:
    if not 1 <= n < 2958466:
        raise ValueProblem(f"{n!r} is not an Excel date")
    d = _EXCEL_EPOCH + timedelta(days=int(n))
    if d.year < 1900:
        raise ValueProblem(f"{n!r} is not an Excel date")
    return d


def parse_time(v: Any) -> time | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.time()
    if isinstance(v, time):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1:  # Excel fraction of a day
        secs = round(v * 86400)
        return time(secs // 3600 % 24, secs // 60 % 60)
    s = str(v).strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", s)
    if not m:
        raise ValueProblem(f"{s!r} is not a time (expected e.g. 14:30)")
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 23 or mi > 59:
        raise ValueProblem(f"{s!r} is not a time")
    return time(h, mi)


def parse_datetime(v: Any, t: Any = None, *, today: date | None = None) -> datetime | None:
    """Date (+ optional separate time cell) in the clinic's local time, returned in UTC."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    tm: time | None = None
    if isinstance(v, datetime):
        tm = v.time()
    elif isinstance(v, float) and not float(v).is_integer():
        tm = parse_time(v - int(v))
    elif isinstance(v, str):
        m = re.search(r"[T\s](\d{1,2}:\d{2}(?::\d{2})?)(\.\d+)?$", v.strip())
        if m:
            tm = parse_time(m.group(1))
    d = parse_date(v, today=today)
    if d is None:
        return None
    if t is not None and not (isinstance(t, str) and not t.strip()):
        tm = parse_time(t)
    local = datetime.combine(d, tm or time(0, 0))
    return local.astimezone().astimezone(timezone.utc) if local.tzinfo is None else local.astimezone(timezone.utc)


def parse_int_money(v: Any) -> int | None:
    """Roubles: ``1 500``, ``1500,00``, ``1 500.50 руб.``, 1500.0 -> whole roubles (rounded)."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueProblem(f"{v!r} is not an amount")
    if isinstance(v, (int, float)):
        return int(round(v))
    s = str(v).strip().lower()
    if not s:
        return None
    s = re.sub(r"(руб\.?|р\.|₽|rub)", "", s).replace("\u00a0", "").replace(" ", "").replace("'", "")
    if re.fullmatch(r"-?\d+([.,]\d{1,2})?", s):
        return int(round(float(s.replace(",", "."))))
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", s):  # thousands separators
        return int(re.sub(r"[.,]", "", s))
    raise ValueProblem(f"{v!r} is not an amount of money")


def parse_int(v: Any) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        f = float(str(v).strip().replace(",", "."))
    except ValueError:
        raise ValueProblem(f"{v!r} is not a number") from None
    if not f.is_integer():
        raise ValueProblem(f"{v!r} is not a whole number")
    return int(f)


_SEX = {
    "м": "M", "m": "M", "муж": "M", "мужской": "M", "male": "M", "man": "M", "1": "M",
    "ж": "F", "f": "F", "жен": "F", "женский": "F", "female": "F", "woman": "F", "2": "F", "w": "F",
}


def parse_sex(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip().lower().rstrip(".")
    if not s:
        return None
    if s in _SEX:
        return _SEX[s]
    raise ValueProblem(f"{v!r} is not a sex (М/Ж, M/F)")


def guess_sex(last: str, first: str, patronymic: str) -> str | None:
    p = patronymic.strip().lower()
    if p.endswith(("вна", "чна", "кызы", "гызы")):
        return "F"
    if p.endswith(("вич", "ич", "оглы", "улы")):
        return "M"
    ln = last.strip().lower()
    if ln.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
        return "F"
    if ln.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий")):
        return "M"
    return None


_TRUE = {"1", "да", "yes", "y", "true", "истина", "+", "д", "v", "✓", "x"}
_FALSE = {"0", "нет", "no", "n", "false", "ложь", "-", "н", ""}


def parse_bool(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return None if s == "" else False
    raise ValueProblem(f"{v!r} is not yes/no")


_PHONE_SPLIT = re.compile(r"[,;/\n]|\s{3,}|\s+(?:или|or|доб\.?)\s+", re.IGNORECASE)


def parse_phones(v: Any, region: str = "RU") -> tuple[list[tuple[str, str]], list[str]]:
    """Every number in a cell: ``([(e164, raw), ...], [problems])``; duplicates dropped."""
    if v is None:
        return [], []
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    text = str(v).strip()
    if not text:
        return [], []
    good: list[tuple[str, str]] = []
    bad: list[str] = []
    for part in _PHONE_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        try:
            e164 = phones_mod.normalize(part, region)
        except phones_mod.PhoneError as e:
            bad.append(str(e))
            continue
        if e164 not in [g for g, _ in good]:
            good.append((e164, part[:64]))
    return good, bad


def split_full_name(v: str) -> tuple[str, str, str]:
    parts = str(v).split()
    if len(parts) < 2:
        raise ValueProblem(f"{v!r} is not a full name (expected last name, first name, patronymic)")
    return parts[0], parts[1], " ".join(parts[2:])


def clean_name(v: Any) -> str:
    s = " ".join(str(v if v is not None else "").split())
    if s.isupper() or s.islower():
        s = "-".join(w.capitalize() for w in s.split("-"))
        s = " ".join(w[:1].upper() + w[1:] for w in s.split(" "))
    return s


def text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split()) if not isinstance(v, str) or "\n" not in v else v.strip()
