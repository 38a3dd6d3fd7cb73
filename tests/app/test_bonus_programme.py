"""Bonus ledger and programme: FIFO, expiry, refusals, compensation, tiers, every 5th free,
programme measurement; the service on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest

from app.bonus import LedgerLine, replay
from app.bonus_programme import (
    Measurement,
    Programme,
    RedemptionRefused,
    check_redemption,
    compensation,
    discount_percent,
    due_accruals,
    is_free_service,
    measure,
)
from app.bonus_service import BonusService
from db.models import BonusEntry, Call
from tests import factories as f

P = Programme()
TODAY = date(2026, 11, 23)


def test_fifo_consumes_the_lot_that_expires_first_and_expiry_removes_the_rest():
    lines = [LedgerLine("accrual", 500, date(2026, 5, 1), date(2026, 11, 30)),
             LedgerLine("accrual", 1000, date(2026, 6, 1), date(2027, 6, 1)),
             LedgerLine("redemption", 300, date(2026, 7, 1))]
    st = replay(lines, TODAY)
    assert st.balance == 1200
    assert st.nearest_expiry.remaining == 200 and st.nearest_expiry.expires_on == date(2026, 11, 30)
    assert replay(lines, date(2026, 12, 1)).balance == 1000  # the 200 left in the first lot expired


def test_redemption_cap_and_balance_are_refused_with_clear_messages():
    check_redemption(1000, 2000, 1500, P)  # exactly 50%
    with pytest.raises(RedemptionRefused, match=r"more than 50% of the bill of 2000 \(at most 1000"):
        check_redemption(1001, 2000, 5000, P)
    with pytest.raises(RedemptionRefused, match="balance is only 300"):
        check_redemption(400, 2000, 300, P)
    with pytest.raises(RedemptionRefused, match="positive"):
        check_redemption(0, 2000, 300, P)


def test_compensation_is_ten_percent_of_the_spend():
    assert compensation(12_345, P) == 1234
    assert compensation(0, P) == 0


@pytest.mark.parametrize("paid,pct", [(99_999, 0), (100_000, 2), (199_999, 2), (200_000, 3),
                                      (900_000, 10), (1_000_000, 10), (5_000_000, 10)])
def test_cumulative_discount_tiers_in_thousands(paid, pct):
    assert discount_percent(paid, P) == pct


def test_discount_unit_is_configurable():
    roubles = Programme(discount_unit_roubles=1)  # "2% after 100 roubles"
    assert discount_percent(100, roubles) == 2 and discount_percent(250, roubles) == 3


def test_every_fifth_service_is_free():
    assert [n for n in range(1, 16) if is_free_service(n, P)] == [5, 10, 15]
    assert not is_free_service(5, Programme(free_every_nth_service=0))


def test_programme_accruals_first_second_and_six_months():
    visits = [date(2026, 1, 10), date(2026, 2, 1), date(2026, 2, 1), date(2026, 3, 1)]
    got = due_accruals(visits, date(2026, 7, 10), P)
    assert [(a.reason, a.on_date, a.amount) for a in got] == [
        ("first_visit", date(2026, 1, 10), 500), ("second_visit", date(2026, 2, 1), 500)]
    got = due_accruals(visits, date(2026, 7, 11), P)
    assert got[-1].reason == "six_months" and got[-1].on_date == date(2026, 7, 11)
    assert got[0].expires_on == date(2026, 1, 10) + timedelta(days=180)


@pytest.mark.parametrize("used,verdict", [(1, "not working"), (2, "weak"), (3, "good"), (5, "target reached")])
def test_measurement_thresholds(used, verdict):
    accr = {i: 500 for i in range(10)}
    m = measure(accr, told={0, 1, 2, 3}, used={i: 100 for i in range(used)}, start=TODAY, end=TODAY)
    assert m.used_percent == used * 10 and m.told_percent == 40.0
    assert m.verdict(P) == verdict
    assert Measurement(TODAY, TODAY, 0, 0, 0, 0, 0).verdict(P) == "no accruals in the period"


# --- the service, on both backends ------------------------------------------------------

@pytest.fixture
def olga(sessions):
    with sessions() as s, s.begin():
        d = f.doctor(s)
        cons = f.service(s, "C01", price=2000, is_consultation=True)
        p = f.patient(s)
        f.visit(s, p, d, f.dt(2026, 1, 10), [cons])
        f.visit(s, p, d, f.dt(2026, 2, 1), [cons])
        f.bonus(s, p, "accrual", 500, date(2026, 5, 1), date(2026, 11, 30))
        f.bonus(s, p, "accrual", 1000, date(2026, 6, 1), date(2027, 6, 1))
        return p.id


def test_service_redeem_refusals_and_fifo(sessions, olga):
    svc = BonusService(sessions, P)
    with pytest.raises(RedemptionRefused, match="more than 50%"):
        svc.redeem(olga, 1200, 2000, TODAY)
    with pytest.raises(RedemptionRefused, match="balance is only 1500"):
        svc.redeem(olga, 1600, 10_000, TODAY)
    assert svc.redeem(olga, 700, 2000, TODAY) == 800
    st = svc.state(olga, TODAY)
    assert st.balance == 800 and st.nearest_expiry.expires_on == date(2027, 6, 1)  # the old lot went first
    with sessions() as s:
        assert s.query(BonusEntry).filter_by(patient_id=olga, kind="redemption").count() == 1
    with pytest.raises(LookupError):
        svc.redeem(999_999, 1, 10, TODAY)


def test_service_expiry_entries_programme_and_compensation(sessions, olga):
    svc = BonusService(sessions, P)
    svc.redeem(olga, 300, 2000, TODAY)
    assert svc.record_expiries(olga, date(2026, 12, 5)) == 200
    assert svc.record_expiries(olga, date(2026, 12, 5)) == 0  # idempotent
    assert svc.state(olga, date(2026, 12, 5)).balance == 1000  # the expiry entry is not subtracted twice
    assert svc.apply_programme(olga, TODAY) == ["first_visit", "second_visit", "six_months"]
    assert svc.apply_programme(olga, TODAY) == []
    assert svc.compensate(olga, 4500, TODAY) == 450
    s = svc.summary(olga, TODAY)
    # 200 left of the old lot + 1000 + six-month 1000 (first/second visit ones expired in July) + 450
    assert s.balance == 200 + 1000 + 1000 + 450 and s.total_paid == 4000 and s.discount_percent == 0
    assert s.services_done == 2 and not s.next_service_free


def test_service_measure_counts_accrued_told_used(sessions, olga):
    with sessions() as s, s.begin():
        other = f.patient(s, "Петров", "Иван", "Иванович", "M", phones=("+79160000001",))
        third = f.patient(s, "Сидорова", "Анна", "", "F", phones=("+79160000002",))
        for p in (other, third):
            f.bonus(s, p, "accrual", 500, date(2026, 11, 2), date(2027, 5, 1))
        f.bonus(s, other, "redemption", 200, date(2026, 11, 10))
        s.add(Call(direction="outbound", patient_id=third.id, ring_at=f.dt(2026, 11, 5),
                   checklist={"care_question": True, "bonus_deadline": True}))
        s.add(Call(direction="outbound", patient_id=other.id, ring_at=f.dt(2026, 11, 5),
                   checklist={"care_question": True, "bonus_deadline": False}))
    m = BonusService(sessions, P).measure(date(2026, 11, 1), date(2026, 11, 30))
    assert (m.accrued, m.told, m.used, m.points_used) == (2, 1, 1, 200)
    assert m.used_percent == 50.0 and m.verdict(P) == "target reached"


def test_cli_apply_programme(db_url, olga, capsys):
    from app.cli import main

    assert main(["bonus", "apply", "--database", db_url, "--today", "2026-12-05", "--json"]) == 0
    import json

    res = json.loads(capsys.readouterr().out)
    # first and second visit accruals (expired in July and August: booked as expiries too), six months;
    # 500 left of the lot that expired on 30 November
    assert res == {"accruals": 3, "expired_points": 500 + 500 + 500, "patients": 1}
    assert main(["bonus", "apply", "--database", db_url, "--today", "2026-12-05", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"accruals": 0, "expired_points": 0, "patients": 0}
    assert main(["bonus", "apply", "--database", db_url, "--patient", "999999"]) == 1
