"""Sales tickets: the record of a confirmed sale, with its number and the commission.

Commission = the branch's `commission_rate` × the sale's amount before IVA (the subtotal),
rounded half-up to the centavo, earned by the quote's assigned salesperson (or, when none
was assigned, by the salesperson who confirmed it). The sale date is the branch's local date.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.sales import Quote, Salesperson, SalesTicket
from showroom.sales.quotes.config import commission_rate
from showroom.sales.quotes.folios import next_ticket_number
from showroom.sales.quotes.pricing import round_money
from showroom.sales.quotes.validity import local


def commission_for(subtotal: Decimal, rate: Decimal) -> Decimal:
    return round_money(subtotal * rate)


def issue_ticket(
    session: Session,
    quote: Quote,
    seller: Salesperson,
    confirmed_by: Salesperson,
    moment: datetime,
) -> SalesTicket:
    """Create the ticket of a quote being confirmed (the caller checked status and stock)."""
    local_moment = local(quote.branch, moment)
    rate = commission_rate(quote.branch)
    ticket = SalesTicket(
        number=next_ticket_number(session, quote.branch, local_moment.year),
        quote=quote,
        branch_id=quote.branch_id,
        salesperson_id=seller.id,
        confirmed_by_id=confirmed_by.id,
        customer_id=quote.customer_id,
        status="issued",
        sold_at=moment,
        sale_date=local_moment.date(),
        list_total=quote.list_total,
        discount_total=quote.discount_total,
        subtotal=quote.subtotal,
        iva=quote.iva,
        total=quote.total,
        commission_rate=rate,
        commission_amount=commission_for(Decimal(quote.subtotal), rate),
    )
    session.add(ticket)
    session.flush()
    return ticket


def get_ticket(session: Session, number: str) -> SalesTicket | None:
    return session.scalar(select(SalesTicket).where(SalesTicket.number == number.strip().upper()))
