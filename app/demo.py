"""The generated demo clinic: a realistic, deterministic Russian clinic for an empty database.

``generate(engine, patients, seed, today)`` fills an empty migrated database with doctors,
services, families and patients with their phones, visits, treatment plans, appointments,
bonus ledgers and complaints. The same seed, ``today`` and ``now`` give identical data.

It streams: households are generated one by one with one random generator, buffered into
chunks of a few thousand patients and written with SQLAlchemy Core executemany, one
transaction per chunk, with explicit ids (PostgreSQL sequences are moved past them at the
end). Memory stays bounded whatever the number of patients.

A fixed set of *showcase* patients (``SHOWCASE``) is created first, at documented numbers;
see docs/demo.md.
"""

from __future__ import annotations

import bisect
import hashlib
import random
import time as _time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable

from sqlalchemy import Engine, MetaData, func, select, text

from app import phones
from app.card import name_key

# --- public constants ---------------------------------------------------------------------------

#: Showcase patients: key -> the number they are reached at (E.164). See docs/demo.md.
SHOWCASE: dict[str, str] = {
    "ivanova_mother": "+79161234567",  # Иванова Ольга Петровна: plan stage due, bonus expiring
    "ivanov_son": "+79161234567",  # Иванов Пётр Сергеевич: shares his mother's mobile
    "ivanov_father": "+79167654321",  # Иванов Сергей Николаевич: shares the home line
    "ivanov_home": "+74951234567",  # the Ivanovs' home line: mother and father
    "return_consultation": "+79031112233",  # Кузнецов Дмитрий Андреевич: consultation yesterday
    "lapsed_prevention": "+79262223344",  # Смирнова Елена Викторовна: last visit 14 months ago
    "follow_up_today": "+79857778899",  # Волков Андрей Игоревич: wisdom tooth removed today
    "confirm_in_2_days": "+79154445566",  # Морозова Анна Сергеевна: appointment in 2 days
    "confirm_in_2_hours": "+79653332211",  # Павлов Игорь Олегович: appointment in 2 hours
    "do_not_contact": "+79035550011",  # Соколов Виктор Павлович
    "no_recording_consent": "+79168887766",  # Лебедева Татьяна Николаевна
    "open_complaint": "+79771230045",  # Козлов Михаил Юрьевич
    "birthday_in_3_days": "+79256007080",  # Новикова Мария Ильинична
    "referrer": "+79050102030",  # Фёдоров Николай Ильич, recommended Орлова
    "referred": "+79994045060",  # Орлова Ксения Никитична, came on his recommendation
}

#: The showcase patients take ids 1..SHOWCASE_PATIENTS; generated patients follow.
SHOWCASE_PATIENTS = 14

DEFAULT_SEED = 20261123
MAX_PATIENTS = 1_000_000

# The tables the generator fills, in insertion (foreign key) order.
TABLES = (
    "doctors", "services", "families", "patients", "patient_phones", "visits", "visit_services",
    "treatment_plans", "plan_stages", "appointments", "bonus_entries", "complaints",
)


class DemoError(Exception):
    """The demo clinic cannot be generated here; the message is for a person."""


@dataclass
class DemoStats:
    patients: int
    seed: int
    today: date
    now: datetime
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    showcase: dict[str, str] = field(default_factory=lambda: dict(SHOWCASE))

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --- names ------------------------------------------------------------------------------------

# Male first name -> (patronymic of a son, patronymic of a daughter).
PATRONYMICS: dict[str, tuple[str, str]] = {
    "Александр": ("Александрович", "Александровна"), "Алексей": ("Алексеевич", "Алексеевна"),
    "Анатолий": ("Анатольевич", "Анатольевна"), "Андрей": ("Андреевич", "Андреевна"),
    "Антон": ("Антонович", "Антоновна"), "Аркадий": ("Аркадьевич", "Аркадьевна"),
    "Артём": ("Артёмович", "Артёмовна"), "Борис": ("Борисович", "Борисовна"),
    "Вадим": ("Вадимович", "Вадимовна"), "Валентин": ("Валентинович", "Валентиновна"),
    "Валерий": ("Валерьевич", "Валерьевна"), "Василий": ("Васильевич", "Васильевна"),
    "Виктор": ("Викторович", "Викторовна"), "Владимир": ("Владимирович", "Владимировна"),
    "Вячеслав": ("Вячеславович", "Вячеславовна"), "Геннадий": ("Геннадьевич", "Геннадьевна"),
    "Глеб": ("Глебович", "Глебовна"), "Григорий": ("Григорьевич", "Григорьевна"),
    "Даниил": ("Даниилович", "Данииловна"), "Денис": ("Денисович", "Денисовна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"), "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Егор": ("Егорович", "Егоровна"), "Иван": ("Иванович", "Ивановна"),
    "Игорь": ("Игоревич", "Игоревна"), "Илья": ("Ильич", "Ильинична"),
    "Кирилл": ("Кириллович", "Кирилловна"), "Константин": ("Константинович", "Константиновна"),
    "Кузьма": ("Кузьмич", "Кузьминична"), "Лев": ("Львович", "Львовна"),
    "Лука": ("Лукич", "Лукинична"), "Максим": ("Максимович", "Максимовна"),
    "Марк": ("Маркович", "Марковна"), "Матвей": ("Матвеевич", "Матвеевна"),
    "Михаил": ("Михайлович", "Михайловна"), "Никита": ("Никитич", "Никитична"),
    "Николай": ("Николаевич", "Николаевна"), "Олег": ("Олегович", "Олеговна"),
    "Павел": ("Павлович", "Павловна"), "Пётр": ("Петрович", "Петровна"),
    "Роман": ("Романович", "Романовна"), "Руслан": ("Русланович", "Руслановна"),
    "Савва": ("Саввич", "Саввична"), "Семён": ("Семёнович", "Семёновна"),
    "Сергей": ("Сергеевич", "Сергеевна"), "Станислав": ("Станиславович", "Станиславовна"),
    "Степан": ("Степанович", "Степановна"), "Тимофей": ("Тимофеевич", "Тимофеевна"),
    "Фёдор": ("Фёдорович", "Фёдоровна"), "Фома": ("Фомич", "Фоминична"),
    "Юрий": ("Юрьевич", "Юрьевна"), "Яков": ("Яковлевич", "Яковлевна"),
    "Ярослав": ("Ярославович", "Ярославовна"),
}

# First names by the decade people were born in: (born before 1960, 1960-1989, 1990 and later).
MALE_NAMES = (
    ("Василий", "Николай", "Пётр", "Иван", "Михаил", "Виктор", "Анатолий", "Владимир", "Геннадий",
     "Борис", "Юрий", "Григорий", "Фёдор", "Степан", "Аркадий", "Валентин", "Лев", "Яков", "Илья",
     "Кузьма", "Фома", "Семён"),
    ("Сергей", "Андрей", "Александр", "Алексей", "Дмитрий", "Игорь", "Олег", "Евгений", "Павел",
     "Вадим", "Константин", "Роман", "Юрий", "Владимир", "Вячеслав", "Денис", "Максим", "Никита",
     "Антон", "Станислав", "Руслан", "Валерий", "Михаил", "Илья"),
    ("Артём", "Максим", "Иван", "Дмитрий", "Александр", "Михаил", "Кирилл", "Егор", "Никита",
     "Матвей", "Тимофей", "Даниил", "Марк", "Лев", "Илья", "Глеб", "Фёдор", "Ярослав", "Савва",
     "Лука", "Роман", "Владимир", "Семён", "Степан"),
)
FEMALE_NAMES = (
    ("Валентина", "Галина", "Людмила", "Тамара", "Нина", "Зинаида", "Раиса", "Антонина", "Лидия",
     "Вера", "Надежда", "Любовь", "Мария", "Клавдия", "Зоя"),
    ("Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Марина", "Юлия", "Екатерина",
     "Анна", "Оксана", "Лариса", "Евгения", "Виктория", "Ксения", "Алёна", "Инна", "Жанна"),
    ("Анастасия", "Мария", "Анна", "Софья", "Дарья", "Полина", "Виктория", "Алиса", "Варвара",
     "Ксения", "Александра", "Елизавета", "Вероника", "Ульяна", "Милана", "Василиса", "Алина",
     "Кристина", "Ева", "Арина"),
)

# Surnames in the male form; the female form follows the ending (see female_surname).
SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин",
    "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов",
    "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов",
    "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов",
    "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов", "Казаков",
    "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов", "Мартынов",
    "Ефимов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов",
    "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев",
    "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов",
    "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов",
    "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев", "Панов", "Моисеев",
    "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин", "Тихомиров",
    "Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов",
    "Прокофьев", "Харитонов", "Князев", "Цветков", "Левин", "Митрофанов", "Воронцов", "Пушкин",
    "Успенский", "Вяземский", "Покровский", "Соколовский", "Раевский", "Островский", "Троицкий",
    "Невский", "Высоцкий", "Зарецкий", "Толстой", "Трубецкой", "Луговской",
    # invariant: the same for men and women
    "Шевчук", "Ткаченко", "Коваленко", "Бондаренко", "Кравчук", "Лысенко", "Савчук", "Мельник",
    "Гриценко", "Черных", "Седых", "Долгих", "Руденко", "Литвиненко",
)
INVARIANT_ENDINGS = ("ук", "юк", "ко", "ик", "ых", "их")


