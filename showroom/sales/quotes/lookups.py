"""Finding quotes: by id or folio, and the open quote a conversation refers to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.customers import Customer
from showroom.db.models.sales import Quote
from showroom.sales.quotes.errors import QuoteError, QuoteNotFound
from showroom.sales.quotes.validity import OPEN_STATUSES, aware_now


def get_quote(session: Session, key: int | str) -> Quote:
    """By id or folio (case-insensitive); `QuoteNotFound` otherwise."""
    quote: Quote | None
    if isinstance(key, int):
        quote = session.get(Quote, key)
    else:
        quote = session.scalar(select(Quote).where(Quote.folio == key.strip().upper()))
    if quote is None:
        raise QuoteNotFound(f"no quote {key!r}")
    return quote


def latest_open_quote(
    session: Session,
    *,
    customer: Customer | None = None,
    conversation_key: str | None = None,
    now: datetime | None = None,
) -> Quote | None:
    """The customer's (or conversation's) newest draft/sent/accepted quote still valid:
    what "sí, la acepto" or "hazme un descuento" refers to."""
    if customer is None and conversation_key is None:
        raise QuoteError("give a customer or a conversation key")
    statement = select(Quote).where(
        Quote.status.in_(OPEN_STATUSES), Quote.valid_until > aware_now(now)
    )
    if customer is not None:
        statement = statement.where(Quote.customer_id == customer.id)
    if conversation_key is not None:
        statement = statement.where(Quote.conversation_key == conversation_key)
    return session.scalars(statement.order_by(Quote.created_at.desc(), Quote.id.desc())).first()
