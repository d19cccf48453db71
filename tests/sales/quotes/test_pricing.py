"""Quote arithmetic: exact to the centavo, IVA desglose consistent, discounts within limits."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from showroom.sales.quotes.errors import DiscountNotAllowed, InvalidDiscount, QuoteError
from showroom.sales.quotes.pricing import (
    Discount,
    LineInput,
    bot_allowance,
    check_bot_limit,
    price_quote,
    split_iva,
    with_iva,
)

CENT = Decimal("0.01")

prices = st.integers(min_value=1, max_value=250_000_000).map(lambda c: Decimal(c) / 100)
quantities = st.integers(min_value=1, max_value=50)
percents = st.decimals(min_value="0.0001", max_value="100", places=4)
iva_rates = st.sampled_from([Decimal("0.16"), Decimal("0.08"), Decimal("0"), Decimal("0.1")])


@st.composite
def discounts(draw: st.DrawFn) -> Discount | None:
    kind = draw(st.sampled_from(["none", "percent", "amount"]))
    if kind == "none":
        return None
    by_bot = draw(st.booleans())  # the assistant's round down, a salesperson's half up
    if kind == "percent":
        return Discount("percent", draw(percents), round_down=by_bot)
    cents = Decimal(draw(st.integers(min_value=1, max_value=5_000_000))) / 100
    return Discount("amount", cents, round_down=by_bot)


@st.composite
def quotes(draw: st.DrawFn) -> tuple[list[LineInput], Discount | None]:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        price, quantity, discount = draw(prices), draw(quantities), draw(discounts())
        # an amount discount larger than its line is refused (tested elsewhere)
        if discount and discount.kind == "amount" and discount.value > price * quantity:
            discount = None
        lines.append(LineInput(price, quantity, discount))
    whole = draw(discounts())
    return lines, whole


def is_centavos(value: Decimal) -> bool:
    return value == value.quantize(CENT)


@settings(max_examples=400, deadline=None)
@given(quotes(), iva_rates)
def test_totals_add_up_to_the_centavo(
    quote: tuple[list[LineInput], Discount | None], iva: Decimal
) -> None:
    lines, whole = quote
    lines_total = sum((ln.unit_price * ln.quantity for ln in lines), Decimal(0))
    if whole and whole.kind == "amount":
        # refuse amount larger than the lines after their own discounts
        try:
            price_quote(lines, whole, iva)
        except InvalidDiscount:
            assume(False)
    p = price_quote(lines, whole, iva)
    per_line = [x for ln in p.lines for x in (ln.list_amount, ln.discount_amount, ln.total)]
    figures = [p.list_total, p.line_discounts, p.quote_discount, p.discount_total, p.total,
               p.subtotal, p.iva, *per_line]  # fmt: skip
    assert all(is_centavos(x) for x in figures)
    # totals == sum of lines − discounts, and == subtotal + IVA, exactly
    assert p.list_total == lines_total
    assert p.total == sum((ln.total for ln in p.lines), Decimal(0)) - p.quote_discount
    assert p.total == p.list_total - p.discount_total
    assert p.total == p.subtotal + p.iva
    # the desglose is consistent: IVA is the rate on the subtotal within rounding
    assert abs(p.iva - p.subtotal * iva) <= Decimal("0.005") * (1 + iva)
    assert (
        (p.subtotal * iva).quantize(CENT) - CENT
        <= p.iva
        <= (p.subtotal * iva).quantize(CENT) + CENT
    )
    # no discount exceeds what it applies to; nothing is negative
    for ln in p.lines:
        assert Decimal(0) <= ln.discount_amount <= ln.list_amount
    assert Decimal(0) <= p.quote_discount <= p.list_total - p.line_discounts
    assert p.total >= 0 and p.subtotal >= 0 and p.iva >= 0


def floor_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_DOWN)


@settings(max_examples=400, deadline=None)
@given(quotes(), st.decimals(min_value="0", max_value="0.30", places=4))
def test_a_bot_never_exceeds_the_branch_limit(
    quote: tuple[list[LineInput], Discount | None], limit: Decimal
) -> None:
    lines, whole = quote
    try:
        pricing = price_quote(lines, whole, Decimal("0.16"))
    except InvalidDiscount:
        assume(False)
    allowed = floor_cent(pricing.list_total * limit)
    try:
        check_bot_limit(lines, whole, limit)
    except DiscountNotAllowed as refused:
        assert pricing.discount_total > allowed
        assert refused.max_amount == allowed
        assert refused.requested_amount == pricing.discount_total
        return
    # accepted: the discounts the customer sees, rounded, are never a centavo past the limit
    assert pricing.discount_total <= allowed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(prices, quantities), min_size=1, max_size=4),
    st.integers(min_value=0, max_value=4),
    st.decimals(min_value="0.0001", max_value="0.30", places=4),
)
def test_the_bots_own_percentage_at_the_limit_is_always_accepted(
    items: list[tuple[Decimal, int]], where: int, limit: Decimal
) -> None:
    """On the whole quote or on any one line, "limit %" by the bot (rounded down) passes,
    and one centavo more than the allowance does not."""
    at_limit = Discount("percent", limit * 100, round_down=True)
    plain = [LineInput(price, qty) for price, qty in items]
    if where < len(items):
        lines = [LineInput(p, q, at_limit if i == where else None) for i, (p, q) in
                 enumerate(items)]  # fmt: skip
        whole = None
    else:
        lines, whole = plain, at_limit
    check_bot_limit(lines, whole, limit)
    pricing = price_quote(lines, whole, Decimal("0.16"))
    assert pricing.discount_total <= floor_cent(pricing.list_total * limit)
    one_more = bot_allowance(pricing.list_total, limit) + CENT
    if one_more <= pricing.list_total:
        with pytest.raises(DiscountNotAllowed):
            check_bot_limit(plain, Discount.amount(one_more), limit)


def test_rounding_cannot_take_the_bot_past_its_limit() -> None:
    """5 % of $100.10 is $5.005: half-up would give $5.01, one centavo past the 5 % limit."""
    lines = [LineInput(Decimal("100.10"))]
    limit = Decimal("0.05")
    assert bot_allowance(Decimal("100.10"), limit) == Decimal("5.00")
    bots = Discount("percent", Decimal(5), round_down=True)
    check_bot_limit(lines, bots, limit)
    assert price_quote(lines, bots, Decimal("0.16")).discount_total == Decimal("5.00")
    half_up = Discount.percent(5)  # a salesperson's 5 % is $5.01: more than the bot may give
    assert price_quote(lines, half_up, Decimal("0.16")).discount_total == Decimal("5.01")
    with pytest.raises(DiscountNotAllowed) as refused:
        check_bot_limit(lines, half_up, limit)
    assert (refused.value.requested_amount, refused.value.max_amount) == (
        Decimal("5.01"),
        Decimal("5.00"),
    )
    # two bot discounts, each rounded down, add up within the limit too
    two = [LineInput(Decimal("0.30"), 1, bots), LineInput(Decimal("0.30"), 1, bots)]
    check_bot_limit(two, None, limit)  # 0.015 + 0.015 -> 0.01 + 0.01 <= 0.03
    assert price_quote(two, None, Decimal("0.16")).discount_total == Decimal("0.02")


@settings(max_examples=500, deadline=None)
@given(
    st.integers(min_value=0, max_value=2_500_000_000).map(lambda c: Decimal(c) / 100),
    st.sampled_from([Decimal("0.16"), Decimal("0.08"), Decimal("0.1"), Decimal("0.0725")]),
)
def test_iva_is_the_rate_on_the_subtotal_whenever_any_split_allows_it(
    total: Decimal, rate: Decimal
) -> None:
    """The total is fixed (the published price). When some centavo subtotal s has
    s + round(s × rate) == total, the split is that s; otherwise IVA is one centavo off."""
    subtotal, iva = split_iva(total, rate)
    assert subtotal + iva == total
    on_subtotal = (subtotal * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    nearby = [subtotal + CENT * k for k in (-3, -2, -1, 0, 1, 2, 3)]
    exact_splits = [
        s for s in nearby
        if s >= 0 and s + (s * rate).quantize(CENT, rounding=ROUND_HALF_UP) == total
    ]  # fmt: skip
    if exact_splits:
        assert exact_splits == [subtotal]
        assert iva == on_subtotal
    else:
        assert abs(iva - on_subtotal) == CENT


def test_a_total_no_split_can_match() -> None:
    """$100.01 at 16 %: $86.21 + $13.79 = $100.00 and $86.22 + $13.80 = $100.02."""
    assert split_iva(Decimal("100.01"), Decimal("0.16")) == (Decimal("86.22"), Decimal("13.79"))
    assert (Decimal("86.22") * Decimal("0.16")).quantize(CENT, rounding=ROUND_HALF_UP) == Decimal(
        "13.80"
    )
    assert Decimal("86.21") + (Decimal("86.21") * Decimal("0.16")).quantize(
        CENT, rounding=ROUND_HALF_UP
    ) == Decimal("100.00")


def test_a_real_quote_desglose() -> None:
    """$689,900 with IVA 16 %: subtotal $594,741.38 + IVA $95,158.62."""
    p = price_quote([LineInput(Decimal("689900"))], None, Decimal("0.16"))
    assert (p.subtotal, p.iva, p.total) == (
        Decimal("594741.38"),
        Decimal("95158.62"),
        Decimal("689900.00"),
    )
    # border region (8 %)
    assert split_iva(Decimal("415000"), Decimal("0.08")) == (
        Decimal("384259.26"),
        Decimal("30740.74"),
    )


def test_line_and_whole_quote_discounts() -> None:
    lines = [
        LineInput(Decimal("739"), 2, Discount.percent(10)),  # 1478 − 147.80
        LineInput(Decimal("189.90"), 3, Discount.amount(50)),  # 569.70 − 50
        LineInput(Decimal("1289.50")),
    ]
    p = price_quote(lines, Discount.percent(5), Decimal("0.16"))
    assert [ln.total for ln in p.lines] == [
        Decimal("1330.20"),
        Decimal("519.70"),
        Decimal("1289.50"),
    ]
    assert p.quote_discount == Decimal("156.97")  # 5 % of 3139.40 = 156.97
    assert p.total == Decimal("2982.43")
    assert p.discount_total == Decimal("354.77")
    assert p.subtotal + p.iva == p.total


def test_percentages_round_half_up() -> None:
    # 2.5 % of $10.10 = 0.2525 -> 0.25; 5 % of $0.30 = 0.015 -> 0.02 (half up)
    assert Discount.percent("2.5").amount_on(Decimal("10.10")) == Decimal("0.25")
    assert Discount.percent(5).amount_on(Decimal("0.30")) == Decimal("0.02")
    # the assistant's round down: 0.015 -> 0.01
    bots = Discount("percent", Decimal(5), round_down=True)
    assert bots.amount_on(Decimal("0.30")) == Decimal("0.01")
    # four decimals are kept as given (what the database stores)
    assert Discount.percent("2.1234").value == Decimal("2.1234")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Discount.percent(0), "greater than zero"),
        (lambda: Discount.percent(-5), "greater than zero"),
        (lambda: Discount.percent("100.01"), "more than 100"),
        (lambda: Discount.percent("2.12345"), "more than 4 decimal places"),
        (lambda: Discount.amount("10.005"), "fractions of a centavo"),
        (lambda: Discount.amount("abc"), "not a number"),
        (lambda: Discount.percent("NaN"), "not a finite number"),
    ],
)
def test_bad_discounts_are_refused(make: object, message: str) -> None:
    with pytest.raises(QuoteError, match=message):
        make()  # type: ignore[operator]


def test_a_discount_larger_than_the_amount_is_refused() -> None:
    with pytest.raises(InvalidDiscount, match="larger than"):
        price_quote([LineInput(Decimal("100"))], Discount.amount(101), Decimal("0.16"))
    free = price_quote([LineInput(Decimal("100"))], Discount.percent(100), Decimal("0.16"))
    assert free.total == free.subtotal == free.iva == Decimal("0.00")


def test_bad_lines_are_refused() -> None:
    with pytest.raises(QuoteError, match="at least one"):
        price_quote([], None, Decimal("0.16"))
    with pytest.raises(QuoteError, match="quantity"):
        LineInput(Decimal("10"), 0)
    with pytest.raises(QuoteError, match="centavos"):
        LineInput(Decimal("10.001"))
    with pytest.raises(QuoteError, match="IVA rate"):
        split_iva(Decimal("10"), Decimal("1"))


def test_bot_limit_message_says_how_much() -> None:
    lines = [LineInput(Decimal("689900"))]
    with pytest.raises(DiscountNotAllowed) as refused:
        check_bot_limit(lines, Discount.percent(10), Decimal("0.05"))
    assert refused.value.max_amount == Decimal("34495.00")
    assert "5%" in refused.value.message_es and "$34,495 MXN" in refused.value.message_es
    with pytest.raises(DiscountNotAllowed) as none_allowed:
        check_bot_limit(lines, Discount.amount(1), Decimal("0"))
    assert "asesor" in none_allowed.value.message_es


# ------------------------------------------------------------------ list prices before IVA
@given(price=prices, rate=iva_rates, quantity=quantities)
def test_a_price_before_iva_comes_back_as_the_subtotal(
    price: Decimal, rate: Decimal, quantity: int
) -> None:
    """A branch whose list prices are before IVA: the unit price with IVA, split again,
    gives back exactly the list price for one unit, and within half a centavo per unit
    for several (each unit's price with IVA is rounded, as a price tag is)."""
    unit = with_iva(price, rate)
    assert unit == (price * (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    assert split_iva(unit, rate) == (price, unit - price)
    pricing = price_quote([LineInput(unit, quantity)], None, rate)
    assert pricing.subtotal + pricing.iva == pricing.total == unit * quantity
    assert abs(pricing.subtotal - price * quantity) <= CENT / 2 * quantity


def test_worked_example_of_a_price_before_iva() -> None:
    """ "$1,000 + IVA": the customer pays $1,160; the desglose shows the $1,000 again."""
    unit = with_iva(Decimal("1000"), Decimal("0.16"))
    pricing = price_quote([LineInput(unit, 3)], None, Decimal("0.16"))
    assert (unit, pricing.total) == (Decimal("1160.00"), Decimal("3480.00"))
    assert (pricing.subtotal, pricing.iva) == (Decimal("3000.00"), Decimal("480.00"))
    # $99.99 + 8 % IVA = $107.9892 -> $107.99 a unit
    assert with_iva(Decimal("99.99"), Decimal("0.08")) == Decimal("107.99")
    with pytest.raises(QuoteError, match="IVA rate"):
        with_iva(Decimal("10"), Decimal("1.16"))