def female_surname(male: str) -> str:
    """Иванов -> Иванова, Ильин -> Ильина, Вяземский -> Вяземская, Толстой -> Толстая; Шевчук stays."""
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    if male.endswith("ой"):
        return male[:-2] + "ая"
    return male


def surname_for(male: str, sex: str) -> str:
    return male if sex == "M" else female_surname(male)


def family_name(male: str) -> str:
    """The family's name as a clinic writes it: Ивановы, Вяземские, Толстые, семья Шевчук."""
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "ы"
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ие"
    if male.endswith("ой"):
        return male[:-2] + "ые"
    return "Семья " + male


def patronymic_of(father: str, sex: str) -> str:
    m, f = PATRONYMICS[father]
    return m if sex == "M" else f


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))


def translit(s: str) -> str:
    return "".join(_TRANSLIT.get(c, c) for c in s.lower())


# --- the clinic: doctors and services -----------------------------------------------------------

DOCTORS = (
    # last, first, patronymic, specialty
    ("Петрова", "Анна", "Викторовна", "терапевт-стоматолог"),
    ("Соловьёв", "Максим", "Андреевич", "терапевт-стоматолог"),
    ("Белова", "Ирина", "Олеговна", "терапевт-стоматолог"),
    ("Романов", "Алексей", "Викторович", "хирург-стоматолог"),
    ("Зайцев", "Олег", "Николаевич", "хирург-стоматолог"),
    ("Воробьёва", "Екатерина", "Сергеевна", "ортодонт"),
    ("Никитин", "Павел", "Ильич", "ортопед"),
    ("Медведева", "Светлана", "Юрьевна", "гигиенист"),
    ("Егорова", "Дарья", "Михайловна", "гигиенист"),
    ("Григорьева", "Вера", "Анатольевна", "детский стоматолог"),
    ("Ковалёва", "Наталья", "Петровна", "гинеколог"),
    ("Макарова", "Юлия", "Андреевна", "гинеколог"),
    ("Алексеев", "Игорь", "Васильевич", "терапевт"),
    ("Андреева", "Марина", "Геннадьевна", "терапевт"),
    ("Степанов", "Владимир", "Борисович", "кардиолог"),
    ("Борисова", "Ольга", "Дмитриевна", "педиатр"),
    ("Тихонов", "Кирилл", "Евгеньевич", "оториноларинголог"),
)

# code, name, specialty, price (roubles), is_consultation, recall_months
SERVICES = (
    ("ST-C01", "Консультация стоматолога-терапевта", "терапевт-стоматолог", 1500, True, None),
    ("ST-X01", "Прицельный снимок (радиовизиография)", "терапевт-стоматолог", 600, False, None),
    ("ST-X02", "Ортопантомограмма", "терапевт-стоматолог", 1900, False, None),
    ("ST-T01", "Лечение кариеса, пломба светового отверждения", "терапевт-стоматолог", 6500, False, None),
    ("ST-T02", "Лечение пульпита, один канал", "терапевт-стоматолог", 9500, False, None),
    ("ST-T03", "Лечение пульпита, три канала", "терапевт-стоматолог", 19000, False, None),
    ("ST-T04", "Художественная реставрация зуба", "терапевт-стоматолог", 9000, False, None),
    ("SU-C01", "Консультация хирурга-имплантолога", "хирург-стоматолог", 2000, True, None),
    ("SU-01", "Удаление зуба простое", "хирург-стоматолог", 3500, False, None),
    ("SU-02", "Удаление зуба мудрости", "хирург-стоматолог", 9000, False, None),
    ("SU-03", "Установка имплантата", "хирург-стоматолог", 48000, False, 6),
    ("SU-04", "Синус-лифтинг", "хирург-стоматолог", 35000, False, None),
    ("SU-05", "Контрольный осмотр имплантата", "хирург-стоматолог", 1000, False, 6),
    ("OR-C01", "Консультация ортодонта", "ортодонт", 2000, True, None),
    ("OR-01", "Установка брекет-системы на одну челюсть", "ортодонт", 65000, False, 1),
    ("OR-02", "Коррекция брекет-системы", "ортодонт", 3500, False, 1),
    ("OR-03", "Снятие брекет-системы, установка ретейнера", "ортодонт", 12000, False, 3),
    ("OR-04", "Контроль ретейнера", "ортодонт", 1500, False, 3),
    ("OP-C01", "Консультация ортопеда", "ортопед", 1500, True, None),
    ("OP-01", "Коронка металлокерамическая", "ортопед", 22000, False, None),
    ("OP-02", "Коронка из диоксида циркония", "ортопед", 36000, False, None),
    ("OP-03", "Коронка на имплантат", "ортопед", 42000, False, 6),
    ("OP-04", "Съёмный протез", "ортопед", 45000, False, 12),
    ("HY-01", "Профессиональная гигиена полости рта", "гигиенист", 6500, False, 6),
    ("HY-02", "Отбеливание зубов", "гигиенист", 25000, False, None),
    ("HY-03", "Фторирование зубов", "гигиенист", 1500, False, None),
    ("KD-C01", "Консультация детского стоматолога", "детский стоматолог", 1200, True, None),
    ("KD-01", "Лечение кариеса молочного зуба", "детский стоматолог", 4500, False, None),
    ("KD-02", "Герметизация фиссур", "детский стоматолог", 2500, False, 6),
    ("KD-03", "Профилактический осмотр ребёнка у стоматолога", "детский стоматолог", 1000, False, 6),
    ("GY-C01", "Приём гинеколога первичный", "гинеколог", 2500, True, None),
    ("GY-01", "Приём гинеколога повторный", "гинеколог", 2000, False, None),
    ("GY-02", "Профилактический осмотр гинеколога", "гинеколог", 2800, False, 12),
    ("GY-03", "УЗИ органов малого таза", "гинеколог", 2800, False, None),
    ("GY-04", "Кольпоскопия", "гинеколог", 3200, False, None),
    ("TH-C01", "Приём терапевта первичный", "терапевт", 2200, True, None),
    ("TH-01", "Приём терапевта повторный", "терапевт", 1800, False, None),
    ("TH-02", "Программа check-up", "терапевт", 9500, False, 12),
    ("CA-C01", "Приём кардиолога первичный", "кардиолог", 2800, True, None),
    ("CA-01", "Приём кардиолога повторный (контроль)", "кардиолог", 2300, False, 6),
    ("CA-02", "ЭКГ с расшифровкой", "кардиолог", 1200, False, None),
    ("CA-03", "Эхокардиография", "кардиолог", 4800, False, None),
    ("CA-04", "Суточное мониторирование ЭКГ (Холтер)", "кардиолог", 4500, False, None),
    ("PE-C01", "Приём педиатра первичный", "педиатр", 2300, True, None),
    ("PE-01", "Приём педиатра повторный", "педиатр", 1900, False, None),
    ("PE-02", "Профилактический осмотр педиатра", "педиатр", 2500, False, 12),
    ("EN-C01", "Приём оториноларинголога первичный", "оториноларинголог", 2400, True, None),
    ("EN-01", "Приём оториноларинголога повторный", "оториноларинголог", 2000, False, None),
    ("EN-02", "Промывание миндалин", "оториноларинголог", 1600, False, None),
    ("EN-03", "Удаление серной пробки", "оториноларинголог", 1000, False, None),
)
SERVICE_ID = {s[0]: i + 1 for i, s in enumerate(SERVICES)}
SERVICE_PRICE = {s[0]: s[3] for s in SERVICES}
SERVICE_SPEC = {s[0]: s[2] for s in SERVICES}
DOCTOR_IDS: dict[str, list[int]] = {}
for _i, _d in enumerate(DOCTORS):
    DOCTOR_IDS.setdefault(_d[3], []).append(_i + 1)

MOBILE_CODES = ("903", "905", "906", "909", "910", "915", "916", "917", "919", "925", "926", "929",
                "936", "958", "962", "963", "964", "965", "966", "967", "968", "977", "985", "999",
                "901", "980", "903", "916", "926", "985")
LANDLINE_CODES = ("495", "495", "495", "495", "499", "499", "812")
STREETS = (
    "ул. Белой Магнолии", "ул. Профсоюзная", "Ленинский пр-т", "ул. Академика Королёва",
    "ул. Новослободская", "Кутузовский пр-т", "ул. Маршала Жукова", "ул. Строителей", "ул. Садовая",
    "ул. Лесная", "Мичуринский пр-т", "ул. Вавилова", "ул. Гарибальди", "ул. Удальцова",
    "ул. Обручева", "ул. Миклухо-Маклая", "ул. Островитянова", "Ломоносовский пр-т", "ул. Бутлерова",
    "ул. Крылатские Холмы", "ул. Нежинская", "Рязанский пр-т", "ул. Народного Ополчения",
)
EMAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "rambler.ru", "list.ru")
COMPLAINTS = (
    "Ожидание приёма более 40 минут, никто не предупредил о задержке",
    "Итоговая сумма лечения выше озвученной на консультации",
    "Администратор грубо ответил по телефону",
    "Выпала пломба через две недели после лечения",
    "Боль после удаления зуба, не смогли дозвониться в клинику вечером",
    "Перенесли приём без предупреждения",
    "Обещали перезвонить с результатами и не перезвонили",
    "Списали бонусы без согласия пациента",
)
COMMENTS_ANY = (
    "Боится уколов", "Просит звонить после 18:00", "Аллергия на лидокаин, анестезия артикаином",
    "Предпочитает утренние приёмы", "Удобно только по выходным", "Не звонить на работу",
    "Оплата по ДМС", "Просит напоминать о профосмотре", "Сахарный диабет 2 типа",
    "Гипертония, принимает препараты", "Стоматофобия, обсуждали седацию", "Постоянный пациент, лоялен",
    "Плохо слышит, говорить громко и медленно", "Предпочитает врача Петрову А. В.",
)
COMMENTS_CHILD = ("Ребёнок боится бормашины", "Звонить маме", "Приводит бабушка",
                  "Записывать вместе с братом/сестрой")
