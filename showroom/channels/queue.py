"""The gateway's work queue: the messages table, claimed per conversation with a lease.

Ordering across replicas: a conversation is worked on by one process at a time. A process
takes the conversation's lease with one conditional UPDATE (`lease_owner` empty, expired
or already its own) — atomic on PostgreSQL (the row lock makes the loser re-check and
miss) and on SQLite (one writer at a time) — and keeps it while it hands that
conversation's messages, oldest first, to Rasa and Twilio. A crashed process's lease
expires after GATEWAY_LEASE_S and another replica resumes its pending messages. Writes
that finish a turn check the lease is still theirs (`LeaseLostError` otherwise).

All functions are synchronous and short; the worker runs them in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from showroom.channels.rendering import RenderedTurn
from showroom.conversations import statuses
from showroom.conversations.messages import queue_outbound
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation, Message
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch


class LeaseLostError(Exception):
    """Another process took this conversation over (ours expired)."""


@dataclass(frozen=True)
class InboundWork:
    message_id: int
    conversation_id: int
    conversation_key: str
    channel: str
    mode: str
    body: str
    media: list[dict[str, Any]]
    attempts: int
    received_at: datetime
    next_attempt_at: datetime | None
    last_options: list[dict[str, str]]
    branch_code: str | None
    branch_timezone: str | None
    phone: str | None
    profile_name: str | None
    notice_sent: bool

    def due(self, now: datetime) -> bool:
        return self.next_attempt_at is None or self.next_attempt_at <= now


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

    def due(self, now: datetime) -> bool:
        return self.next_attempt_at is None or self.next_attempt_at <= now


# ------------------------------------------------------------------ leases
def _free_or_mine(owner: str, now: datetime) -> Any:
    return or_(
        Conversation.lease_owner.is_(None),
        Conversation.lease_expires_at.is_(None),
        Conversation.lease_expires_at < now,
        Conversation.lease_owner == owner,
    )


def due_conversations(session: Session, owner: str, now: datetime, limit: int) -> list[int]:
    """Conversations with a pending message that is due, not leased by another process."""
    rows = session.execute(
        select(Message.conversation_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.status == statuses.IN_PENDING,
            or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
            _free_or_mine(owner, now),
        )
        .group_by(Message.conversation_id)
        .order_by(func.min(Message.id))
        .limit(limit)
    )
    return [row[0] for row in rows]


def claim(session: Session, conversation_id: int, owner: str, lease_s: float) -> bool:
    now = utcnow()
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, _free_or_mine(owner, now))
        .values(
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_s),
            updated_at=Conversation.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def renew(session: Session, conversation_id: int, owner: str, lease_s: float) -> None:
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.lease_owner == owner)
        .values(
            lease_expires_at=utcnow() + timedelta(seconds=lease_s),
            updated_at=Conversation.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLostError(f"conversation {conversation_id}")


def release(session: Session, conversation_id: int, owner: str) -> None:
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None, updated_at=Conversation.updated_at)
        .execution_options(synchronize_session=False)
    )


def _check_lease(session: Session, conversation_id: int, owner: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id, with_for_update=True)
    if conversation is None or conversation.lease_owner != owner:
        raise LeaseLostError(f"conversation {conversation_id}")
    return conversation


# ------------------------------------------------------------------ inbound
def next_inbound(session: Session, conversation_id: int) -> InboundWork | None:
    """The conversation's oldest pending inbound message (due or not: order first)."""
    row = session.execute(
        select(Message, Conversation, Customer, Branch)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Customer, Customer.id == Conversation.customer_id)
        .outerjoin(Branch, Branch.id == Conversation.branch_id)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == "in",
            Message.status == statuses.IN_PENDING,
        )
        .order_by(Message.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    message, conversation, customer, branch = row
    return InboundWork(
        message_id=message.id,
        conversation_id=conversation.id,
        conversation_key=conversation.key,
        channel=conversation.channel,
        mode=conversation.mode,
        body=message.body,
        media=list(message.media or []),
        attempts=message.attempts,
        received_at=message.created_at,
        next_attempt_at=message.next_attempt_at,
        last_options=list(conversation.last_options or []),
        branch_code=branch.code if branch else None,
        branch_timezone=branch.timezone if branch else None,
        phone=conversation.customer_number or customer.phone,
        profile_name=customer.name,
        notice_sent=conversation.notice_sent_at is not None,
    )


def save_media(session: Session, message_id: int, media: list[dict[str, Any]]) -> None:
    message = session.get(Message, message_id)
    if message is not None:
        message.media = media


def complete_turn(
    session: Session,
    *,
    work: InboundWork,
    owner: str,
    rasa_text: str | None,
    turn: RenderedTurn,
) -> list[int]:
    """Mark the inbound message done and queue the bot's messages, atomically."""
    conversation = _check_lease(session, work.conversation_id, owner)
    message = session.get(Message, work.message_id)
    if message is None or message.status != statuses.IN_PENDING:
        return []
    now = utcnow()
    message.status = statuses.IN_DONE
    message.processed_at = now
    message.rasa_text = rasa_text if rasa_text != message.body else None
    message.next_attempt_at = None
    message.error = None
    conversation.last_options = turn.options
    conversation.notice_sent_at = None
    ids = []
    for outgoing in turn.messages:
        queued = queue_outbound(
            session,
            conversation,
            body=outgoing.body,
            media_urls=outgoing.media_urls,
            options=outgoing.options,
            author="bot",
            reply_to_id=message.id,
        )
        ids.append(queued.id)
    return ids


def finish_inbound(
    session: Session, message_id: int, status: str, *, error: str | None = None
) -> None:
    """Done without Rasa: for an agent (human mode), given up, or answered by the gateway."""
    message = session.get(Message, message_id)
    if message is not None and message.status == statuses.IN_PENDING:
        message.status = status
        message.processed_at = utcnow()
        message.next_attempt_at = None
        message.error = error


def retry_inbound(session: Session, message_id: int, delay_s: float, error: str) -> int:
    message = session.get(Message, message_id)
    if message is None:
        return 0
    message.attempts += 1
    message.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    message.error = error[:255]
    return message.attempts


def queue_gateway_message(
    session: Session,
    conversation_id: int,
    body: str,
    *,
    reply_to_id: int | None = None,
    once_per_outage: bool = False,
) -> bool:
    """Queue a message the gateway itself says ("dame un momento", ...).

    With `once_per_outage` it is queued only when none was sent since Rasa last answered.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return False
    if once_per_outage:
        if conversation.notice_sent_at is not None:
            return False
        conversation.notice_sent_at = utcnow()
    queue_outbound(session, conversation, body=body, author="system", reply_to_id=reply_to_id)
    return True


# ------------------------------------------------------------------ outbound
def next_outbound(session: Session, conversation_id: int) -> OutboundWork | None:
    row = session.execute(
        select(Message, Conversation, Customer)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Customer, Customer.id == Conversation.customer_id)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == "out",
            Message.status == statuses.OUT_PENDING,
        )
        .order_by(Message.id)
        .limit(1)
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
    )


def mark_outbound(
    session: Session,
    message_id: int,
    status: str,
    *,
    sid: str | None = None,
    template_sid: str | None = None,
    error: str | None = None,
    code: str | None = None,
) -> Message | None:
    message = session.get(Message, message_id)
    if message is None or message.status != statuses.OUT_PENDING:
        return None
    message.status = status
    message.next_attempt_at = None
    message.error = error[:255] if error else None
    message.error_code = code
    if sid:
        message.provider_sid = sid
    if template_sid:
        message.template_sid = template_sid
    if status not in (statuses.OUT_REFUSED, statuses.OUT_FAILED):
        message.submitted_at = utcnow()
    return message


def retry_outbound(session: Session, message_id: int, delay_s: float, error: str) -> int:
    message = session.get(Message, message_id)
    if message is None:
        return 0
    message.attempts += 1
    message.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    message.error = error[:255]
    return message.attempts
