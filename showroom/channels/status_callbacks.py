"""Twilio's delivery status callbacks → the message's status, never backwards.

Every verified callback is stored as a `MessageStatusEvent`. It is applied to its message
when that message is known; a callback can beat our own record of the sid (Twilio may
call back before `messages.create` has returned to us), so events for an unknown sid wait
and are applied when the sid is recorded (`apply_waiting_events`).
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.conversations import statuses
from showroom.conversations.messages import message_by_sid
from showroom.db.base import utcnow
from showroom.db.models.conversations import Message, MessageStatusEvent

log = logging.getLogger(__name__)

_TIMESTAMP = {"sent": "sent_at", "delivered": "delivered_at", "read": "read_at"}


def record_status(
    session: Session, provider_sid: str, status: str, error_code: str | None = None
) -> bool:
    """Store one callback; True when it changed its message's status."""
    status = status.strip().lower()
    if status not in statuses.CALLBACK_STATUSES:
        raise ValueError(f"unknown message status {status!r}")
    event = MessageStatusEvent(
        provider_sid=provider_sid[:64],
        status=status,
        error_code=(error_code or None) and error_code[:16],
        received_at=utcnow(),
    )
    session.add(event)
    message = message_by_sid(session, provider_sid)
    if message is None:
        log.info("status %s for a sid not recorded yet; kept for later", status)
        return False
    return _apply(message, event)


def apply_waiting_events(session: Session, message: Message) -> None:
    """Apply the callbacks that arrived before we recorded this message's sid."""
    if not message.provider_sid:
        return
    events = session.scalars(
        select(MessageStatusEvent)
        .where(
            MessageStatusEvent.provider_sid == message.provider_sid,
            MessageStatusEvent.applied.is_(False),
        )
        .order_by(MessageStatusEvent.id)
    ).all()
    for event in events:
        _apply(message, event)


def _apply(message: Message, event: MessageStatusEvent) -> bool:
    event.message_id = message.id
    event.applied = True
    if message.direction != "out":
        return False
    stamp = _TIMESTAMP.get(event.status)
    if stamp and getattr(message, stamp) is None:
        # a late `sent` after `delivered` still tells when it was sent
        setattr(message, stamp, event.received_at)
    if event.status == "read" and message.delivered_at is None:
        message.delivered_at = event.received_at
    if not statuses.may_advance(message.status, event.status):
        return False
    message.status = event.status
    if event.error_code:
        message.error_code = event.error_code
        message.error = f"Twilio reported {event.status} (error {event.error_code})"
    return True