COMMENTS_AFTER_CONSULT = (
    "После консультации: «подумаю», смущает стоимость",
    "Ушёл(ла) после консультации: хочет сравнить цены в другой клинике",
    "Интересовалась рассрочкой на лечение",
    "После консультации: нет времени сейчас, просила напомнить",
)

_TEETH = [10 * q + n for q in (1, 2, 3, 4) for n in range(1, 9)]
_MOLARS = [10 * q + n for q in (1, 2, 3, 4) for n in (6, 7)]
_WISDOM = [18, 28, 38, 48]
_MILK = [10 * q + n for q in (5, 6, 7, 8) for n in range(1, 6)]


def _tooth(t: int) -> str:
    return f"{t // 10}.{t % 10}"


# --- small helpers ----------------------------------------------------------------------------

def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)


def _birthday_in(today: date, days: int, years: int) -> date:
    target = today + timedelta(days=days)
    y = target.year - years
    while True:
        try:
            return date(y, target.month, target.day)
        except ValueError:  # 29 February
            y -= 1


class _Weighted:
    """A weighted choice with one random() call."""

    def __init__(self, items):
        self.values = [v for v, _ in items]
        total = 0.0
        self.cum = []
        for _, w in items:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, r: random.Random):
        return self.values[bisect.bisect_right(self.cum, r.random() * self.total)]


def _spellings(e164: str) -> list[str]:
    """How the MIS may have stored a number (all normalise back to e164)."""
    a, b, c, d = e164[2:5], e164[5:8], e164[8:10], e164[10:12]
    n = e164[2:]
    return [
        f"8 ({a}) {b}-{c}-{d}", f"+7 {a} {b} {c} {d}", n, f"+7-{a}-{b}-{c}-{d}", f"8-{a}-{b}{c}{d}",
        e164, "8" + n, f"+7 ({a}) {b}-{c}-{d}", f"8 {a} {b} {c} {d}", f"7 {a} {b}{c}{d}",
        f"({a}) {b}-{c}-{d}",
    ]


_SPELL_W = _Weighted([(i, w) for i, w in enumerate((22, 18, 10, 8, 8, 10, 8, 7, 4, 2, 3))])

_CHANNELS = _Weighted([("phone", 45), ("whatsapp", 25), ("telegram", 12), ("sms", 10), ("email", 8)])


# --- the writer -------------------------------------------------------------------------------

class _Writer:
    """Buffers rows per table; flushes a chunk in one transaction with executemany."""

    def __init__(self, engine: Engine):
        from db.models import Base

        self.engine = engine
        self.tables = {name: Base.metadata.tables[name] for name in TABLES}
        self.buf: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.next_id: dict[str, int] = {name: 1 for name in TABLES}
        self.counts: dict[str, int] = {name: 0 for name in TABLES}

    def add(self, table: str, row: dict) -> int:
        i = self.next_id[table]
        self.next_id[table] = i + 1
        row["id"] = i
        self.buf[table].append(row)
        return i

    def flush(self) -> None:
        if not any(self.buf.values()):
            return
        with self.engine.begin() as conn:
            for name in TABLES:
                rows = self.buf[name]
                if rows:
                    conn.execute(self.tables[name].insert(), rows)
                    self.counts[name] += len(rows)
                    self.buf[name] = []

    def finish(self) -> None:
        self.flush()
        if self.engine.dialect.name == "postgresql":
            with self.engine.begin() as conn:
                for name in TABLES:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}), "
                        f"(SELECT COUNT(*) > 0 FROM {name}))"
                    ))


# --- the generator ----------------------------------------------------------------------------

_VISIT_SLOTS = [(h, m) for h in range(9, 20) for m in (0, 30)]


