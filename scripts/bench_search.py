"""Transcript search benchmark: the review library's text search over N stored transcripts.

    nice .venv/bin/python scripts/bench_search.py [--backend sqlite|postgresql|both]
        [--transcripts 100000] [--rounds 3] [--dir DIR] [--keep] [--reuse DIR] [--build-only]

Build (paid once with --keep, then --reuse DIR): a fresh database (SQLite file in DIR; the
PostgreSQL database ``carecall_bench_search`` on $CARECALL_BENCH_PG, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres, dropped at the end unless kept) migrated
to head, N calls over two years (one recording and one finished transcription job each), and N
synthetic front-desk transcripts (scripts/bench_search_corpus.py: 20-60 segments, ~85% Russian,
names, dates, treatments, prices, a fixed seed) stored through
``app.transcription.store.write_transcripts`` - what the worker's ``JobQueue.complete`` runs
through ``write_segments``: AES-GCM payloads, HMAC index tokens, segment and per-recording
indexes (FTS5 on SQLite, tsvector + GIN on PostgreSQL) - 100 transcripts per transaction.
While building, the exact answer of every benchmark query is worked out from the plaintext
(same stems, every query word in one segment) and kept in a manifest next to the database
(DIR/<backend>.json; recomputed from the corpus when the query list grows).

Queries: what the library page does when a person types into its search box and presses
Enter: ``LibraryService.query(supervisor, CallQuery(text=...))`` with the real
``TranscriptionSource`` (decryption + highlights, the first page: up to 500 calls) - once with
the page's default dates (the last 30 days), once over all dates. Classes: common words, rare
words, names, two words, English, no hits (219 queries). One warm-up pass, then ``--rounds``
timed passes; a query's figure is its median over the passes (the machine may be shared),
percentiles are over queries. Each result is checked against the manifest (the same call ids
in the same order, a highlighted snippet on every row). Prints JSON per backend: build time,
store rate, database size; per scope and class p50/p95/max wall ms and in-process CPU ms,
rows shown and matching calls; PostgreSQL server CPU per query (local server, /proc); the
load average before and after; the slowest queries; wrong results (should be none).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PG_ADMIN = os.environ.get("CARECALL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_NAME = "carecall_bench_search"
MASTER = hashlib.sha256(b"carecall bench_search master key (synthetic data only)").digest()
CORPUS_VERSION = 1
SPAN_DAYS = 730
NOW = datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc)  # the benchmark's "now" (fixed)
WINDOW_DAYS = 30  # the library page's default date range
BATCH = 100  # transcripts per write transaction
PAGE = 500  # CallQuery.limit: the rows the library shows

QUERIES: dict[str, list[str]] = {
    "common": ["запись", "пломба", "пломбу", "записаться", "стоимость", "стоит", "здравствуйте",
               "доктор", "бонусы", "рассрочка", "удобно", "перенести", "отменить", "результаты",
               "анализов", "ребёнка", "ДМС", "страховой", "болит", "консультация", "рублей",
               "расписание", "свидания", "спасибо", "паспорт", "четверг", "напоминание", "лечение",
               "снимок", "имплант", "брекеты", "чистка", "удаление", "врачу", "приходите", "подскажите",
               "хорошо", "секундочку", "минутку", "кабинет", "смс", "полис", "согласие", "ортодонта",
               "коронкой", "хирурга", "утра", "телефона", "карту", "жалобу"],
    "rare": ["латекс", "бассейна", "бруксизм", "гемофилия", "сурдопереводчик", "свекрови",
             "кардиостимулятор", "колпачок", "Шенген", "поводырём", "penicillin", "hockey",
             "беременна", "клаустрофобия", "нотариусу", "cheque", "wheelchair", "синус-лифтинг",
             "кольпоскопия", "элайнеры", "ретейнер", "томография", "отёк", "пенсионерам",
             "парковка", "слепками", "сертификат", "рентген", "визы", "справка", "гинеколог",
             "Холтер", "миндалин", "фиссур", "ортопантомограмма", "виниры",
             "капа", "проглотил"],
    "names": ["Вяземская", "Соколова", "Трубецкой", "Ткаченко", "Зоя", "Василиса", "Кузьма",
              "Луговской", "Пушкин", "Фоминична", "Саввич", "Петровой", "Романова", "Медведевой",
              "Григорьевой", "Тихонова", "Никитина", "Ковалёвой", "Иванова", "Смирнов",
              "Ярославовна", "Анатольевна", "Милана", "Глеб", "Фома", "Шевчук", "Литвиненко",
              "Толстая", "Кудрявцев", "Королёва", "Fletcher", "Whitaker", "Kowalski", "Patel",
              "Арина", "Ульяна", "Кузнецова", "Матвеевич", "Ильинична", "Сидоров"],
    "two_words": ["выпала пломба", "перенести запись", "удаление зуба", "полис ДМС",
                  "детскому стоматологу", "результаты анализов", "бонусных баллов",
                  "профессиональная гигиена", "стоимость лечения", "доктора Петровой",
                  "Анна Викторовна", "зуб мудрости", "молочный зуб", "коронка металлокерамическая",
                  "лечение пульпита", "гарантийное письмо", "снимок доктор", "запись подтверждена",
                  "отменить запись", "болит зуб", "свободное время", "медицинский центр",
                  "главному врачу", "налогового вычета", "аллергия латекс", "Соколова Ольга",
                  "Иванов Сергей", "пломба раскрошилась", "рассрочка переплаты", "УЗИ малого",
                  "Ольга Викторовна", "пятнадцатое марта", "в четверг", "шесть месяцев",
                  "свидетельство о рождении", "10:30"],
    "english": ["cleaning", "appointment", "insurance", "filling", "root canal", "X-ray",
                "reschedule", "Brown", "checkup", "whitening", "crown", "extraction", "cancel",
                "hurting", "passport", "reminder", "Thursday", "schedule", "roubles", "ultrasound",
                "blood test", "park", "doctor Patel", "test results", "dentist", "braces",
                "lost a filling", "date of birth", "insurance card", "afternoon", "Emily", "Smith",
                "text message", "opening", "toothache"],
    "none": ["трактор", "квантовый", "вертолёт", "пломбир", "xylophone", "submarine",
             "гиппопотам", "электричка", "снегоход", "bagpipe", "кардиган", "астероид",
             "пломба вертолёт", "cleaning трактор", "Нептун", "ламинат", "бобслей",
             "marathon", "скрипка", "аквариум"],
}


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _ring_at(i: int, n: int) -> datetime:
    """Call i's time: evenly over SPAN_DAYS before NOW, strictly increasing with i."""
    step = SPAN_DAYS * 86400 / n
    jitter = (i * 7919 % 1000) / 1000 * step * 0.5
    return NOW - timedelta(days=SPAN_DAYS) + timedelta(seconds=i * step + jitter)


