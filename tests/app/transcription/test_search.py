"""Encrypted transcripts and full-text search over keyed hashes, on SQLite and PostgreSQL."""

from pathlib import Path

from sqlalchemy import text

from app.transcription import textnorm
from app.transcription.queue import JobQueue
from app.transcription.search import TranscriptSearch
from app.transcription.store import TranscriptStore
from app.transcription.types import Segment, Word

from .conftest import add_recordings

RU = "У меня выпала пломба, можно записаться к врачу на завтра?"
EN = "I would like to book two cleanings with doctor Brown."


def _fill(sessions, keys):
    q = JobQueue(sessions, keys)
    r1, r2 = add_recordings(sessions, 2)
    for r, segs in ((r1, [Segment(0, "admin", 0.5, 2.0, "Стоматология Улыбка, здравствуйте."),
                          Segment(1, "caller", 2.5, 6.0, RU, [Word("У", 2.5, 2.6, 0.9)], "ru")]),
                    (r2, [Segment(1, "caller", 1.0, 4.0, EN, [], "en")])):
        q.enqueue(r)
        q.complete(q.claim("w"), segs)
    return r1, r2


def test_word_forms_match_and_are_highlighted(sessions, keys):
    r1, r2 = _fill(sessions, keys)
    search = TranscriptSearch(sessions, keys)
    hits = search.search("пломбу", 10)
    assert [(h.recording_id, h.speaker, h.text) for h in hits] == [(r1, "caller", RU)]
    assert hits[0].marked() == "У меня выпала [пломба], можно записаться к врачу на завтра?"
    assert hits[0].start == 2.5 and hits[0].end == 6.0
    assert search.search("Записаться ВРАЧ", 10)[0].marked("<", ">") == \
        "У меня выпала пломба, можно <записаться> к <врачу> на завтра?"
    assert search.search("пломба кариес", 10) == []  # every word must occur
    en = search.search("cleaning", 10)
    assert [h.recording_id for h in en] == [r2]
    assert en[0].html() == "I would like to book two <b>cleanings</b> with doctor Brown."
    assert search.search("", 10) == [] and search.search("?!", 10) == []
    assert len(search.search("здравствуйте", 10)) == 1


def test_retranscription_replaces_the_index(sessions, keys):
    r1, _ = _fill(sessions, keys)
    q = JobQueue(sessions, keys)
    q.enqueue(r1, model="other")
    q.complete(q.claim("w"), [Segment(1, "caller", 0, 2, "Хочу ещё отменить запись.")])
    s = TranscriptSearch(sessions, keys)
    assert s.search("пломба", 10) == []
    assert [h.text for h in s.search("еще отменить", 10)] == ["Хочу ещё отменить запись."]  # ё matches е
    assert [x.text for x in TranscriptStore(sessions, keys).segments(r1)] == ["Хочу ещё отменить запись."]


def test_store_returns_decrypted_segments_in_time_order(sessions, keys):
    r1, _ = _fill(sessions, keys)
    segs = TranscriptStore(sessions, keys).segments(r1)
    assert [(s.speaker, s.text) for s in segs] == [("admin", "Стоматология Улыбка, здравствуйте."), ("caller", RU)]
    assert segs[1].words[0].word == "У" and segs[1].language == "ru"


