"""Financing: exact decimals, checked against the closed formula computed independently."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from showroom.sales.financing import (
    FinancingError,
    FinancingPlan,
    down_payment_from_percent,
    simulate,
)

CENTAVO = Decimal("0.01")


def float_payment(financed: float, months: int, annual_rate: float) -> float:
    """The textbook annuity formula in binary floating point (an independent computation)."""
    if annual_rate == 0:
        return financed / months
    r = annual_rate / 12
    return financed * r / (1 - (1 + r) ** -months)


@pytest.mark.parametrize(
    ("price", "down_percent", "months", "rate"),
    [
        (389_900, 20, 48, 0.139),
        (689_900, 30, 60, 0.129),
        (254_900, 10, 72, 0.149),
        (1_249_900, 50, 12, 0.1099),
        (319_900, 0, 36, 0.2),
    ],
)
def test_known_vectors_match_the_closed_formula_to_the_centavo(
    price: int, down_percent: int, months: int, rate: float
) -> None:
    down = down_payment_from_percent(price, down_percent)
    plan = simulate(price, down, months, Decimal(str(rate)))
    expected_down = price * down_percent / 100
    assert float(plan.down_payment) == pytest.approx(expected_down, abs=0.005)
    expected = float_payment(price - expected_down, months, rate)
    assert abs(float(plan.monthly_payment) - expected) <= 0.005 + 1e-9
    assert plan.financed == plan.price - plan.down_payment
    assert plan.total_paid == plan.down_payment + plan.monthly_payment * months
    assert plan.total_interest == plan.total_paid - plan.price


def test_the_readme_example_exactly() -> None:
    plan = simulate(Decimal(389900), Decimal(77980), 48, Decimal("0.139"))
    # 311,920 financed at 13.9 %/12 a month for 48 months
    assert plan.monthly_payment == Decimal("8508.04")
    assert plan.total_paid == Decimal("486365.92")
    assert plan.as_json()["annual_rate"] == "0.139"


def amortize(plan: FinancingPlan) -> Decimal:
    """Balance left after paying the rounded payment every month (exact decimals)."""
    balance = plan.financed
    rate = plan.annual_rate / 12
    for _ in range(plan.months):
        balance = balance * (1 + rate) - plan.monthly_payment
    return balance


prices = st.decimals(min_value=Decimal(20_000), max_value=Decimal(5_000_000), places=2)
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.6"), places=4)
months = st.integers(min_value=12, max_value=72)
down_fraction = st.decimals(min_value=Decimal(0), max_value=Decimal("0.9"), places=3)


@settings(max_examples=300, deadline=None)
@given(price=prices, down=down_fraction, n=months, rate=rates)
def test_payments_cover_the_financed_amount(
    price: Decimal, down: Decimal, n: int, rate: Decimal
) -> None:
    down_payment = (price * down).quantize(CENTAVO)
    plan = simulate(price, down_payment, n, rate)
    assert plan.monthly_payment * n >= plan.financed
    assert plan.total_interest > 0
    # the rounded payment pays the loan off to within half a centavo a month, with interest
    monthly = rate / 12
    assert abs(amortize(plan)) <= Decimal("0.005") * ((1 + monthly) ** n - 1) / monthly
    expected = float_payment(float(plan.financed), n, float(rate))
    assert abs(float(plan.monthly_payment) - expected) <= 0.005 + 1e-6 * expected


@settings(max_examples=200, deadline=None)
@given(price=prices, down=down_fraction, n=months)
def test_zero_rate_is_financed_over_months(price: Decimal, down: Decimal, n: int) -> None:
    plan = simulate(price, (price * down).quantize(CENTAVO), n, 0)
    assert plan.monthly_payment == (plan.financed / n).quantize(CENTAVO, rounding=ROUND_HALF_UP)
    assert plan.total_interest == plan.monthly_payment * n - plan.financed


@settings(max_examples=100, deadline=None)
@given(price=prices, n=months, rate=rates)
def test_longer_terms_pay_less_a_month_and_more_in_total(
    price: Decimal, n: int, rate: Decimal
) -> None:
    if n == 72:
        n = 71
    short, long = simulate(price, 0, n, rate), simulate(price, 0, n + 1, rate)
    assert long.monthly_payment <= short.monthly_payment
    assert long.total_interest >= short.total_interest


@given(n=st.integers().filter(lambda m: m < 12 or m > 72))
def test_months_outside_bounds_are_refused(n: int) -> None:
    with pytest.raises(FinancingError, match="between 12 and 72"):
        simulate(300_000, 60_000, n, Decimal("0.139"))


def test_month_bounds_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from showroom.settings import get_settings

    monkeypatch.setenv("FINANCING_MAX_MONTHS", "84")
    get_settings.cache_clear()
    assert simulate(300_000, 60_000, 84, Decimal("0.139")).months == 84


@pytest.mark.parametrize(
    ("price", "down", "n", "rate", "reason"),
    [
        (0, 0, 48, "0.139", "price must be greater"),
        (-5, 0, 48, "0.139", "price must be greater"),
        (300_000, -1, 48, "0.139", "cannot be negative"),
        (300_000, 300_000, 48, "0.139", "less than the price"),
        (300_000, 350_000, 48, "0.139", "less than the price"),
        (300_000, 0, 48, "-0.1", "annual rate"),
        (300_000, 0, 48, "1.5", "annual rate"),
        ("abc", 0, 48, "0.139", "not a number"),
        (300_000, 0, 48.5, "0.139", "whole number"),
        (300_000, 0, True, "0.139", "whole number"),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    price: object, down: object, n: object, rate: str, reason: str
) -> None:
    with pytest.raises(FinancingError, match=reason):
        simulate(price, down, n, rate)  # type: ignore[arg-type]


def test_down_payment_from_percent() -> None:
    assert down_payment_from_percent(389_900, 20) == Decimal("77980.00")
    assert down_payment_from_percent(Decimal("254900"), Decimal("12.5")) == Decimal("31862.50")
    assert down_payment_from_percent(100, Decimal("33.335")) == Decimal("33.34")  # half-up
    with pytest.raises(FinancingError):
        down_payment_from_percent(389_900, 100)
    with pytest.raises(FinancingError):
        down_payment_from_percent(389_900, -5)
