"""Financing simulations: standard (French) amortization in exact decimals.

monthly rate r = annual / 12; payment = F·r / (1 − (1 + r)^−n), or F / n when r is 0;
rounded half-up to the centavo. `total_paid = down_payment + payment · months`.
With a positive rate the payments always cover the financed amount; at 0 % the rounded
payment may leave up to half a centavo per month uncovered (the dealer's last payment
absorbs it, as in real contracts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from showroom.formatting import CENTAVO, to_decimal
from showroom.settings import get_settings

Number = Decimal | int | float | str


class FinancingError(ValueError):
    """Numbers no lender would accept (the message says which, in English)."""


@dataclass(frozen=True)
class FinancingPlan:
    price: Decimal
    down_payment: Decimal
    financed: Decimal
    months: int
    annual_rate: Decimal
    monthly_payment: Decimal
    total_paid: Decimal
    total_interest: Decimal

    def as_json(self) -> dict[str, str | int]:
        """Decimals as strings (exact), the way the CLI prints them."""
        return {
            "price": str(self.price),
            "down_payment": str(self.down_payment),
            "financed": str(self.financed),
            "months": self.months,
            "annual_rate": _plain(self.annual_rate),
            "monthly_payment": str(self.monthly_payment),
            "total_paid": str(self.total_paid),
            "total_interest": str(self.total_interest),
        }


def _plain(value: Decimal) -> str:
    """`Decimal("0.1390")` -> `"0.139"`, never scientific notation."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


def _money(value: Number, what: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise FinancingError(f"{what} is not a number: {value!r}") from exc
    if not amount.is_finite():
        raise FinancingError(f"{what} is not a finite number: {value!r}")
    return amount.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def monthly_payment(financed: Decimal, months: int, annual_rate: Decimal) -> Decimal:
    """The French-amortization payment, rounded half-up to the centavo."""
    with localcontext() as ctx:
        ctx.prec = 50
        if annual_rate == 0:
            exact = financed / months
        else:
            rate = annual_rate / 12
            exact = financed * rate / (1 - (1 + rate) ** -months)
        return exact.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def simulate(
    price: Number, down_payment: Number, months: int, annual_rate: Number
) -> FinancingPlan:
    """A financing plan; `FinancingError` for a term outside Settings' bounds (12–72 by
    default), a negative down payment or one that covers the whole price, a price ≤ 0, or a
    negative/absurd rate (≥ 100 % a year)."""
    settings = get_settings()
    price_d = _money(price, "price")
    down_d = _money(down_payment, "down payment")
    try:
        rate = to_decimal(annual_rate)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise FinancingError(f"annual rate is not a number: {annual_rate!r}") from exc
    if isinstance(months, bool) or not isinstance(months, int):
        raise FinancingError(f"months must be a whole number, got {months!r}")
    if price_d <= 0:
        raise FinancingError("price must be greater than zero")
    if down_d < 0:
        raise FinancingError("down payment cannot be negative")
    if down_d >= price_d:
        raise FinancingError("down payment must be less than the price")
    low, high = settings.financing_min_months, settings.financing_max_months
    if not low <= months <= high:
        raise FinancingError(f"term must be between {low} and {high} months, got {months}")
    if not rate.is_finite() or rate < 0 or rate >= 1:
        raise FinancingError(f"annual rate must be a fraction in [0, 1), got {annual_rate!r}")

    financed = price_d - down_d
    payment = monthly_payment(financed, months, rate)
    total_paid = down_d + payment * months
    return FinancingPlan(
        price=price_d,
        down_payment=down_d,
        financed=financed,
        months=months,
        annual_rate=rate,
        monthly_payment=payment,
        total_paid=total_paid,
        total_interest=total_paid - price_d,
    )


def down_payment_from_percent(price: Number, percent: Number) -> Decimal:
    """`percent` 20 means 20 % of the price, rounded half-up to the centavo."""
    price_d = _money(price, "price")
    try:
        pct = to_decimal(percent)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise FinancingError(f"percent is not a number: {percent!r}") from exc
    if not pct.is_finite() or not 0 <= pct < 100:
        raise FinancingError(f"down payment percent must be in [0, 100), got {percent!r}")
    return (price_d * pct / 100).quantize(CENTAVO, rounding=ROUND_HALF_UP)
