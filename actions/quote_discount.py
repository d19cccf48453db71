""" "¿Me haces descuento?", "¿me lo dejas en 370?", "¿me das 10%?": the bot's discount.

The bot gives at most the branch's `max_bot_discount` (a fraction of the quote's list
price; 0 means only salespeople discount), to the centavo: the bot's percentages round
down. The quotes service enforces the limit (`DiscountNotAllowed`); this module only
decides what to try and what to say:

- a plain request gets the branch's full bot discount;
- a figure within the limit is applied as asked (a percentage, an amount off, or the price
  the customer wants to pay);
- a figure beyond the limit gets the limit, and a salesperson is asked to review the rest;
- with a limit of 0, or nothing left to give, a salesperson is asked to review it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.common.context import entity_value
from actions.common.text import folded, to_number
from showroom.db.models.sales import Quote
from showroom.formatting import money
from showroom.sales.quotes import (
    BOT,
    Discount,
    DiscountNotAllowed,
    NotAllowed,
    QuoteError,
    apply_discount,
)
from showroom.sales.quotes.config import max_bot_discount
from showroom.sales.quotes.pricing import PERCENT_PLACES, floor_money
from showroom.sales.quotes.service import quote_discount
from showroom.sales.quotes.summary import percent_es

log = logging.getLogger(__name__)

_ASKS_DISCOUNT = re.compile(
    r"\b(?:descuento|descuentito|descuentazo|rebaja|rebajita|rebajas|mas barat[oa]s?|"
    r"mas economic[oa]|precio especial|(?:me )?(?:lo|la|los|las) dejas? en|dejamel[oa]s? en|"
    r"lo menos|ultimo precio|mejor precio|me haces (?:un )?precio|regatear|algo menos)\b"
)


def wants_discount(text: str) -> bool:
    return bool(_ASKS_DISCOUNT.search(folded(text)))


@dataclass(frozen=True)
class DiscountOutcome:
    message: str  # what to tell the customer first
    applied: bool  # the quote changed (send it again)
    needs_person: bool  # a salesperson should review the request


def _lines_total(quote: Quote) -> Decimal:
    """What the whole-quote discount applies to: the lines after their own discounts."""
    return sum((Decimal(line.total) for line in quote.lines), Decimal(0))


def requested(tracker: Tracker, quote: Quote) -> Discount | None:
    """The discount the customer's figure asks for; None when they gave no usable figure."""
    percent = to_number(entity_value(tracker, "percent"))
    if percent is not None and 0 < percent < 100:
        # "33.33333 %": four decimals are what a quote stores; never more than asked
        kept = percent.quantize(PERCENT_PLACES, rounding=ROUND_DOWN)
        return Discount.percent(kept) if kept > 0 else None
    amount = to_number(entity_value(tracker, "amount"))
    base = _lines_total(quote)
    if amount is None or amount <= 0 or base <= 0:
        return None
    for price in (amount, amount * 1000):  # "¿me lo dejas en 370?" means 370 mil
        if base / 2 <= price < base:
            off = floor_money(base - price)  # the price they want to pay, to the centavo
            return Discount.amount(off) if off > 0 else None
    if amount < base / 2:
        off = floor_money(amount)  # "¿me quitas 5 mil?"
        return Discount.amount(off) if off > 0 else None
    return None


def _said(discount: Discount, saved: Decimal) -> str:
    if discount.kind == "percent":
        return f"{percent_es(discount.value)} de descuento (-{money(saved)})"
    return f"un descuento de {money(saved)}"


def give_discount(
    tracker: Tracker, session: Session, quote: Quote, now: datetime
) -> DiscountOutcome:
    """Apply what the bot may give; never more than the branch's limit."""
    limit = max_bot_discount(quote.branch)
    wanted = requested(tracker, quote)
    review = (
        f"Dejé registrada tu solicitud para que un asesor revise tu cotización {quote.folio} ✅."
    )
    if limit <= 0:
        return DiscountOutcome(f"Los descuentos los autoriza un asesor. {review}", False, True)
    best = Discount.percent(limit * 100)
    before = Decimal(quote.total)
    previous = quote_discount(quote)
    try:
        apply_discount(session, quote, wanted or best, actor=BOT, now=now)
    except DiscountNotAllowed:
        with contextlib.suppress(DiscountNotAllowed):
            apply_discount(session, quote, best, actor=BOT, now=now)
        saved = before - Decimal(quote.total)
        if saved > 0:
            return DiscountOutcome(
                f"Lo más que puedo darte yo es {_said(best, saved)}; ya te lo apliqué 🎉. "
                f"Para lo que me pides, {review[0].lower()}{review[1:]}",
                True,
                True,
            )
        return DiscountOutcome(
            f"Ya tienes el mayor descuento que puedo darte. {review}", False, True
        )
    except QuoteError as exc:
        log.info("bot discount refused folio=%s reason=%s", quote.folio, type(exc).__name__)
        return DiscountOutcome(exc.message_es, False, isinstance(exc, NotAllowed))
    saved = before - Decimal(quote.total)
    if saved < 0 and previous is not None:
        apply_discount(session, quote, previous, actor=BOT, now=now)  # keep the larger one
        saved = Decimal(0)
    if saved <= 0:
        return DiscountOutcome(
            f"Ya tienes el mayor descuento que puedo darte ({percent_es(limit * 100)}). {review}",
            False,
            True,
        )
    return DiscountOutcome(f"¡Listo! Te apliqué {_said(wanted or best, saved)} 🎉", True, False)
