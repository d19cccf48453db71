"""The gateway's outbound queue: what is to be sent, and what became of each send.

A message to a customer is `pending` until sent, in order. Just before `messages.create`
the gateway commits `submitting` (under the conversation's lease): if we then crash, time
out or lose the answer, the message stays `submitting` and whoever works on the
conversation next looks it up at Twilio before it would send it again (outbound.py).
Recording what Twilio answered (`record_submitted`) needs no lease — it is a fact about a
message Twilio has — and never replaces a sid already recorded.

All functions are synchronous and short; the worker runs them in a thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.channels.leases import LeaseLostError, check_lease
from showroom.channels.status_callbacks import apply_waiting_events
from showroom.conversations import statuses
from showroom.conversations.messages import oldest_open, record_second_copy
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation, Message
from showroom.db.models.customers import Customer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboundWork:
    message_id: int
    conversation_id: int
    channel: str
    body: str
    media_urls: list[str]
    attempts: int
    next_attempt_at: datetime | None
    template_use: str | None
    template_variables: dict[str, str] | None
    last_inbound_at: datetime | None
    from_number: str
    to_number: str | None
    status: str = statuses.OUT_PENDING
    submit_started_at: datetime | None = None
    # the Content SID the latest attempt sent (None: free-form body and media)
    template_sid: str | None = None

    def due(self, now: datetime) -> bool:
        return self.next_attempt_at is None or self.next_attempt_at <= now

    @property
    def outcome_unknown(self) -> bool:
        """Handed to Twilio earlier without a recorded answer."""
        return self.status == statuses.OUT_SUBMITTING


def next_outbound(session: Session, conversation_id: int) -> OutboundWork | None:
    """The conversation's oldest message still to send (or whose send is unresolved)."""
    row = session.execute(
        oldest_open(conversation_id, "out", statuses.OUT_OPEN)
        .add_columns(Customer)
        .join(Customer, Customer.id == Conversation.customer_id)
    ).first()
    if row is None:
        return None
    message, conversation, customer = row
    return OutboundWork(
        message_id=message.id,
        conversation_id=conversation.id,
        channel=conversation.channel,
        body=message.body,
        media_urls=[m["url"] for m in message.media or [] if m.get("url")],
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        template_use=message.template_use,
        template_variables=message.template_variables,
        last_inbound_at=conversation.last_inbound_at,
        from_number=conversation.business_number,
        to_number=conversation.customer_number or customer.phone,
        status=message.status,
        submit_started_at=message.submit_started_at,
        template_sid=message.template_sid,
    )


def _open_message(session: Session, work: OutboundWork, owner: str) -> Message:
    check_lease(session, work.conversation_id, owner)
    message = session.get(Message, work.message_id, with_for_update=True)
    if message is None or message.status not in statuses.OUT_OPEN:
        raise LeaseLostError(f"outbound {work.message_id} was resolved by another process")
    return message


def begin_submit(
    session: Session, work: OutboundWork, owner: str, template_sid: str | None = None
) -> datetime:
    """Commit `submitting` just before the message is handed to Twilio (lease checked),
    with what is sent (a template's Content SID or none): a lookup compares by it."""
    message = _open_message(session, work, owner)
    now = utcnow()
    message.status = statuses.OUT_SUBMITTING
    message.submit_started_at = now
    message.next_attempt_at = None
    message.template_sid = template_sid
    return now


def record_submitted(
    session: Session,
    message_id: int,
    status: str,
    sid: str,
    template_sid: str | None = None,
) -> bool:
    """Twilio has this message under `sid`: record it and apply callbacks that beat us.

    True when recorded now or already (a callback or a lookup recorded it first).
    """
    message = session.get(Message, message_id, with_for_update=True)
    if message is None:
        return False
    if message.provider_sid == sid:
        return True
    initial = (status or "queued").strip().lower()
    initial = initial if initial in statuses.DELIVERY_RANK else "queued"
    if message.provider_sid:
        log.error(
            "outbound %s reached Twilio twice (the other copy is recorded on its own; "
            "the customer may see it twice)",
            message_id,
        )
        copy = record_second_copy(session, message, sid, initial)
        session.flush()
        apply_waiting_events(session, copy)
        return False
    if message.status not in statuses.OUT_AWAITING_SID:
        return False
    message.status = initial
    message.provider_sid = sid
    message.next_attempt_at = None
    message.error = None
    message.error_code = None
    message.submitted_at = message.submitted_at or utcnow()
    if template_sid:
        message.template_sid = template_sid
    session.flush()
    apply_waiting_events(session, message)
    return True


def record_local(
    session: Session, work: OutboundWork, owner: str, template_sid: str | None
) -> None:
    """Local outbox mode / the simulator: stored instead of sent."""
    message = _open_message(session, work, owner)
    message.status = statuses.OUT_LOCAL
    message.next_attempt_at = None
    message.submitted_at = utcnow()
    if template_sid:
        message.template_sid = template_sid


def mark_outbound(
    session: Session,
    work: OutboundWork,
    owner: str,
    status: str,
    *,
    error: str | None = None,
    code: str | None = None,
) -> None:
    """A final outcome decided by us (refused) or by Twilio's answer (failed)."""
    message = _open_message(session, work, owner)
    message.status = status
    message.next_attempt_at = None
    message.error = error[:255] if error else None
    message.error_code = code


def retry_outbound(
    session: Session,
    message_id: int,
    delay_s: float,
    error: str,
    *,
    outcome_unknown: bool = False,
) -> int:
    """Count a failed attempt; the message waits `delay_s`. With `outcome_unknown` it
    stays `submitting` (Twilio may have it: look it up first), else back to `pending`."""
    message = session.get(Message, message_id, with_for_update=True)
    if message is None or message.status not in statuses.OUT_OPEN:
        return 0
    message.attempts += 1
    message.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    message.error = error[:255]
    message.status = statuses.OUT_SUBMITTING if outcome_unknown else statuses.OUT_PENDING
    return message.attempts


def defer_outbound(session: Session, message_id: int, until: datetime) -> None:
    """Wait, without counting an attempt, until a send in flight has surely ended."""
    message = session.get(Message, message_id)
    if message is not None and message.status in statuses.OUT_OPEN:
        message.next_attempt_at = until


def requeue_outbound(session: Session, work: OutboundWork, owner: str) -> None:
    """Twilio has no such message: it may be sent again (now)."""
    message = _open_message(session, work, owner)
    message.status = statuses.OUT_PENDING
    message.next_attempt_at = None


def known_sids(session: Session, sids: Iterable[str]) -> set[str]:
    """Which of these Twilio sids are already recorded on one of our messages (second
    copies of a message Twilio got twice included: see `record_second_copy`)."""
    wanted = [s for s in sids if s]
    if not wanted:
        return set()
    rows = session.scalars(select(Message.provider_sid).where(Message.provider_sid.in_(wanted)))
    return {sid for sid in rows if sid}
