"""Loyalty programme rules (pure): accruals, redemption cap, compensation, discount tiers,
every n-th service free, and the programme measurement with the practice's thresholds.

The ledger itself (balance = unexpired remainder, oldest first) is :mod:`app.bonus`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Programme:
    redemption_cap_percent: int = 50
    expiry_days: int = 180
    first_visit_accrual: int = 500
    second_visit_accrual: int = 500
    six_month_accrual: int = 1000
    six_month_after_days: int = 182
    compensation_percent: int = 10
    discount_unit_roubles: int = 1000
    discount_start_units: int = 100
    discount_start_percent: int = 2
    discount_step_units: int = 100
    discount_step_percent: int = 1
    discount_max_percent: int = 10
    free_every_nth_service: int = 5
    measure_not_working_percent: int = 20
    measure_good_percent: int = 30
    measure_target_percent: int = 50

    @classmethod
    def from_settings(cls, s) -> Programme:
        return cls(**{k: getattr(s, k) for k in cls.__dataclass_fields__})


class RedemptionRefused(ValueError):
    """A redemption that the rules do not allow; the message is for the administrator."""


def max_redeemable(bill: int, balance: int, p: Programme) -> int:
    return max(0, min(balance, bill * p.redemption_cap_percent // 100))


def check_redemption(amount: int, bill: int, balance: int, p: Programme) -> None:
    if amount <= 0:
        raise RedemptionRefused("the amount to redeem must be a positive number of points")
    if bill <= 0:
        raise RedemptionRefused("the bill must be a positive amount of roubles")
    cap = bill * p.redemption_cap_percent // 100
    if amount > balance:
        raise RedemptionRefused(
            f"refused: {amount} points asked, but the balance is only {balance} "
            f"(at most {max_redeemable(bill, balance, p)} can be redeemed on this bill)")
    if amount > cap:
        raise RedemptionRefused(
            f"refused: {amount} points is more than {p.redemption_cap_percent}% of the bill of {bill} "
            f"(at most {cap} points on this bill)")


@dataclass(frozen=True)
class Accrual:
    reason: str  # first_visit, second_visit, six_months
    on_date: date
    amount: int
    expires_on: date


def due_accruals(visit_dates: list[date], today: date, p: Programme) -> list[Accrual]:
    """The programme's accruals a patient has earned by *today* (first, second visit, 6 months).

    Idempotence is the caller's: it skips reasons already in the ledger.
    """
    days = sorted(set(visit_dates))
    out: list[Accrual] = []
    exp = timedelta(days=p.expiry_days)
    if days and p.first_visit_accrual and days[0] <= today:
        out.append(Accrual("first_visit", days[0], p.first_visit_accrual, days[0] + exp))
    if len(days) > 1 and p.second_visit_accrual and days[1] <= today:
        out.append(Accrual("second_visit", days[1], p.second_visit_accrual, days[1] + exp))
    if days and p.six_month_accrual:
        six = days[0] + timedelta(days=p.six_month_after_days)
        if six <= today:
            out.append(Accrual("six_months", six, p.six_month_accrual, six + exp))
    return out


def compensation(amount_spent: int, p: Programme) -> int:
    """Bonuses for a reviewed complaint where the service was correct: 10% of the spend."""
    return max(0, amount_spent) * p.compensation_percent // 100


def discount_percent(total_paid_roubles: int, p: Programme) -> int:
    """Cumulative discount: start% after start_units paid, +step% per further step_units, capped.

    Amounts are counted in units of ``discount_unit_roubles`` (default 1000: "100" = 100 000 RUB).
    """
    units = max(0, total_paid_roubles) // p.discount_unit_roubles
    if units < p.discount_start_units:
        return 0
    steps = (units - p.discount_start_units) // p.discount_step_units
    return min(p.discount_max_percent, p.discount_start_percent + steps * p.discount_step_percent)


def is_free_service(nth: int, p: Programme) -> bool:
    """Is the patient's *nth* paid service (1-based) the free one (every 5th by default)?"""
    return p.free_every_nth_service > 0 and nth > 0 and nth % p.free_every_nth_service == 0


@dataclass
class Measurement:
    start: date
    end: date
    accrued: int  # patients who received an accrual in the period
    told: int  # of those, told of their bonuses (call with the bonus item ticked, or a message)
    used: int  # of those, redeemed within the period
    points_accrued: int
    points_used: int

    @property
    def told_percent(self) -> float:
        return round(100 * self.told / self.accrued, 1) if self.accrued else 0.0

    @property
    def used_percent(self) -> float:
        return round(100 * self.used / self.accrued, 1) if self.accrued else 0.0

    def verdict(self, p: Programme) -> str:
        u = self.used_percent
        if not self.accrued:
            return "no accruals in the period"
        if u >= p.measure_target_percent:
            return "target reached"
        if u >= p.measure_good_percent:
            return "good"
        if u < p.measure_not_working_percent:
            return "not working"
        return "weak"

    def to_json(self, p: Programme) -> dict:
        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(), "accrued": self.accrued,
            "told": self.told, "used": self.used, "told_percent": self.told_percent,
            "used_percent": self.used_percent, "points_accrued": self.points_accrued,
            "points_used": self.points_used, "verdict": self.verdict(p),
            "thresholds": {"not_working_below": p.measure_not_working_percent,
                           "good": p.measure_good_percent, "target": p.measure_target_percent},
        }


def measure(accruals: dict[int, int], told: set[int], used: dict[int, int], start: date, end: date) -> Measurement:
    """accruals/used: patient id -> points in the period; told: patients told in the period."""
    ids = set(accruals)
    return Measurement(start, end, len(ids), len(ids & told), len(ids & set(used)),
                       sum(accruals.values()), sum(v for k, v in used.items() if k in ids))