def _window() -> tuple[datetime, datetime]:
    """The library page's default dates: from 30 days ago to the end of today (UTC days)."""
    today = datetime.combine(NOW.date(), datetime.min.time(), tzinfo=timezone.utc)
    return today - timedelta(days=WINDOW_DAYS), today + timedelta(days=1)


# --- databases ----------------------------------------------------------------------------------

def _pg_create(name: str) -> str:
    from app.loadtest import scratch_database

    return scratch_database(PG_ADMIN, name)


def _pg_drop(name: str) -> None:
    from sqlalchemy.engine import make_url

    from app.loadtest import drop_database

    drop_database(PG_ADMIN, make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False))


def db_size(engine, backend: str, path: Path | None) -> int:
    from sqlalchemy import text

    if backend == "sqlite":
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect() as c:
        return int(c.execute(text("SELECT pg_database_size(current_database())")).scalar())


# --- build --------------------------------------------------------------------------------------

class Truth:
    """The exact answer of each query, from the plaintext: calls with a segment holding every
    query stem (as the index matches), by call index."""

    def __init__(self, queries: list[str]):
        from app.transcription import textnorm

        self.queries = queries
        self.stems = [frozenset(textnorm.stems(q)) for q in queries]
        self.by_stem: dict[str, list[int]] = {}
        for qi, st in enumerate(self.stems):
            if st:
                self.by_stem.setdefault(min(st), []).append(qi)
        self.matched: list[set[int]] = [set() for _ in queries]

    def add(self, call_index: int, segments) -> None:
        from app.transcription import textnorm

        for seg in segments:
            st = set(textnorm.stems(seg.text))
            for s in st:
                for qi in self.by_stem.get(s, ()):
                    if self.stems[qi] <= st:
                        self.matched[qi].add(call_index)

    def answers(self, n: int) -> dict[str, dict]:
        w0, w1 = _window()
        out = {}
        for q, m in zip(self.queries, self.matched):
            ordered = sorted(m, reverse=True)  # call index order == ring_at order
            in_window = [i for i in ordered if w0 <= _ring_at(i, n) < w1]
            out[q] = {"calls": len(m), "calls_window": len(in_window),
                      "page_all": [i + 1 for i in ordered[:PAGE]],  # call ids = index + 1
                      "page_window": [i + 1 for i in in_window[:PAGE]]}
        return out


