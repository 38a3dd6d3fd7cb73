"""Synthetic front-desk call transcripts for scripts/bench_search.py (deterministic per seed).

A call is a scenario (booking, moving or cancelling an appointment, a lost filling, pain, a price
question, results, a child's visit, bonuses, insurance, a complaint, implants, braces) told in
20-60 segments, administrator and caller taking turns, with fillers ("Да.", "Одну секунду...")
as real calls have. Slots are filled from the demo clinic's vocabularies (app.demo: names,
patronymics, surnames, doctors, services) plus dates, weekdays, times, prices and teeth. About
one call in seven is in English. A few sentences are rare on purpose (``RARE``: about one call
in 1,500 each; ``VERY_RARE``: about one in 20,000 each) so the benchmark has rare-word queries
with known, small hit counts.

Words carry times and probabilities like the engine's output, so the encrypted payloads have
the real size.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.demo import DOCTORS, FEMALE_NAMES, MALE_NAMES, PATRONYMICS, SERVICES, SURNAMES, female_surname
from app.transcription.types import Segment, Word

# --- Russian vocabulary -----------------------------------------------------------------------

MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")
WEEKDAYS_ACC = ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу")
ORDINAL_DAYS = ("первое", "второе", "третье", "четвёртое", "пятое", "шестое", "седьмое", "восьмое",
                "девятое", "десятое", "одиннадцатое", "двенадцатое", "пятнадцатое", "двадцатое",
                "двадцать пятое", "тридцатое")
HOURS_WORDS = ("в девять", "в десять", "в одиннадцать", "в двенадцать", "в час", "в два", "в три",
               "в четыре", "в пять", "в шесть", "в половине одиннадцатого", "в половине третьего",
               "к девяти", "к десяти утра", "после обеда", "с утра пораньше", "вечером после шести")
COLLOQUIAL = ("пломба", "чистка", "удаление", "коронка", "имплант", "брекеты", "отбеливание",
              "консультация", "снимок", "УЗИ", "анализы", "ЭКГ", "осмотр", "лечение каналов",
              "профгигиена", "протез", "виниры", "капа")
SPEC_DAT = {"терапевт-стоматолог": "к стоматологу-терапевту", "хирург-стоматолог": "к хирургу",
            "ортодонт": "к ортодонту", "ортопед": "к ортопеду", "гигиенист": "к гигиенисту",
            "детский стоматолог": "к детскому стоматологу", "гинеколог": "к гинекологу",
            "терапевт": "к терапевту", "кардиолог": "к кардиологу", "педиатр": "к педиатру",
            "оториноларинголог": "к лору"}


def _gen(last: str) -> str:
    """Genitive/dative of a doctor's surname as it is said: "у доктора Петровой", "к Романову"."""
    if last.endswith(("ова", "ева", "ёва", "ина")):
        return last[:-1] + "ой"
    if last.endswith(("ов", "ев", "ёв", "ин")):
        return last + "а"
    return last


