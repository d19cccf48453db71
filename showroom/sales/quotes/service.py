"""Build and change quotes: create from chosen items, discounts, financing, assignment.

Every function takes the caller's Session and flushes; the caller commits. A change to a
sent or accepted quote sends it back to draft ("revised"): the customer must get it again.
Every change first locks the quote's row and reads it again (locking.py), so it is decided
on the quote as it is now: a discount racing a salesperson's confirmation either lands
before it (the confirmation is refused: the quote is a draft again) or is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.db.models.sales import Quote, QuoteLine, Salesperson
from showroom.inventory.branches import annual_rate as branch_annual_rate
from showroom.inventory.branches import iva_rate as branch_iva_rate
from showroom.sales.financing import FinancingError, down_payment_from_percent, simulate
from showroom.sales.quotes.actors import BOT, Actor
from showroom.sales.quotes.audit import record_event
from showroom.sales.quotes.config import max_bot_discount, prices_include_iva, quote_settings
from showroom.sales.quotes.errors import (
    IllegalTransition,
    NotAllowed,
    QuoteError,
    QuoteExpired,
)
from showroom.sales.quotes.folios import next_quote_folio
from showroom.sales.quotes.items import QuoteItem, resolve_items
from showroom.sales.quotes.locking import claim_quote
from showroom.sales.quotes.pricing import (
    Discount,
    LineInput,
    as_decimal,
    check_bot_limit,
    price_quote,
    with_iva,
)
from showroom.sales.quotes.salespeople import active_salesperson
from showroom.sales.quotes.validity import (
    OPEN_STATUSES,
    aware_now,
    is_past_validity,
    local,
    valid_until,
)

log = logging.getLogger(__name__)
Number = Decimal | int | float | str


def create_quote(
    session: Session,
    items: Sequence[QuoteItem],
    *,
    branch: Branch | str | None = None,
    customer: Customer | None = None,
    salesperson: Salesperson | int | None = None,
    actor: Actor = BOT,
    conversation_key: str | None = None,
    validity_days: int | None = None,
    now: datetime | None = None,
) -> Quote:
    """A draft quote with a new folio, priced now, stock checked (`OutOfStock`).

    Unit prices are IVA-included: a branch whose list prices are before IVA
    (`prices_include_iva` false) has the IVA added to each unit price here (`with_iva`).
    """
    moment = aware_now(now)
    quote_branch, resolved = resolve_items(session, items, branch)
    iva = branch_iva_rate(quote_branch)
    add_iva = not prices_include_iva(quote_branch)
    seller = active_salesperson(session, salesperson, quote_branch) if salesperson else None
    if actor.kind == "salesperson":
        active_salesperson(session, actor.salesperson_id or 0, quote_branch)
    if customer is not None and customer.id is None:
        session.flush()
    days = validity_days if validity_days is not None else quote_settings().validity_days
    quote = Quote(
        folio=next_quote_folio(session, quote_branch, local(quote_branch, moment).year),
        branch=quote_branch,
        customer=customer,
        salesperson=seller,
        conversation_key=conversation_key,
        status=None,
        iva_rate=iva,
        valid_until=valid_until(quote_branch, moment, days),
        created_at=moment,
        updated_at=moment,
    )
    for position, item in enumerate(resolved, start=1):
        unit_price = with_iva(item.unit_price, iva) if add_iva else item.unit_price
        quote.lines.append(
            QuoteLine(
                position=position,
                item_type=item.item_type,
                vehicle_id=item.vehicle.id if item.vehicle else None,
                part_id=item.part.id if item.part else None,
                reference=item.reference,
                description=item.description,
                quantity=item.quantity,
                unit_price=unit_price,
                list_amount=unit_price * item.quantity,
                total=unit_price * item.quantity,
            )
        )
    reprice(quote)
    details = {"list_prices": "before_iva"} if add_iva else None
    record_event(quote, "created", actor, moment, to_status="draft", details=details)
    session.add(quote)
    session.flush()
    log.info("quote created folio=%s lines=%d actor=%s", quote.folio, len(resolved), actor.kind)
    return quote


# ----------------------------------------------------------------------------- pricing
def line_inputs(quote: Quote) -> list[LineInput]:
    return [
        LineInput(
            Decimal(line.unit_price),
            line.quantity,
            _discount(line.discount_kind, line.discount_value, line.discount_by),
        )
        for line in quote.lines
    ]


def _discount(kind: str | None, value: Decimal | None, by: str | None) -> Discount | None:
    """The stored discount; the assistant's round down (pricing.py), so re-pricing a stored
    quote always gives the figures it had."""
    if kind is None or value is None:
        return None
    return Discount(kind, Decimal(value), round_down=by == BOT.label)  # type: ignore[arg-type]


def quote_discount(quote: Quote) -> Discount | None:
    return _discount(quote.discount_kind, quote.discount_value, quote.discount_by)


def reprice(quote: Quote) -> None:
    """Recompute every figure from the lines and discounts (and the attached financing)."""
    pricing = price_quote(line_inputs(quote), quote_discount(quote), Decimal(quote.iva_rate))
    for line, priced in zip(quote.lines, pricing.lines, strict=True):
        line.list_amount = priced.list_amount
        line.discount_amount = priced.discount_amount
        line.total = priced.total
    quote.discount_amount = pricing.quote_discount
    quote.list_total = pricing.list_total
    quote.discount_total = pricing.discount_total
    quote.total = pricing.total
    quote.subtotal = pricing.subtotal
    quote.iva = pricing.iva
    if quote.financing:
        terms = quote.financing
        try:
            quote.financing = _plan(
                quote,
                terms.get("down_percent"),
                terms["down_payment"],
                int(terms["months"]),
                terms["annual_rate"],
            )
        except FinancingError:
            quote.financing = None  # the new total no longer supports the plan


# ----------------------------------------------------------------------------- changes
def _refuse_customer(actor: Actor, what: str) -> None:
    if actor.kind == "customer":
        raise NotAllowed(f"a customer cannot {what}; the assistant or a salesperson does")


def _lock_editable(session: Session, quote: Quote, moment: datetime, what: str) -> None:
    """Lock and reload the quote, then refuse changes to closed or expired quotes."""
    claim_quote(session, quote, what)
    if quote.status not in OPEN_STATUSES:
        raise IllegalTransition(quote.folio, quote.status, what)
    if is_past_validity(quote, moment):
        raise QuoteExpired(quote.folio, what)


def _revise(quote: Quote, actor: Actor, moment: datetime, what: str) -> None:
    """A sent or accepted quote that changed goes back to draft (it must be sent again)."""
    if quote.status != "draft":
        record_event(quote, "revised", actor, moment, to_status="draft", details={"why": what})


def refuse_bot_over_salesperson(target: Quote | QuoteLine) -> None:
    """`NotAllowed`: the assistant never changes or removes a discount a salesperson set."""
    if (target.discount_by or "").startswith("salesperson"):
        raise NotAllowed("a salesperson set this discount; only a salesperson changes it")


def _find_line(quote: Quote, line: int | str) -> QuoteLine:
    for row in quote.lines:
        if (isinstance(line, int) and row.position == line) or (
            isinstance(line, str) and row.reference.lower() == line.strip().lower()
        ):
            return row
    raise QuoteError(f"quote {quote.folio} has no line {line!r}")


def apply_discount(
    session: Session,
    quote: Quote,
    discount: Discount | None,
    *,
    actor: Actor,
    line: int | str | None = None,
    now: datetime | None = None,
) -> Quote:
    """Put (or with None, remove) a discount on the whole quote or on one line.

    `line` is a position (1, 2, …) or a stock id / SKU. The assistant (`actor` bot) is held
    to the branch's `max_bot_discount` over all the quote's discounts (`DiscountNotAllowed`
    says how much it may give) and cannot change a salesperson's discount; a salesperson's
    discount is only limited by the amount it applies to (`InvalidDiscount`).
    """
    moment = aware_now(now)
    if actor.kind not in ("bot", "salesperson"):
        raise NotAllowed(
            f"a {actor.kind} cannot change discounts; the assistant or a salesperson does"
        )
    if actor.kind == "salesperson":
        active_salesperson(session, actor.salesperson_id or 0, quote.branch)
    _lock_editable(session, quote, moment, "change discounts")
    target: Quote | QuoteLine = quote if line is None else _find_line(quote, line)
    if actor.kind == "bot":
        refuse_bot_over_salesperson(target)
    before = (target.discount_kind, target.discount_value, target.discount_by)
    after = (discount.kind, discount.value, actor.label) if discount else (None, None, None)
    if before == after:
        # the same discount again ("¿me haces descuento?" twice): nothing changes, so the
        # quote is not revised and a sent quote stays sent (the customer can still say yes)
        log.info("quote discount unchanged folio=%s actor=%s", quote.folio, actor.kind)
        return quote
    had_financing = quote.financing is not None
    target.discount_kind, target.discount_value, target.discount_by = after
    try:
        if actor.kind == "bot" and discount is not None:
            limit = max_bot_discount(quote.branch)
            check_bot_limit(line_inputs(quote), quote_discount(quote), limit)
        reprice(quote)
    except QuoteError:
        target.discount_kind, target.discount_value, target.discount_by = before
        reprice(quote)
        raise
    _revise(quote, actor, moment, "change discounts")
    record_event(
        quote,
        "discount",
        actor,
        moment,
        details={
            "line": getattr(target, "position", None),
            "kind": discount.kind if discount else None,
            "value": str(discount.value) if discount else None,
            "total": str(quote.total),
            "financing_dropped": had_financing and quote.financing is None,
        },
    )
    session.flush()
    log.info("quote discount folio=%s actor=%s", quote.folio, actor.kind)
    return quote


def _plan(
    quote: Quote, down_percent: Any, down_payment: Any, months: int, rate: Any
) -> dict[str, Any]:
    price = Decimal(quote.total)
    if down_percent is not None:
        down = down_payment_from_percent(price, down_percent)
    else:
        down = as_decimal(down_payment, "down payment")
    plan = simulate(price, down, months, rate).as_json()
    if down_percent is not None:
        plan["down_percent"] = str(down_percent)
    return plan


def attach_financing(
    session: Session,
    quote: Quote,
    *,
    months: int,
    down_payment: Number | None = None,
    down_percent: Number | None = None,
    annual_rate: Number | None = None,
    actor: Actor = BOT,
    now: datetime | None = None,
) -> Quote:
    """Attach a financing simulation of the quote's total (vehicle quotes only).

    Give the down payment as an amount or a percent (kept as a percent when discounts later
    change the total). The rate defaults to the branch's. `FinancingError` for terms a
    lender would refuse (see showroom.sales.financing).
    """
    moment = aware_now(now)
    if not any(line.item_type == "vehicle" for line in quote.lines):
        raise QuoteError("financing is offered on vehicle quotes only")
    if (down_payment is None) == (down_percent is None):
        raise QuoteError("give either down_payment or down_percent")
    rate = annual_rate if annual_rate is not None else branch_annual_rate(quote.branch)
    _refuse_customer(actor, "attach financing")
    _lock_editable(session, quote, moment, "attach financing")
    plan = _plan(quote, down_percent, down_payment, months, rate)
    _revise(quote, actor, moment, "attach financing")
    quote.financing = plan
    record_event(quote, "financing", actor, moment, details={"months": months})
    session.flush()
    return quote


def remove_financing(
    session: Session, quote: Quote, *, actor: Actor = BOT, now: datetime | None = None
) -> Quote:
    moment = aware_now(now)
    if quote.financing is None:
        return quote
    _refuse_customer(actor, "remove financing")
    _lock_editable(session, quote, moment, "remove financing")
    if quote.financing is None:  # removed meanwhile
        return quote
    _revise(quote, actor, moment, "remove financing")
    quote.financing = None
    record_event(quote, "financing_removed", actor, moment)
    session.flush()
    return quote


def assign_salesperson(
    session: Session,
    quote: Quote,
    salesperson: Salesperson | int,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> Quote:
    """Assign (or reassign) the salesperson who earns the commission; status unchanged.

    `actor` is who assigns (a salesperson taking the quote, a supervisor, the system
    routing it); the assignee is in the event's details.
    """
    moment = aware_now(now)
    _refuse_customer(actor, "assign a salesperson")
    person = active_salesperson(session, salesperson, quote.branch)
    if actor.kind == "salesperson":
        active_salesperson(session, actor.salesperson_id or 0, quote.branch)
    claim_quote(session, quote, "assign a salesperson")
    if quote.status not in OPEN_STATUSES:
        raise IllegalTransition(quote.folio, quote.status, "assign a salesperson")
    previous = quote.salesperson_id
    quote.salesperson = person
    record_event(
        quote,
        "assigned",
        actor,
        moment,
        details={"salesperson": person.id, "previous": previous},
    )
    session.flush()
    log.info("quote assigned folio=%s salesperson=%s", quote.folio, person.id)
    return quote
