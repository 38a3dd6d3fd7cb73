"""The generated demo clinic: determinism, realistic names and phones, every pattern the call
situations rely on, the showcase patients, and the ``carecall demo-db`` command."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import case, func, select

from app import demo as demo_mod
from app.bonus import LedgerLine, replay
from app.card import CardService, age_on, name_key
from app.cli import main
from app.demo import PATRONYMICS, SHOWCASE, DemoError, content_hash, generate
from app.phones import normalize
from db.models import (
    Appointment,
    BonusEntry,
    Complaint,
    Doctor,
    Family,
    Patient,
    PatientPhone,
    PlanStage,
    Service,
    TreatmentPlan,
    Visit,
    VisitService,
)
from db.session import make_engine, session_factory, upgrade

TODAY = date(2026, 11, 23)
N = 300


@pytest.fixture
def demo(engine):
    return generate(engine, N, seed=7, today=TODAY)


def _second_database(request, db_url, tmp_path):
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'second.sqlite3'}"
        e = make_engine(url)
        upgrade(e)
        return e
    return make_engine(request.getfixturevalue("pg_url"))


def test_same_seed_same_clinic_other_seed_other_clinic(request, db_url, engine, tmp_path):
    first = generate(engine, N, seed=7, today=TODAY)
    other = _second_database(request, db_url, tmp_path)
    try:
        second = generate(other, N, seed=7, today=TODAY)
        assert first.rows == second.rows
        assert content_hash(engine) == content_hash(other)
        demo_mod.clear_clinic(other)
        generate(other, N, seed=8, today=TODAY)
        assert content_hash(engine) != content_hash(other)
    finally:
        other.dispose()


def test_refuses_a_non_empty_database_and_bad_sizes(engine, demo):
    with pytest.raises(DemoError, match="not empty"):
        generate(engine, 10, today=TODAY)
    for bad in (0, -1, demo_mod.MAX_PATIENTS + 1):
        with pytest.raises(DemoError, match="between 1 and"):
            generate(engine, bad, today=TODAY)


def test_counts_and_ids(engine, sessions, demo):
    assert demo.patients == N
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == N
        assert 12 <= s.scalar(select(func.count()).select_from(Doctor)) <= 20
        for model in (Patient, PatientPhone, Visit, VisitService, BonusEntry):
            assert s.scalar(select(func.count()).select_from(model)) == demo.rows[model.__tablename__]
        # created after the demo: ids continue past the generated ones (PostgreSQL sequences)
    pid = CardService(sessions).create_patient("Новая", "Пациентка", "Ивановна", "F", "+7 901 000-00-01")
    assert pid == N + 1


def test_names_patronymics_and_surnames_match_sex(sessions, demo):
    with sessions() as s:
        pats = s.scalars(select(Patient)).all()
        fathers = {}
        for p in pats:
            assert p.sex in ("M", "F")
            assert p.patronymic.endswith("ич" if p.sex == "M" else "на"), p.full_name
            sons = {m for m, _ in PATRONYMICS.values()}
            daughters = {f for _, f in PATRONYMICS.values()}
            assert p.patronymic in (sons if p.sex == "M" else daughters), p.full_name
            last = p.last_name
            if p.sex == "M":
                assert not last.endswith(("ова", "ева", "ёва", "ина", "ская", "цкая", "ая")), p.full_name
            else:
                assert not re.search(r"(ов|ев|ёв|ин|ский|цкий|ой)$", last), p.full_name
            assert p.name_key == name_key(p.last_name, p.first_name, p.patronymic)
            if p.family_role == "отец":
                fathers[p.family_id] = p
        # the same stem across the sexes: Иванов/Иванова, invariant Шевчук/Шевчук
        assert {p.last_name for p in pats} & {"Иванова", "Смирнова", "Кузнецова", "Петрова", "Соколова"}
        children = [p for p in pats if p.family_role in ("сын", "дочь")]
        assert len(children) > 10
        checked = 0
        for c in children:
            f = fathers.get(c.family_id)
            if f is not None:
                assert c.patronymic == PATRONYMICS[f.first_name][0 if c.sex == "M" else 1]
                assert c.last_name == demo_mod.surname_for(f.last_name, c.sex)
                checked += 1
        assert checked > 5
        ages = [age_on(p.birth_date, TODAY) for p in pats]
        assert sum(a < 18 for a in ages) > N * 0.08
        assert sum(a >= 65 for a in ages) > N * 0.04
        assert len({p.birth_date.month for p in pats}) == 12


def test_phones_normalise_vary_and_families_share_numbers(sessions, demo):
    with sessions() as s:
        rows = s.execute(select(PatientPhone.patient_id, PatientPhone.e164, PatientPhone.raw,
                                PatientPhone.kind)).all()
    shapes = Counter()
    for _, e164, raw, _ in rows:
        assert normalize(raw) == e164
        shapes[re.sub(r"\d", "9", raw)] += 1
    assert len(shapes) >= 8  # "8 (999) 999-99-99", "+7 999 999 99 99", "9999999999", ...
    assert max(shapes.values()) < 0.5 * len(rows)
    kinds = Counter(k for *_, k in rows)
    assert kinds["mobile"] > kinds["home"] > 0
    assert any(e.startswith("+7495") or e.startswith("+7499") for _, e, _, _ in rows)
    assert any(e.startswith("+7812") for _, e, _, _ in rows) or len(rows) < 400
    by_number = defaultdict(set)
    for pid, e164, _, _ in rows:
        by_number[e164].add(pid)
    shared = [n for n, ids in by_number.items() if len(ids) > 1]
    assert len(shared) > 10
    svc = CardService(sessions)
    lk = svc.lookup_phone(shared[len(shared) // 2], TODAY)
    assert lk.needs_choice and {m.id for m in lk.matches} == by_number[shared[len(shared) // 2]]
    with sessions() as s:
        fam = {p.id: p.family_id for p in s.scalars(select(Patient))}
    # numbers are shared within families, not between strangers (showcase aside)
    for n in shared:
        assert len({fam[i] for i in by_number[n]}) == 1, n


def _count(s, stmt) -> int:
    return s.scalar(select(func.count()).select_from(stmt.subquery()))


def test_every_call_situation_is_present(sessions, demo):
    now = demo.now
    year_ago = datetime.combine(TODAY - timedelta(days=365), datetime.min.time()).astimezone()
    with sessions() as s:
        # continued treatment: active plans with overdue due stages
        assert _count(s, select(PlanStage.id).where(PlanStage.status == "due", PlanStage.due_on < TODAY)) > 10
        assert _count(s, select(TreatmentPlan.id).where(TreatmentPlan.status == "declined")) > 0
        dropped = (select(PlanStage.plan_id).group_by(PlanStage.plan_id)
                   .having(func.sum(case((PlanStage.status == "done", 1), else_=0)) > 0,
                           func.sum(case(((PlanStage.status == "due") & (PlanStage.due_on < TODAY), 1), else_=0)) > 0))
        assert _count(s, dropped) > 5  # dropped out midway
        assert _count(s, select(TreatmentPlan.id).where(TreatmentPlan.status == "completed")) > 10
        # return: patients whose only visit was a consultation
        single = select(Visit.patient_id).group_by(Visit.patient_id).having(func.count() == 1).subquery()
        only_consult = (
            select(Visit.patient_id).distinct()
            .join(single, single.c.patient_id == Visit.patient_id)
            .join(VisitService, VisitService.visit_id == Visit.id)
            .join(Service, Service.id == VisitService.service_id)
            .where(Service.is_consultation.is_(True))
        )
        assert _count(s, only_consult) > 10
        # prevention / lapsed: last visit more than a year ago
        last = select(Visit.patient_id).group_by(Visit.patient_id).having(func.max(Visit.starts_at) < year_ago)
        assert _count(s, last) > N * 0.1
        # follow-up: visits today or yesterday, all in the past
        recent = datetime.combine(TODAY - timedelta(days=1), datetime.min.time()).astimezone()
        assert _count(s, select(Visit.id).where(Visit.starts_at >= recent)) > 2
        assert _count(s, select(Visit.id).where(Visit.starts_at > now)) == 0
        # confirmation: upcoming appointments, some in two days and some in two hours
        appts = s.execute(select(Appointment.starts_at, Appointment.status, Appointment.patient_id)
                          .where(Appointment.status.in_(["scheduled", "confirmed"]))).all()
        assert len(appts) > 10 and all(a.starts_at > now for a in appts)
        bulk = [a for a in appts if a.patient_id > demo_mod.SHOWCASE_PATIENTS]
        assert sum(a.starts_at.astimezone().date() == TODAY + timedelta(days=2) for a in bulk) > 1
        assert sum(abs(a.starts_at - (now + timedelta(hours=2))) < timedelta(minutes=1) for a in bulk) >= 1
        assert _count(s, select(Appointment.id).where(Appointment.status == "confirmed")) > 0
        # complaints, consents, channels, referrals, comments
        assert _count(s, select(Complaint.id).where(Complaint.status == "open")) > 1
        assert _count(s, select(Complaint.id).where(Complaint.status == "resolved")) > 0
        pats = s.scalars(select(Patient)).all()
        assert sum(p.do_not_contact for p in pats) > 1
        assert sum(not p.consent_calls and not p.do_not_contact for p in pats) > 5
        assert sum(not p.consent_recording for p in pats) > 3
        assert set(Counter(p.preferred_channel for p in pats)) == {"phone", "whatsapp", "telegram", "sms", "email"}
        assert sum(p.referred_by_id is not None for p in pats) > 3
        assert sum(bool(p.comments) for p in pats) > N * 0.1
        assert _count(s, select(Family.id)) > 20
        # services carry consultations and recall intervals
        svc = {x.code: x for x in s.scalars(select(Service))}
        assert svc["HY-01"].recall_months == 6 and svc["GY-02"].recall_months == 12
        assert svc["SU-03"].recall_months == 6 and 1 <= svc["OR-02"].recall_months <= 3
        assert all(x.price > 0 for x in svc.values()) and sum(x.is_consultation for x in svc.values()) >= 8


def test_bonus_ledger_follows_the_programme(sessions, demo):
    with sessions() as s:
        entries = s.execute(select(BonusEntry).order_by(BonusEntry.id)).scalars().all()
        visits = {v.id: v for v in s.scalars(select(Visit))}
    kinds = Counter(e.kind for e in entries)
    assert all(kinds[k] > 5 for k in ("accrual", "redemption", "expiry")), kinds
    assert kinds["compensation"] > 0
    amounts = Counter(e.amount for e in entries if e.kind == "accrual")
    assert set(amounts) == {500, 1000}
    per_patient = defaultdict(list)
    redeemed_by_visit = defaultdict(int)
    for e in entries:
        per_patient[e.patient_id].append(e)
        if e.kind in ("accrual", "compensation"):
            assert e.expires_on == e.on_date + timedelta(days=180)
        if e.kind == "redemption":
            v = visits[e.visit_id]
            assert v.patient_id == e.patient_id and v.starts_at.astimezone().date() == e.on_date
            assert e.amount <= v.amount * 50 // 100
            redeemed_by_visit[v.id] += e.amount
    for vid, v in visits.items():
        assert v.bonus_paid == redeemed_by_visit.get(vid, 0)
    for pid, lines in per_patient.items():
        # never redeem more than the live balance; expiry entries are exactly what expired
        lines.sort(key=lambda e: (e.on_date, e.kind not in ("accrual", "compensation")))
        history: list[LedgerLine] = []
        for e in lines:
            ll = LedgerLine(e.kind, e.amount, e.on_date, e.expires_on)
            if e.kind == "redemption":
                assert e.amount <= replay(history, e.on_date).balance, pid
            history.append(ll)
        accrued = sum(e.amount for e in lines if e.kind in ("accrual", "compensation"))
        spent = sum(e.amount for e in lines if e.kind in ("redemption", "expiry"))
        assert accrued - spent == replay(history, TODAY).balance >= 0, pid


def _one(svc: CardService, key: str, last: str | None = None):
    lk = svc.lookup_phone(SHOWCASE[key], TODAY)
    matches = [m for m in lk.matches if last is None or m.full_name.startswith(last)]
    assert len(matches) == 1, (key, [m.full_name for m in lk.matches])
    return svc.card(matches[0].id, TODAY)


def test_showcase_patients(sessions, demo):
    svc = CardService(sessions)
    now = demo.now
    lk = svc.lookup_phone("8 (916) 123-45-67", TODAY)
    assert sorted(m.full_name for m in lk.matches) == ["Иванов Пётр Сергеевич", "Иванова Ольга Петровна"]
    olga = _one(svc, "ivanova_mother", "Иванова")
    assert olga.age == 41 and olga.consent_recording and not olga.do_not_contact and not olga.alerts
    assert any(pl.unfinished and any(st.status == "due" and st.due_on < TODAY for st in pl.stages)
               for pl in olga.plans)
    assert olga.bonus.balance > 0
    assert TODAY <= olga.bonus.nearest_expiry_date <= TODAY + timedelta(days=30)
    assert {m.role for m in olga.family} == {"сын", "отец"}
    assert [m.shares_phone for m in olga.family if m.role == "сын"] == [True]
    assert len(svc.lookup_phone(SHOWCASE["ivanov_home"], TODAY).matches) == 2

    ret = _one(svc, "return_consultation")
    assert len(ret.visits) == 1 and ret.visits[0].starts_at.astimezone().date() == TODAY - timedelta(days=1)
    assert ret.plans and all(st.status == "due" for st in ret.plans[0].stages)

    lapsed = _one(svc, "lapsed_prevention")
    last = lapsed.visits[0].starts_at.astimezone().date()
    assert last == demo_mod.add_months(TODAY, -14) and "Профессиональная гигиена полости рта" in lapsed.visits[0].services

    fu = _one(svc, "follow_up_today")
    assert fu.visits[0].starts_at.astimezone().date() == TODAY and fu.visits[0].starts_at <= now

    two_days = _one(svc, "confirm_in_2_days")
    assert two_days.next_appointment.starts_at.astimezone().date() == TODAY + timedelta(days=2)
    two_hours = _one(svc, "confirm_in_2_hours")
    assert abs(two_hours.next_appointment.starts_at - (now + timedelta(hours=2))) < timedelta(minutes=1)

    assert [a.code for a in _one(svc, "do_not_contact").alerts] == ["do_not_contact"]
    assert [a.code for a in _one(svc, "no_recording_consent").alerts] == ["no_recording_consent"]
    comp = _one(svc, "open_complaint")
    assert [a.code for a in comp.alerts] == ["open_complaint"] and comp.open_complaints

    bday = _one(svc, "birthday_in_3_days")
    nb = bday.birth_date.replace(year=TODAY.year)
    assert (nb - TODAY).days == 3 and bday.age == 29

    with sessions() as s:
        showcase_ids = {pid for n in SHOWCASE.values() for pid in s.scalars(
            select(PatientPhone.patient_id).where(PatientPhone.e164 == n))}
    assert showcase_ids == set(range(1, demo_mod.SHOWCASE_PATIENTS + 1))

    referrer = _one(svc, "referrer")
    referred = _one(svc, "referred")
    with sessions() as s:
        assert s.get(Patient, referred.patient_id).referred_by_id == referrer.patient_id


def test_ensure_demo_fills_only_an_empty_database(engine, settings):
    settings.database.demo_patients = 40
    stats = demo_mod.ensure_demo(engine, settings)
    assert stats is not None and stats.patients == 40
    assert demo_mod.ensure_demo(engine, settings) is None
    assert demo_mod.count_patients(engine) == 40
    settings.database.demo_patients = 0
    demo_mod.clear_clinic(engine)
    assert demo_mod.ensure_demo(engine, settings) is None and demo_mod.count_patients(engine) == 0


def test_ensure_demo_leaves_a_database_with_imported_doctors_alone(sessions, engine, settings):
    from tests import factories as f

    with sessions() as s, s.begin():
        f.doctor(s)
    assert demo_mod.ensure_demo(engine, settings) is None
    assert demo_mod.count_patients(engine) == 0


# --- the command ------------------------------------------------------------------------------

def test_cli_generates_refuses_and_replaces(db_url, capsys):
    assert main(["demo-db", "--patients", "60", "--database", db_url, "--today", "2026-11-23",
                 "--seed", "3", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "60 patients" in out and "+7 916 123-45-67" in out and "ivanova_mother" in out
    e = make_engine(db_url)
    try:
        before = content_hash(e)
        assert main(["demo-db", "--patients", "80", "--database", db_url, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert "already has 60 patients" in err and "--replace" in err and "Traceback" not in err
        assert content_hash(e) == before
        assert main(["demo-db", "--patients", "80", "--database", db_url, "--today", "2026-11-23",
                     "--replace", "--quiet"]) == 0
        assert "80 patients" in capsys.readouterr().out
        assert demo_mod.count_patients(e) == 80
        with session_factory(e)() as s:
            assert s.scalar(select(func.count()).select_from(Doctor)) == len(demo_mod.DOCTORS)
    finally:
        e.dispose()


@pytest.mark.parametrize("argv,message", [
    (["--patients", "0"], "between 1 and 1,000,000"),
    (["--patients", "1000001"], "between 1 and 1,000,000"),
    (["--patients", "many"], "not a whole number"),
    (["--patients", "5", "--today", "23.11.2026"], "not a date"),
    (["--patients", "5", "--seed", "x"], "not a whole number"),
])
def test_cli_bad_input_is_a_clear_message(sqlite_url, capsys, argv, message):
    assert main(["demo-db", "--database", sqlite_url, *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    e = make_engine(sqlite_url)
    try:
        assert demo_mod.count_patients(e) == 0
    finally:
        e.dispose()


def test_clear_clinic_removes_what_refers_to_patients_and_keeps_users(sessions, engine, demo):
    from db.models import Call, User

    with sessions() as s, s.begin():
        s.add(User(login="admin1", full_name="Администратор", role="administrator"))
        s.add(Call(direction="inbound", number_raw="+79161234567", number_e164="+79161234567", patient_id=1))
    names = demo_mod.clear_clinic(engine)
    assert "calls" in names and "users" not in names and "patients" in names
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 0
        assert s.scalar(select(func.count()).select_from(User)) == 1
        for t in demo_mod.TABLES:
            assert s.scalar(select(func.count()).select_from(Patient.metadata.tables[t])) == 0
    again = generate(engine, 20, seed=7, today=TODAY)
    assert again.patients == 20
