"""Plain data types of transcription (no database, no engine)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SPEAKERS = {0: "admin", 1: "caller"}  # channel 0 = administrator, 1 = caller


def speaker_for(channel: int, channels: int) -> str:
    if channels == 1:
        return "mixed"
    return SPEAKERS.get(channel, f"channel{channel}")


@dataclass
class Word:
    word: str
    start: float
    end: float
    probability: float = 0.0


@dataclass
class Segment:
    channel: int
    speaker: str
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    language: str = ""

    def to_dict(self) -> dict:
        return asdict(self)
