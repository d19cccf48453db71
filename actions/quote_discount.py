""" "¿Me haces descuento?", "¿me lo dejas en 370?", "¿me quitas 5 mil?": the bot's discount.

The bot gives at most the branch's `max_bot_discount` (a fraction of the quote's list
price; 0 means only salespeople discount), to the centavo: the bot's percentages round
down. The quotes service enforces the limit (`DiscountNotAllowed`); this module only
decides what to try and what to say:

- a plain request gets the branch's full bot discount;
- a figure within the limit is applied as asked (a percentage, an amount off, or the price
  the customer wants to pay);
- a figure beyond the limit gets the limit, and a salesperson is asked to review the rest;
- with a limit of 0, or nothing left to give, a salesperson is asked to review it.

A discount is applied only when it lowers the total (`total_with_bot_discount` previews it
on the locked quote): asking again, or for less than the quote already has, changes
nothing, so a sent quote stays sent and the customer's "sí" still accepts it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.common.context import entity_value, latest_text
from actions.common.text import folded, number_in, to_number
from showroom.db.models.sales import Quote
from showroom.formatting import money
from showroom.sales.quotes import BOT, Discount, DiscountNotAllowed, QuoteError, apply_discount
from showroom.sales.quotes.bot_discount import total_with_bot_discount
from showroom.sales.quotes.config import max_bot_discount
from showroom.sales.quotes.locking import claim_quote
from showroom.sales.quotes.pricing import PERCENT_PLACES, floor_money
from showroom.sales.quotes.summary import percent_es

log = logging.getLogger(__name__)

# Clitics a Mexican customer puts on the verb: "me lo", "se la", "nos los".
_CLITICS = r"(?:me|te|se|le|nos)\s+(?:(?:lo|la|los|las)\s+)?"
_CAN = r"(?:(?:puedes|podrias|puede|podria|pueden|podrian|vas a|va a)\s+)?"
_ASKS_DISCOUNT = re.compile(
    "|".join(
        (
            # nouns: "hay rebaja?", "un descuentito", "precio especial", "lo menos?"
            r"\b(?:descuent(?:o|os|ito|azo)|rebaj(?:a|as|ita)|"
            r"precio (?:especial|de amigo|de contado)|mejor precio|ultimo precio|"
            r"lo (?:menos|mas bajo|minimo)|algo menos|poco menos|mas barat[oa]s?|"
            r"mas economic[oa]s?|regatear|negociable|negociar)\b",
            # lowering verbs after a clitic: "me lo bajas", "¿me quitas 5 mil?", "le rebajas"
            rf"\b{_CLITICS}{_CAN}(?:baj|rebaj|quit)\w*",
            # the clitic glued on: "bájale", "quítale", "bájamelo", "bájenle", "quitarle"
            r"\b(?:baj|rebaj|quit)(?:a|e|ar|en)(?:me|le|nos|se)(?:lo|la|los|las)?\b",
            # "¿bajan el precio?", "bajarle al precio", "bajarlo a 300 mil"
            r"\b(?:baj|rebaj)\w*\s+(?:el|su|tu|al|del)\s+precio\b",
            r"\b(?:baj|rebaj|dej)\w*\s+(?:a|en)\s+(?:\$\s*)?\d",
            # a price to pay: "me lo dejas en 370", "¿me lo das en 280?", "lo dejas en 300"
            rf"\b(?:{_CLITICS}|(?:lo|la|los|las)\s+){_CAN}(?:dej|d)(?:a|as|ar|arias|e|en)\s+"
            r"(?:\w+\s+)?en\b",
            r"\b(?:dej|d)a(?:me|nos)(?:lo|la|los|las)\s+en\b",  # "déjamelo en 300"
            # "¿en cuánto me lo dejas?"
            rf"\bcuanto\s+{_CLITICS}{_CAN}(?:dej|d)(?:a|as|ar|arias)\b",
            # "¿qué precio me das (de contado)?", "¿me haces un precio?", "hazme el paro"
            r"\bque precio me (?:das|dejas|haces|puedes dar|darias)\b",
            r"\b(?:me haces|hazme|me puedes hacer|me harias) (?:un |el |algun )?"
            r"(?:precio|paro|descuento|rebaja)\b",
        )
    )
)


def wants_discount(text: str) -> bool:
    """The message asks for a lower price: a discount, a rebaja, a price to pay, lo menos."""
    return bool(_ASKS_DISCOUNT.search(folded(text)))


# A figure in the text ("370", "$300 mil", "5k"), not a term, a percentage or a mileage.
_FIGURE = (
    r"(\$?\s*\d[\d,.]*(?:\s*(?:mil|k)\b)?)(?![\d,.])"
    r"(?!\s*(?:%|por ?ciento|mes|meses|anos?|km|pagos|plazos|mensualidades)\b)"
)
# "me lo dejas en 370", "bájamelo a 300 mil", "¿me lo das en 280?": the price to pay
_TARGET_PRICE = re.compile(rf"\b(?:en|a)\s+{_FIGURE}")
# "¿me quitas 5 mil?", "bájale 10 mil", "un descuento de 20 mil": an amount off
_AMOUNT_OFF = re.compile(
    r"\b(?:quit\w*|baja(?:le|rle|me|rme|s)|rebaj\w*|descuento de|menos)\b"
    rf"(?:\s+(?:unos\s+)?{_FIGURE})?"
)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|por ?ciento)")


@dataclass(frozen=True)
class DiscountOutcome:
    message: str  # what to tell the customer first
    applied: bool  # the quote changed (send it again)
    needs_person: bool  # a salesperson should review the request


def _lines_total(quote: Quote) -> Decimal:
    """What the whole-quote discount applies to: the lines after their own discounts."""
    return sum((Decimal(line.total) for line in quote.lines), Decimal(0))


def _target_price(amount: Decimal, base: Decimal) -> Decimal | None:
    """The price the customer wants to pay: "370" on a $389,900 quote means 370 mil. The
    reading that is a plausible price (at least half the quote) wins; else the largest
    reading below the quote (a large discount, beyond any limit); None when it is not
    below the quote at all."""
    below = [price for price in (amount, amount * 1000) if 0 < price < base]
    plausible = [price for price in below if price >= base / 2]
    if plausible:
        return plausible[0]
    return max(below) if below else None


def _amount_off(amount: Decimal, base: Decimal) -> Decimal | None:
    """ "¿Me quitas 5?" on a car means 5 mil: a figure under 1,000 is read as thousands when
    that is still at most half the quote."""
    if amount < 1000 and amount * 1000 <= base / 2:
        amount *= 1000
    return amount if 0 < amount < base else None


def _as_discount(off: Decimal | None) -> Discount | None:
    off = floor_money(off) if off is not None else None
    return Discount.amount(off) if off is not None and off > 0 else None


def _figure(entity: Decimal | None, match: re.Match[str]) -> Decimal | None:
    """The amount entity, else the figure the phrase itself names (the NLU reads a bare
    "280" as no amount: only the phrase says it is one)."""
    if entity is not None:
        return entity
    written = match.group(1)
    return to_number(number_in(written)) if written else None


def requested(tracker: Tracker, quote: Quote) -> Discount | None:
    """The discount the customer's figure asks for; None when they gave no usable figure."""
    text = folded(latest_text(tracker))
    percent = to_number(entity_value(tracker, "percent"))
    written = _PERCENT.search(text)
    if percent is None and written:
        percent = to_number(written.group(1).replace(",", "."))
    if percent is not None and 0 < percent < 100:
        # "33.33333 %": four decimals are what a quote stores; never more than asked
        kept = percent.quantize(PERCENT_PLACES, rounding=ROUND_DOWN)
        return Discount.percent(kept) if kept > 0 else None
    base = _lines_total(quote)
    amount = to_number(entity_value(tracker, "amount"))
    if base <= 0 or (amount is not None and amount <= 0):
        return None
    target = _TARGET_PRICE.search(text)
    if target:
        figure = _figure(amount, target)
        price = _target_price(figure, base) if figure is not None else None
        return _as_discount(base - price) if price is not None else None
    off = _AMOUNT_OFF.search(text)
    if off:
        figure = _figure(amount, off)
        return _as_discount(_amount_off(figure, base)) if figure is not None else None
    if amount is None:
        return None
    for price in (amount, amount * 1000):  # no telling words: a price if it reads as one
        if base / 2 <= price < base:
            return _as_discount(base - price)
    return _as_discount(amount) if amount < base / 2 else None