def answers_from_corpus(n: int, seed: int) -> dict[str, dict]:
    """The exact answers, regenerating the (deterministic) corpus without any database; used when
    the query list has grown since the database was built."""
    from bench_search_corpus import Corpus

    corpus = Corpus(seed)
    truth = Truth(all_queries())
    for i in range(n):
        truth.add(i, corpus.call(i).segments)
    return truth.answers(n)


def all_queries() -> list[str]:
    return list(dict.fromkeys(q for qs in QUERIES.values() for q in qs))


def build(backend: str, n: int, seed: int, workdir: Path) -> dict:
    from sqlalchemy import insert, text

    from app.transcription.crypto import TranscriptKeys
    from app.transcription.store import write_transcripts
    from bench_search_corpus import Corpus
    from db.models.core import Call, User
    from db.models.recording import Recording
    from db.models.transcription import TranscriptionJob
    from db.session import make_engine, session_factory, upgrade, write_session

    if backend == "sqlite":
        path = workdir / "search.sqlite3"
        for p in workdir.glob("search.sqlite3*"):
            p.unlink()
        url = f"sqlite:///{path}"
    else:
        path = None
        url = _pg_create(PG_NAME)
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    keys = TranscriptKeys.from_master(MASTER)
    t0 = time.perf_counter()
    with engine.begin() as c:  # the calls, recordings and jobs the transcripts belong to
        admins = [{"id": k + 1, "login": f"admin{k + 1}", "full_name": f"Администратор {k + 1}",
                   "role": "administrator"} for k in range(8)]
        c.execute(insert(User), admins + [{"id": 9, "login": "supervisor", "full_name": "Супервизор",
                                           "role": "supervisor"}])
        rng = random.Random(seed)
        for b in range(0, n, 5000):
            calls, recs, jobs = [], [], []
            for i in range(b, min(n, b + 5000)):
                ring = _ring_at(i, n)
                dur = rng.randint(40, 400)
                calls.append({"id": i + 1, "direction": "inbound" if rng.random() < 0.8 else "outbound",
                              "number_raw": f"+7916{i:07d}", "number_e164": f"+7916{i:07d}",
                              "user_id": rng.randint(1, 8), "ring_at": ring, "answer_at": ring + timedelta(seconds=5),
                              "end_at": ring + timedelta(seconds=5 + dur), "disposition": "booked",
                              "situation": "incoming"})
                recs.append({"id": i + 1, "call_id": i + 1, "path": f"{i + 1}.ogg", "wrapped_key": b"",
                             "status": "complete", "duration_s": float(dur), "created_at": ring})
                jobs.append({"id": i + 1, "recording_id": i + 1, "status": "done", "attempts": 1,
                             "created_at": ring, "finished_at": ring + timedelta(minutes=5)})
            c.execute(insert(Call), calls)
            c.execute(insert(Recording), recs)
            c.execute(insert(TranscriptionJob), jobs)
        if backend == "postgresql":
            for t in ("users", "calls", "recordings", "transcription_jobs"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))
    corpus = Corpus(seed)
    truth = Truth(all_queries())
    gen_s = store_s = 0.0
    segments = 0
    last = time.perf_counter()
    for b in range(0, n, BATCH):
        g = time.perf_counter()
        items = []
        for i in range(b, min(n, b + BATCH)):
            segs = corpus.call(i).segments
            truth.add(i, segs)
            items.append((i + 1, i + 1, segs))
        s0 = time.perf_counter()
        gen_s += s0 - g
        with write_session(sessions) as s:
            segments += write_transcripts(s, keys, items)
        store_s += time.perf_counter() - s0
        if time.perf_counter() - last > 30:
            last = time.perf_counter()
            print(f"[{backend}] {b + BATCH}/{n} transcripts, {segments} segments, "
                  f"store {b and (b + BATCH) / store_s:.0f}/s", file=sys.stderr, flush=True)
    a0 = time.perf_counter()
    if backend == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a bulk load
    analyse_s = time.perf_counter() - a0
    build_s = time.perf_counter() - t0
    size = db_size(engine, backend, path)
    engine.dispose()
    manifest = {
        "backend": backend, "url": url, "path": str(path) if path else None, "transcripts": n,
        "segments": segments, "seed": seed, "corpus_version": CORPUS_VERSION,
        "build_s": round(build_s, 1), "generate_s": round(gen_s, 1), "store_s": round(store_s, 1),
        "vacuum_analyze_s": round(analyse_s, 1),
        "store_transcripts_per_s": round(n / store_s, 1), "store_segments_per_s": round(segments / store_s),
        "db_bytes_after_build": size, "answers": truth.answers(n),
    }
    (workdir / f"{backend}.json").write_text(json.dumps(manifest, ensure_ascii=False))
    return manifest


