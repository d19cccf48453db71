"""Quote arithmetic in exact decimals: lines, discounts, IVA desglose. No database.

Decision (docs/quotes.md): catalogue prices include IVA, as Mexican retail prices do (a
branch whose list prices are before IVA has them converted first, `with_iva`), so
the customer pays `total = Σ line amounts − discounts` and the desglose splits that total:
`subtotal = total / (1 + IVA)` rounded half-up to the centavo and `iva = total − subtotal`.
So, to the centavo and always:

    total == list_total − discount_total == Σ line totals − quote discount
    total == subtotal + iva
    iva == round(subtotal × rate) whenever any centavo split of `total` can satisfy both
    (otherwise they differ by exactly one centavo; see `split_iva`)

Discounts are a percentage (at most 4 decimals, as stored) or an amount, on one line or on
the whole quote (the whole-quote discount applies to the lines after their own discounts).
Amounts from percentages round half-up to the centavo, except the assistant's
(`round_down`), which round down. A discount can never exceed what it applies to.

The assistant's limit (`check_bot_limit`) compares the rounded discounts, as the customer
would see them, with `limit × list_total` rounded down to the centavo: the bot never gives
a centavo more than the branch allows, and because its own percentages round down, "5 %"
at a 5 % limit is always accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Literal

from showroom.formatting import CENTAVO, to_decimal
from showroom.sales.quotes.errors import DiscountNotAllowed, InvalidDiscount, QuoteError

DiscountKind = Literal["percent", "amount"]
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
PERCENT_PLACES = Decimal("0.0001")  # quote_lines/quotes.discount_value is NUMERIC(14, 4)


def round_money(value: Decimal) -> Decimal:
    """Half-up to the centavo (the rounding SAT and cash registers use)."""
    return value.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def floor_money(value: Decimal) -> Decimal:
    """Down to the centavo (never more than `value`, for non-negative values)."""
    return value.quantize(CENTAVO, rounding=ROUND_DOWN)


def as_decimal(value: Decimal | int | float | str, what: str) -> Decimal:
    """A finite Decimal, or `QuoteError` naming the field."""
    try:
        number = to_decimal(value)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise QuoteError(f"{what} is not a number: {value!r}") from exc
    if not number.is_finite():
        raise QuoteError(f"{what} is not a finite number: {value!r}")
    return number


@dataclass(frozen=True)
class Discount:
    """`Discount.percent(5)` (5 %) or `Discount.amount(2000)` (MXN, IVA included).

    A percentage has at most 4 decimals (what the database stores, so a stored discount
    prices exactly as it did when given). `round_down` is set for the assistant's
    discounts: their centavos round down, so the bot's limit holds after rounding.
    """

    kind: DiscountKind
    value: Decimal
    round_down: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("percent", "amount"):
            raise InvalidDiscount(f"discount kind must be percent or amount, not {self.kind!r}")
        value = as_decimal(self.value, "discount")
        if value <= 0:
            raise InvalidDiscount(f"discount must be greater than zero, got {self.value}")
        if self.kind == "percent" and value > HUNDRED:
            raise InvalidDiscount(f"discount of {value} % is more than 100 %")
        if self.kind == "percent" and value != value.quantize(PERCENT_PLACES):
            raise InvalidDiscount(f"discount of {value} % has more than 4 decimal places")
        if self.kind == "amount" and value != round_money(value):
            raise InvalidDiscount(f"discount amount {value} has fractions of a centavo")
        object.__setattr__(self, "value", value)

    @classmethod
    def percent(cls, value: Decimal | int | float | str) -> Discount:
        return cls("percent", as_decimal(value, "discount percent"))

    @classmethod
    def amount(cls, value: Decimal | int | float | str) -> Discount:
        return cls("amount", as_decimal(value, "discount amount"))

    def exact_on(self, base: Decimal) -> Decimal:
        """The unrounded discount on `base`."""
        if self.kind == "amount":
            return self.value
        with localcontext() as ctx:
            ctx.prec = 50
            return base * self.value / HUNDRED

    def amount_on(self, base: Decimal) -> Decimal:
        """The discount in centavos; `InvalidDiscount` when it exceeds `base`."""
        exact = self.exact_on(base)
        amount = floor_money(exact) if self.round_down else round_money(exact)
        if amount > base:
            raise InvalidDiscount(f"discount of {amount} is larger than the amount {base}")
        return amount


@dataclass(frozen=True)
class LineInput:
    """A line to price: unit price (IVA included), quantity and its own discount."""

    unit_price: Decimal
    quantity: int = 1
    discount: Discount | None = None

    def __post_init__(self) -> None:
        price = as_decimal(self.unit_price, "unit price")
        if price < 0 or price != round_money(price):
            raise QuoteError(f"unit price must be ≥ 0 and in centavos, got {self.unit_price}")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise QuoteError(f"quantity must be a whole number, got {self.quantity!r}")
        if self.quantity < 1:
            raise QuoteError(f"quantity must be at least 1, got {self.quantity}")
        object.__setattr__(self, "unit_price", price)

    @property
    def list_amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class PricedLine:
    list_amount: Decimal
    discount_amount: Decimal
    total: Decimal


@dataclass(frozen=True)
class Pricing:
    """Every figure of a quote, in centavos (IVA included unless named otherwise)."""

    lines: tuple[PricedLine, ...]
    list_total: Decimal  # Σ unit price × quantity
    line_discounts: Decimal  # Σ line discounts
    quote_discount: Decimal  # the whole-quote discount
    discount_total: Decimal  # line_discounts + quote_discount
    total: Decimal  # what the customer pays
    subtotal: Decimal  # total without IVA
    iva: Decimal  # total − subtotal
    iva_rate: Decimal


def split_iva(total: Decimal, iva_rate: Decimal) -> tuple[Decimal, Decimal]:
    """`(subtotal, iva)` of an IVA-included total; they add up to `total` exactly.

    The total is the published price, so it is fixed and the IVA is what is left over.
    Whenever some centavo subtotal `s` has `s + round(s × rate) == total`, it is this one
    (any such `s` lies within half a centavo ÷ (1 + rate) of `total ÷ (1 + rate)`), so
    `iva == round(subtotal × rate)`. For the other totals (about one in seven at 16 %,
    e.g. $100.01: $86.21 + $13.79 = $100.00, $86.22 + $13.80 = $100.02) no split can
    satisfy both, and the IVA differs from `round(subtotal × rate)` by one centavo.
    """
    if iva_rate < 0 or iva_rate >= 1:
        raise QuoteError(f"IVA rate must be a fraction in [0, 1), got {iva_rate}")
    with localcontext() as ctx:
        ctx.prec = 50
        subtotal = round_money(total / (1 + iva_rate))
    return subtotal, total - subtotal


def with_iva(price: Decimal, iva_rate: Decimal) -> Decimal:
    """A price before IVA as the customer pays it: `price × (1 + rate)`, half-up to the
    centavo (what a price tag with IVA shows). For a branch whose list prices are before
    IVA; the quote then works as for IVA-included prices, and `split_iva` of one unit gives
    back exactly `price` (the rounding moves it less than half a centavo × (1 + rate))."""
    if iva_rate < 0 or iva_rate >= 1:
        raise QuoteError(f"IVA rate must be a fraction in [0, 1), got {iva_rate}")
    return round_money(price * (1 + iva_rate))


def price_quote(
    lines: Sequence[LineInput], quote_discount: Discount | None, iva_rate: Decimal
) -> Pricing:
    """Price the lines, then the whole-quote discount, then split IVA out of the total."""
    if not lines:
        raise QuoteError("a quote needs at least one item")
    priced = []
    for line in lines:
        list_amount = line.list_amount
        discount = line.discount.amount_on(list_amount) if line.discount else ZERO
        priced.append(PricedLine(list_amount, discount, list_amount - discount))
    lines_total = sum((p.total for p in priced), ZERO)
    whole = quote_discount.amount_on(lines_total) if quote_discount else ZERO
    total = lines_total - whole
    subtotal, iva = split_iva(total, iva_rate)
    line_discounts = sum((p.discount_amount for p in priced), ZERO)
    return Pricing(
        lines=tuple(priced),
        list_total=sum((p.list_amount for p in priced), ZERO),
        line_discounts=line_discounts,
        quote_discount=whole,
        discount_total=line_discounts + whole,
        total=total,
        subtotal=subtotal,
        iva=iva,
        iva_rate=iva_rate,
    )


def bot_allowance(list_total: Decimal, limit: Decimal) -> Decimal:
    """The most the assistant may give on a quote: `limit × list_total`, rounded down."""
    with localcontext() as ctx:
        ctx.prec = 50
        return floor_money(list_total * limit)


def check_bot_limit(
    lines: Sequence[LineInput], quote_discount: Discount | None, limit: Decimal
) -> None:
    """`DiscountNotAllowed` when the quote's discounts, rounded as the quote shows them,
    exceed `bot_allowance(list_total, limit)`.

    Called when the assistant applies a discount: whatever was already on the quote counts
    too (a salesperson's included), so the bot can never take a quote past the maximum.
    """
    pricing = price_quote(lines, quote_discount, ZERO)
    allowed = bot_allowance(pricing.list_total, limit)
    if pricing.discount_total > allowed:
        raise DiscountNotAllowed(
            max_rate=limit, max_amount=allowed, requested_amount=pricing.discount_total
        )