def test_no_plaintext_in_the_database(db_url, sessions, keys, engine):
    _fill(sessions, keys)
    secrets = ["пломба", "cleanings", "Brown", textnorm.stem("пломба")]
    with engine.connect() as c:
        rows = c.execute(text("SELECT payload, CAST(search_tokens AS TEXT) FROM transcript_segments")).all()
    for payload, toks in rows:
        blob = bytes(payload)
        for w in secrets:
            assert w.encode() not in blob and w.lower() not in (toks or "").lower()
    if db_url.startswith("sqlite"):
        engine.dispose()  # checkpoint the WAL into the file
        path = Path(db_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for w in secrets:
            assert w.encode("utf-8") not in raw


def test_wrong_key_cannot_read(sessions, keys):
    import os

    import pytest

    from app.transcription.crypto import DecryptionError, TranscriptKeys

    r1, _ = _fill(sessions, keys)
    other = TranscriptKeys.from_master(os.urandom(32))
    with pytest.raises(DecryptionError):
        TranscriptStore(sessions, other).segments(r1)
    assert TranscriptSearch(sessions, other).search("пломба", 5) == []


def test_bulk_write_replaces_and_indexes_several_recordings(sessions, keys):
    from app.transcription.store import write_segments, write_transcripts
    from db.session import write_session

    r1, r2, r3 = add_recordings(sessions, 3)
    with write_session(sessions) as s:
        write_segments(s, keys, r1, None, [Segment(0, "admin", 0, 1, "Старый текст: выпала пломба.")])
    with write_session(sessions) as s:
        assert write_transcripts(s, keys, []) == 0
        n = write_transcripts(s, keys, [
            (r1, None, [Segment(0, "admin", 0, 1, "Запишу вас на чистку.")]),
            (r2, None, [Segment(1, "caller", 2, 3, "Выпала пломба.", [Word("Выпала", 2, 2.4, 0.9)], "ru"),
                        Segment(0, "admin", 0, 2, "Здравствуйте.")]),
            (r3, None, []),
        ])
    assert n == 3
    store, search = TranscriptStore(sessions, keys), TranscriptSearch(sessions, keys)
    assert [h.recording_id for h in search.search("пломбу", 10)] == [r2]  # r1's old text is gone
    assert [h.marked() for h in search.search("чистки", 10)] == ["Запишу вас на [чистку]."]
    segs = store.segments(r2)
    assert [(x.speaker, x.text) for x in segs] == [("admin", "Здравствуйте."), ("caller", "Выпала пломба.")]
    assert segs[1].words == [Word("Выпала", 2, 2.4, 0.9)] and segs[1].language == "ru"
    assert store.segments(r3) == []


def test_documents_hold_each_recordings_tokens_and_the_migration_builds_them(db_url, engine, sessions, keys):
    """transcript_documents: the distinct tokens of a recording's segments, replaced with them;
    migration 0007a builds them for transcripts stored before it."""
    from alembic import command
    from sqlalchemy import func, select

    from app.transcription.store import write_transcripts
    from db.models.transcription import TranscriptDocument
    from db.session import alembic_config, upgrade, write_session

    r1, r2 = add_recordings(sessions, 2)
    with write_session(sessions) as s:
        write_transcripts(s, keys, [(r1, None, [Segment(0, "admin", 0, 1, "Запись на чистку."),
                                                 Segment(1, "caller", 1, 2, "Чистку? Да, запись.")]),
                                    (r2, None, [Segment(1, "caller", 0, 1, "Выпала пломба.")])])

    def docs():
        with sessions() as s:
            col = TranscriptDocument.search_tokens
            if db_url.startswith("postgresql"):
                col = func.array_to_string(func.tsvector_to_array(col), " ")
            return {r: sorted(t.split()) for r, t in s.execute(select(TranscriptDocument.recording_id, col))}

    want = {r1: sorted(map(textnorm.doc_token, textnorm.tokens(keys.index_key, "запись на чистку да"))),
            r2: sorted(map(textnorm.doc_token, textnorm.tokens(keys.index_key, "выпала пломба")))}
    assert all(len(t) == 9 for ts in want.values() for t in ts)
    assert docs() == want
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007a-1")
    upgrade(engine)
    assert docs() == want

    def doc_match(words):  # the documents' own index: FTS5 on SQLite, GIN on PostgreSQL
        toks = [textnorm.doc_token(t) for t in textnorm.tokens(keys.index_key, words)]
        with sessions() as s:
            if db_url.startswith("postgresql"):
                return s.scalars(text("SELECT recording_id FROM transcript_documents WHERE "
                                      "search_tokens @@ to_tsquery('simple', :q)"), {"q": " & ".join(toks)}).all()
            return s.scalars(text("SELECT rowid FROM transcript_doc_fts WHERE transcript_doc_fts MATCH :q"),
                             {"q": " AND ".join(f'"{t}"' for t in toks)}).all()

    assert doc_match("пломбу") == [r2] and doc_match("запись чистки") == [r1] and doc_match("пломба запись") == []
    with write_session(sessions) as s:  # replaced with the transcript, dropped with the recording
        write_transcripts(s, keys, [(r2, None, [Segment(0, "admin", 0, 1, "Запись на чистку.")])])
    assert doc_match("пломбу") == [] and sorted(doc_match("чистка")) == sorted([r1, r2])
    with write_session(sessions) as s:
        s.execute(text("DELETE FROM recordings WHERE id = :r"), {"r": r1})
    assert doc_match("чистка") == [r2] and list(docs()) == [r2]
