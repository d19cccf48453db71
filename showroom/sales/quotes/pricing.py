"""Quote arithmetic in exact decimals: lines, discounts, IVA desglose. No database.

Decision (docs/quotes.md): catalogue prices include IVA, as Mexican retail prices do, so
the customer pays `total = Σ line amounts − discounts` and the desglose splits that total:
`subtotal = total / (1 + IVA)` rounded half-up to the centavo and `iva = total − subtotal`.
So, to the centavo and always:

    total == list_total − discount_total == Σ line totals − quote discount
    total == subtotal + iva        (|iva − subtotal·rate| ≤ half a centavo·(1 + rate))

Discounts are a percentage or an amount, on one line or on the whole quote (the whole-quote
discount applies to the lines after their own discounts). Amounts from percentages round
half-up to the centavo. A discount can never exceed what it applies to.

The assistant's limit (`check_bot_limit`) compares the discounts as given: a bot may give
at most `limit × list_total` in all, computed on the exact (unrounded) percentages, so "5 %"
at a 5 % limit is always accepted; rounding adds at most half a centavo per discount.
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


def round_money(value: Decimal) -> Decimal:
    """Half-up to the centavo (the rounding SAT and cash registers use)."""
    return value.quantize(CENTAVO, rounding=ROUND_HALF_UP)


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
    """`Discount.percent(5)` (5 %) or `Discount.amount(2000)` (MXN, IVA included)."""

    kind: DiscountKind
    value: Decimal

    def __post_init__(self) -> None:
        if self.kind not in ("percent", "amount"):
            raise InvalidDiscount(f"discount kind must be percent or amount, not {self.kind!r}")
        value = as_decimal(self.value, "discount")
        if value <= 0:
            raise InvalidDiscount(f"discount must be greater than zero, got {self.value}")
        if self.kind == "percent" and value > HUNDRED:
            raise InvalidDiscount(f"discount of {value} % is more than 100 %")
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
        """The unrounded discount on `base` (what the bot limit compares)."""
        if self.kind == "amount":
            return self.value
        with localcontext() as ctx:
            ctx.prec = 50
            return base * self.value / HUNDRED

    def amount_on(self, base: Decimal) -> Decimal:
        """The discount in centavos; `InvalidDiscount` when it exceeds `base`."""
        amount = round_money(self.exact_on(base))
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
    """`(subtotal, iva)` of an IVA-included total; they add up to `total` exactly."""
    if iva_rate < 0 or iva_rate >= 1:
        raise QuoteError(f"IVA rate must be a fraction in [0, 1), got {iva_rate}")
    with localcontext() as ctx:
        ctx.prec = 50
        subtotal = round_money(total / (1 + iva_rate))
    return subtotal, total - subtotal


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


def exact_discounts(lines: Sequence[LineInput], quote_discount: Discount | None) -> Decimal:
    """All discounts on their exact (unrounded) values; the whole-quote one on the rounded
    line totals, as `price_quote` applies it."""
    total = Decimal(0)
    lines_total = Decimal(0)
    for line in lines:
        if line.discount:
            total += line.discount.exact_on(line.list_amount)
            lines_total += line.list_amount - line.discount.amount_on(line.list_amount)
        else:
            lines_total += line.list_amount
    if quote_discount:
        total += quote_discount.exact_on(lines_total)
    return total


def check_bot_limit(
    lines: Sequence[LineInput], quote_discount: Discount | None, limit: Decimal
) -> None:
    """`DiscountNotAllowed` when the quote's discounts exceed `limit` × list total.

    Called when the assistant applies a discount: whatever was already on the quote counts
    too, so the bot can never take a quote past the branch's maximum.
    """
    list_total = sum((line.list_amount for line in lines), Decimal(0))
    with localcontext() as ctx:
        ctx.prec = 50
        allowed = list_total * limit
        requested = exact_discounts(lines, quote_discount)
    if requested > allowed:
        raise DiscountNotAllowed(
            max_rate=limit,
            max_amount=allowed.quantize(CENTAVO, rounding=ROUND_DOWN),
            requested_amount=round_money(requested),
        )