def _said(quote: Quote) -> str:
    """The whole-quote discount as the summary shows it."""
    if quote.discount_kind == "percent" and quote.discount_value is not None:
        off = money(quote.discount_amount)
        return f"{percent_es(Decimal(quote.discount_value))} de descuento (-{off})"
    return f"un descuento de {money(quote.discount_amount)}"


def _choose(
    quote: Quote, wanted: Discount | None, best: Discount
) -> tuple[Discount | None, Decimal, bool]:
    """(the discount to give, the total it leaves, whether the customer asked for more than
    the limit). No discount when even the limit is used up (by a salesperson's line
    discounts, say); the total is then the quote's."""
    try:
        return wanted or best, total_with_bot_discount(quote, wanted or best), False
    except DiscountNotAllowed:
        if wanted is None:
            return None, Decimal(quote.total), True
    try:
        return best, total_with_bot_discount(quote, best), True
    except DiscountNotAllowed:
        return None, Decimal(quote.total), True


def give_discount(
    tracker: Tracker, session: Session, quote: Quote, now: datetime
) -> DiscountOutcome:
    """Apply what the bot may give, when it lowers the total; never more than the limit."""
    limit = max_bot_discount(quote.branch)
    review = (
        f"Dejé registrada tu solicitud para que un asesor revise tu cotización {quote.folio} ✅."
    )
    if limit <= 0:
        return DiscountOutcome(f"Los descuentos los autoriza un asesor. {review}", False, True)
    best = Discount.percent(limit * 100)
    try:
        claim_quote(session, quote, "change discounts")  # decide on the quote as it is now
        before = Decimal(quote.total)
        wanted = requested(tracker, quote)
        chosen, total, over = _choose(quote, wanted, best)
        if chosen is None or total >= before:
            if over or wanted is None:
                most = percent_es(limit * 100)
                text = f"Ya tienes el mayor descuento que puedo darte ({most}). {review}"
                return DiscountOutcome(text, False, True)
            return DiscountOutcome(
                f"Tu cotización {quote.folio} ya tiene ese descuento o uno mayor: el total es "
                f"{money(before)}.",
                False,
                False,
            )
        apply_discount(session, quote, chosen, actor=BOT, now=now)
    except QuoteError as exc:
        log.info("bot discount refused folio=%s reason=%s", quote.folio, type(exc).__name__)
        return DiscountOutcome(exc.message_es, False, exc.needs_person)
    if over:
        return DiscountOutcome(
            f"Lo más que puedo darte yo es {_said(quote)}; ya te lo apliqué 🎉. "
            f"Para lo que me pides, {review[0].lower()}{review[1:]}",
            True,
            True,
        )
    return DiscountOutcome(f"¡Listo! Te apliqué {_said(quote)} 🎉", True, False)
