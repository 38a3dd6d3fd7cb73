"""Bonus balance from the ledger: the unexpired remainder, consumed oldest first (FIFO)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from app.domain import BonusKind


@dataclass(frozen=True)
class LedgerLine:
    kind: str
    amount: int
    on_date: date
    expires_on: date | None = None


@dataclass
class Lot:
    """What is left of one accrual or compensation."""

    granted_on: date
    expires_on: date | None
    remaining: int


@dataclass
class BonusState:
    balance: int
    lots: list[Lot] = field(default_factory=list)  # live lots, oldest expiry first

    @property
    def nearest_expiry(self) -> Lot | None:
        dated = [l for l in self.lots if l.expires_on is not None and l.remaining > 0]
        return min(dated, key=lambda l: l.expires_on) if dated else None


def replay(lines: Iterable[LedgerLine], today: date) -> BonusState:
    """Replay the ledger up to *today*.

    Accruals and compensations create lots. A redemption consumes the lots that expire first
    (those without expiry last). A lot past its expiry date is gone (an explicit expiry entry,
    when present, is the bookkeeping of the same event and is not subtracted twice).
    """
    lots: list[Lot] = []
    ordered = sorted(
        (l for l in lines if l.on_date <= today),
        key=lambda l: (l.on_date, 0 if l.kind in (BonusKind.ACCRUAL, BonusKind.COMPENSATION) else 1),
    )
    for line in ordered:
        _expire(lots, line.on_date)
        if line.kind in (BonusKind.ACCRUAL, BonusKind.COMPENSATION):
            lots.append(Lot(line.on_date, line.expires_on, line.amount))
        elif line.kind == BonusKind.REDEMPTION:
            _consume(lots, line.amount)
        # EXPIRY entries record what _expire() already removed.
    _expire(lots, today)
    live = [l for l in lots if l.remaining > 0]
    live.sort(key=lambda l: (l.expires_on is None, l.expires_on or date.max, l.granted_on))
    return BonusState(sum(l.remaining for l in live), live)


def _expire(lots: list[Lot], on: date) -> None:
    for lot in lots:
        if lot.expires_on is not None and lot.expires_on < on:
            lot.remaining = 0


def _consume(lots: list[Lot], amount: int) -> None:
    order = sorted(
        (l for l in lots if l.remaining > 0),
        key=lambda l: (l.expires_on is None, l.expires_on or date.max, l.granted_on),
    )
    for lot in order:
        if amount <= 0:
            break
        take = min(lot.remaining, amount)
        lot.remaining -= take
        amount -= take
