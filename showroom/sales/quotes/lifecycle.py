"""The quote's life: draft → sent → accepted → confirmed (a sales ticket); expired, cancelled.

| action  | from                    | to        | who                                  |
|---------|-------------------------|-----------|--------------------------------------|
| send    | draft                   | sent      | bot, salesperson, system             |
| accept  | sent                    | accepted  | customer, salesperson (on their behalf) |
| confirm | accepted                | confirmed | salesperson                          |
| cancel  | draft, sent, accepted   | cancelled | customer, salesperson, bot, system   |
| expire  | draft, sent, accepted   | expired   | system                               |

A change to a sent/accepted quote sends it back to draft ("revised", see service.py).
Accepting holds the price for `QUOTE_ACCEPTED_HOLD_DAYS` after acceptance (the validity is
extended when it would end sooner), so a "sí" on the last day can still be confirmed.
Sending a sent quote again or accepting an accepted one is not an error (customers repeat
themselves); any other step from the wrong status raises `IllegalTransition`, a step by the
wrong actor `NotAllowed`, and send/accept/confirm after the validity date `QuoteExpired`.
Each transition reads the status with a row lock (PostgreSQL; locking.py) and writes it
with a compare-and-set UPDATE, so two people acting on one quote cannot both succeed; a
confirmation also reloads the quote, so a sale is made of what the quote says right then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from showroom.db.models.sales import Quote, Salesperson, SalesTicket
from showroom.sales.quotes.actors import CUSTOMER, SYSTEM, Actor
from showroom.sales.quotes.audit import record_event
from showroom.sales.quotes.config import quote_settings
from showroom.sales.quotes.errors import IllegalTransition, NotAllowed, QuoteExpired
from showroom.sales.quotes.locking import lock_quote
from showroom.sales.quotes.salespeople import active_salesperson
from showroom.sales.quotes.stock import Claim, check_lines, claim_lines
from showroom.sales.quotes.tickets import issue_ticket
from showroom.sales.quotes.validity import (
    OPEN_STATUSES,
    aware_now,
    is_past_validity,
    valid_until,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...]
    event: str
    needs_validity: bool


TRANSITIONS: dict[str, Transition] = {
    "send": Transition(("draft",), "sent", ("bot", "salesperson", "system"), "sent", True),
    "accept": Transition(("sent",), "accepted", ("customer", "salesperson"), "accepted", True),
    "confirm": Transition(("accepted",), "confirmed", ("salesperson",), "confirmed", True),
    "cancel": Transition(
        OPEN_STATUSES, "cancelled", ("customer", "salesperson", "bot", "system"), "cancelled", False
    ),
    "expire": Transition(OPEN_STATUSES, "expired", ("system",), "expired", False),
}


def allowed_actions(
    quote: Quote, actor: Actor | None = None, now: datetime | None = None
) -> list[str]:
    """The actions possible now (for the console's buttons), optionally for one actor."""
    past = is_past_validity(quote, now)
    return [
        name
        for name, step in TRANSITIONS.items()
        if quote.status in step.sources
        and (actor is None or actor.kind in step.actors)
        and not (past and step.needs_validity)
    ]


def _transition(
    session: Session,
    quote: Quote,
    action: str,
    actor: Actor,
    moment: datetime,
    details: dict[str, Any] | None = None,
    before_write: Callable[[], None] | None = None,
    reload: bool = False,
) -> str:
    """Check and perform one transition; returns the status it left.

    The quote is locked first. With `reload` (confirmations) it is read again too, so a
    sale is made of the prices and salesperson the quote has now, not of what this
    session loaded earlier (it may have been revised and accepted again meanwhile).
    """
    step = TRANSITIONS[action]
    if actor.kind not in step.actors:
        raise NotAllowed(f"{actor.kind} cannot {action} a quote")
    current = lock_quote(session, quote, action, reload=reload)
    if step.needs_validity and current in OPEN_STATUSES and is_past_validity(quote, moment):
        raise QuoteExpired(quote.folio, action)
    if current not in step.sources:
        raise IllegalTransition(quote.folio, current, action)
    if before_write is not None:
        before_write()
    result = session.execute(
        update(Quote)
        .where(Quote.id == quote.id, Quote.status == current)
        .values(status=step.target, updated_at=moment)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:  # SQLite: someone got there first
        session.refresh(quote, ["status"])
        raise IllegalTransition(quote.folio, quote.status, action)
    record_event(quote, step.event, actor, moment, to_status=step.target, details=details)
    return current


def check_quote_stock(session: Session, quote: Quote) -> None:
    """`OutOfStock` when a quoted vehicle is no longer available or a part is short (read
    now, no lock): call before offering an existing quote again."""
    check_lines(session, list(quote.lines))


def mark_sent(
    session: Session, quote: Quote, *, actor: Actor | None = None, now: datetime | None = None
) -> Quote:
    """The summary/PDF goes to the customer. Stock is checked again first (`OutOfStock`,
    nothing changes): a unit sold since the quote was made is never offered again.
    Sending again is recorded ("resent"), not an error."""
    moment = aware_now(now)
    actor = actor or Actor.bot()
    if quote.status == "sent" and not is_past_validity(quote, moment):
        check_quote_stock(session, quote)
        record_event(quote, "resent", actor, moment)
    else:
        _transition(
            session,
            quote,
            "send",
            actor,
            moment,
            before_write=lambda: check_quote_stock(session, quote),
        )
    session.flush()
    log.info("quote sent folio=%s", quote.folio)
    return quote


def accept_quote(
    session: Session, quote: Quote, *, actor: Actor = CUSTOMER, now: datetime | None = None
) -> Quote:
    """The customer said yes. Stock is checked again (`OutOfStock`, nothing changes); the
    sale happens when a salesperson confirms. The price then holds for
    `QUOTE_ACCEPTED_HOLD_DAYS` after acceptance even if the validity ends sooner."""
    moment = aware_now(now)
    if quote.status == "accepted" and not is_past_validity(quote, moment):
        return quote
    if actor.kind == "salesperson":
        active_salesperson(session, actor.salesperson_id or 0, quote.branch)
    held = _price_held_until(quote, moment)
    hold = (
        {"valid_until_was": quote.valid_until.isoformat(), "price_held_until": held.isoformat()}
        if held is not None
        else None
    )
    _transition(
        session,
        quote,
        "accept",
        actor,
        moment,
        details=hold,
        before_write=lambda: check_quote_stock(session, quote),
    )
    if held is not None:
        quote.valid_until = held
    session.flush()
    log.info("quote accepted folio=%s actor=%s", quote.folio, actor.kind)
    return quote


def _price_held_until(quote: Quote, accepted_at: datetime) -> datetime | None:
    """The end of the hold after acceptance when it is later than the validity (which is
    never shortened), so a "sí" on the last day still leaves a salesperson time to confirm
    at the quoted price; None when the validity already lasts longer (or holds are off)."""
    days = quote_settings().accepted_hold_days
    if days < 1:
        return None
    held = valid_until(quote.branch, accepted_at, days)
    return held if held > quote.valid_until else None


def confirm_quote(
    session: Session,
    quote: Quote,
    salesperson: Salesperson | int,
    *,
    include_reserved: bool = False,
    now: datetime | None = None,
) -> SalesTicket:
    """A salesperson closes the sale: stock is claimed (vehicle → sold, parts decremented),
    the ticket is issued with its number and commission.

    `OutOfStock` ("sin existencia") when another sale took the unit first: nothing changes.
    `include_reserved` lets the salesperson sell a vehicle put aside in the console.
    """
    moment = aware_now(now)
    person = active_salesperson(session, salesperson, quote.branch)
    actor = Actor.salesperson(person.id)
    claims: list[Claim] = []

    def claim() -> None:
        claims.append(claim_lines(session, list(quote.lines), include_reserved))

    try:
        _transition(session, quote, "confirm", actor, moment, before_write=claim, reload=True)
    except IllegalTransition:
        for done in claims:
            done.undo(session)
        raise
    ticket = issue_ticket(session, quote, quote.salesperson or person, person, moment)
    quote.events[-1].details = {"ticket": ticket.number}
    session.flush()
    log.info("quote confirmed folio=%s ticket=%s", quote.folio, ticket.number)
    return ticket


def cancel_quote(
    session: Session,
    quote: Quote,
    *,
    actor: Actor,
    reason: str = "",
    now: datetime | None = None,
) -> Quote:
    """Customer changed their mind, salesperson withdrew it, or a new quote replaces it."""
    if actor.kind == "salesperson":
        active_salesperson(session, actor.salesperson_id or 0, quote.branch)
    details = {"reason": reason[:200]} if reason else None
    _transition(session, quote, "cancel", actor, aware_now(now), details)
    session.flush()
    log.info("quote cancelled folio=%s actor=%s", quote.folio, actor.kind)
    return quote


def expire_due_quotes(
    session: Session, *, now: datetime | None = None, limit: int = 1000
) -> list[str]:
    """Mark open quotes past their validity as expired (run periodically); their folios."""
    moment = aware_now(now)
    due: Sequence[Quote] = session.scalars(
        select(Quote)
        .where(Quote.status.in_(OPEN_STATUSES), Quote.valid_until <= moment)
        .order_by(Quote.id)
        .limit(limit)
    ).all()
    expired = []
    for quote in due:
        try:
            _transition(session, quote, "expire", SYSTEM, moment)
        except IllegalTransition:  # confirmed or cancelled meanwhile
            continue
        expired.append(quote.folio)
    session.flush()
    if expired:
        log.info("quotes expired count=%d", len(expired))
    return expired


__all__ = [
    "TRANSITIONS",
    "accept_quote",
    "allowed_actions",
    "cancel_quote",
    "check_quote_stock",
    "confirm_quote",
    "expire_due_quotes",
    "mark_sent",
]
