"""The transcript as the review code sees it: a small interface to the transcription area."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

ADMINISTRATOR = 0
CALLER = 1


@dataclass(frozen=True)
class Segment:
    speaker: int  # 0 administrator, 1 caller
    start: float
    end: float
    text: str
    words: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class SearchHit:
    call_id: int
    snippets: tuple[str, ...]  # text with the match wrapped in [[ ]]


class TranscriptSource(Protocol):
    def segments(self, call_id: int) -> Sequence[Segment]: ...

    def search(self, text: str) -> dict[int, SearchHit]: ...


class NoTranscripts:
    """Used until the transcription area is wired: no call has a transcript."""

    def segments(self, call_id: int) -> Sequence[Segment]:
        return []

    def search(self, text: str) -> dict[int, SearchHit]:
        return {}


class MemoryTranscripts:
    """Transcripts held in memory (demo data, tests of the review logic); search is a plain
    case-insensitive substring match marked with [[ ]]."""

    def __init__(self, data: dict[int, Sequence[Segment]] | None = None):
        self.data: dict[int, list[Segment]] = {k: list(v) for k, v in (data or {}).items()}

    def segments(self, call_id: int) -> Sequence[Segment]:
        return self.data.get(call_id, [])

    def search(self, text: str) -> dict[int, SearchHit]:
        needle = text.strip().lower()
        out: dict[int, SearchHit] = {}
        if not needle:
            return out
        for cid, segs in self.data.items():
            snips = []
            for sg in segs:
                i = sg.text.lower().find(needle)
                if i >= 0:
                    snips.append(sg.text[:i] + "[[" + sg.text[i:i + len(needle)] + "]]" + sg.text[i + len(needle):])
            if snips:
                out[cid] = SearchHit(cid, tuple(snips))
        return out
