"""Encrypted transcript segments: write (inside the caller's transaction) and read back."""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from sqlalchemy import Text, bindparam, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.orm import Session, sessionmaker

from app.transcription import textnorm
from app.transcription.crypto import TranscriptKeys
from app.transcription.types import Segment, Word
from db.base import utcnow
from db.models.transcription import TranscriptDocument, TranscriptSegment

_CHUNK = 1000  # recording ids per DELETE ... IN (...)
_ROWS_PER_EXECUTE = 5000  # segments per executemany (bounded parameter lists and memory)


def aad(recording_id: int) -> bytes:
    return f"carecall-transcript:{recording_id}".encode()


def write_segments(s: Session, keys: TranscriptKeys, recording_id: int, job_id: int | None,
                   segments: list[Segment]) -> int:
    """Replace the transcript of *recording_id* with *segments* (in the session's transaction)."""
    return write_transcripts(s, keys, [(recording_id, job_id, segments)])


def write_transcripts(s: Session, keys: TranscriptKeys,
                      transcripts: Iterable[tuple[int, int | None, Sequence[Segment]]]) -> int:
    """Replace the transcripts of several recordings at once (in the session's transaction):
    ``(recording_id, job_id, segments)`` each. The same encryption and index tokens as
    :func:`write_segments` (which is this with one item), written with one DELETE and batched
    INSERTs (executemany), so bulk loads and re-indexing do not pay a round trip per segment.
    Each recording also gets its search document (the distinct tokens of all its segments, cut
    to textnorm.doc_token; see ``TranscriptDocument``). Returns the number of segments written."""
    # A recording given twice: its last transcript wins, as with two write_segments calls.
    items = list({rid: (rid, job_id, segs) for rid, job_id, segs in transcripts}.values())
    if not items:
        return 0
    pg = s.get_bind().dialect.name == "postgresql"
    now = utcnow()
    rows, docs = [], {}
    for recording_id, job_id, segments in items:
        ad = aad(recording_id)
        doc = docs.setdefault(recording_id, {})
        for seg in segments:
            payload = json.dumps({"text": seg.text,
                                  "words": [[w.word, w.start, w.end, w.probability] for w in seg.words]},
                                 ensure_ascii=False).encode("utf-8")
            toks = textnorm.tokens(keys.index_key, seg.text)
            doc.update(dict.fromkeys(map(textnorm.doc_token, toks)))
            rows.append({
                "recording_id": recording_id, "job_id": job_id, "channel": seg.channel,
                "speaker": seg.speaker, "start_s": float(seg.start), "end_s": float(seg.end),
                "language": seg.language or "", "payload": keys.cipher.encrypt(payload, ad),
                "key_id": keys.cipher.key_id, "created_at": now, "toks": " ".join(toks),
            })
    ids = sorted(docs)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        s.execute(delete(TranscriptSegment).where(TranscriptSegment.recording_id.in_(chunk)))
        s.execute(delete(TranscriptDocument).where(TranscriptDocument.recording_id.in_(chunk)))
    toks = bindparam("toks", type_=Text())
    cfg = literal("simple", REGCONFIG)
    if rows:
        stmt = insert(TranscriptSegment).values(search_tokens=func.to_tsvector(cfg, toks) if pg else toks)
        for i in range(0, len(rows), _ROWS_PER_EXECUTE):
            s.execute(stmt, rows[i:i + _ROWS_PER_EXECUTE])
    doc_rows = [{"recording_id": rid, "toks": " ".join(d)} for rid, d in docs.items() if d]
    if doc_rows:
        stmt = insert(TranscriptDocument).values(
            search_tokens=func.strip(func.to_tsvector(cfg, toks)) if pg else toks)
        for i in range(0, len(doc_rows), _ROWS_PER_EXECUTE):
            s.execute(stmt, doc_rows[i:i + _ROWS_PER_EXECUTE])
    return len(rows)


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
