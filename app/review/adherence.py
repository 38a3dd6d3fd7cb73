"""Script adherence and talk metrics computed from a transcript.

* Checklist coverage: a point of the script's checklist is covered when one of its phrases
  (any word form) is said by the administrator.
* "Care first, bonuses last": the bonus must come after the care part; a bonus mentioned
  before any care phrase (or with none at all) is flagged.
* The bonus deadline must be named: after the first bonus mention the administrator names a
  date or a deadline phrase ("действуют до 31 декабря", "valid until ...").
* Talk ratio (administrator's share of talk time), longest monologue, interruptions (a turn
  that starts while the other side is still speaking), silence share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from app.review.segments import ADMINISTRATOR, Segment
from app.review.trackers import PhraseMatcher

CARE_PHRASES = (
    "как вы себя чувствуете", "как самочувствие", "самочувствие", "как вы после", "беспокоит",
    "болит", "как прошло", "как зуб", "как у вас дела", "how are you feeling", "how do you feel",
    "are you feeling", "any pain", "does it hurt", "how did it go",
)
BONUS_PHRASES = ("бонус", "балл", "bonus", "points", "loyalty")
DEADLINE_PHRASES = (
    "действуют до", "действует до", "действительны до", "действителен до", "до конца", "сгорят",
    "сгорают", "срок действия", "истекает", "успеть до", "можно потратить до", "valid until",
    "valid till", "expire", "until the end of", "by the end of", "deadline",
)
_MONTHS = ("январ", "феврал", "март", "апрел", "ма[йя]", "июн", "июл", "август", "сентябр", "октябр",
           "ноябр", "декабр", "january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_DATE = re.compile(
    r"(\b\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\b)|(\b\d{1,2}\s*(?:-?го\s+)?(?:" + "|".join(_MONTHS) + r"))|"
    r"(\b(?:до|until|till|by)\s+(?:" + "|".join(_MONTHS) + r"))",
    re.IGNORECASE,
)


# Phrases for the scripts' checklist codes (app.scripts.renderer.CHECKLIST_CODES), Russian and
# English, any word form; "запис*" style prefixes where the stem changes between forms.
CHECKLIST_PHRASES: dict[str, tuple[str, ...]] = {
    "care_question": CARE_PHRASES,
    "reason_explored": ("почему", "что вас остановило", "что смущает", "есть ли вопросы", "какие вопросы",
                        "остались вопросы", "причин*", "why", "what stopped", "any questions", "reason"),
    "value_offered": ("предлагаю", "можем предложить", "рекомендую", "рекомендуем", "контрольный осмотр",
                      "поэтапно", "по этапам", "рассрочк*", "we can offer", "i recommend", "check-up",
                      "check up", "in stages"),
    "bonus_deadline": (),  # covered when a bonus is offered and its deadline named (see analyse)
    "booking_confirmed": ("запис*", "запиш*", "ждем вас", "ждём вас", "подтвержда*", "подтверждаю",
                          "book you", "booked", "see you on", "confirm"),
    "data_verified": ("у нас записан", "у нас указан", "ваш адрес", "по адресу", "ваш номер", "ваш телефон",
                      "актуальн*", "we have your address", "your number is", "still right", "still correct"),
}


@dataclass(frozen=True)
class ChecklistPoint:
    id: str
    text: str
    phrases: tuple[str, ...] = ()  # empty: the point's own text must be said


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    covered: bool
    at: float | None = None
    phrase: str = ""


@dataclass(frozen=True)
class TalkMetrics:
    talk_ratio: float  # administrator talk / all talk, 0..1
    longest_monologue_s: float
    longest_monologue_speaker: int | None
    interruptions: int
    silence_share: float  # 0..1 of the call's duration


@dataclass(frozen=True)
class Adherence:
    points: tuple[PointResult, ...] = ()
    bonus_mentioned: bool = False
    bonus_at: float | None = None
    care_at: float | None = None
    bonus_before_care: bool = False
    deadline_named: bool = False
    metrics: TalkMetrics | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def covered(self) -> int:
        return sum(1 for p in self.points if p.covered)


def _admin(segments: Sequence[Segment]) -> list[Segment]:
    return [s for s in segments if s.speaker == ADMINISTRATOR]


def checklist_coverage(points: Sequence[ChecklistPoint], segments: Sequence[Segment]) -> list[PointResult]:
    admin = _admin(segments)
    out = []
    for p in points:
        m = PhraseMatcher(p.phrases or (p.text,))
        hit = None
        for sg in admin:
            ph = m.first(sg.text)
            if ph:
                hit = (sg.start, ph)
                break
        out.append(PointResult(p.id, p.text, hit is not None, hit[0] if hit else None, hit[1] if hit else ""))
    return out


def _first(matcher: PhraseMatcher, segs: Sequence[Segment]) -> Segment | None:
    for sg in segs:
        if matcher.first(sg.text):
            return sg
    return None


def deadline_in(text: str) -> bool:
    return bool(_DATE.search(text)) or PhraseMatcher(DEADLINE_PHRASES).first(text) is not None


def talk_metrics(segments: Sequence[Segment], duration: float | None = None) -> TalkMetrics:
    segs = sorted(segments, key=lambda s: s.start)
    if not segs:
        return TalkMetrics(0.0, 0.0, None, 0, 1.0 if duration else 0.0)
    admin_t = sum(max(0.0, s.end - s.start) for s in segs if s.speaker == ADMINISTRATOR)
    all_t = sum(max(0.0, s.end - s.start) for s in segs)
    ratio = admin_t / all_t if all_t else 0.0
    # longest monologue: consecutive turns of one speaker, not broken by the other side
    best, best_sp = 0.0, None
    run_sp, run_start, run_end = segs[0].speaker, segs[0].start, segs[0].end
    for s in segs[1:]:
        if s.speaker == run_sp:
            run_end = max(run_end, s.end)
        else:
            if run_end - run_start > best:
                best, best_sp = run_end - run_start, run_sp
            run_sp, run_start, run_end = s.speaker, s.start, s.end
    if run_end - run_start > best:
        best, best_sp = run_end - run_start, run_sp
    # interruptions: a turn that starts while the other side's turn is still going
    interruptions = 0
    for i, s in enumerate(segs):
        for o in segs[:i]:
            if o.speaker != s.speaker and o.start < s.start < o.end - 0.05:
                interruptions += 1
                break
    total = duration if duration else max(s.end for s in segs)
    speech = sum(e - b for b, e in speech_intervals(segs))
    silence = max(0.0, total - speech) / total if total > 0 else 0.0
    return TalkMetrics(round(ratio, 4), round(best, 3), best_sp, interruptions, round(silence, 4))


def speech_intervals(segments: Sequence[Segment]) -> list[tuple[float, float]]:
    """The union of all speech, as sorted non-overlapping intervals."""
    out: list[list[float]] = []
    for s in sorted(segments, key=lambda s: s.start):
        if out and s.start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], s.end)
        else:
            out.append([s.start, s.end])
    return [(a, b) for a, b in out]


def silent_gaps(segments: Sequence[Segment], duration: float, min_gap: float = 1.0) -> list[tuple[float, float]]:
    """Stretches with no speech of at least ``min_gap`` seconds (for "skip silence")."""
    gaps = []
    pos = 0.0
    for a, b in speech_intervals(segments):
        if a - pos >= min_gap:
            gaps.append((pos, a))
        pos = max(pos, b)
    if duration - pos >= min_gap:
        gaps.append((pos, duration))
    return gaps


def analyse(segments: Sequence[Segment], points: Sequence[ChecklistPoint] = (),
            duration: float | None = None) -> Adherence:
    segs = sorted(segments, key=lambda s: s.start)
    admin = _admin(segs)
    bonus = _first(PhraseMatcher(BONUS_PHRASES), admin)
    care = _first(PhraseMatcher(CARE_PHRASES), admin)
    deadline = False
    if bonus is not None:
        deadline = any(deadline_in(s.text) for s in admin if s.start >= bonus.start)
    before = bonus is not None and (care is None or bonus.start < care.start)
    notes = []
    if before:
        notes.append("bonus offered before the care part" if care else "bonus offered with no care part")
    if bonus is not None and not deadline:
        notes.append("bonus deadline not named")
    results = []
    for p, r in zip(points, checklist_coverage(points, segs)):
        if p.id == "bonus_deadline" and not p.phrases:
            ok = bonus is not None and deadline
            r = PointResult(p.id, p.text, ok, bonus.start if ok else None, "bonus + deadline" if ok else "")
        results.append(r)
    return Adherence(
        points=tuple(results),
        bonus_mentioned=bonus is not None,
        bonus_at=bonus.start if bonus else None,
        care_at=care.start if care else None,
        bonus_before_care=before,
        deadline_named=deadline,
        metrics=talk_metrics(segs, duration),
        notes=tuple(notes),
    )
