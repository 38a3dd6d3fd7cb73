"""Encrypted transcript segments: write (inside the caller's transaction) and read back."""

from __future__ import annotations

import json

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.transcription import textnorm
from app.transcription.crypto import TranscriptKeys
from app.transcription.types import Segment, Word
from db.models.transcription import TranscriptSegment


def aad(recording_id: int) -> bytes:
    return f"carecall-transcript:{recording_id}".encode()


def write_segments(s: Session, keys: TranscriptKeys, recording_id: int, job_id: int | None,
                   segments: list[Segment]) -> int:
    """Replace the transcript of *recording_id* with *segments* (in the session's transaction)."""
    s.execute(delete(TranscriptSegment).where(TranscriptSegment.recording_id == recording_id))
    pg = s.get_bind().dialect.name == "postgresql"
    for seg in segments:
        payload = json.dumps({"text": seg.text,
                              "words": [[w.word, w.start, w.end, w.probability] for w in seg.words]},
                             ensure_ascii=False).encode("utf-8")
        toks = " ".join(textnorm.tokens(keys.index_key, seg.text))
        s.add(TranscriptSegment(
            recording_id=recording_id, job_id=job_id, channel=seg.channel, speaker=seg.speaker,
            start_s=float(seg.start), end_s=float(seg.end), language=seg.language or "",
            payload=keys.cipher.encrypt(payload, aad(recording_id)), key_id=keys.cipher.key_id,
            search_tokens=func.to_tsvector("simple", toks) if pg else toks,
        ))
    s.flush()
    return len(segments)


def decode_row(keys: TranscriptKeys, row: TranscriptSegment) -> Segment:
    data = json.loads(keys.cipher.decrypt(row.payload, aad(row.recording_id)))
    return Segment(channel=row.channel, speaker=row.speaker, start=row.start_s, end=row.end_s,
                   text=data["text"], words=[Word(*w) for w in data["words"]], language=row.language)


class TranscriptStore:
    def __init__(self, sessions: sessionmaker[Session], keys: TranscriptKeys):
        self.sessions = sessions
        self.keys = keys

    def segments(self, recording_id: int) -> list[Segment]:
        """The decrypted transcript of a recording, in time order (both speakers interleaved)."""
        with self.sessions() as s:
            rows = s.scalars(select(TranscriptSegment)
                             .where(TranscriptSegment.recording_id == recording_id)
                             .order_by(TranscriptSegment.start_s, TranscriptSegment.channel)).all()
            return [decode_row(self.keys, r) for r in rows]


def segments(sessions: sessionmaker[Session], keys: TranscriptKeys, recording_id: int) -> list[Segment]:
    return TranscriptStore(sessions, keys).segments(recording_id)
