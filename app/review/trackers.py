"""Keyword and phrase trackers in Russian and English, matching any word form.

Each word is reduced to its Snowball stem (Russian for Cyrillic words, English for Latin), so
"цена", "цену", "ценой" all match a tracker phrase "цена", and "prices" matches "price". A
phrase matches a run of consecutive words. A phrase word ending in ``*`` matches any word
beginning with that prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import snowballstemmer

from app.review.segments import Segment

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:[-'][0-9A-Za-zА-Яа-яЁё]+)*")
_CYR = re.compile(r"[А-Яа-яЁё]")
_RU = snowballstemmer.stemmer("russian")
_EN = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text)]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    w = word.lower().replace("ё", "е")
    if _CYR.search(w):
        return _RU.stemWord(w)
    return _EN.stemWord(w)


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]  # stems; a token ending in '*' is a prefix

    @classmethod
    def parse(cls, text: str) -> Phrase:
        toks = []
        for raw in text.strip().split():
            if raw.endswith("*"):
                w = words(raw[:-1])
                if w:
                    toks.append(w[0] + "*")
            else:
                toks.extend(stem(w) for w in words(raw))
        return cls(tuple(toks))

    def _tok_match(self, tok: str, word: str, st: str) -> bool:
        if tok.endswith("*"):
            return word.startswith(tok[:-1])
        return st == tok

    def find(self, ws: Sequence[str], stems: Sequence[str]) -> int:
        """Index of the first word of the first match, or -1."""
        n = len(self.tokens)
        if n == 0:
            return -1
        for i in range(len(ws) - n + 1):
            if all(self._tok_match(self.tokens[j], ws[i + j], stems[i + j]) for j in range(n)):
                return i
        return -1


@dataclass(frozen=True)
class TrackerDef:
    name: str
    phrases: tuple[str, ...]
    speaker: int | None = None  # None: either side
    tag: str | None = None  # the automatic tag it applies


@dataclass(frozen=True)
class TrackerHit:
    tracker: str
    phrase: str
    segment_index: int
    start: float
    speaker: int
    text: str


class PhraseMatcher:
    def __init__(self, phrases: Iterable[str]):
        self.phrases = [(p, Phrase.parse(p)) for p in phrases if p.strip()]

    def first(self, text: str) -> str | None:
        ws = words(text)
        st = [stem(w) for w in ws]
        for raw, ph in self.phrases:
            if ph.find(ws, st) >= 0:
                return raw
        return None


def run_trackers(trackers: Sequence[TrackerDef], segments: Sequence[Segment]) -> list[TrackerHit]:
    """Every (tracker, segment) pair that matches, in time order."""
    matchers = [(t, PhraseMatcher(t.phrases)) for t in trackers]
    hits: list[TrackerHit] = []
    for i, sg in enumerate(segments):
        ws = words(sg.text)
        st = [stem(w) for w in ws]
        for t, m in matchers:
            if t.speaker is not None and sg.speaker != t.speaker:
                continue
            for raw, ph in m.phrases:
                if ph.find(ws, st) >= 0:
                    hits.append(TrackerHit(t.name, raw, i, sg.start, sg.speaker, sg.text))
                    break
    hits.sort(key=lambda h: (h.start, h.segment_index))
    return hits


# Built-in trackers; the taxonomy in the database can add or change them.
DEFAULT_TRACKERS: tuple[TrackerDef, ...] = (
    TrackerDef("price question", ("сколько стоит", "цена", "стоимость", "прайс", "дорого",
                                  "how much", "price", "cost"), speaker=1, tag="price question"),
    TrackerDef("care question", ("как вы себя чувствуете", "как самочувствие", "самочувствие",
                                 "как вы после", "беспокоит", "how are you feeling", "how do you feel",
                                 "are you feeling"), speaker=0, tag="care question asked"),
    TrackerDef("bonus", ("бонус", "балл", "бонусные баллы", "bonus", "points"), speaker=0, tag="bonus offered"),
    TrackerDef("competitor", ("другая клиника", "в другой клинике", "another clinic", "elsewhere"),
               speaker=1, tag="competitor mentioned"),
    TrackerDef("complaint", ("жалоба", "недоволен", "недовольна", "хамство", "complaint", "unhappy"),
               speaker=1, tag="complaint"),
    TrackerDef("booking", ("записать вас", "запишу вас", "записала вас", "записал вас", "запись на",
                           "book you", "booked you", "appointment for"), speaker=0, tag="booked"),
)
