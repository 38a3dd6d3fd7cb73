"""Trackers (Russian and English word forms), script adherence and talk metrics: pure logic."""

from __future__ import annotations

import pytest

from app.review.adherence import ChecklistPoint, analyse, deadline_in, silent_gaps, talk_metrics
from app.review.segments import Segment
from app.review.trackers import DEFAULT_TRACKERS, PhraseMatcher, TrackerDef, run_trackers

A, C = 0, 1


def seg(sp, a, b, text):
    return Segment(sp, a, b, text)


@pytest.mark.parametrize("text", [
    "А какая у вас цена на чистку?", "Назовите цену, пожалуйста", "Не устраивает меня ценой",
    "Сколько стоит консультация?", "Сколько стоят ваши услуги?", "сколько стоило бы", "What are your prices?",
    "How much does it cost", "стоимость лечения",
])
def test_price_tracker_matches_word_forms(text):
    price = next(t for t in DEFAULT_TRACKERS if t.name == "price question")
    assert PhraseMatcher(price.phrases).first(text) is not None


@pytest.mark.parametrize("text", ["Ценитель искусства", "Станция метро", "I prize it", "стоянка рядом"])
def test_price_tracker_ignores_other_words(text):
    price = next(t for t in DEFAULT_TRACKERS if t.name == "price question")
    assert PhraseMatcher(price.phrases).first(text) is None


def test_phrase_needs_consecutive_words_and_prefix_star():
    m = PhraseMatcher(["записать вас"])
    assert m.first("Могу записать вас на вторник") == "записать вас"
    assert m.first("Записала вас на среду") == "записать вас"  # another form of the verb
    assert m.first("Запишу вас на среду") is None  # a different stem: list it, or use a prefix
    assert PhraseMatcher(["запис*", "запиш*"]).first("Запишу вас на среду") == "запиш*"
    assert m.first("вас записать") is None


def test_run_trackers_respects_speaker_and_reports_time():
    segs = [seg(A, 0, 3, "Сколько стоит — могу сказать"), seg(C, 3, 6, "А сколько стоит имплант?")]
    hits = run_trackers([TrackerDef("price", ("сколько стоит",), speaker=C)], segs)
    assert [(h.tracker, h.segment_index, h.start, h.speaker) for h in hits] == [("price", 1, 3, C)]


CARE_THEN_BONUS = [
    seg(A, 0.0, 4.0, "Здравствуйте, Ольга Петровна! Это клиника «Улыбка», Мария."),
    seg(C, 4.2, 6.0, "Да, здравствуйте."),
    seg(A, 6.1, 10.0, "Как вы себя чувствуете после удаления зуба?"),
    seg(C, 10.2, 14.0, "Уже лучше, спасибо, немного побаливает."),
    seg(A, 14.5, 20.0, "Давайте я запишу вас на контрольный осмотр в четверг."),
    seg(A, 20.5, 27.0, "Кстати, у вас 1000 бонусных баллов, ими можно оплатить до половины счёта."),
    seg(A, 27.2, 31.0, "Баллы действуют до 31 декабря."),
    seg(C, 31.5, 33.0, "Отлично, спасибо!"),
]

BONUS_FIRST = [
    seg(A, 0.0, 4.0, "Добрый день! У вас на счету 1000 бонусов."),
    seg(C, 4.0, 6.0, "И что?"),
    seg(A, 6.0, 9.0, "А как вы себя чувствуете?"),
]


def test_bonus_after_care_with_deadline_is_fine():
    r = analyse(CARE_THEN_BONUS)
    assert r.bonus_mentioned and not r.bonus_before_care and r.deadline_named
    assert r.care_at == 6.1 and r.bonus_at == 20.5 and r.notes == ()


def test_bonus_before_care_is_detected_and_missing_deadline_too():
    r = analyse(BONUS_FIRST)
    assert r.bonus_before_care and not r.deadline_named
    assert "bonus offered before the care part" in r.notes and "bonus deadline not named" in r.notes
    r2 = analyse([seg(A, 0, 3, "У вас есть бонусы, ими можно оплатить половину.")])
    assert r2.bonus_before_care and "no care part" in r2.notes[0]


@pytest.mark.parametrize("text,named", [
    ("Баллы действуют до 31 декабря", True), ("бонусы сгорят через месяц", True),
    ("можно потратить до 15.01", True), ("The points are valid until March", True),
    ("They expire at the end of the year", True), ("Ими можно оплатить половину счёта", False),
    ("У вас тысяча баллов", False),
])
def test_deadline_detection(text, named):
    assert deadline_in(text) is named


def test_checklist_coverage_by_phrases_in_administrator_speech():
    points = [
        ChecklistPoint("greet", "Поздороваться и представиться", ("здравствуйте", "добрый день")),
        ChecklistPoint("care", "Спросить о самочувствии", ("как вы себя чувствуете", "самочувствие")),
        ChecklistPoint("book", "Записать на приём", ("запишу вас", "записать вас")),
        ChecklistPoint("address", "Сверить адрес", ("ваш адрес", "по адресу")),
        ChecklistPoint("thanks", "спасибо"),  # no phrases: its own text; said only by the caller here
    ]
    r = analyse(CARE_THEN_BONUS, points)
    assert [(p.id, p.covered) for p in r.points] == [
        ("greet", True), ("care", True), ("book", True), ("address", False), ("thanks", False)]
    assert r.points[1].at == 6.1 and r.covered == 3


def test_talk_metrics():
    segs = [
        seg(A, 0, 10, "a"), seg(A, 10.5, 20, "b"),  # a 20 s administrator monologue
        seg(C, 19, 25, "c"),  # starts while the administrator still talks: an interruption
        seg(A, 30, 35, "d"),  # 5 s of silence before it
        seg(C, 34, 36, "e"),  # interruption
    ]
    m = talk_metrics(segs, duration=40)
    assert m.longest_monologue_s == 20 and m.longest_monologue_speaker == A
    assert m.interruptions == 2
    assert m.talk_ratio == pytest.approx(24.5 / 32.5, abs=1e-3)
    # speech union: 0-10, 10.5-25, 30-36 -> 30.5 s of 40
    assert m.silence_share == pytest.approx(9.5 / 40, abs=1e-3)
    assert silent_gaps(segs, 40, min_gap=1.0) == [(25, 30), (36, 40)]
    assert talk_metrics([], 10).silence_share == 1.0
