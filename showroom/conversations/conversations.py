"""Finding and starting conversations.

One conversation per (channel, customer, business number): the same customer writing to two
branches has two conversations (two Rasa trackers), and one customer record.
"""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from showroom.db.models.conversations import Conversation
from showroom.db.models.customers import Customer

log = logging.getLogger(__name__)

CHANNELS = ("whatsapp", "simulator", "web", "voice")


def new_key(channel: str) -> str:
    """An opaque conversation key (Rasa's sender id): no phone number in trackers or logs."""
    return f"{channel}-{secrets.token_hex(10)}"


def get_conversation(session: Session, conversation_id: int) -> Conversation | None:
    return session.get(Conversation, conversation_id)


def conversation_by_key(session: Session, key: str) -> Conversation | None:
    return session.scalar(select(Conversation).where(Conversation.key == key))


def find_or_start_conversation(
    session: Session,
    *,
    customer: Customer,
    channel: str,
    business_number: str,
    branch_id: int | None,
    customer_number: str | None = None,
) -> Conversation:
    """The conversation of this customer with this business number, created when new.

    Safe under concurrency (two webhooks of a new customer at once): the loser of the
    insert race reads the winner's row. A branch found later is filled in.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    criteria = (
        Conversation.channel == channel,
        Conversation.customer_id == customer.id,
        Conversation.business_number == business_number,
    )
    conversation = session.scalar(select(Conversation).where(*criteria))
    if conversation is None:
        conversation = Conversation(
            key=new_key(channel),
            channel=channel,
            customer_id=customer.id,
            business_number=business_number,
            customer_number=customer_number or customer.phone,
            branch_id=branch_id,
            mode="bot",
            last_options=[],
        )
        try:
            with session.begin_nested():
                session.add(conversation)
        except IntegrityError:
            conversation = session.scalars(select(Conversation).where(*criteria)).one()
        else:
            log.info("new conversation id=%s channel=%s", conversation.id, channel)
            return conversation
    if conversation.branch_id is None and branch_id is not None:
        conversation.branch_id = branch_id
    if customer_number and conversation.customer_number != customer_number:
        conversation.customer_number = customer_number
    return conversation
