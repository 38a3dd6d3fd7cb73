"""Full-text search over encrypted transcripts.

The query is normalised, stemmed and hashed exactly as the index was (see textnorm), matched
by the database (FTS5 on SQLite, tsvector @@ tsquery on PostgreSQL; every query word must
occur in the segment, in any word form), then the matching segments are decrypted here and the
matched words are marked by comparing stems in Python.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from sqlalchemy import select, text as sql
from sqlalchemy.orm import Session, sessionmaker

from app.transcription import textnorm
from app.transcription.crypto import TranscriptKeys
from app.transcription.store import decode_row
from db.models.recording import Recording
from db.models.transcription import TranscriptSegment


@dataclass
class Hit:
    recording_id: int
    call_id: int | None
    segment_id: int
    speaker: str
    channel: int
    start: float
    end: float
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # character spans in text

    def marked(self, open_: str = "[", close: str = "]") -> str:
        out, pos = [], 0
        for a, b in self.highlights:
            out += [self.text[pos:a], open_, self.text[a:b], close]
            pos = b
        out.append(self.text[pos:])
        return "".join(out)

    def html(self) -> str:
        out, pos = [], 0
        for a, b in self.highlights:
            out += [html.escape(self.text[pos:a]), "<b>", html.escape(self.text[a:b]), "</b>"]
            pos = b
        out.append(html.escape(self.text[pos:]))
        return "".join(out)


def highlight_spans(text: str, query_stems: set[str]) -> list[tuple[int, int]]:
    return [(a, b) for a, b, w in textnorm.words(text) if textnorm.stem(w) in query_stems]


class TranscriptSearch:
    def __init__(self, sessions: sessionmaker[Session], keys: TranscriptKeys):
        self.sessions = sessions
        self.keys = keys

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        stems = set(textnorm.stems(text))
        toks = textnorm.tokens(self.keys.index_key, text)
        if not toks:
            return []
        with self.sessions() as s:
            if s.get_bind().dialect.name == "postgresql":
                cond = TranscriptSegment.search_tokens.op("@@")(
                    sql("to_tsquery('simple', :q)").bindparams(q=" & ".join(toks)))
                ids_q = select(TranscriptSegment.id).where(cond)
            else:
                match = " AND ".join(f'"{t}"' for t in toks)
                ids_q = select(sql("rowid")).select_from(sql("transcript_fts")).where(
                    sql("transcript_fts MATCH :m").bindparams(m=match))
            rows = s.execute(
                select(TranscriptSegment, Recording.call_id)
                .join(Recording, Recording.id == TranscriptSegment.recording_id)
                .where(TranscriptSegment.id.in_(ids_q))
                .order_by(TranscriptSegment.recording_id.desc(), TranscriptSegment.start_s)
                .limit(limit)).all()
            hits = []
            for row, call_id in rows:
                seg = decode_row(self.keys, row)
                hits.append(Hit(row.recording_id, call_id, row.id, row.speaker, row.channel, row.start_s,
                                row.end_s, seg.text, highlight_spans(seg.text, stems)))
            return hits