# --- queries ------------------------------------------------------------------------------------

def _server_cpu_s(engine) -> float | None:
    """CPU seconds used so far by this database's PostgreSQL backends (a local server, read
    from /proc; None when that is not possible). Clock-tick resolution: used per round."""
    from sqlalchemy import text

    try:
        with engine.connect() as c:
            pids = c.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars()
            total = 0
            for pid in pids:
                f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(f[11]) + int(f[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def run_queries(manifest: dict, rounds: int) -> dict:
    """The query mix through LibraryService.query, *rounds* timed passes after a warm-up; a
    query's figure is its median over the passes (the machine is shared: one pass can catch
    another program's burst), percentiles are over queries."""
    from app.domain import Role
    from app.review.access import Principal
    from app.review.adapters import TranscriptionSource
    from app.review.library import CallQuery, LibraryService
    from app.transcription.crypto import TranscriptKeys
    from db.session import make_engine, session_factory

    engine = make_engine(manifest["url"], pool_size=3)
    sessions = session_factory(engine)
    keys = TranscriptKeys.from_master(MASTER)
    library = LibraryService(sessions, TranscriptionSource(sessions, keys))
    sup = Principal(9, "supervisor", "Супервизор", Role.SUPERVISOR)
    w0, w1 = _window()
    answers = manifest["answers"]
    scopes = {"window": (w0, w1), "all": (None, None)}
    mix = [(cls, q) for cls, qs in QUERIES.items() for q in qs]
    random.Random(1).shuffle(mix)
    pg = manifest["backend"] == "postgresql"

    def one(q: str, scope: str) -> tuple[float, float, list]:
        d0, d1 = scopes[scope]
        c = time.process_time()
        t = time.perf_counter()
        rows = library.query(sup, CallQuery(text=q, date_from=d0, date_to=d1))
        return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, rows

    for cls, q in mix:  # warm-up: caches, connections, statement caches
        for scope in scopes:
            one(q, scope)
    # as the window does once it shows (ui.main.freeze_start_up_objects): what exists now (modules,
    # mappers, this benchmark's expected answers) is left out of the collector's full passes,
    # which otherwise add ~80 ms to whichever query they fall in
    gc.collect()
    gc.freeze()
    load0 = os.getloadavg()[0]
    wall: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    rowsn: dict[tuple[str, str], int] = {}
    wrong: list[dict] = []
    server_cpu: list[float] = []
    for r in range(rounds):
        sc0 = _server_cpu_s(engine) if pg else None
        for cls, q in mix:
            for scope in scopes:
                ms, cms, rows = one(q, scope)
                wall.setdefault((q, scope), []).append(ms)
                cpu.setdefault((q, scope), []).append(cms)
                rowsn[(q, scope)] = len(rows)
                if r == 0:
                    want = answers.get(q, {}).get(f"page_{scope}")
                    got = [x.call_id for x in rows]
                    no_mark = [x.call_id for x in rows if not any("[[" in h for h in x.highlights)]
                    if want is not None and (got != want or no_mark):
                        wrong.append({"query": q, "scope": scope, "want_rows": len(want), "got_rows": len(got),
                                      "missing": len(set(want) - set(got)), "extra": len(set(got) - set(want)),
                                      "rows_without_highlight": len(no_mark)})
        sc1 = _server_cpu_s(engine) if pg else None
        if sc0 is not None and sc1 is not None:
            server_cpu.append((sc1 - sc0) * 1000 / (len(mix) * len(scopes)))
    load1 = os.getloadavg()[0]
    engine.dispose()
    med = {k: statistics.median(v) for k, v in wall.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}

    def summary(keys_: list[tuple[str, str]]) -> dict:
        xs, cs = [med[k] for k in keys_], [cmed[k] for k in keys_]
        return {"n": len(xs), "p50_ms": round(_pct(xs, 50), 1), "p95_ms": round(_pct(xs, 95), 1),
                "max_ms": round(max(xs), 1), "cpu_p50_ms": round(_pct(cs, 50), 1), "cpu_p95_ms": round(_pct(cs, 95), 1)}

    out: dict = {}
    for scope in scopes:
        per = {}
        for cls, qs in QUERIES.items():
            per[cls] = summary([(q, scope) for q in qs]) | {
                "rows_median": statistics.median(rowsn[(q, scope)] for q in qs),
                "matching_calls_median": statistics.median(
                    answers[q]["calls" if scope == "all" else "calls_window"] for q in qs)}
        per["overall"] = summary([(q, scope) for _, q in mix])
        out[scope] = per
    out["queries"] = len(mix)
    out["rounds"] = rounds
    out["load_average_1min"] = [round(load0, 2), round(load1, 2)]  # before, after
    if server_cpu:
        out["server_cpu_ms_per_query"] = round(statistics.mean(server_cpu), 1)  # PostgreSQL backends
    out["slowest"] = [{"ms": round(med[k], 1), "scope": k[1], "query": k[0], "rows": rowsn[k]}
                      for k in sorted(med, key=med.get, reverse=True)[:10]]
    out["wrong_results"] = wrong
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--transcripts", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the query mix (median per query)")
    ap.add_argument("--dir", help="where the SQLite file and manifests go (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the built databases for --reuse")
    ap.add_argument("--reuse", metavar="DIR", help="reuse databases built with --keep in DIR (implies --keep)")
    ap.add_argument("--build-only", action="store_true", help="build (implies --keep), run no queries")
    a = ap.parse_args()
    backends = ("sqlite", "postgresql") if a.backend == "both" else (a.backend,)
    keep = a.keep or bool(a.reuse) or a.build_only
    workdir = Path(a.reuse or a.dir or tempfile.mkdtemp(prefix="carecall-bench-search-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = {"transcripts": a.transcripts, "dir": str(workdir), "backends": {}}
    try:
        for b in backends:
            mf = workdir / f"{b}.json"
            manifest = None
            if a.reuse and mf.exists():
                manifest = json.loads(mf.read_text())
                if (manifest["transcripts"], manifest["seed"], manifest["corpus_version"]) != \
                        (a.transcripts, a.seed, CORPUS_VERSION):
                    manifest = None
            built = manifest is None
            if built:
                print(f"[{b}] building {a.transcripts} transcripts in {workdir}", file=sys.stderr, flush=True)
                manifest = build(b, a.transcripts, a.seed, workdir)
            if set(all_queries()) - set(manifest["answers"]):
                print(f"[{b}] new queries: working out their answers from the corpus", file=sys.stderr, flush=True)
                manifest["answers"] = answers_from_corpus(a.transcripts, a.seed)
                mf.write_text(json.dumps(manifest, ensure_ascii=False))
            if a.build_only:
                continue
            from db.session import make_engine

            eng = make_engine(manifest["url"])
            size = db_size(eng, b, Path(manifest["path"]) if manifest["path"] else None)
            eng.dispose()
            res = {k: manifest[k] for k in ("transcripts", "segments", "build_s", "generate_s", "store_s",
                                            "vacuum_analyze_s", "store_transcripts_per_s",
                                            "store_segments_per_s")}
            res["db_mb"] = round(size / 2**20, 1)
            res["reused"] = not built
            print(f"[{b}] queries", file=sys.stderr, flush=True)
            res["search"] = run_queries(manifest, a.rounds)
            results["backends"][b] = res
    finally:
        if not keep:
            if "postgresql" in backends:
                _pg_drop(PG_NAME)
            if not a.dir:
                shutil.rmtree(workdir, ignore_errors=True)
            else:
                for p in workdir.glob("search.sqlite3*"):
                    p.unlink()
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
