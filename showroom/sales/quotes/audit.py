"""The audit trail: every transition and change of a quote, with who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from showroom.db.models.sales import Quote, QuoteEvent
from showroom.sales.quotes.actors import Actor


def record_event(
    quote: Quote,
    event: str,
    actor: Actor,
    at: datetime,
    *,
    to_status: str | None = None,
    details: dict[str, Any] | None = None,
) -> QuoteEvent:
    """Append an event; with `to_status`, also move the quote to it (a transition)."""
    from_status = quote.status if to_status is not None else None
    row = QuoteEvent(
        event=event,
        from_status=from_status,
        to_status=to_status,
        actor_kind=actor.kind,
        salesperson_id=actor.salesperson_id,
        at=at,
        details=details or {},
    )
    quote.events.append(row)
    if to_status is not None:
        quote.status = to_status
    return row