class _Clinic:
    def __init__(self, w: _Writer, seed: int, today: date, now: datetime, cap_percent: int = 50,
                 expiry_days: int = 180, accruals=(500, 500, 1000), compensation_percent: int = 10):
        self.w = w
        self.r = random.Random(seed)
        self.seed = seed
        self.today = today
        self.now = now
        self.tz = now.tzinfo
        self.cap = cap_percent
        self.expiry = timedelta(days=expiry_days)
        self.acc1, self.acc2, self.acc6 = accruals
        self.comp = compensation_percent
        self.mobile_k = 0
        self.land_k = 0
        self.mult = 7_368_787  # coprime to 10**7: k -> subscriber number is a permutation
        self.offset = (seed * 2_654_435_761) % 10**7
        self.reserved = set(SHOWCASE.values())
        self.referrers: deque[tuple[int, date]] = deque(maxlen=4000)
        self.rows_patients = 0

    # numbers ---------------------------------------------------------------------------
    def _number(self, codes, k: int) -> str:
        code = codes[k % len(codes)]
        # k -> subscriber is a permutation of 0..10**7-1, so numbers never repeat (k < 10**7)
        sub = (k * self.mult + self.offset) % 10**7
        return f"+7{code}{sub:07d}"

    def new_mobile(self) -> str:
        while True:
            self.mobile_k += 1
            n = self._number(MOBILE_CODES, self.mobile_k)
            if n not in self.reserved:
                return n

    def new_landline(self) -> str:
        while True:
            self.land_k += 1
            n = self._number(LANDLINE_CODES, self.land_k)
            if n[5] in "01" or n in self.reserved:  # subscriber numbers do not start with 0 or 1
                continue
            return n

    def phone_row(self, patient_id: int, e164: str, kind: str, primary: bool, raw: str | None = None) -> None:
        if raw is None:
            raw = _spellings(e164)[_SPELL_W.pick(self.r)]
        normalized = phones.normalize(raw)
        if normalized != e164:  # the generator's own mistake: never store an inconsistent row
            raise AssertionError(f"{raw!r} normalises to {normalized}, not {e164}")
        self.w.add("patient_phones", {"patient_id": patient_id, "e164": normalized, "raw": raw,
                                      "kind": kind, "is_primary": primary})

    # times -----------------------------------------------------------------------------
    def at(self, d: date, hh: int, mm: int = 0) -> datetime:
        return datetime(d.year, d.month, d.day, hh, mm, tzinfo=self.tz)

    def visit_time(self, d: date) -> datetime | None:
        """A slot on day d that lies in the past (today: before now); None if there is none."""
        if d > self.today:
            return None
        hh, mm = _VISIT_SLOTS[int(self.r.random() * len(_VISIT_SLOTS))]
        t = self.at(d, hh, mm)
        if d == self.today and t > self.now - timedelta(minutes=45):
            earliest = self.at(d, 8, 0)
            latest = self.now - timedelta(minutes=45)
            if latest < earliest:
                return None
            span = int((latest - earliest).total_seconds() // 1800)
            t = earliest + timedelta(minutes=30 * int(self.r.random() * (span + 1)))
        return t

    def future_time(self, d: date) -> datetime:
        """An appointment slot on day d (>= today) that lies after now."""
        while True:
            hh, mm = _VISIT_SLOTS[int(self.r.random() * len(_VISIT_SLOTS))]
            t = self.at(d, hh, mm)
            if t > self.now + timedelta(minutes=30):
                return t
            later = [s for s in _VISIT_SLOTS if self.at(d, *s) > self.now + timedelta(minutes=30)]
            if later:
                return self.at(d, *later[int(self.r.random() * len(later))])
            d = d + timedelta(days=1)

    # rows ------------------------------------------------------------------------------
    def doctors_and_services(self) -> None:
        for last, first, patr, spec in DOCTORS:
            self.w.add("doctors", {"last_name": last, "first_name": first, "patronymic": patr,
                                   "specialty": spec, "active": True})
        for code, name, spec, price, cons, recall in SERVICES:
            self.w.add("services", {"code": code, "name": name, "specialty": spec, "price": price,
                                    "is_consultation": cons, "recall_months": recall})

    def patient(self, *, last: str, first: str, patronymic: str, sex: str, birth: date,
                family_id: int | None = None, role: str = "", email: str = "", address: str = "",
                channel: str = "phone", consent_calls: bool = True, consent_messages: bool = True,
                consent_recording: bool = True, do_not_contact: bool = False, comments: str = "",
                referred_by: int | None = None, created: datetime | None = None) -> int:
        created = created or self.now
        pid = self.w.next_id["patients"]
        self.w.add("patients", {
            "external_id": f"MIS-{pid:07d}", "last_name": last, "first_name": first,
            "patronymic": patronymic, "name_key": name_key(last, first, patronymic), "sex": sex,
            "birth_date": birth, "email": email, "address": address, "preferred_channel": channel,
            "consent_calls": consent_calls, "consent_messages": consent_messages,
            "consent_recording": consent_recording, "do_not_contact": do_not_contact,
            "comments": comments, "family_id": family_id, "family_role": role,
            "referred_by_id": referred_by, "created_at": created, "updated_at": created,
        })
        self.rows_patients += 1
        return pid

    def visit(self, pid: int, doctor: int, when: datetime, codes: list[str], status: str = "done",
              notes: str = "") -> tuple[int, int]:
        amount = sum(SERVICE_PRICE[c] for c in codes) if status == "done" else 0
        vid = self.w.add("visits", {"patient_id": pid, "doctor_id": doctor, "starts_at": when,
                                    "status": status, "amount": amount, "bonus_paid": 0, "notes": notes})
        if status == "done":
            for c in codes:
                self.w.add("visit_services", {"visit_id": vid, "service_id": SERVICE_ID[c],
                                              "price": SERVICE_PRICE[c], "quantity": 1})
        return vid, amount

    def appointment(self, pid: int, doctor: int, code: str | None, when: datetime, status: str = "scheduled",
                    confirmed_at: datetime | None = None) -> int:
        return self.w.add("appointments", {
            "patient_id": pid, "doctor_id": doctor, "service_id": SERVICE_ID[code] if code else None,
            "starts_at": when, "status": status, "confirmed_at": confirmed_at,
        })

    def plan(self, pid: int, doctor: int, title: str, created_on: date,
             stages: list[tuple[str, str, date | None, str, int | None]]) -> int:
        """stages: (service code, title, due_on, status, done_visit_id)."""
        sts = {s[3] for s in stages}
        status = "active" if "due" in sts else ("completed" if "done" in sts else "declined")
        plan_id = self.w.add("treatment_plans", {"patient_id": pid, "doctor_id": doctor, "title": title,
                                                 "created_on": created_on, "status": status})
        for seq, (code, stitle, due, st, vid) in enumerate(stages, 1):
            self.w.add("plan_stages", {"plan_id": plan_id, "seq": seq, "service_id": SERVICE_ID[code],
                                       "title": stitle, "price": SERVICE_PRICE[code], "due_on": due,
                                       "status": st, "done_visit_id": vid})
        return plan_id

    def bonus(self, pid: int, kind: str, amount: int, on: date, expires: date | None = None,
              reason: str = "", visit_id: int | None = None) -> None:
        self.w.add("bonus_entries", {"patient_id": pid, "kind": kind, "amount": amount, "on_date": on,
                                     "expires_on": expires, "reason": reason, "visit_id": visit_id})

    def complaint(self, pid: int, on: date, status: str, text_: str) -> None:
        self.w.add("complaints", {"patient_id": pid, "opened_on": on, "status": status, "text": text_})

    # the bonus programme ---------------------------------------------------------------
    def ledger(self, pid: int, visits: list[tuple[datetime, int, int]], extra_lots=(),
               use_probability: float = 0.45, forced: dict[int, int] | None = None) -> None:
        """Accruals after the 1st and 2nd visit and six months after the first, redemptions
        capped at cap% of a bill (Visit.bonus_paid), expiry entries, compensations.

        visits: (starts_at, visit id, amount) of done visits, in time order.
        extra_lots: (date, amount, reason) compensations.
        forced: visit id -> redemption amount (the showcase); no random redemptions then.
        """
        if not visits:
            return
        events: list[tuple[date, int, object]] = []
        for i, v in enumerate(visits):
            events.append((v[0].date(), 1, (i, v)))
        six = visits[0][0].date() + timedelta(days=182)
        if six <= self.today:
            events.append((six, 0, "six"))
        for on, amount, reason in extra_lots:
            if on <= self.today:
                events.append((on, 0, ("comp", amount, reason)))
        events.sort(key=lambda e: (e[0], e[1]))
        lots: list[list] = []  # [expires_on, remaining]
        r = self.r
        paid: dict[int, int] = {}

        def expire(before: date) -> None:
            for lot in lots:
                if lot[1] > 0 and lot[0] < before:
                    self.bonus(pid, "expiry", lot[1], lot[0] + timedelta(days=1),
                               reason="Бонусы сгорели: срок действия истёк")
                    lot[1] = 0

        for on, _, ev in events:
            expire(on)
            if ev == "six":
                if self.acc6:
                    lots.append([on + self.expiry, self.acc6])
                    self.bonus(pid, "accrual", self.acc6, on, on + self.expiry,
                               "Бонус через полгода: приглашение на профилактику")
                continue
            if isinstance(ev, tuple) and ev[0] == "comp":
                lots.append([on + self.expiry, ev[1]])
                self.bonus(pid, "compensation", ev[1], on, on + self.expiry, ev[2])
                continue
            i, (when, vid, amount) = ev
            balance = sum(l[1] for l in lots)
            want = None
            if forced is not None:
                want = forced.get(vid)
            elif balance > 0 and amount > 0 and r.random() < use_probability:
                want = min(balance, amount * self.cap // 100) // 10 * 10
            if want:
                want = min(want, balance, amount * self.cap // 100)
                left = want
                for lot in sorted((l for l in lots if l[1] > 0), key=lambda l: l[0]):
                    take = min(lot[1], left)
                    lot[1] -= take
                    left -= take
                    if not left:
                        break
                self.bonus(pid, "redemption", want, on, None, "Оплата части счёта бонусами", vid)
                paid[vid] = want
            if i < 2:
                amt = self.acc1 if i == 0 else self.acc2
                if amt:
                    lots.append([on + self.expiry, amt])
                    self.bonus(pid, "accrual", amt, on, on + self.expiry,
                               "Бонус за первый визит" if i == 0 else "Бонус за второй визит", vid)
        expire(self.today)
        if paid:
            for row in reversed(self.w.buf["visits"]):
                if row["id"] in paid:
                    row["bonus_paid"] = paid.pop(row["id"])
                    if not paid:
                        break

    # the showcase ----------------------------------------------------------------------
    def showcase(self) -> None:
        """Fixed patients at the documented numbers (docs/demo.md); dates are relative to today."""
        T, now = self.today, self.now
        ago = lambda days: T - timedelta(days=days)  # noqa: E731
        doc = {spec: ids[0] for spec, ids in DOCTOR_IDS.items()}

        # The Ivanovs: mother and son share her mobile, the father has his own and the home line.
        fam = self.w.add("families", {"name": "Ивановы"})
        olga = self.patient(last="Иванова", first="Ольга", patronymic="Петровна", sex="F",
                            birth=date(1985, 3, 14), family_id=fam, role="мать",
                            email="o.ivanova85@mail.ru", address="г. Москва, ул. Белой Магнолии, д. 7, кв. 12",
                            comments="Боится уколов, просит анестезию", created=self.at(ago(160), 9))
        self.phone_row(olga, SHOWCASE["ivanova_mother"], "mobile", True, "8 (916) 123-45-67")
        self.phone_row(olga, SHOWCASE["ivanov_home"], "home", False, "(495) 123-45-67")
        petya = self.patient(last="Иванов", first="Пётр", patronymic="Сергеевич", sex="M",
                             birth=date(2014, 5, 2), family_id=fam, role="сын",
                             address="г. Москва, ул. Белой Магнолии, д. 7, кв. 12", comments="Звонить маме",
                             created=self.at(ago(400), 9))
        self.phone_row(petya, SHOWCASE["ivanov_son"], "mobile", True, "+7 916 123 45 67")
        sergey = self.patient(last="Иванов", first="Сергей", patronymic="Николаевич", sex="M",
                              birth=date(1982, 9, 7), family_id=fam, role="отец", channel="telegram",
                              address="г. Москва, ул. Белой Магнолии, д. 7, кв. 12", created=self.at(ago(700), 9))
        self.phone_row(sergey, SHOWCASE["ivanov_father"], "mobile", True, "+7-916-765-43-21")
        self.phone_row(sergey, SHOWCASE["ivanov_home"], "home", False, "8 (495) 123-45-67")

        # Olga: consultation, gynaecology check-up, first stage of the plan; stage 2 overdue.
        v1, a1 = self.visit(olga, doc["терапевт-стоматолог"], self.at(ago(160), 10), ["ST-C01", "ST-X02"])
        v2, a2 = self.visit(olga, doc["гинеколог"], self.at(ago(150), 11), ["GY-02"])
        v3, a3 = self.visit(olga, doc["терапевт-стоматолог"], self.at(ago(140), 10, 30), ["ST-T01"])
        self.plan(olga, doc["терапевт-стоматолог"], "Лечение кариеса", ago(160), [
            ("ST-T01", "Лечение кариеса 3.6", ago(140), "done", v3),
            ("ST-T01", "Лечение кариеса 4.6", ago(110), "due", None),
            ("HY-01", "Профессиональная гигиена", ago(80), "declined", None),
        ])
        # 500 (visit 1, expires in 20 days) + 500 (visit 2, in 30 days) - 300 redeemed at visit 3
        self.ledger(olga, [(self.at(ago(160), 10), v1, a1), (self.at(ago(150), 11), v2, a2),
                           (self.at(ago(140), 10, 30), v3, a3)], forced={v3: 300})
        # Petya: children's dentist check-ups, next one booked.
        pv = []
        for days in (400, 215, 30):
            when = self.at(ago(days), 16)
            vid, amt = self.visit(petya, doc["детский стоматолог"], when,
                                  ["KD-C01"] if days == 400 else ["KD-03", "KD-02"])
            pv.append((when, vid, amt))
        self.ledger(petya, pv, use_probability=0)
        self.appointment(petya, doc["ортодонт"], "OR-C01", self.future_time(T + timedelta(days=12)))
        sv, _ = self.visit(sergey, doc["хирург-стоматолог"], self.at(ago(700), 18), ["SU-C01", "ST-X02"])
        s2, _ = self.visit(sergey, doc["хирург-стоматолог"], self.at(ago(680), 18), ["SU-02"])
        self.ledger(sergey, [(self.at(ago(700), 18), sv, 3900), (self.at(ago(680), 18), s2, 9000)],
                    use_probability=0)

        # Return: implant consultation yesterday, plan not started.
        p = self.patient(last="Кузнецов", first="Дмитрий", patronymic="Андреевич", sex="M",
                         birth=date(1979, 6, 21), channel="whatsapp",
                         comments="После консультации: «подумаю», смущает стоимость", created=self.at(ago(1), 12))
        self.phone_row(p, SHOWCASE["return_consultation"], "mobile", True, "8-903-1112233")
        vid, amt = self.visit(p, doc["хирург-стоматолог"], self.at(ago(1), 12), ["SU-C01", "ST-X02"])
        self.plan(p, doc["хирург-стоматолог"], "Имплантация 3.6", ago(1), [
            ("SU-03", "Установка имплантата 3.6", T + timedelta(days=14), "due", None),
            ("OP-03", "Коронка на имплантат 3.6", T + timedelta(days=120), "due", None),
            ("SU-05", "Контрольный осмотр имплантата 3.6", T + timedelta(days=300), "due", None),
        ])
        self.ledger(p, [(self.at(ago(1), 12), vid, amt)])

        # Prevention: hygiene every six months until 14 months ago, nothing since.
        p = self.patient(last="Смирнова", first="Елена", patronymic="Викторовна", sex="F",
                         birth=date(1968, 10, 2), channel="phone", address="г. Москва, ул. Вавилова, д. 19, кв. 40",
                         created=self.at(add_months(T, -38), 10))
        self.phone_row(p, SHOWCASE["lapsed_prevention"], "mobile", True, "+7 926 222 33 44")
        vs = []
        for months in (38, 32, 26, 20, 14):
            when = self.at(add_months(T, -months), 10)
            codes = ["ST-C01", "HY-01"] if months == 38 else ["HY-01"]
            vid, amt = self.visit(p, doc["гигиенист"], when, codes)
            vs.append((when, vid, amt))
        self.ledger(p, vs, use_probability=0)

        # Follow-up: a wisdom tooth removed today.
        p = self.patient(last="Волков", first="Андрей", patronymic="Игоревич", sex="M", birth=date(1990, 1, 15),
                         channel="phone", created=self.at(ago(20), 10))
        self.phone_row(p, SHOWCASE["follow_up_today"], "mobile", True, "89857778899")
        w1 = self.at(ago(20), 10)
        v1, a1 = self.visit(p, doc["хирург-стоматолог"], w1, ["SU-C01", "ST-X02"])
        w2 = max(now - timedelta(hours=2), self.at(T, 0, 5)).replace(second=0, microsecond=0)
        v2, a2 = self.visit(p, doc["хирург-стоматолог"], w2, ["SU-02"], notes="Удаление 3.8, назначены антибиотики")
        self.ledger(p, [(w1, v1, a1), (w2, v2, a2)], use_probability=0)

        # Confirmation: appointments in two days and in two hours.
        p = self.patient(last="Морозова", first="Анна", patronymic="Сергеевна", sex="F", birth=date(1995, 7, 30),
                         channel="whatsapp", created=self.at(ago(200), 10))
        self.phone_row(p, SHOWCASE["confirm_in_2_days"], "mobile", True, "+7 (915) 444-55-66")
        w1 = self.at(ago(200), 15)
        v1, a1 = self.visit(p, doc["гигиенист"], w1, ["HY-01"])
        self.ledger(p, [(w1, v1, a1)], use_probability=0)
        clock = min(max(now.hour, 9), 18)
        self.appointment(p, doc["гигиенист"], "HY-01", self.at(T + timedelta(days=2), clock, 30))
        p = self.patient(last="Павлов", first="Игорь", patronymic="Олегович", sex="M", birth=date(1972, 12, 5),
                         created=self.at(ago(90), 10))
        self.phone_row(p, SHOWCASE["confirm_in_2_hours"], "mobile", True, "+7-965-333-22-11")
        w1 = self.at(ago(90), 17)
        v1, a1 = self.visit(p, doc["кардиолог"], w1, ["CA-C01", "CA-02"])
        self.ledger(p, [(w1, v1, a1)], use_probability=0)
        self.appointment(p, doc["кардиолог"], "CA-01", (now + timedelta(hours=2)).replace(second=0, microsecond=0))

        # Do not contact.
        p = self.patient(last="Соколов", first="Виктор", patronymic="Павлович", sex="M", birth=date(1957, 4, 11),
                         do_not_contact=True, consent_calls=False, consent_messages=False,
                         comments="Просил не звонить и не писать", created=self.at(ago(900), 10))
        self.phone_row(p, SHOWCASE["do_not_contact"], "mobile", True, "8 903 555 00 11")
        w1 = self.at(ago(900), 11)
        v1, a1 = self.visit(p, doc["терапевт"], w1, ["TH-C01"])
        self.ledger(p, [(w1, v1, a1)], use_probability=0)

        # No consent to recording.
        p = self.patient(last="Лебедева", first="Татьяна", patronymic="Николаевна", sex="F",
                         birth=date(1974, 2, 26), consent_recording=False, channel="phone",
                         comments="Не согласна на запись разговоров", created=self.at(ago(300), 10))
        self.phone_row(p, SHOWCASE["no_recording_consent"], "mobile", True, "+79168887766")
        w1, w2 = self.at(ago(300), 12), self.at(ago(60), 12)
        v1, a1 = self.visit(p, doc["гинеколог"], w1, ["GY-C01", "GY-03"])
        v2, a2 = self.visit(p, doc["гинеколог"], w2, ["GY-01"])
        self.ledger(p, [(w1, v1, a1), (w2, v2, a2)], use_probability=0)

        # Open complaint.
        p = self.patient(last="Козлов", first="Михаил", patronymic="Юрьевич", sex="M", birth=date(1988, 8, 8),
                         channel="telegram", created=self.at(ago(40), 10))
        self.phone_row(p, SHOWCASE["open_complaint"], "mobile", True, "8 (977) 123-00-45")
        w1, w2 = self.at(ago(40), 10), self.at(ago(5), 14)
        v1, a1 = self.visit(p, doc["терапевт-стоматолог"], w1, ["ST-C01"])
        v2, a2 = self.visit(p, doc["терапевт-стоматолог"], w2, ["ST-T02"])
        self.ledger(p, [(w1, v1, a1), (w2, v2, a2)], use_probability=0)
        self.complaint(p, ago(3), "open", "Боль после лечения пульпита, не смогли дозвониться в клинику вечером")

        # Birthday in three days (turns 30).
        p = self.patient(last="Новикова", first="Мария", patronymic="Ильинична", sex="F",
                         birth=_birthday_in(T, 3, 30), channel="sms", created=self.at(ago(250), 10))
        self.phone_row(p, SHOWCASE["birthday_in_3_days"], "mobile", True, "8-925-6007080")
        w1 = self.at(ago(250), 13)
        v1, a1 = self.visit(p, doc["гигиенист"], w1, ["HY-01", "HY-03"])
        self.ledger(p, [(w1, v1, a1)], use_probability=0)

        # A recommendation: Фёдоров brought Орлова.
        ref = self.patient(last="Фёдоров", first="Николай", patronymic="Ильич", sex="M", birth=date(1965, 11, 1),
                           channel="phone", comments="Постоянный пациент, рекомендует клинику знакомым",
                           created=self.at(ago(1100), 10))
        self.phone_row(ref, SHOWCASE["referrer"], "mobile", True, "+7 905 010 20 30")
        vs = []
        for days in (1100, 1080, 900, 700, 520, 340, 160):
            when = self.at(ago(days), 9, 30)
            vid, amt = self.visit(ref, doc["ортопед"] if days == 1080 else doc["гигиенист"], when,
                                  ["OP-01"] if days == 1080 else ["HY-01"])
            vs.append((when, vid, amt))
        self.ledger(ref, vs, use_probability=0)
        p = self.patient(last="Орлова", first="Ксения", patronymic="Никитична", sex="F", birth=date(1992, 3, 3),
                         channel="telegram", referred_by=ref, comments="Пришла по рекомендации Фёдорова Н. И.",
                         created=self.at(ago(45), 10))
        self.phone_row(p, SHOWCASE["referred"], "mobile", True, "9994045060")
        w1 = self.at(ago(45), 15)
        v1, a1 = self.visit(p, doc["гигиенист"], w1, ["HY-01"])
        self.ledger(p, [(w1, v1, a1)], use_probability=0)

    # the bulk: households ----------------------------------------------------------------
    _HOUSEHOLDS = _Weighted([("single", 38), ("couple", 17), ("family", 27), ("single_parent", 10),
                             ("elderly_couple", 8)])
    _ADULT_AGE = _Weighted([((18, 30), 20), ((30, 45), 35), ((45, 65), 30), ((65, 88), 15)])

    def _birth(self, age_lo: int, age_hi: int) -> date:
        days = int((age_lo + self.r.random() * (age_hi - age_lo)) * 365.25)
        return self.today - timedelta(days=days)

    @staticmethod
    def _era(birth: date) -> int:
        return 0 if birth.year < 1960 else (1 if birth.year < 1990 else 2)

    def _first(self, sex: str, birth: date) -> str:
        names = (MALE_NAMES if sex == "M" else FEMALE_NAMES)[self._era(birth)]
        return names[int(self.r.random() * len(names))]

    def _father_name(self, birth: date) -> str:
        father_birth = birth - timedelta(days=int((22 + self.r.random() * 15) * 365))
        names = MALE_NAMES[self._era(father_birth)]
        return names[int(self.r.random() * len(names))]

    def _surname(self) -> str:
        return SURNAMES[int(self.r.random() * len(SURNAMES))]

    def _address(self) -> str:
        r = self.r
        return (f"г. Москва, {STREETS[int(r.random() * len(STREETS))]}, д. {1 + int(r.random() * 120)}, "
                f"кв. {1 + int(r.random() * 250)}")

    def _email(self, first: str, last: str, birth: date) -> str:
        r = self.r
        dom = EMAIL_DOMAINS[int(r.random() * len(EMAIL_DOMAINS))]
        return f"{translit(first)[0]}.{translit(last)}{birth.year % 100:02d}@{dom}"

    def household(self, budget: int) -> None:
        """One household (1..budget patients) with its phones and histories."""
        r = self.r
        kind = self._HOUSEHOLDS.pick(r)
        if budget < 2:
            kind = "single"
        stem = self._surname()
        members: list[dict] = []  # sex, first, patr, birth, last, role, own_mobile, adult
        if kind == "single":
            sex = "F" if r.random() < 0.56 else "M"
            lo, hi = self._ADULT_AGE.pick(r)
            birth = self._birth(lo, hi)
            members.append(dict(sex=sex, birth=birth, last=surname_for(stem, sex), role=""))
        elif kind in ("couple", "elderly_couple"):
            lo, hi = (28, 60) if kind == "couple" else (62, 86)
            hb = self._birth(lo, hi)
            wb = hb + timedelta(days=int(r.random() * 5 * 365))
            wife_last = female_surname(stem) if r.random() < 0.85 else female_surname(self._surname())
            members.append(dict(sex="M", birth=hb, last=stem, role="муж"))
            members.append(dict(sex="F", birth=wb, last=wife_last, role="жена"))
        else:
            mother_birth = self._birth(27, 50)
            father_first = self._first("M", mother_birth - timedelta(days=700))
            if kind == "family":
                fb = mother_birth - timedelta(days=int(r.random() * 6 * 365))
                members.append(dict(sex="F", birth=mother_birth, last=female_surname(stem), role="мать"))
                if r.random() < 0.75:
                    members.append(dict(sex="M", birth=fb, last=stem, role="отец", first=father_first))
            else:
                members.append(dict(sex="F", birth=mother_birth,
                                    last=female_surname(stem) if r.random() < 0.6 else female_surname(self._surname()),
                                    role="мать"))
            mother_age = (self.today - mother_birth).days / 365.25
            oldest = min(17.9, mother_age - 20)
            for _ in range(1 + int(r.random() * r.random() * 3.2)):
                if oldest < 0.5:
                    break
                sex = "M" if r.random() < 0.51 else "F"
                cb = self._birth(0.3, oldest)
                members.append(dict(sex=sex, birth=cb, last=surname_for(stem, sex),
                                    role="сын" if sex == "M" else "дочь",
                                    patr=patronymic_of(father_first, sex), child=True))
        members = members[:budget]
        for m in members:
            m.setdefault("first", self._first(m["sex"], m["birth"]))
            if "patr" not in m:
                m["patr"] = patronymic_of(self._father_name(m["birth"]), m["sex"])
        fam_id = None
        if len(members) > 1:
            fam_id = self.w.add("families", {"name": family_name(stem)})
        else:
            members[0]["role"] = ""
        # phones and contact details
        address = self._address() if r.random() < 0.75 else ""
        home = self.new_landline() if (r.random() < (0.45 if kind == "elderly_couple" else 0.2)) else None
        mother_mobile = None
        household_channel = None
        for m in members:
            age = (self.today - m["birth"]).days / 365.25
            m["age"] = age
            child = m.get("child", False)
            if child and age < 14:
                m["mobiles"] = []
            else:
                m["mobiles"] = [] if (age > 75 and home and r.random() < 0.5) else [self.new_mobile()]
                if not child and r.random() < 0.07:
                    m["mobiles"].append(self.new_mobile())
            if m["role"] == "мать":
                mother_mobile = m["mobiles"][0] if m["mobiles"] else None
        for m in members:
            child = m.get("child", False)
            pid_numbers: list[tuple[str, str, bool]] = [(n, "mobile", i == 0) for i, n in enumerate(m["mobiles"])]
            if child and mother_mobile:
                pid_numbers.append((mother_mobile, "mobile", not pid_numbers))
            if home:
                pid_numbers.append((home, "home", not pid_numbers))
            if not pid_numbers:  # a child whose mother has no mobile: the father's
                other = next((x["mobiles"][0] for x in members if x["mobiles"]), None) or self.new_mobile()
                pid_numbers.append((other, "mobile", True))
            if not child and r.random() < 0.04:
                pid_numbers.append((self.new_landline(), "work", False))
            m["numbers"] = pid_numbers
            # consents, channel, comments
            if child:
                channel = household_channel or "phone"
                m["channel"] = "phone" if channel == "email" else channel
            else:
                channel = _CHANNELS.pick(r)
                m["email"] = self._email(m["first"], m["last"], m["birth"]) if (r.random() < 0.45 or channel == "email") else ""
                m["channel"] = channel
                if household_channel is None:
                    household_channel = channel
        for m in members:
            self._patient_with_history(m, fam_id, address)

    def _patient_with_history(self, m: dict, fam_id: int | None, address: str) -> None:
        r = self.r
        child = m.get("child", False)
        dnc = r.random() < 0.02
        consent_calls = not dnc and r.random() > 0.08
        consent_messages = not dnc and r.random() > 0.03
        consent_recording = r.random() > 0.05
        comments = ""
        x = r.random()
        if x < 0.22:
            pool = COMMENTS_CHILD if child else COMMENTS_ANY
            comments = pool[int(r.random() * len(pool))]
        plan = self._plan_history(m)
        if plan["archetype"] == "consult_only" and r.random() < 0.4:
            comments = COMMENTS_AFTER_CONSULT[int(r.random() * len(COMMENTS_AFTER_CONSULT))]
        referred_by = None
        if not child and self.referrers and r.random() < 0.06:
            cand = self.referrers[int(r.random() * len(self.referrers))]
            if plan["first"] and cand[1] < plan["first"]:
                referred_by = cand[0]
        created = plan["created"]
        pid = self.patient(
            last=m["last"], first=m["first"], patronymic=m["patr"], sex=m["sex"], birth=m["birth"],
            family_id=fam_id, role=m["role"], email=m.get("email", ""), address=address,
            channel=m["channel"], consent_calls=consent_calls, consent_messages=consent_messages,
            consent_recording=consent_recording, do_not_contact=dnc, comments=comments,
            referred_by=referred_by, created=created,
        )
        seen = set()
        for e164, kind, primary in m["numbers"]:
            if e164 in seen:
                continue
            seen.add(e164)
            self.phone_row(pid, e164, kind, primary)
        self._write_history(pid, m, plan)
        if not child and plan["first"] is not None:
            self.referrers.append((pid, plan["first"]))

    # the bulk: histories -------------------------------------------------------------------
    _ARCHETYPES = _Weighted([("new", 3), ("consult_only", 14), ("acute", 0.7), ("dropped", 10),
                             ("lapsed", 18), ("occasional", 23), ("loyal", 30)])
    _ADULT_TRACK = _Weighted([("dental", 64), ("gyn", 14), ("therapy", 9), ("cardio", 7), ("ent", 6)])
    _CHILD_TRACK = _Weighted([("kid_dental", 50), ("pediatric", 30), ("ortho", 14), ("ent", 6)])
    _DENTAL_PLAN = _Weighted([("caries", 40), ("endo", 20), ("implant", 15), ("prosthetics", 10),
                              ("ortho", 5), ("none", 10)])
    # track -> consultation codes, recall service, follow-up services
    _TRACKS = {
        "dental": (["ST-C01"], "HY-01", []),
        "kid_dental": (["KD-C01"], "KD-03", []),
        "ortho": (["OR-C01", "ST-X02"], "OR-04", []),
        "gyn": (["GY-C01", "GY-03"], "GY-02", ["GY-01", "GY-04"]),
        "therapy": (["TH-C01"], "TH-02", ["TH-01"]),
        "cardio": (["CA-C01", "CA-02"], "CA-01", ["CA-03", "CA-04", "CA-01"]),
        "pediatric": (["PE-C01"], "PE-02", ["PE-01"]),
        "ent": (["EN-C01"], None, ["EN-01", "EN-02", "EN-03"]),
    }

    def _doctor(self, spec: str, prefs: dict) -> int:
        d = prefs.get(spec)
        if d is None:
            ids = DOCTOR_IDS[spec]
            d = prefs[spec] = ids[int(self.r.random() * len(ids))]
        return d

    def _stages(self, kind: str, child: bool) -> tuple[str, str, list[tuple[str, str, int]]]:
        """(plan title, the consulting specialty's consult code, [(code, title, days after previous)])."""
        r = self.r
        pick = lambda xs: xs[int(r.random() * len(xs))]  # noqa: E731
        if kind == "caries":
            teeth = sorted({pick(_TEETH) for _ in range(2 + int(r.random() * 3))})
            st = [("ST-T01", f"Лечение кариеса {_tooth(t)}", 7 + int(r.random() * 21)) for t in teeth]
            if r.random() < 0.6:
                st.append(("HY-01", "Профессиональная гигиена полости рта", 14))
            return "Лечение кариеса", "ST-C01", st
        if kind == "endo":
            t = pick(_MOLARS)
            return (f"Лечение пульпита и коронка {_tooth(t)}", "ST-C01",
                    [("ST-T03", f"Лечение каналов {_tooth(t)}", 5 + int(r.random() * 10)),
                     ("OP-02", f"Коронка из диоксида циркония {_tooth(t)}", 21 + int(r.random() * 21))])
        if kind == "implant":
            t = pick(_MOLARS)
            st = []
            if r.random() < 0.5:
                st.append(("SU-01", f"Удаление зуба {_tooth(t)}", 7 + int(r.random() * 14)))
            st += [("SU-03", f"Установка имплантата {_tooth(t)}", 60 if st else 14 + int(r.random() * 14)),
                   ("OP-03", f"Коронка на имплантат {_tooth(t)}", 90 + int(r.random() * 40)),
                   ("SU-05", f"Контрольный осмотр имплантата {_tooth(t)}", 180)]
            return f"Имплантация {_tooth(t)}", "SU-C01", st
        if kind == "prosthetics":
            teeth = sorted({pick(_TEETH) for _ in range(2 + int(r.random() * 2))})
            return ("Протезирование коронками", "OP-C01",
                    [("OP-01", f"Коронка металлокерамическая {_tooth(t)}", 14 + int(r.random() * 14)) for t in teeth])
        if kind == "ortho":
            st = [("OR-01", "Установка брекет-системы, верхняя челюсть", 14),
                  ("OR-01", "Установка брекет-системы, нижняя челюсть", 14)]
            st += [("OR-02", f"Коррекция брекет-системы №{i}", 28 + int(r.random() * 35))
                   for i in range(1, 5 + int(r.random() * 8))]
            st.append(("OR-03", "Снятие брекет-системы, ретейнер", 45))
            return "Исправление прикуса брекет-системой", "OR-C01", st
        if kind == "kid":
            teeth = sorted({pick(_MILK) for _ in range(1 + int(r.random() * 3))})
            st = [("KD-01", f"Лечение кариеса молочного зуба {_tooth(t)}", 7 + int(r.random() * 14)) for t in teeth]
            st.append(("KD-02", "Герметизация фиссур", 14))
            return "Санация полости рта", "KD-C01", st
        raise ValueError(kind)

    def _plan_history(self, m: dict) -> dict:
        """Decide the archetype, the first visit and the consultation track (no rows yet)."""
        r, T = self.r, self.today
        age = m["age"]
        child = m.get("child", False)
        arch = self._ARCHETYPES.pick(r)
        if age < 1.0:
            arch = "new"
        if child:
            track = "pediatric" if age < 3 else self._CHILD_TRACK.pick(r)
            if track == "ortho" and age < 8:
                track = "kid_dental"
        else:
            track = self._ADULT_TRACK.pick(r)
            if track == "gyn" and m["sex"] == "M":
                track = "therapy"
            if track == "cardio" and age < 35:
                track = "therapy"
        # how far back the history may go: four years, and not before the first birthday
        max_back = min(4 * 365, int((age - 0.8) * 365)) if child else 4 * 365
        max_back = max(max_back, 1)
        first: date | None
        if arch == "new":
            first = None
        elif arch == "acute":
            first = T - timedelta(days=int(r.random() * 2))
        elif arch == "consult_only":
            if r.random() < 0.3:
                first = T - timedelta(days=1 + int(r.random() * min(14, max_back)))
            else:
                first = T - timedelta(days=int(r.random() * max_back))
        elif arch == "dropped":
            first = T - timedelta(days=int(min(60, max_back) + r.random() * max(0, max_back - 60)))
        elif arch == "lapsed":
            if max_back < 400:
                arch = "occasional"
                first = T - timedelta(days=int(r.random() * max_back))
            else:
                first = T - timedelta(days=int(400 + r.random() * (max_back - 400)))
        elif arch == "loyal":
            first = T - timedelta(days=int(min(240, max_back) + r.random() * max(0, max_back - 240)))
        else:
            first = T - timedelta(days=int(r.random() * max_back))
        if first is not None:
            created = self.at(first, 9) - timedelta(days=int(r.random() * 10))
        else:
            created = self.now - timedelta(days=int(r.random() * 10), hours=int(r.random() * 8))
        return {"archetype": arch, "track": track, "first": first, "created": created}

    def _write_history(self, pid: int, m: dict, plan: dict) -> None:
        r, T = self.r, self.today
        arch, track, first = plan["archetype"], plan["track"], plan["first"]
        prefs: dict[str, int] = {}
        consult_codes, recall_code, follow = self._TRACKS[track]
        done: list[tuple[datetime, int, int]] = []
        last_visit: datetime | None = None

        def go(d: date, codes: list[str]) -> tuple[int, int] | None:
            """A done visit on day d (None when d has no slot in the past)."""
            nonlocal last_visit
            when = self.visit_time(d)
            if when is None:
                return None
            vid, amt = self.visit(pid, self._doctor(SERVICE_SPEC[codes[0]], prefs), when, codes)
            done.append((when, vid, amt))
            last_visit = when
            return vid, amt

        if arch == "new":
            spec = SERVICE_SPEC[consult_codes[0]]
            when = self._upcoming_time()
            self.appointment(pid, self._doctor(spec, prefs), consult_codes[0], when, *self._confirmation(when))
            return

        if arch == "acute":
            go(first, ["ST-C01", "ST-X01", "ST-T02"] if r.random() < 0.5 else ["SU-C01", "ST-X01", "SU-01"])
            self._finish(pid, m, done, last_visit, prefs, None)
            return

        # dental patients get a plan from the consultation; which one depends on age
        plan_kind = None
        if track == "dental":
            plan_kind = self._DENTAL_PLAN.pick(r)
            if plan_kind == "ortho" and m["age"] > 40:
                plan_kind = "caries"
        elif track == "kid_dental":
            plan_kind = "kid" if r.random() < 0.7 else None
        elif track == "ortho":
            plan_kind = "ortho"
        if plan_kind == "none":
            plan_kind = None
        if arch == "dropped" and plan_kind is None:
            plan_kind = "kid" if m.get("child") else "caries"

        d = first
        stages_spec = None
        if plan_kind:
            title, ccode, stages_spec = self._stages(plan_kind, m.get("child", False))
            extra = ["ST-X02"] if (ccode in ("ST-C01", "SU-C01", "OP-C01") and r.random() < 0.6) else []
            consult = [ccode] + extra
        else:
            consult = list(consult_codes)
        res = go(d, consult)
        if res is None:
            return
        consult_spec = SERVICE_SPEC[consult[0]]

        # the treatment plan ---------------------------------------------------------
        lapse_at = None
        if arch == "lapsed":
            lapse_at = T - timedelta(days=int(380 + r.random() * 700))
            if lapse_at < d:
                lapse_at = d
        if stages_spec:
            stages: list[list] = []  # code, title, due, status, visit id
            cur = d
            for code, stitle, gap in stages_spec:
                cur = cur + timedelta(days=gap)
                stages.append([code, stitle, cur, "due", None])
            if arch == "consult_only":
                if r.random() < 0.35:
                    for s in stages:
                        s[3] = "declined"
                # else all due: a plan the patient never started
            else:
                stop = len(stages)
                if arch == "dropped":
                    stop = 1 + int(r.random() * max(1, len(stages) - 1))
                    stop = min(stop, len(stages) - 1) if len(stages) > 1 else 0
                for i, s in enumerate(stages):
                    if i >= stop:
                        break
                    when_d = s[2] + timedelta(days=int(r.random() * 7) - 2)
                    if when_d <= d:
                        when_d = d + timedelta(days=1)
                    if when_d > T or (lapse_at and when_d > lapse_at):
                        break
                    if r.random() < 0.05 and s[0] in ("HY-01", "KD-02"):
                        s[3] = "declined"
                        continue
                    codes = [s[0]] + (["ST-X01"] if s[0].startswith("ST-T") and r.random() < 0.4 else [])
                    res = go(when_d, codes)
                    if res is None:
                        break
                    s[3], s[4] = "done", res[0]
                    d = when_d
                if arch == "lapsed":
                    # a lapsed patient never came back for the rest
                    for s in stages:
                        if s[3] == "due" and r.random() < 0.5:
                            s[3] = "declined"
            self.plan(pid, self._doctor(consult_spec, prefs), title, first,
                      [(s[0], s[1], s[2], s[3], s[4]) for s in stages])
            due = [s for s in stages if s[3] == "due"]
            if due and arch not in ("dropped", "lapsed", "consult_only") and due[0][2] <= T + timedelta(days=30):
                spec = SERVICE_SPEC[due[0][0]]
                when = self._upcoming_time(max(due[0][2], T + timedelta(days=1 + int(r.random() * 10))))
                if when.date() <= T + timedelta(days=45):
                    self.appointment(pid, self._doctor(spec, prefs), due[0][0], when, *self._confirmation(when))
        elif arch != "consult_only":
            # medical tracks: a couple of follow-up visits after the first appointment
            for _ in range(int(r.random() * 3)):
                if not follow:
                    break
                nd = d + timedelta(days=3 + int(r.random() * 20))
                if nd > T or (lapse_at and nd > lapse_at):
                    break
                if go(nd, [follow[int(r.random() * len(follow))]]) is None:
                    break
                d = nd
        if arch == "consult_only":
            self._finish(pid, m, done, last_visit, prefs, None)
            return

        # check-ups -----------------------------------------------------------------
        recall_spec = SERVICE_SPEC[recall_code] if recall_code else None
        months = next((s[5] for s in SERVICES if s[0] == recall_code), None) if recall_code else None
        next_recall = None
        if months:
            visits_left = {"loyal": 99, "occasional": int(r.random() * 3), "lapsed": 1 + int(r.random() * 3),
                           "dropped": 0}.get(arch, 0)
            stretch = 1.0 if arch == "loyal" else 1.6
            cur = d
            while True:
                nd = add_months(cur, int(months * stretch)) + timedelta(days=int(r.random() * 35) - 7)
                if nd <= cur:
                    nd = cur + timedelta(days=14)
                if visits_left <= 0 or nd > T or (lapse_at and nd > lapse_at):
                    next_recall = nd
                    break
                codes = [recall_code]
                if recall_code == "HY-01" and r.random() < 0.25:
                    codes.append("HY-03")
                if r.random() < 0.03:  # a missed check-up
                    self.appointment(pid, self._doctor(recall_spec, prefs), recall_code,
                                     self.visit_time(nd) or self.at(nd, 10), "no_show")
                    cur = nd
                    visits_left -= 1
                    continue
                if go(nd, codes) is None:
                    next_recall = nd
                    break
                # an extra treatment on some check-ups (a new cavity, a cold...)
                if r.random() < 0.12 and recall_code == "HY-01":
                    tday = nd + timedelta(days=7 + int(r.random() * 14))
                    if tday <= T and not (lapse_at and tday > lapse_at):
                        go(tday, ["ST-T01"])
                        nd = tday
                cur = nd
                visits_left -= 1
        self._finish(pid, m, done, last_visit, prefs,
                     (recall_code, recall_spec, next_recall) if arch == "loyal" and next_recall else None)

    def _upcoming_time(self, day: date | None = None) -> datetime:
        """A future appointment on *day* (default: within a month); a good share falls exactly
        two hours from now or in two days, the moments of the confirmation calls."""
        r, T = self.r, self.today
        x = r.random()
        if x < 0.12:
            return (self.now + timedelta(hours=2)).replace(second=0, microsecond=0)
        if x < 0.32:
            return self.future_time(T + timedelta(days=2))
        return self.future_time(day or T + timedelta(days=int(r.random() * 30)))

    def _confirmation(self, when: datetime) -> tuple[str, datetime | None]:
        if when - self.now < timedelta(days=3) and self.r.random() < 0.4:
            return "confirmed", self.now - timedelta(hours=1 + int(self.r.random() * 30))
        return "scheduled", None

    def _finish(self, pid: int, m: dict, done, last_visit, prefs, recall) -> None:
        r, T = self.r, self.today
        comp_lots = []
        # complaints: a few patients complain after a visit; recent ones are still open
        if done and r.random() < 0.035:
            when, vid, amount = done[int(r.random() * len(done))]
            on = min(when.date() + timedelta(days=int(r.random() * 4)), T)
            open_ = (T - on).days < 30 or r.random() < 0.12
            self.complaint(pid, on, "open" if open_ else "resolved", COMPLAINTS[int(r.random() * len(COMPLAINTS))])
            if not open_ and r.random() < 0.5 and amount:
                comp = max(100, amount * self.comp // 100 // 10 * 10)
                comp_lots.append((on + timedelta(days=7 + int(r.random() * 14)), comp,
                                  "Компенсация по жалобе (услуга оказана верно)"))
        self.ledger(pid, done, comp_lots)
        # the next check-up of a loyal patient is often already booked
        if recall is not None:
            code, spec, nd = recall
            if T - timedelta(days=20) <= nd <= T + timedelta(days=30) and r.random() < 0.6:
                when = self._upcoming_time(None if nd <= T else nd)
                self.appointment(pid, self._doctor(spec, prefs), code, when, *self._confirmation(when))
        elif done and r.random() < 0.02:
            # a cancelled appointment in the past
            when, _, _ = done[-1]
            self.appointment(pid, self.w.buf["visits"][-1]["doctor_id"] if self.w.buf["visits"] else 1,
                             None, when + timedelta(days=14), "cancelled")
        if last_visit is not None:
            for row in reversed(self.w.buf["patients"]):
                if row["id"] == pid:
                    row["updated_at"] = max(row["created_at"], last_visit)
                    break


# --- entry points ------------------------------------------------------------------------------

def _now_for(today: date | None, now: datetime | None) -> tuple[date, datetime]:
    if now is not None:
        if now.tzinfo is None:
            now = now.astimezone()
        return (today or now.date()), now
    if today is None:
        now = datetime.now().astimezone().replace(microsecond=0)
        return now.date(), now
    return today, datetime.combine(today, time(11, 0)).astimezone()


def count_patients(engine: Engine) -> int:
    from db.models import Patient

    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(Patient)).scalar_one()


def _clinic_counts(engine: Engine) -> dict[str, int]:
    from db.models import Base

    out = {}
    with engine.connect() as c:
        for name in ("patients", "doctors", "services", "families"):
            out[name] = c.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar_one()
    return out


def generate(engine: Engine, patients: int, seed: int = DEFAULT_SEED, today: date | None = None,
             progress: Callable[[int, int], None] | None = None, *, now: datetime | None = None,
             chunk_size: int = 5000, bonus=None) -> DemoStats:
    """Fill an empty migrated database with the demo clinic of *patients* patients.

    Deterministic for the same (patients, seed, today, now). Without *today*, today and now
    are the clock's; with *today* only, "now" is 11:00 local time on that day.
    *bonus*: an :class:`app.settings.BonusSettings` (defaults when None).
    ``progress(done, total)`` is called after each chunk.
    """
    if not isinstance(patients, int) or not 1 <= patients <= MAX_PATIENTS:
        raise DemoError(f"the number of patients must be between 1 and {MAX_PATIENTS:,}, not {patients!r}")
    counts = _clinic_counts(engine)
    busy = {k: v for k, v in counts.items() if v}
    if busy:
        what = ", ".join(f"{v} {k}" for k, v in busy.items())
        raise DemoError(f"the database is not empty ({what}); the demo clinic needs an empty database")
    if bonus is None:
        from app.settings import BonusSettings

        bonus = BonusSettings()
    today, now = _now_for(today, now)
    started = _time.perf_counter()
    w = _Writer(engine)
    c = _Clinic(w, seed, today, now, bonus.redemption_cap_percent, bonus.expiry_days,
                (bonus.first_visit_accrual, bonus.second_visit_accrual, bonus.six_month_accrual),
                bonus.compensation_percent)
    c.doctors_and_services()
    c.showcase()
    total = max(patients, c.rows_patients)
    while c.rows_patients < patients:
        c.household(patients - c.rows_patients)
        if len(w.buf["patients"]) >= chunk_size:
            w.flush()
            if progress:
                progress(c.rows_patients, total)
    w.finish()
    if progress:
        progress(c.rows_patients, total)
    return DemoStats(patients=c.rows_patients, seed=seed, today=today, now=now,
                     seconds=round(_time.perf_counter() - started, 3), rows=dict(w.counts))


def ensure_demo(engine: Engine, settings, progress: Callable[[int, int], None] | None = None) -> DemoStats | None:
    """First start: fill an empty database with the demo clinic (settings.database.demo_*)."""
    n = settings.database.demo_patients
    # Only a brand-new database: one with doctors or services already (an MIS import) is left alone.
    if n <= 0 or any(_clinic_counts(engine).values()):
        return None
    return generate(engine, n, settings.database.demo_seed, progress=progress, bonus=settings.bonus)


def clinic_tables(engine: Engine) -> list[str]:
    """The clinic's tables plus every table that refers to them (calls, recordings...), as found
    in the database itself, in dependency order (referenced tables first)."""
    md = MetaData()
    md.reflect(engine)
    wanted = {t for t in TABLES if t in md.tables}
    changed = True
    while changed:
        changed = False
        for t in md.tables.values():
            if t.name in wanted:
                continue
            if any(fk.column.table.name in wanted for fk in t.foreign_keys):
                wanted.add(t.name)
                changed = True
    return [t.name for t in md.sorted_tables if t.name in wanted]


def clear_clinic(engine: Engine) -> list[str]:
    """Delete the clinic data (and everything referring to it); other tables (users...) stay."""
    names = clinic_tables(engine)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY"))
    else:
        with engine.connect() as conn:
            # Unindexed self-references (patients.referred_by_id) make per-row foreign key checks
            # quadratic; the whole closure of referring tables goes, so integrity is kept.
            # PRAGMA foreign_keys only works outside a transaction: use the DBAPI connection.
            cur = conn.connection.dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=OFF")
            try:
                cur.execute("BEGIN IMMEDIATE")
                try:
                    for n in reversed(names):
                        cur.execute(f'DELETE FROM "{n}"')
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
            finally:
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()
    return names


def content_hash(engine: Engine, tables=TABLES) -> str:
    """SHA-256 over every row of the clinic tables in id order (for determinism checks)."""
    from db.models import Base

    h = hashlib.sha256()
    with engine.connect() as c:
        for name in tables:
            t = Base.metadata.tables[name]
            h.update(name.encode())
            for row in c.execute(select(t).order_by(t.c.id)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()