RU_GREETING = (
    "Стоматология «Улыбка», администратор {admin}, здравствуйте.",
    "Клиника «Здоровье», меня зовут {admin}, слушаю вас.",
    "Добрый день, клиника, {admin}, чем могу помочь?",
    "Медицинский центр, здравствуйте, администратор {admin}.",
)
RU_CALLER_INTRO = (
    "Здравствуйте, меня зовут {first} {patronymic}, фамилия {last}.",
    "Добрый день, это {last} {first} {patronymic}, я у вас наблюдаюсь.",
    "Алло, здравствуйте, я бы хотела записаться, {last} моя фамилия.",
    "Здравствуйте, {first}, я звоню по поводу записи.",
    "Добрый день, это {first} {last}, я была у вас в прошлом году.",
    "Здравствуйте, мне нужно записаться на приём.",
)
RU_ADMIN_ID = (
    "Назовите, пожалуйста, вашу фамилию, имя и отчество.",
    "Подскажите вашу дату рождения, чтобы я нашла карту.",
    "Да, {first} {patronymic}, вижу вашу карту.",
    "Уточните номер телефона, пожалуйста, для связи.",
    "{last} {first} {patronymic}, верно?",
    "Вы у нас уже были или первый раз обращаетесь?",
    "Давайте проверим ваши данные: {last}, {birth}.",
)
RU_SCENARIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # scenario: (administrator phrases, caller phrases)
    "booking": (
        ("Могу предложить {weekday} {hour} {spec_dat}.",
         "Есть свободное время {date} в {time}, вам удобно?",
         "Записываю вас {spec_dat} {doctor_gen} на {date}.",
         "Доктор {doctor_last} принимает {weekday} с утра.",
         "Запись подтверждена, {date} в {time}, кабинет номер {room}.",
         "Ваша запись на {service_lc}, {date} в {time}.",
         "Приходите за десять минут, нужно будет заполнить анкету.",
         "Я отправлю вам напоминание о записи по СМС.",
         "На это время запись уже занята, могу предложить {hour}."),
        ("Я хотела бы записаться {spec_dat}.",
         "Мне нужно на {colloquial}, когда есть время?",
         "А можно {weekday}, ближе к вечеру?",
         "Давайте {date}, мне подходит.",
         "А к доктору {doctor_gen} есть запись на эту неделю?",
         "Мне посоветовали доктора {doctor_gen}.",
         "Хорошо, запишите меня, пожалуйста."),
    ),
    "reschedule": (
        ("Давайте перенесём запись, какой день вам удобен?",
         "Вашу запись на {date} я отменила, новая запись {weekday} {hour}.",
         "Перенесла вас на {date} в {time}, к тому же доктору.",
         "Свободно {weekday} {hour} или {date} в {time}."),
        ("Я хочу перенести запись на другой день.",
         "У меня не получается прийти {date}, можно перенести?",
         "Можно перенести запись на следующую неделю?",
         "Лучше {weekday}, я до обеда работаю."),
    ),
    "cancel": (
        ("Хорошо, отменяю вашу запись на {date}.",
         "Запись отменена, если что, звоните, запишем снова.",
         "Может быть, перенесём, а не отменим?"),
        ("Я хочу отменить запись, я заболела.",
         "Отмените, пожалуйста, запись на {date}.",
         "Я перезвоню, когда буду знать своё расписание."),
    ),
    "filling": (
        ("Пломбу можно поставить у доктора {doctor_gen} {weekday}.",
         "Лечение кариеса с пломбой светового отверждения стоит {price} рублей.",
         "Если пломба выпала, лучше прийти в ближайшие дни.",
         "Зуб болит или просто пломба выпала?",
         "Сначала доктор сделает снимок, потом поставит пломбу."),
        ("У меня выпала пломба, можно записаться к врачу?",
         "Пломба выпала вчера вечером, из {tooth} зуба.",
         "Мне ставили пломбу у вас полгода назад.",
         "Сколько стоит поставить новую пломбу?",
         "Пломба раскрошилась, зуб не болит."),
    ),
    "pain": (
        ("Острая боль принимаем без записи, приходите к девяти.",
         "Боль сильная? Есть отёк щеки или температура?",
         "Дежурный врач {doctor_last} сегодня до восьми вечера.",
         "Примите обезболивающее и приходите сегодня в {time}."),
        ("У меня сильно болит зуб, всю ночь не спала.",
         "Болит {tooth} зуб, отдаёт в ухо.",
         "Щеку раздуло, можно сегодня попасть к врачу?",
         "Зуб мудрости режется, больно открывать рот."),
    ),
    "price": (
        ("{service} стоит {price} рублей.",
         "Консультация стоит {price} рублей, её стоимость входит в лечение.",
         "Точную стоимость лечения скажет доктор после осмотра.",
         "Есть рассрочка на лечение без переплаты на шесть месяцев.",
         "Оплатить можно картой или наличными на месте."),
        ("Подскажите, сколько стоит {colloquial}?",
         "А сколько стоит {service_lc}?",
         "Это окончательная стоимость или потом будет дороже?",
         "У вас есть рассрочка?",
         "А скидки пенсионерам есть?"),
    ),
    "results": (
        ("Результаты анализов готовы, можно забрать на ресепшене.",
         "Доктор {doctor_last} посмотрел результаты, просит прийти на приём.",
         "Результаты пришлём на почту, если вы подписали согласие.",
         "Заключение будет готово {date}."),
        ("Я звоню узнать результаты анализов.",
         "Готовы ли результаты УЗИ, я сдавала {date}?",
         "Мне обещали перезвонить с результатами.",
         "Можно результаты прислать на почту?"),
    ),
    "child": (
        ("Детский стоматолог доктор {doctor_last} принимает {weekday}.",
         "С ребёнком приходите за пятнадцать минут, нужно заполнить согласие.",
         "Первый визит адаптационный, без лечения, просто знакомство.",
         "Возьмите с собой свидетельство о рождении ребёнка."),
        ("Хочу записать ребёнка к детскому стоматологу.",
         "Сыну шесть лет, он боится врачей.",
         "У дочки болит молочный зуб.",
         "Можно записать сразу двоих детей на осмотр?"),
    ),
    "bonus": (
        ("У вас на счёте {bonus} бонусных баллов.",
         "Бонусы сгорают {date}, успейте использовать.",
         "Бонусами можно оплатить до тридцати процентов лечения.",
         "Напоминаем о профилактическом осмотре, прошло полгода."),
        ("А у меня есть бонусы?",
         "Сколько баллов можно списать за чистку?",
         "Я получила смс про бонусы, что это значит?"),
    ),
    "insurance": (
        ("По полису ДМС нужно гарантийное письмо от страховой.",
         "Мы работаем с этой страховой компанией, уточните номер полиса.",
         "По ДМС лечение согласует страховая, это один-два дня."),
        ("У меня полис ДМС, вы работаете с моей страховой?",
         "Страховая покрывает лечение зубов?",
         "Номер полиса у меня в приложении, сейчас продиктую."),
    ),
    "complaint": (
        ("Мне очень жаль, я передам вашу жалобу главному врачу.",
         "Приношу извинения за ожидание, доктор задержался на операции.",
         "Давайте я запишу ваше обращение, вам перезвонят сегодня."),
        ("Я ждала приёма сорок минут, никто не предупредил.",
         "Мне насчитали больше, чем говорили на консультации.",
         "Хочу оставить жалобу на администратора.",
         "Пломба выпала через две недели после лечения."),
    ),
    "implant": (
        ("Консультация хирурга-имплантолога стоит {price} рублей.",
         "Установка имплантата стоит от сорока восьми тысяч.",
         "Перед имплантацией нужна компьютерная томография.",
         "Доктор {doctor_last} ставит импланты {weekday} и {weekday2}."),
        ("Хочу проконсультироваться по имплантам.",
         "Сколько стоит имплант под ключ, с коронкой?",
         "Мне удалили зуб, теперь нужен имплант.",
         "А синус-лифтинг обязательно делать?"),
    ),
    "braces": (
        ("Консультация ортодонта стоит {price} рублей, со слепками.",
         "Коррекция брекетов раз в месяц, запись {weekday}.",
         "Элайнеры подбирают после снимков."),
        ("Хочу поставить брекеты, сколько это стоит?",
         "У меня отклеилась брекет-система, можно прийти?",
         "Ретейнер сломался, что делать?"),
    ),
}
RU_ADMIN_FILLER = (
    "Одну секунду, посмотрю расписание.", "Да, слушаю вас.", "Хорошо.", "Понятно.",
    "Минутку, уточню у доктора.", "Подождите, пожалуйста, не кладите трубку.",
    "Да, конечно.", "Так, смотрю.", "Записала.", "Повторите, пожалуйста, я не расслышала.",
    "Вы меня слышите?", "Сейчас проверю, есть ли свободные окна.",
    "Возьмите с собой паспорт и полис.", "Вход со двора, второй этаж.",
    "Парковка у нас бесплатная для пациентов.", "Мы работаем с восьми до девяти вечера.",
)
RU_CALLER_FILLER = (
    "Да.", "Угу.", "Хорошо.", "Понятно, спасибо.", "Да, слышу.", "Секундочку, запишу.",
    "Ага, так.", "Подождите, я посмотрю в календаре.", "Нет, это не подходит.", "Да, удобно.",
    "А во сколько?", "Извините, плохо слышно.", "Да-да, конечно.", "Ой, подождите.",
    "Я перезвоню, если что.", "А как к вам доехать?",
)
RU_CLOSING_ADMIN = (
    "Спасибо за звонок, всего доброго.", "Ждём вас {date}, до свидания.",
    "Если будут вопросы, звоните, до свидания.", "Хорошего дня, выздоравливайте.",
)
RU_CLOSING_CALLER = ("Спасибо, до свидания.", "Всего доброго.", "Спасибо большое, до встречи.",
                     "Хорошо, спасибо.")

