"""What a discount from the assistant would leave a quote at, decided before applying it.

The chat asks for discounts again and again ("¿me haces descuento?", "¿y lo menos?"). The
assistant applies one only when it lowers the total: the same or a smaller discount would
change nothing for the customer but would revise a sent quote (back to draft), so the
caller previews it here first and leaves the quote alone when it does not help.
"""

from __future__ import annotations

from decimal import Decimal

from showroom.db.models.sales import Quote
from showroom.sales.quotes.config import max_bot_discount
from showroom.sales.quotes.pricing import Discount, check_bot_limit, price_quote
from showroom.sales.quotes.service import line_inputs, refuse_bot_over_salesperson


def total_with_bot_discount(quote: Quote, discount: Discount) -> Decimal:
    """The quote's total if the assistant put `discount` on the whole quote now (nothing is
    written; call it on a locked, fresh quote, see `claim_quote`).

    Raises what `apply_discount` would: `DiscountNotAllowed` past the branch's limit (the
    lines' discounts count too), `NotAllowed` when a salesperson set the whole-quote
    discount, `InvalidDiscount` for a discount larger than the quote.
    """
    refuse_bot_over_salesperson(quote)
    mine = Discount(discount.kind, discount.value, round_down=True)  # as the bot's are stored
    lines = line_inputs(quote)
    check_bot_limit(lines, mine, max_bot_discount(quote.branch))
    return price_quote(lines, mine, Decimal(quote.iva_rate)).total
