"""Row reasons and notes of an import report in Russian, for the administrator's window.

The importer words its reasons in English (logs, the CLI, support); :func:`localize` renders the
known ones in Russian, keeping the quoted values from the file as they were. Unknown text is
returned unchanged.
"""

from __future__ import annotations

import re

_Q = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)"  # a repr()'d value from the file

_WHAT = {
    "visit status": "статус визита", "appointment status": "статус записи", "plan status": "статус плана",
    "stage status": "статус этапа", "bonus operation": "бонусная операция", "channel": "канал связи",
}
_HOW = {"MIS id": "коду МИС", "name and birth date": "ФИО и дате рождения", "name and phone": "ФИО и телефону"}

_RU: list[tuple[re.Pattern, str | callable]] = [
    (r"the patient is not identified \(no MIS id and no name\)", "пациент не указан (нет ни кода МИС, ни ФИО)"),
    (rf"no patient with MIS id {_Q} \(import patients first\)",
     r"нет пациента с кодом МИС \1 (сначала импортируйте пациентов)"),
    (rf"no patient {_Q} born (\S+) \(import patients first\)",
     r"нет пациента \1, родившегося \2 (сначала импортируйте пациентов)"),
    (rf"no patient {_Q} \(import patients first\)", r"нет пациента \1 (сначала импортируйте пациентов)"),
    (rf"(\d+) patients are called {_Q}; add the MIS id or birth date to tell them apart",
     r"пациентов с ФИО \2: \1; добавьте код МИС или дату рождения"),
    (r"the doctor is missing", "не указан врач"),
    (r"a service has neither a code nor a name", "у услуги нет ни кода, ни названия"),
    (rf"unknown (visit status|appointment status|plan status|stage status|bonus operation|channel) {_Q} "
     r"\(known: (.*)\)", lambda m: f"неизвестное значение «{_WHAT[m[1]]}»: {m[2]} (известные: {m[3]})"),
    (r"last name and first name are required", "нужны фамилия и имя"),
    (rf"{_Q} does not look like a person's name", r"\1 не похоже на ФИО человека"),
    (r"sex is missing and cannot be told from the name", "пол не указан и не определяется по ФИО"),
    (rf"(\d+) patients match {_Q} by (MIS id|name and birth date|name and phone); add the MIS id to tell them apart",
     lambda m: f"под {m[2]} по {_HOW[m[3]]} подходят пациенты: {m[1]}; добавьте код МИС"),
    (r"the visit date is missing", "не указана дата визита"),
    (r"the appointment date is missing", "не указана дата записи"),
    (r"the date is missing", "не указана дата"),
    (r"paid by bonus \((\d+)\) is more than the amount \((\d+)\)", r"бонусами оплачено (\1) больше суммы (\2)"),
    (r"the plan title is missing", "не указано название плана"),
    (r"the amount is missing or zero", "сумма не указана или равна нулю"),
    (r"expires (\S+) before it was given \((\S+)\)", r"срок действия \1 раньше даты начисления \2"),
    (r"the database refused it: (.*)", r"база данных не приняла строку: \1"),
    (rf"{_Q} is not a real date", r"\1 — такой даты не бывает"),
    (rf"{_Q}: year (\d+) is too early", r"\1: слишком ранний год \2"),
    (rf"birth date {_Q} is in the future", r"дата рождения \1 в будущем"),
    (rf"{_Q} is not an Excel date", r"\1 — не дата Excel"),
    (rf"{_Q} is not a date \(expected e\.g\. 14\.03\.1985 or 1985-03-14\)",
     r"\1 — не дата (ожидается, например, 14.03.1985 или 1985-03-14)"),
    (rf"{_Q} is not a time \(expected e\.g\. 14:30\)", r"\1 — не время (ожидается, например, 14:30)"),
    (rf"{_Q} is not a time", r"\1 — не время"),
    (rf"{_Q} is not an amount of money", r"\1 — не денежная сумма"),
    (rf"{_Q} is not an amount", r"\1 — не сумма"),
    (rf"{_Q} is not a whole number", r"\1 — не целое число"),
    (rf"{_Q} is not a number", r"\1 — не число"),
    (rf"{_Q} is not a sex \(М/Ж, M/F\)", r"\1 — не пол (М/Ж)"),
    (rf"{_Q} is not yes/no", r"\1 — не «да/нет»"),
    (rf"{_Q} is not a full name \(expected last name, first name, patronymic\)",
     r"\1 — не ФИО (ожидаются фамилия, имя, отчество)"),
    # app.phones
    (rf"{_Q} is not a phone number: unexpected characters", r"\1 — не номер телефона: лишние символы"),
    (rf"{_Q} has the wrong number of digits for a phone number", r"\1 — неверное число цифр для телефона"),
    (rf"{_Q} is not a valid phone number", r"\1 — несуществующий номер телефона"),
    (rf"{_Q} contains no digits", r"\1 — нет цифр"),
    (rf"{_Q} is not a phone number \((.*)\)", r"\1 — не номер телефона (\2)"),
    # notes
    (r"same patient as row (\d+)", r"тот же пациент, что в строке \1"),
    (r"matched an existing patient by (MIS id|name and birth date|name and phone)",
     lambda m: f"найден существующий пациент по {_HOW[m[1]]}"),
    (r"phone skipped: (.*)", lambda m: "телефон пропущен: " + _one(m[1])),
    (r"no expiry date in the file: set to (\S+) \((\d+) days\)", r"в файле нет срока действия: установлен \1 (\2 дн.)"),
    (rf"stage (\d+) added to plan {_Q}", r"этап \1 добавлен в план \2"),
]
_COMPILED = [(re.compile(p + r"\Z"), r) for p, r in _RU]


def localize(text: str, lang: str = "ru") -> str:
    """Russian wording of a report reason or note (several are joined with '; ')."""
    if lang != "ru" or not text:
        return text
    return "; ".join(_one(part) for part in _split(text))


def _split(text: str) -> list[str]:
    # split on "; " outside quotes
    parts, buf, quote = [], [], ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and i + 1 < len(text):
                buf.append(text[i: i + 2])
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or not text[i - 1].isalnum()):
            quote = ch
        elif text.startswith("; ", i):
            parts.append("".join(buf))
            buf = []
            i += 2
            continue
        buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return parts


def _one(part: str) -> str:
    for rx, repl in _COMPILED:
        m = rx.match(part)
        if m:
            return repl(m) if callable(repl) else m.expand(repl)
    return part