# --- English vocabulary ------------------------------------------------------------------------

EN_FIRST = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
            "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah", "Charles",
            "Karen", "Daniel", "Emily", "Oliver", "Sophie", "George", "Hannah")
EN_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
           "Anderson", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
           "Clark", "Lewis", "Walker", "Collins", "Murphy", "Fletcher", "Whitaker")
EN_DOCTORS = ("doctor Brown", "doctor Patel", "doctor Green", "doctor Novak", "doctor Evans",
              "doctor Hughes", "doctor Kowalski")
EN_TREAT = ("a cleaning", "a filling", "a checkup", "a crown", "whitening", "an extraction",
            "a root canal", "an X-ray", "a consultation", "an implant consultation", "a blood test",
            "an ultrasound", "braces")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
EN_GREETING = ("Good morning, Smile dental clinic, this is {admin} speaking.",
               "Hello, Health clinic, {admin} speaking, how can I help you?",
               "Good afternoon, clinic reception, how may I help?")
EN_CALLER_INTRO = ("Hello, my name is {first} {last}.", "Hi, this is {first} {last}, I'm a patient of yours.",
                   "Hello, I'd like to book an appointment, please.",
                   "Hi, I'm calling about my appointment.")
EN_ADMIN = ("Could you spell your last name for me, please?", "What is your date of birth?",
            "We have an opening on {day} at {time} with {doctor}.",
            "I can book you for {treat} on {month} {dom} at {time}.",
            "Your appointment is confirmed for {day} at {time}.",
            "{treat_cap} costs {price} roubles.", "Please arrive ten minutes early to fill in a form.",
            "I'll send you a reminder by text message.", "Let me move your appointment to {day}.",
            "I've cancelled your appointment on {month} {dom}.",
            "Do you have insurance with us?", "Please bring your passport and insurance card.",
            "The doctor will check the tooth and take an X-ray first.",
            "One moment, let me check the schedule.", "Sure.", "Okay.", "Got it.")
