"""Adapters from the other areas to the review interfaces:

* transcripts (app.transcription: encrypted segments, hashed-token search) -> TranscriptSource
* recordings (app.recording.RecordingStore) -> RecordingAccess
* scripts (script_versions + the call's script_version_id) -> checklist points
* ``analyse_call``: run trackers and adherence for a call once its transcript exists
"""

from __future__ import annotations

import logging
from collections.abc import Sequence as SequenceABC
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.review.adherence import CHECKLIST_PHRASES, ChecklistPoint
from app.review.segments import ADMINISTRATOR, CALLER, SearchHit, Segment
from db.models.core import Call
from db.models.recording import Recording

log = logging.getLogger("carecall.review")


def _speaker(seg) -> int:
    sp = getattr(seg, "speaker", "")
    if sp == "caller":
        return CALLER
    if sp in ("admin", "administrator"):
        return ADMINISTRATOR
    return CALLER if getattr(seg, "channel", 0) == 1 else ADMINISTRATOR


class TranscriptionSource:
    """The review's view of app.transcription (decrypts with the workstation's transcript keys)."""

    def __init__(self, sessions: sessionmaker[Session], keys):
        from app.transcription.search import TranscriptSearch
        from app.transcription.store import TranscriptStore

        self.sessions = sessions
        self.store = TranscriptStore(sessions, keys)
        self.searcher = TranscriptSearch(sessions, keys)

    def _recording_of(self, call_id: int) -> int | None:
        with self.sessions() as s:
            return s.scalar(select(Recording.id).where(Recording.call_id == call_id).order_by(Recording.id.desc()))

    def segments(self, call_id: int) -> Sequence[Segment]:
        rid = self._recording_of(call_id)
        if rid is None:
            return []
        return [Segment(_speaker(sg), float(sg.start), float(sg.end), sg.text,
                        tuple((w.word, w.start, w.end) for w in getattr(sg, "words", ()) or ()))
                for sg in self.store.segments(rid)]

    def search(self, text: str) -> dict[int, SearchHit]:
        out: dict[int, list[str]] = {}
        for h in self.searcher.search(text, limit=1000):
            if h.call_id is not None:
                out.setdefault(h.call_id, []).append(h.marked("[[", "]]"))
        return {cid: SearchHit(cid, tuple(snips)) for cid, snips in out.items()}

    def call_condition(self, text: str, call_id, walk: bool = True):
        return self.searcher.call_condition(text, call_id, walk)

    def prepare(self, s) -> None:
        if s.get_bind().dialect.name == "postgresql":
            from app.transcription.search import pg_interactive

            pg_interactive(s)

    def snippets(self, text: str, call_ids: Sequence[int], per_call: int = 5) -> dict[int, SearchHit]:
        return {cid: SearchHit(cid, _Marked(hits))
                for cid, hits in self.searcher.call_hits(text, call_ids, per_call).items()}


class _Marked(SequenceABC):
    """A call's hits as snippets marked with [[ ]], made when read (CallHits decrypts the
    first at once, the others when asked for)."""

    def __init__(self, hits):
        self._hits = hits

    def __len__(self) -> int:
        return len(self._hits)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(h.marked("[[", "]]") for h in self._hits[i])
        return self._hits[i].marked("[[", "]]")

    def __eq__(self, other) -> bool:
        return isinstance(other, SequenceABC) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


def transcript_source(ctx):
    """The real transcripts, or None when this workstation has no key for them."""
    try:
        from app.transcription.crypto import keys_from_keyring

        return TranscriptionSource(ctx.sessions, keys_from_keyring())
    except Exception as e:  # noqa: BLE001 - review still works, without transcripts
        log.warning("review: transcripts are not available: %s", e)
        return None


def recording_store(ctx):
    """The recording store, or None when it cannot be opened here (no master key, say)."""
    try:
        from app.recording.store import RecordingStore

        return RecordingStore.from_settings(ctx.sessions, ctx.settings.audio)
    except Exception as e:  # noqa: BLE001
        log.warning("review: recordings are not available: %s", e)
        return None


def checklist_for_call(sessions: sessionmaker[Session], call_id: int) -> tuple[int | None, list[ChecklistPoint]]:
    """The checklist of the script version that was shown on the call (if any)."""
    with sessions() as s:
        c = s.get(Call, call_id)
        vid = getattr(c, "script_version_id", None) if c is not None else None
        if vid is None:
            return None, []
        try:
            from app.scripts.renderer import parse
            from db.models.scripts import ScriptVersion
        except ImportError:
            return vid, []
        v = s.get(ScriptVersion, vid)
        if v is None:
            return vid, []
        try:
            tpl = parse(v.body)
        except Exception as e:  # noqa: BLE001 - a broken script must not stop the analysis
            log.warning("review: script version %s does not parse: %s", vid, e)
            return vid, []
    return vid, [ChecklistPoint(item.code, item.text, CHECKLIST_PHRASES.get(item.code, ()))
                 for item in tpl.checklist]


def analyse_call(review, call_id: int) -> list[str]:
    """Trackers + adherence for one call from its stored transcript. ``review`` is a
    ReviewServices with a transcript source. Returns the automatic tags on the call."""
    segs = list(review.transcripts.segments(call_id))
    if not segs:
        return []
    vid, points = checklist_for_call(review.sessions, call_id)
    with review.sessions() as s:
        dur = s.scalar(select(Recording.duration_s).where(Recording.call_id == call_id)
                       .order_by(Recording.id.desc()))
    return review.tags.analyse_call(call_id, segs, points, dur, vid)


def analyse_pending(review, again: bool = False, call_ids: Sequence[int] = ()) -> dict[int, list[str]]:
    """Analyse calls that have a transcript and no analysis yet (``again``: all calls with a
    recording; ``call_ids``: just these). Returns {call id: automatic tags}."""
    from db.models.review import CallAnalysis
    from db.models.transcription import TranscriptSegment

    ids = list(call_ids)
    if not ids:
        with review.sessions() as s:
            q = (select(Recording.call_id).join(TranscriptSegment, TranscriptSegment.recording_id == Recording.id)
                 .where(Recording.call_id.is_not(None)).distinct())
            if not again:
                q = q.where(Recording.call_id.not_in(select(CallAnalysis.call_id)))
            ids = sorted(s.scalars(q))
    out = {}
    for cid in ids:
        try:
            out[cid] = analyse_call(review, cid)
        except Exception as e:  # noqa: BLE001 - one unreadable transcript must not stop the rest
            log.error("review: cannot analyse call %s: %s", cid, e)
    return out
