"""Full-text search over encrypted transcripts.

The query is normalised, stemmed and hashed exactly as the index was (see textnorm), matched
by the database (FTS5 on SQLite, tsvector @@ tsquery on PostgreSQL; every query word must
occur in the segment, in any word form), then the matching segments are decrypted here and the
matched words are marked by comparing stems in Python.

Searching calls (the review library) goes in two steps, so the work follows the page shown and
not the number of matches:

1. :meth:`TranscriptSearch.call_condition` - an SQL condition on a call id: the call has a
   recording whose transcript holds every query word. It is matched against the per-recording
   documents (``transcript_documents``: one FTS5 row / tsvector per recording), so a common
   word costs one entry per recording, not one per segment. The caller adds its own filters,
   order and limit to the same statement.
2. :meth:`TranscriptSearch.call_hits` - for the calls on the page only: their segments holding
   every query word (the segment-level index, restricted to those recordings), decrypted and
   highlighted. A call whose words are in different segments has none; the library drops it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from json.decoder import scanstring
from operator import itemgetter
from typing import Sequence

from sqlalchemy import ColumnElement, exists, false, func, literal_column, select, text as sql
from sqlalchemy.orm import Session, sessionmaker

from app.transcription import textnorm
from app.transcription.crypto import TranscriptKeys
from app.transcription.store import aad, decode_row
from db.models.recording import Recording
from db.models.transcription import TranscriptDocument, TranscriptSegment
from db.session import any_of_int_array, int_array

# When at most this many recordings match, the calls are looked up from the matches; above it
# the calls are walked in the caller's order (an index on the call time, say) and each one is
# checked against the matches, so a common word stops after the first page. A walk reads about
# page size x calls / matches calls (~3 us each on PostgreSQL), the lookup every match (~15 us):
# at 100,000 calls and a 500-row page, names matching 2,100-2,600 recordings took 72-78 ms looked
# up against 105 ms walked (20,000 calls), phrases matching 6,000-8,600 took 133-159 ms looked up
# against 85-105 ms walked (docs/transcription.md, search benchmark). PostgreSQL now looks
# few matches up as a constant array of call ids (cheaper), but 6,000 was not better than 3,500
# over the benchmark's queries (round 4: 38 against 34 ms per query, one pass).
FEW_MATCHES = 3500
# SQLite: segment id ranges of the page's recordings closer than this are read in one FTS query.
_RANGE_GAP = 4000
_COMPOUND_MAX = 400  # FTS range queries per statement (SQLite allows 500 SELECTs in a compound)
# SQLite: a page of calls spread out in time reads every match of the words when there are at
# most this many (a fraction of a millisecond from the index), else probes each range.
_ALL_MATCHES_MAX = 20000


def _inside(ids: list[int], ranges: list[list[int]]) -> list[int]:
    """The ids (ascending) that fall in one of the sorted, disjoint [lo, hi] ranges."""
    out, j, n = [], 0, len(ranges)
    for x in ids:
        while j < n and ranges[j][1] < x:
            j += 1
        if j == n:
            break
        if x >= ranges[j][0]:
            out.append(x)
    return out


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
    """Character spans of the words of *text* whose stem is one of *query_stems* (the same
    word split as textnorm.words)."""
    stem = textnorm.stem
    return [m.span() for m in textnorm.WORD_RE.finditer(text) if stem(m.group()) in query_stems]


def _text_of(keys: TranscriptKeys, recording_id: int, payload: bytes) -> str:
    """The segment's text only (the word list is not parsed): payloads are written as
    ``{"text": ..., "words": ...}``; anything else goes through json.loads."""
    raw = keys.cipher.decrypt(payload, aad(recording_id)).decode("utf-8")
    if raw.startswith('{"text": "'):
        return scanstring(raw, 10)[0]
    return json.loads(raw)["text"]


def pg_interactive(s: Session) -> None:
    """PostgreSQL, for the rest of this transaction: no JIT and no parallel workers. The
    search's statements are estimated as costly (many rows they never read, thanks to the
    limit) and got JIT compiling (3-6 ms) and parallel workers (8-30 ms to start, a 19 ms
    walk became 52 ms) for queries that take 5-20 ms."""
    # on the DB-API cursor (as the segment statement): no ORM execution path for a constant
    # statement run twice per search
    cur = s.connection().connection.cursor()
    try:
        cur.execute(_PG_INTERACTIVE)
    finally:
        cur.close()


_PG_INTERACTIVE = "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"

# a page's segments holding the words: see TranscriptSearch._pg_segment_matches
_PG_SEGMENTS = (
    "SELECT r.call_id, t.id, t.recording_id, t.channel, t.speaker, t.start_s, t.end_s, t.payload "
    "FROM recordings r CROSS JOIN LATERAL ("
    " SELECT id, recording_id, channel, speaker, start_s, end_s, payload FROM transcript_segments"
    " WHERE recording_id = r.id"
    " AND coalesce(search_tokens, ''::tsvector) @@ to_tsquery('simple', %s)"
    " ORDER BY start_s FETCH FIRST %s ROWS WITH TIES) AS t "
    "WHERE r.call_id = ANY(%s::integer[])")
# the ids are a parameter of the scalar subquery (an estimate of a few rows): looked up through
# pk_recordings, and only when they are few
_PG_DOC_MATCHES = (
    "SELECT d.n, CASE WHEN d.n <= %(few)s THEN ("
    "SELECT array_agg(r.call_id)::text FROM recordings r WHERE r.id = ANY(d.ids) AND r.call_id IS NOT NULL) END "
    "FROM (SELECT count(*) AS n, array_agg(m.recording_id) AS ids FROM ("
    "SELECT recording_id FROM transcript_documents WHERE search_tokens @@ to_tsquery('simple', %(q)s) "
    "LIMIT %(lim)s) AS m) AS d")


class CallHits(SequenceABC):
    """One call's matching segments (a read-only sequence of Hit). The first is decrypted and
    highlighted when this is made; the others only when read, so a page of results decrypts
    what it shows: one line per call, the rest for the call a person opens. Rows are
    (call_id, id, recording_id, channel, speaker, start_s, end_s, payload)."""

    def __init__(self, keys: TranscriptKeys, stems: set[str], call_id: int | None, rows: list[tuple]):
        self._keys, self._stems, self._call_id, self._rows = keys, stems, call_id, rows
        self._hits: list[Hit | None] = [None] * len(rows)
        if rows:
            self[0]

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self._rows)))]
        h = self._hits[i]
        if h is None:
            _, sid, rid, channel, speaker, start, end, payload = self._rows[i]
            t = _text_of(self._keys, rid, payload)
            h = self._hits[i] = Hit(rid, self._call_id, sid, speaker, channel, start, end, t,
                                    highlight_spans(t, self._stems))
        return h

    def __eq__(self, other) -> bool:
        return isinstance(other, SequenceABC) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"CallHits({list(self)!r})"


class TranscriptSearch:
    def __init__(self, sessions: sessionmaker[Session], keys: TranscriptKeys):
        self.sessions = sessions
        self.keys = keys

    def call_condition(self, text: str, call_id: ColumnElement, walk: bool = True) -> ColumnElement[bool] | None:
        """SQL condition on *call_id* (a column of the caller's statement): one of the call's
        recordings has a transcript holding every word of *text* (in any of its segments, by
        the documents' shortened tokens: a superset that :meth:`call_hits` settles, as it tells
        which calls have the words in one segment). ``None``: *text* has no words. A text
        nothing can match gives ``false()``.

        The matching documents are counted first (up to FEW_MATCHES + 1). Few: the calls are
        looked up from them. Many, and *walk* (the caller reads its calls in an indexed order
        and stops at a limit, as the library's newest-first page does): each call read is
        checked, so a common word costs about one check per row shown. Without *walk* (a page
        sorted by something else must see every match anyway) the matches are used as a set.
        The choice is made here rather than left to the planners: SQLite knows nothing of
        FTS5 selectivity, and PostgreSQL takes words as independent (for "выпала пломба",
        which come together, it expected 2,836 recordings for 15,992 and sorted them all).
        PostgreSQL, few matches: the count's statement also returns their calls, and the
        condition is ``call_id = ANY(constant array)`` (see _pg_doc_matches)."""
        toks = [textnorm.doc_token(t) for t in textnorm.tokens(self.keys.index_key, text)]
        if not toks:
            return None
        with self.sessions() as s:
            pg = s.get_bind().dialect.name == "postgresql"
            if pg:
                q = func.to_tsquery("simple", " & ".join(toks))
                docs = select(TranscriptDocument.recording_id).where(TranscriptDocument.search_tokens.op("@@")(q))
                n, calls = self._pg_doc_matches(s, " & ".join(toks))
            else:
                m = " AND ".join(f'"{t}"' for t in toks)
                docs = (select(literal_column("rowid")).select_from(sql("transcript_doc_fts"))
                        .where(sql("transcript_doc_fts MATCH :dm").bindparams(dm=m)))
                n = s.connection().execute(  # Core: a count needs no ORM execution
                    select(func.count()).select_from(docs.limit(FEW_MATCHES + 1).subquery())).scalar_one()
        if n == 0:
            return false()
        if pg and n <= FEW_MATCHES:  # the calls found with the count, as one constant array
            if calls is None:  # recordings without a call
                return false()
            return any_of_int_array(call_id, calls)  # a constant the planner counts and hashes
        if n <= FEW_MATCHES or not walk:  # from the matching recordings to their calls
            return call_id.in_(select(Recording.call_id).where(Recording.id.in_(docs)))
        if pg:  # OFFSET 0 keeps the planner from turning this into a join over all matches
            return exists(select(1).select_from(Recording)
                          .join(TranscriptDocument, TranscriptDocument.recording_id == Recording.id)
                          .where(Recording.call_id == call_id, TranscriptDocument.search_tokens.op("@@")(q))
                          .offset(0))
        # SQLite: the matches are materialised once and probed per call; "+ 0" keeps it from
        # driving the lookup by the match list instead of by the call
        return exists(select(1).where(Recording.call_id == call_id, (Recording.id + 0).in_(docs)))

    @staticmethod
    def _pg_doc_matches(s: Session, tsquery: str) -> tuple[int, str | None]:
        """PostgreSQL: the number of documents holding *tsquery* (counted up to FEW_MATCHES + 1)
        and, when there are at most FEW_MATCHES, their recordings' call ids as an array literal
        (None: no call), in one statement. The caller puts the ids in its statement as a
        constant array: the planner then knows how many there are, hashes them, and walks
        ix_calls_ring_at (or looks the calls up by id) instead of joining the matches to every
        recording (a hash join over a sequential scan of all 100,000 recordings and all calls:
        13-25 ms per batch for 800-2,300 matches, against 2-6 ms; the next batch did it again)."""
        cur = s.connection().connection.cursor()
        try:
            cur.execute(_PG_DOC_MATCHES, {"q": tsquery, "lim": FEW_MATCHES + 1, "few": FEW_MATCHES})
            return cur.fetchone()
        finally:
            cur.close()

    def call_hits(self, text: str, call_ids: Sequence[int], per_call: int = 5) -> dict[int, CallHits]:
        """For *call_ids* (a page of calls): segments holding every word of *text*, at most
        *per_call* per call (newest recording first, then in time order), highlighted. Only the
        first of each call is decrypted here (the list shows it); the others when they are read
        (see CallHits). Calls without such a segment are left out."""
        stems = set(textnorm.stems(text))
        toks = textnorm.tokens(self.keys.index_key, text)
        if not toks or not call_ids:
            return {}
        with self.sessions() as s:
            if s.get_bind().dialect.name == "postgresql":
                rows = self._pg_segment_matches(s, toks, list(call_ids), per_call)
            else:
                rows = self._sqlite_segment_matches(s, toks, list(call_ids))
        per: dict[int, list] = {}
        # newest recording, then time: by (start_s, channel), then (stable) by recording
        # descending; the same order as one sort by (-recording_id, start_s, channel)
        rows = sorted(rows, key=itemgetter(5, 3))
        rows.sort(key=itemgetter(2), reverse=True)
        for r in rows:  # the rows as they are (CallHits skips the call id): no copies
            lst = per.get(r[0])
            if lst is None:
                per[r[0]] = [r]
            elif len(lst) < per_call:
                lst.append(r)
        return {cid: CallHits(self.keys, stems, cid, lst) for cid, lst in per.items()}

    @staticmethod
    def _pg_segment_matches(s: Session, toks: list[str], call_ids: list[int], per_recording: int) -> list[tuple]:
        """(call_id, id, recording_id, channel, speaker, start_s, end_s, payload) of the calls'
        segments holding every token, the first *per_recording* of each recording in time
        order (and any more with the same start_s as the last: the caller orders by (start_s,
        channel) and keeps *per_recording*): each recording's rows are read through its
        (recording_id, start_s) index, in that order, and tested one by one, so the scan stops
        at the per_recording-th match. (It was ``ORDER BY start_s, channel LIMIT``, which the
        index does not give: every segment of the recording was read, tested and sorted; a
        common word's page of 500 recordings took 10.5 ms of the server's time instead of 5.2.)
        coalesce() keeps the planner off the GIN index: for a common word
        it would build a bitmap of every matching segment in the database first (50 ms for
        250,000 segments) to keep a few thousand.

        Client CPU: the rows come in binary format (the payloads as they are: in text format
        psycopg parsed them from hex, 54 against 24 ms for 20,000 rows), and the call ids go as
        one array literal (psycopg's list adapter inspects every int: a statement with 500 ids
        cost 0.7 ms of client CPU against 0.1 ms)."""
        pg_interactive(s)
        cur = s.connection().connection.cursor()
        try:
            cur.execute(_PG_SEGMENTS, (" & ".join(toks), per_recording, int_array(call_ids)), binary=True)
            return cur.fetchall()
        finally:
            cur.close()

    @staticmethod
    def _sqlite_segment_matches(s: Session, toks: list[str], call_ids: list[int]) -> list[tuple]:
        """(call_id, id, recording_id, channel, speaker, start_s, end_s, payload) of the calls'
        segments holding every token, through the FTS5 index restricted to the recordings'
        segment id ranges (a recording's segments are written together, so their ids are
        close): when all matches of the words in the database are few, they are read at once
        and kept if inside a range; otherwise one FTS query per group of nearby ranges (one
        for a page of recent calls). Each row's recording is checked, as ids need not be
        contiguous."""
        cur = s.connection().connection.cursor()  # plain DB-API tuples: thousands of rows
        try:
            ph = ",".join("?" * len(call_ids))
            cur.execute("SELECT r.id, r.call_id, min(s.id), max(s.id) FROM recordings r "
                        f"JOIN transcript_segments s ON s.recording_id = r.id WHERE r.call_id IN ({ph}) "
                        "GROUP BY r.id", call_ids)
            bounds = cur.fetchall()
            call_of = {rid: cid for rid, cid, _, _ in bounds}
            ranges: list[list[int]] = []
            for _, _, lo, hi in sorted(bounds, key=lambda b: b[2]):
                if ranges and lo - ranges[-1][1] <= _RANGE_GAP:
                    ranges[-1][1] = max(ranges[-1][1], hi)
                else:
                    ranges.append([lo, hi])
            if not ranges:
                return []
            m = " AND ".join(f'"{t}"' for t in toks)
            cols = "s.id, s.recording_id, s.channel, s.speaker, s.start_s, s.end_s, s.payload"
            rows: list[tuple] = []
            ids = None
            if len(ranges) > 1:  # spread out: are all matches few enough to read?
                cur.execute("SELECT rowid FROM transcript_fts WHERE transcript_fts MATCH ? LIMIT ?",
                            (m, _ALL_MATCHES_MAX + 1))
                found = [r[0] for r in cur.fetchall()]
                if len(found) <= _ALL_MATCHES_MAX:
                    ids = _inside(found, ranges)
            if ids is not None:
                for i in range(0, len(ids), 5000):
                    part = ids[i:i + 5000]
                    cur.execute(f"SELECT {cols} FROM transcript_segments s WHERE s.id IN "
                                f"({','.join('?' * len(part))})", part)
                    rows += cur.fetchall()
            else:
                one = (f"SELECT {cols} FROM transcript_fts f JOIN transcript_segments s ON s.id = f.rowid "
                       "WHERE transcript_fts MATCH ? AND f.rowid >= ? AND f.rowid <= ?")
                for i in range(0, len(ranges), _COMPOUND_MAX):
                    part = ranges[i:i + _COMPOUND_MAX]
                    cur.execute(" UNION ALL ".join([one] * len(part)), [x for lo, hi in part for x in (m, lo, hi)])
                    rows += cur.fetchall()
        finally:
            cur.close()
        return [(call_of[r[1]], *r) for r in rows if r[1] in call_of]

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