EN_CALLER = ("I'd like to book {treat}, please.", "Is {doctor} available on {day}?",
             "I lost a filling yesterday, can I come in this week?",
             "How much does {treat} cost?", "Can I reschedule my appointment to {day}?",
             "I need to cancel my appointment, something came up.",
             "My tooth has been hurting since the weekend.", "Do you accept my insurance?",
             "Are my test results ready?", "Can my son see a dentist on {day}?",
             "That works for me.", "Yes.", "Okay, thank you.", "Sorry, could you repeat that?",
             "Could we make it later in the afternoon?", "Where do I park?")
EN_CLOSING = ("Thank you for calling, goodbye.", "See you on {day}, bye.", "Thanks, goodbye.",
              "Have a nice day.")

# --- rare sentences (rare-word queries with small, known hit counts) ----------------------------

RARE = (
    "У меня аллергия на латекс, это важно.",
    "Ребёнок проглотил колпачок от ручки, ему нужен лор.",
    "Мне нужна справка для бассейна.",
    "Можно ли прийти с собакой-поводырём?",
    "У меня кардиостимулятор, это не помешает?",
    "Я скрежещу зубами по ночам, это бруксизм?",
    "Нужна выписка для визы в Шенген.",
    "У меня гемофилия, удаление возможно?",
    "Мне нужен сурдопереводчик на приём.",
    "Хочу подарить сертификат на отбеливание свекрови.",
    "I am allergic to penicillin and latex.",
    "My daughter chipped a tooth at hockey practice.",
)
VERY_RARE = (
    "Я беременна, можно ли делать рентген?",
    "У меня клаустрофобия, томография в закрытом аппарате не подойдёт.",
    "Пришлите, пожалуйста, документы для налогового вычета нотариусу.",
    "Can I pay with a cheque from a Swiss bank?",
    "My grandmother needs a wheelchair ramp.",
)
RARE_P = 0.0075  # per call: one of RARE (~60 calls each in 100,000)
VERY_RARE_P = 0.0005  # per call: one of VERY_RARE (~10 calls each)


