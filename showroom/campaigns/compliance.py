"""Do-not-contact: customers who asked not to be called or written to again.

Channels are "whatsapp", "voice" or "all". An "all" opt-out blocks every channel; asking
`is_opted_out(..., channel="all")` is the conservative question "did this person opt out of
anything?" and is True for any opt-out.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.conversations.customers import insert_if_absent, normalize_phone
from showroom.db.models.customers import Customer, OptOut

log = logging.getLogger(__name__)

CHANNELS = ("all", "whatsapp", "voice")


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r} (expected one of {', '.join(CHANNELS)})")
    return channel


def opt_out(
    session: Session, customer: Customer, channel: str = "all", source: str = "chat"
) -> OptOut:
    """Record that `customer` does not want to be contacted on `channel` (idempotent)."""
    _check_channel(channel)
    if customer.id is None:
        session.flush()
    criteria = (OptOut.customer_id == customer.id, OptOut.channel == channel)
    existing = session.scalar(select(OptOut).where(*criteria))
    if existing is not None:
        return existing
    values = {"customer_id": customer.id, "channel": channel, "source": source[:32]}
    if insert_if_absent(session, OptOut, values, "customer_id", "channel"):
        log.info("opt-out recorded customer=%s channel=%s source=%s", customer.id, channel, source)
    return session.scalars(select(OptOut).where(*criteria)).one()


def is_opted_out(session: Session, phone: str, channel: str = "all") -> bool:
    """True when the person with this phone must not be contacted on `channel`."""
    _check_channel(channel)
    e164 = normalize_phone(phone)
    if e164 is None:
        return False
    query = select(OptOut.id).join(Customer, Customer.id == OptOut.customer_id)
    query = query.where(Customer.phone == e164)
    if channel != "all":
        query = query.where(OptOut.channel.in_(("all", channel)))
    return session.scalar(query.limit(1)) is not None
