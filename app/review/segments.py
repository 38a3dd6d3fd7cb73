"""The transcript as the review code sees it: a small interface to the transcription area."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

from sqlalchemy import ColumnElement, false

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

    def call_condition(self, text: str, call_id: ColumnElement, walk: bool = True) -> ColumnElement[bool] | None:
        """SQL condition on a call id column: the call's transcript may hold *text* (a superset
        that :meth:`snippets` settles; it may be exact). ``None``: nothing to search for.
        *walk*: the statement reads calls in an indexed order up to a limit (newest first)."""
        ...

    def prepare(self, s) -> None:
        """Session settings for the statement that uses call_condition (or nothing)."""
        ...

    def snippets(self, text: str, call_ids: Sequence[int], per_call: int = 5) -> dict[int, SearchHit]:
        """For these calls (a page): the matches of *text*, at most *per_call* per call; calls
        that do not match are absent."""
        ...


class NoTranscripts:
    """Used until the transcription area is wired: no call has a transcript."""

    def segments(self, call_id: int) -> Sequence[Segment]:
        return []

    def search(self, text: str) -> dict[int, SearchHit]:
        return {}

    def call_condition(self, text: str, call_id: ColumnElement, walk: bool = True) -> ColumnElement[bool] | None:
        return false()

    def prepare(self, s) -> None:
        pass

    def snippets(self, text: str, call_ids: Sequence[int], per_call: int = 5) -> dict[int, SearchHit]:
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

    def call_condition(self, text: str, call_id: ColumnElement, walk: bool = True) -> ColumnElement[bool] | None:
        return call_id.in_(list(self.search(text))) if text.strip() else None

    def prepare(self, s) -> None:
        pass

    def snippets(self, text: str, call_ids: Sequence[int], per_call: int = 5) -> dict[int, SearchHit]:
        hits = self.search(text)
        return {c: SearchHit(c, hits[c].snippets[:per_call]) for c in call_ids if c in hits}