@dataclass
class Call:
    lang: str
    scenario: str
    segments: list[Segment]


class Corpus:
    """``Corpus(seed).call(i)`` is call number *i*: the same call for the same seed and i."""

    def __init__(self, seed: int = 20261130, english_share: float = 0.15):
        self.seed = seed
        self.english_share = english_share
        self.admins = ("Анна", "Мария", "Ольга", "Светлана", "Екатерина", "Наталья", "Ирина", "Юлия")
        self.en_admins = ("Anna", "Maria", "Kate", "Helen")

    def call(self, i: int) -> Call:
        rng = random.Random(self.seed * 1_000_003 + i)
        n = rng.randint(20, 60)
        if rng.random() < self.english_share:
            return Call("en", "en", self._english(rng, n))
        return self._russian(rng, n)

    # -- Russian -----------------------------------------------------------------------------
    def _slots(self, rng: random.Random) -> dict[str, str]:
        sex = "F" if rng.random() < 0.62 else "M"
        era = rng.choice((0, 1, 1, 2, 2))
        first = rng.choice((FEMALE_NAMES if sex == "F" else MALE_NAMES)[era])
        father = rng.choice(list(PATRONYMICS))
        patronymic = PATRONYMICS[father][0 if sex == "M" else 1]
        last = rng.choice(SURNAMES)
        last = last if sex == "M" else female_surname(last)
        d = rng.choice(DOCTORS)
        svc = rng.choice(SERVICES)
        day = rng.randint(1, 28)
        return {
            "admin": rng.choice(self.admins), "first": first, "patronymic": patronymic, "last": last,
            "birth": f"{rng.randint(1, 28)} {rng.choice(MONTHS_GEN)} {rng.randint(1945, 2015)} года",
            "doctor_last": d[0], "doctor_gen": f"{_gen(d[0])} {d[1]} {d[2]}" if rng.random() < 0.4 else _gen(d[0]),
            "spec_dat": SPEC_DAT[d[3]], "service": svc[1], "service_lc": svc[1][0].lower() + svc[1][1:],
            "price": str(svc[3]) if rng.random() < 0.7 else f"{svc[3] // 1000} {svc[3] % 1000:03d}",
            "date": (f"{day} {rng.choice(MONTHS_GEN)}" if rng.random() < 0.6
                     else f"{rng.choice(ORDINAL_DAYS)} {rng.choice(MONTHS_GEN)}"),
            "time": f"{rng.randint(8, 20)}:{rng.choice(('00', '15', '30', '45'))}",
            "weekday": rng.choice(WEEKDAYS_ACC), "weekday2": rng.choice(WEEKDAYS_ACC),
            "hour": rng.choice(HOURS_WORDS), "colloquial": rng.choice(COLLOQUIAL),
            "tooth": rng.choice(("верхнего", "нижнего", "переднего", "шестого", "седьмого",
                                 "восьмого", "четвёртого")),
            "room": str(rng.randint(1, 12)), "bonus": str(rng.randrange(100, 5000, 50)),
        }

    def _russian(self, rng: random.Random, n: int) -> Call:
        scen = rng.choice(list(RU_SCENARIOS))
        second = rng.choice(list(RU_SCENARIOS)) if rng.random() < 0.35 else None
        sl = self._slots(rng)
        lines: list[tuple[int, str]] = [(0, rng.choice(RU_GREETING)), (1, rng.choice(RU_CALLER_INTRO))]
        lines += [(0, rng.choice(RU_ADMIN_ID)), (1, rng.choice(RU_CALLER_FILLER))]
        body = n - len(lines) - 2
        for k in range(body):
            ch = k % 2 if rng.random() < 0.85 else rng.randint(0, 1)
            sc = second if second and k > body // 2 else scen
            pools = RU_SCENARIOS[sc]
            r = rng.random()
            if r < 0.55:
                text = rng.choice(pools[ch])
            elif r < 0.65:
                text = rng.choice(RU_ADMIN_ID) if ch == 0 else rng.choice(pools[ch])
            else:
                text = rng.choice(RU_ADMIN_FILLER if ch == 0 else RU_CALLER_FILLER)
            if rng.random() < 0.2:  # two phrases in one segment
                text += " " + rng.choice(pools[ch])
            lines.append((ch, text))
        self._rare(rng, lines)
        lines += [(0, rng.choice(RU_CLOSING_ADMIN)), (1, rng.choice(RU_CLOSING_CALLER))]
        return Call("ru", scen, self._timed(rng, lines, sl, "ru"))

    @staticmethod
    def _rare(rng: random.Random, lines: list[tuple[int, str]]) -> None:
        if rng.random() < RARE_P:
            lines.insert(rng.randint(3, len(lines)), (1, rng.choice(RARE)))
        if rng.random() < VERY_RARE_P:
            lines.insert(rng.randint(3, len(lines)), (1, rng.choice(VERY_RARE)))

    # -- English -----------------------------------------------------------------------------
    def _english(self, rng: random.Random, n: int) -> list[Segment]:
        treat = rng.choice(EN_TREAT)
        sl = {"admin": rng.choice(self.en_admins), "first": rng.choice(EN_FIRST), "last": rng.choice(EN_LAST),
              "doctor": rng.choice(EN_DOCTORS), "treat": treat, "treat_cap": treat[0].upper() + treat[1:],
              "day": rng.choice(EN_DAYS), "month": rng.choice(EN_MONTHS), "dom": str(rng.randint(1, 28)),
              "time": f"{rng.randint(8, 19)}:{rng.choice(('00', '15', '30', '45'))}",
              "price": str(rng.choice(SERVICES)[3])}
        lines: list[tuple[int, str]] = [(0, rng.choice(EN_GREETING)), (1, rng.choice(EN_CALLER_INTRO))]
        for k in range(n - 4):
            ch = k % 2
            lines.append((ch, rng.choice(EN_ADMIN if ch == 0 else EN_CALLER)))
        self._rare(rng, lines)
        lines += [(0, rng.choice(EN_CLOSING)), (1, rng.choice(EN_CLOSING))]
        return self._timed(rng, lines, sl, "en")

    # -- times ---------------------------------------------------------------------------------
    @staticmethod
    def _timed(rng: random.Random, lines: list[tuple[int, str]], slots: dict[str, str], lang: str) -> list[Segment]:
        out: list[Segment] = []
        t = round(rng.uniform(0.3, 1.5), 2)
        for ch, tpl in lines:
            text = tpl.format(**slots)
            ws = text.split()
            words, wt = [], t
            for w in ws:
                d = round(0.12 + 0.055 * len(w) + rng.random() * 0.1, 2)
                words.append(Word(w, round(wt, 2), round(wt + d, 2), round(rng.uniform(0.55, 1.0), 3)))
                wt += d + round(rng.random() * 0.08, 2)
            end = round(wt, 2)
            out.append(Segment(ch, "admin" if ch == 0 else "caller", round(t, 2), end, text, words, lang))
            t = end + round(rng.uniform(0.2, 1.2), 2)
        return out
