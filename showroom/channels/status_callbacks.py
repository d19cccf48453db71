"""Twilio's delivery status callbacks → the message's status, never backwards.

Every verified callback is stored as a `MessageStatusEvent` and applied to its message,
whose row is locked meanwhile: callbacks handled at the same moment (several intake
threads, several replicas) are applied one after the other, so a `delivered` read before a
concurrent `read` committed can never overwrite it.

Twilio may call back before `messages.create` has returned to us, so the sid can still
be unknown. Two things make sure such a callback is applied all the same:

- the StatusCallback URL we give Twilio names our message (`?m=<id>`; Twilio signs the URL,
  so it cannot be forged): a callback for an unknown sid adopts that sid for the message
  when it has none yet (this also settles a send whose answer we never got); when the
  message has another sid already, Twilio got it twice and the copy is stored as a
  message of its own (`record_second_copy`);
- a callback stored unapplied (no `m`, or committed just after the sender looked for
  waiting events — on PostgreSQL neither transaction sees the other's row) is applied by
  the worker's periodic sweep (`apply_unapplied_events`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.conversations import statuses
from showroom.conversations.messages import message_by_sid, record_second_copy
from showroom.db.base import utcnow
from showroom.db.models.conversations import Message, MessageStatusEvent

log = logging.getLogger(__name__)

_TIMESTAMP = {"sent": "sent_at", "delivered": "delivered_at", "read": "read_at"}


def record_status(
    session: Session,
    provider_sid: str,
    status: str,
    error_code: str | None = None,
    *,
    message_id: int | None = None,
) -> bool:
    """Store one callback; True when it changed its message's status.

    `message_id` is our id from the (signed) callback URL, when it carried one.
    """
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
    # locked: two callbacks of one message at once (intake threads, replicas) are applied
    # one after the other, each against the status the other committed
    message = message_by_sid(session, provider_sid, for_update=True)
    if message is None and message_id is not None:
        message = _adopt_sid(session, message_id, provider_sid, event)
    if message is None:
        log.info("status %s for a sid not recorded yet; kept for later", status)
        return False
    return _apply(message, event)


def _adopt_sid(
    session: Session, message_id: int, sid: str, event: MessageStatusEvent
) -> Message | None:
    """The message the callback URL names, taking this sid when it has none yet."""
    message = session.get(Message, message_id, with_for_update=True)
    if message is None or message.direction != "out":
        return None
    if message.provider_sid == sid:
        return message  # recorded by the sender while we waited for the row
    if message.provider_sid:
        # Twilio has a second message for it: the earlier send was not found and resent
        log.error("status callback of a second Twilio message for outbound %s", message_id)
        copy = record_second_copy(session, message, sid)
        session.flush()
        return copy
    if message.status not in statuses.OUT_AWAITING_SID:
        return None
    message.provider_sid = sid
    message.status = "queued"
    message.next_attempt_at = None
    message.error = None
    message.submitted_at = message.submitted_at or event.received_at
    session.flush()
    log.info("outbound %s: its Twilio sid came with a status callback", message_id)
    return message


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


def apply_unapplied_events(
    session: Session, *, max_age: timedelta = timedelta(days=1), limit: int = 500
) -> int:
    """The worker's sweep: apply stored callbacks whose sid is now recorded; how many.

    Callbacks that never match (messages this gateway did not send) are left alone and
    stop being looked at after `max_age`.
    """
    since: datetime = utcnow() - max_age
    rows = session.execute(
        select(MessageStatusEvent, Message)
        .join(Message, Message.provider_sid == MessageStatusEvent.provider_sid)
        .where(
            MessageStatusEvent.applied.is_(False),
            MessageStatusEvent.received_at >= since,
        )
        .order_by(MessageStatusEvent.id)
        .limit(limit)
        .with_for_update(of=Message)
    ).all()
    for event, message in rows:
        _apply(message, event)
    if rows:
        log.info("applied %d status callbacks that had waited for their sid", len(rows))
    return len(rows)


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
