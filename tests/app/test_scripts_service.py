"""Script versions in the database, rendering for a real patient, the checklist saved with a call,
and ``carecall card --json`` with situations and a fully rendered script."""

import json
import re
from datetime import date, datetime, timezone

import pytest

from app.cli import main
from app.scripts.renderer import ScriptError
from app.scripts.service import ScriptService
from app.situation_service import SituationService
from db.models import Call, ScriptVersion
from tests import factories as f

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
FIELD = re.compile(r"\{[a-z_]+\}")


@pytest.fixture
def olga(sessions):
    with sessions() as s, s.begin():
        d = f.doctor(s)
        cons = f.service(s, "C01", "Консультация стоматолога", price=1500, is_consultation=True)
        p = f.patient(s, address="ул. Белой Магнолии, 5")
        f.visit(s, p, d, f.dt(2026, 11, 22), [cons])
        f.bonus(s, p, "accrual", 1000, date(2026, 6, 1), date(2026, 11, 30))
        return p.id


def svc(sessions, lang="ru"):
    return ScriptService(sessions, SituationService(sessions), lang, clinic_name="")


def test_seeded_on_first_use_and_every_edit_is_a_new_version(sessions, olga):
    s = svc(sessions)
    v1 = s.current("prevention")
    assert v1.version == 1 and v1.author == "resources"
    assert s.ensure_seeded() == 0
    body = v1.body.replace("Хорошего дня.", "Хорошего дня и крепкого здоровья!")
    v2 = s.save("prevention", body, "supervisor", "теплее прощание")
    assert v2.version == 2 and s.current("prevention").id == v2.id
    assert [v.version for v in s.history("prevention")] == [2, 1]
    with pytest.raises(ScriptError, match="care first"):
        s.save("prevention", body.replace('kind = "care"', 'kind = "booking"', 1), "supervisor")
    assert s.current("prevention").version == 2  # a refused edit stores nothing
    assert s.current("prevention", "en").version == 1  # languages are versioned apart
    with sessions() as ss:
        assert ss.query(ScriptVersion).filter_by(situation="prevention", language="ru").count() == 2


def test_render_for_a_real_patient_and_record_on_the_call(sessions, olga):
    s = svc(sessions)
    sits, scripts = s.for_patient(olga, NOW)
    assert sits[0].code == "return_consultation"
    top = scripts[0]
    assert top.version == 1 and top.version_id is not None
    assert "Кстати, Ольга Петровна, у вас на счёте 1 000 бонусных баллов" in top.text
    assert "Баллы действуют до 30 ноября." in top.text
    assert not FIELD.search(top.text)
    with sessions() as ss, ss.begin():
        call = Call(direction="outbound", patient_id=olga)
        ss.add(call)
        ss.flush()
        cid = call.id
    s.record_on_call(cid, top.version_id, {"care_question": True, "bonus_deadline": False}, top.situation)
    with sessions() as ss:
        c = ss.get(Call, cid)
        assert c.script_version_id == top.version_id
        assert c.checklist == {"care_question": True, "bonus_deadline": False}
        assert c.situation == "return_consultation"
    with pytest.raises(ValueError, match="unknown checklist"):
        s.record_on_call(cid, top.version_id, {"smiled": True})


def test_live_preview_renders_an_unsaved_body(sessions, olga):
    s = svc(sessions, "en")
    facts = s.situations.facts(olga, NOW)
    sit = s.situations.detect(olga, NOW)[0]
    body = s.current(sit.code).body.replace("May I ask", "Could you tell me")
    r = s.render_body(body, facts, sit, NOW)
    assert "Could you tell me what kept you" in r.text
    assert s.current(sit.code).version == 1


def test_cli_card_json_has_situations_and_a_resolved_script(db_url, olga, capsys):
    rc = main(["card", "--database", db_url, "--phone", "8 916 123-45-67", "--json", "--today", "2026-11-23"])
    out = capsys.readouterr().out
    assert rc == 0
    assert not FIELD.search(out)
    data = json.loads(out)
    card = data["cards"][0]
    assert card["situations"][0]["code"] == "return_consultation"
    assert "treatment not started" in card["situations"][0]["reason"]
    sc = card["script"]
    assert sc["situation"] == "return_consultation" and sc["version"] == 1 and sc["language"] == "ru"
    assert "1 000 бонусных баллов" in sc["text"] and [c["code"] for c in sc["checklist"]][0] == "care_question"
    assert {o["code"] for o in sc["objections"]} >= {"price", "think", "intrusive"}
    rc = main(["card", "--database", db_url, "--phone", "+7 999 000-00-00", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["new_caller"] and data["situations"][0]["code"] == "new_patient"
    assert "+7 999 000-00-00" in data["script"]["text"] and not FIELD.search(json.dumps(data, ensure_ascii=False))


def test_cli_lists_and_bonus(db_url, olga, capsys):
    assert main(["lists", "build", "--database", db_url, "--date", "2026-11-23", "--json"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert built["added"] == {"return_consultation": 1}
    assert main(["lists", "show", "--database", db_url, "--date", "2026-11-23", "--list", "return_consultation"]) == 0
    assert "Иванова Ольга Петровна" in capsys.readouterr().out
    assert main(["lists", "show", "--database", db_url, "--date", "2026-11-23", "--list", "birthday"]) == 2
    assert "no list 'birthday'" in capsys.readouterr().err
    assert main(["bonus", "balance", "--database", db_url, "--patient", str(olga), "--today", "2026-11-23"]) == 0
    assert "1000 points; 1000 expire on 2026-11-30" in capsys.readouterr().out
    assert main(["bonus", "redeem", "--database", db_url, "--patient", str(olga), "--amount", "900",
                 "--bill", "1500", "--today", "2026-11-23"]) == 2
    err = capsys.readouterr().err
    assert "refused: 900 points is more than 50% of the bill of 1500 (at most 750" in err and "Traceback" not in err
    assert main(["bonus", "redeem", "--database", db_url, "--patient", str(olga), "--amount", "750",
                 "--bill", "1500", "--today", "2026-11-23", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["balance"] == 250
    assert main(["bonus", "measure", "--database", db_url, "--from", "2026-06-01", "--to", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "accrued: 1 patients" in out and "used:    1 (100.0%" in out and "target reached" in out
    assert main(["bonus", "measure", "--database", db_url, "--from", "2026-12-01", "--to", "2026-11-30"]) == 2
