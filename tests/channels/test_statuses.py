"""Delivery statuses only move forward; callbacks that beat our record of the sid wait."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.channels.outbound import _record_submitted
from showroom.channels.status_callbacks import record_status
from showroom.conversations.conversations import find_or_start_conversation
from showroom.conversations.customers import get_or_create_customer
from showroom.conversations.messages import queue_outbound, record_inbound
from showroom.conversations.statuses import may_advance
from showroom.db.models.conversations import Message, MessageStatusEvent


@pytest.mark.parametrize(
    ("current", "new", "moves"),
    [
        ("queued", "sent", True),
        ("sent", "delivered", True),
        ("delivered", "read", True),
        ("queued", "delivered", True),
        ("delivered", "sent", False),
        ("read", "delivered", False),
        ("sent", "queued", False),
        ("sent", "failed", True),
        ("queued", "undelivered", True),
        ("delivered", "failed", False),
        ("failed", "delivered", False),
        ("undelivered", "sent", False),
        ("read", "failed", False),
        ("local", "sent", False),
        ("refused", "sent", False),
        ("sent", "sent", False),
        ("sent", "bogus", False),
    ],
)
def test_may_advance(current: str, new: str, moves: bool) -> None:
    assert may_advance(current, new) is moves


def _outbound(session: Session) -> Message:
    customer = get_or_create_customer(session, phone="+528112345678")
    conversation = find_or_start_conversation(
        session,
        customer=customer,
        channel="whatsapp",
        business_number="+528180001000",
        branch_id=None,
    )
    return queue_outbound(session, conversation, body="hola")


def test_a_callback_before_the_sid_is_recorded_is_applied_when_it_is(session: Session) -> None:
    message = _outbound(session)
    assert record_status(session, "SMearly", "sent") is False
    assert record_status(session, "SMearly", "delivered") is False
    # what the sender records when Twilio accepts the message
    _record_submitted(session, message.id, "queued", "SMearly", None)
    session.flush()
    assert message.status == "delivered"
    assert message.sent_at is not None and message.delivered_at is not None
    events = session.scalars(select(MessageStatusEvent)).all()
    assert {(e.status, e.applied, e.message_id) for e in events} == {
        ("sent", True, message.id),
        ("delivered", True, message.id),
    }


def test_unknown_statuses_are_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="unknown message status"):
        record_status(session, "SM1", "exploded")


def test_callbacks_never_touch_inbound_messages(session: Session) -> None:
    customer = get_or_create_customer(session, phone="+528112345678")
    conversation = find_or_start_conversation(
        session,
        customer=customer,
        channel="whatsapp",
        business_number="+528180001000",
        branch_id=None,
    )
    inbound = record_inbound(session, conversation, provider_sid="SMin", body="hola")
    assert inbound is not None
    assert record_status(session, "SMin", "failed") is False
    assert inbound.status == "pending"
