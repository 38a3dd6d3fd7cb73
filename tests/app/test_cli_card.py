"""`carecall card` as a PBX script or a person at a terminal would run it (a real subprocess)."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from db.session import make_engine, session_factory
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]


def carecall(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.fixture
def filled(db_url):
    e = make_engine(db_url)
    s = session_factory(e)
    with s() as ss, ss.begin():
        d = f.doctor(ss)
        fill = f.service(ss, "T10", "Пломба световая", price=6500)
        fam = f.family(ss)
        f.patient(ss, family=fam, family_role="мать")
        f.patient(ss, "Иванов", "Пётр", "Сергеевич", "M", date(2012, 5, 2), family=fam, family_role="сын")
        p = f.patient(ss, "Кузнецова", "Мария", "Игоревна", phones=("+79035550011",))
        f.visit(ss, p, d, f.dt(2026, 10, 1), [fill])
        f.bonus(ss, p, "accrual", 1000, date(2026, 10, 1), date(2027, 3, 30))
    e.dispose()
    return db_url


def test_card_json_for_a_known_number(filled):
    r = carecall("card", "--phone", "8 (903) 555-00-11", "--database", filled, "--json", "--today", "2026-11-23")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["new_caller"] is False
    assert out["lookup"]["e164"] == "+79035550011"
    [card] = out["cards"]
    assert card["full_name"] == "Кузнецова Мария Игоревна"
    assert card["bonus"] == {"balance": 1000, "nearest_expiry_amount": 1000,
                             "nearest_expiry_date": "2027-03-30", "redemption_cap_percent": 50}
    assert card["visits"][0]["services"] == ["Пломба световая"]


def test_card_json_for_a_shared_number_lists_everyone(filled):
    r = carecall("card", "--phone", "sip:+79161234567@pbx.local", "--database", filled, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert sorted(c["first_name"] for c in out["cards"]) == ["Ольга", "Пётр"]


def test_card_text_for_an_unknown_number(filled):
    r = carecall("card", "--phone", "+7 999 111-22-33", "--database", filled)
    assert r.returncode == 0, r.stderr
    assert "New caller" in r.stdout


def test_garbage_number_is_a_message_not_a_traceback(filled):
    r = carecall("card", "--phone", "call me maybe", "--database", filled, "--json")
    assert r.returncode == 2
    assert "cannot look up 'call me maybe'" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_database_url_is_a_message(tmp_path):
    r = carecall("card", "--phone", "+79161234567", "--database", "nonsense://x")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "carecall:" in r.stderr


def test_bad_config_file_is_a_message(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[bonus]\nredemption_cap_percent = 'lots'\n", encoding="utf-8")
    r = carecall("card", "--phone", "+79161234567", "--config", str(cfg))
    assert r.returncode == 2
    assert "bonus.redemption_cap_percent" in r.stderr and "Traceback" not in r.stderr


def test_python_m_app_cli_reports_errors_without_traceback(filled):
    r = subprocess.run([sys.executable, "-m", "app.cli", "card", "--phone", "garbage", "--database", filled],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2
    assert "contains no digits" in r.stderr and "Traceback" not in r.stderr


def test_database_option_before_the_subcommand_is_honoured(filled):
    r = carecall("--database", filled, "card", "--phone", "+79035550011", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["cards"][0]["last_name"] == "Кузнецова"
