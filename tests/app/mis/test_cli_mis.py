"""`carecall import` / `carecall export calls` as an IT person runs them (real subprocesses)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from db.models import Call, Patient, ReviewTag, CallTag
from db.session import make_engine, session_factory

ROOT = Path(__file__).resolve().parents[3]

CSV = (
    "Номер карты;Фамилия;Имя;Отчество;Дата рождения;Телефон\n"
    "501;Иванова;Ольга;Петровна;14.03.1985;8 (916) 123-45-67\n"
    "502;Петров;Сергей;Иванович;02.11.1979;+7 903 111-22-33\n"
    "503;;;;;\n"
    "504;Кот;Барсик;;никогда;\n"
)


def carecall(*args):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_import_dry_run_apply_reimport_and_json(db_url, tmp_path):
    f = tmp_path / "пациенты.csv"
    f.write_bytes(CSV.encode("cp1251"))
    r = carecall("import", str(f), "--kind", "patients", "--database", db_url, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "DRY RUN" in r.stdout and "created: 2" in r.stdout and "rejected: 2" in r.stdout
    assert "row 4: last name and first name are required" in r.stdout
    assert "row 5:" in r.stdout and "'никогда' is not a date" in r.stdout
    e = make_engine(db_url)
    try:
        with session_factory(e)() as s:
            assert s.scalars(select(Patient)).all() == []
        r = carecall("import", str(f), "--kind", "patients", "--database", db_url, "--save-mapping", "МИС клиники")
        assert r.returncode == 0, r.stderr
        assert "created: 2" in r.stdout
        r = carecall("import", str(f), "--kind", "patients", "--database", db_url, "--mapping", "МИС клиники",
                     "--json")
        assert r.returncode == 0, r.stderr
        rep = json.loads(r.stdout)
        assert (rep["created"], rep["updated"], rep["unchanged"], rep["rejected"]) == (0, 0, 2, 2)
        assert rep["encoding"] == "cp1251" and rep["mapping"] == "МИС клиники"
        with session_factory(e)() as s:
            assert sorted(p.external_id for p in s.scalars(select(Patient))) == ["501", "502"]
    finally:
        e.dispose()


def test_import_errors_are_messages_not_tracebacks(db_url, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("Колонка А;Колонка Б\n1;2\n", encoding="utf-8")
    r = carecall("import", str(f), "--kind", "visits", "--database", db_url)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no column is mapped to 'date'" in r.stderr
    r = carecall("import", str(tmp_path / "nope.xlsx"), "--kind", "patients", "--database", db_url)
    assert r.returncode == 1 and "file not found" in r.stderr
    r = carecall("import", str(f), "--kind", "patients", "--database", db_url, "--mapping", "Нет такой")
    assert r.returncode == 2 and "no mapping 'Нет такой'" in r.stderr
    r = carecall("import", str(f), "--kind", "patients", "--database", db_url,
                 "--map", "Колонка А=last_name", "--map", "Колонка Б=first_name", "--show-mapping")
    assert r.returncode == 0 and "-> last_name" in r.stdout


def test_export_calls_with_dispositions_and_tags(db_url, tmp_path):
    e = make_engine(db_url)
    try:
        with session_factory(e)() as s, s.begin():
            p = Patient(last_name="Иванова", first_name="Ольга", patronymic="Петровна", name_key="иванова ольга петровна",
                        sex="F", external_id="501")
            s.add(p)
            s.flush()
            c1 = Call(direction="inbound", number_raw="8 916 123-45-67", number_e164="+79161234567", patient_id=p.id,
                      ring_at=datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc),
                      answer_at=datetime(2026, 11, 20, 9, 0, 5, tzinfo=timezone.utc),
                      end_at=datetime(2026, 11, 20, 9, 3, 5, tzinfo=timezone.utc),
                      disposition="booked", disposition_note="на 25.11;\nк Смирновой")
            c2 = Call(direction="outbound", number_raw="+79031112233", ring_at=datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc),
                      disposition="no_answer")
            s.add_all([c1, c2])
            t = ReviewTag(name="вежливо")
            s.add(t)
            s.flush()
            s.add(CallTag(call_id=c1.id, tag_id=t.id))
        out = tmp_path / "calls.csv"
        r = carecall("export", "calls", "--out", str(out), "--database", db_url, "--to", "2026-11-21")
        assert r.returncode == 0, r.stderr
        assert "1 calls written" in r.stdout
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel recognises UTF-8 by the BOM
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
        assert len(rows) == 1
        row = rows[0]
        assert (row["patient_mis_id"], row["patient"], row["disposition"]) == ("501", "Иванова Ольга Петровна", "booked")
        assert row["note"] == "на 25.11; к Смирновой" and row["duration_s"] == "180" and row["tags"] == "вежливо"
        r = carecall("export", "calls", "--out", str(out), "--database", db_url, "--encoding", "cp1251",
                     "--delimiter", ",")
        assert r.returncode == 0 and "2 calls written" in r.stdout
        assert "Иванова" in out.read_bytes().decode("cp1251")
        r = carecall("export", "calls", "--out", str(out), "--database", db_url, "--from", "2026-13-01")
        assert r.returncode == 2 and "not a date" in r.stderr
    finally:
        e.dispose()
