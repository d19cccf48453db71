"""The gateway's inbound work queue: pending customer messages, one conversation at a time.

The messages table is the queue; a conversation is worked on under its lease (leases.py)
and its messages go to Rasa oldest first. Before a message is handed to Rasa, that fact is
committed (`mark_handed_to_rasa`): whoever finds a pending message with the mark — after a
crash, a lost lease, a cancelled or timed-out call — asks Rasa's tracker before sending it
again (turn.py). Writes that hand work on or finish it check the lease is still ours.

All functions are synchronous and short; the worker runs them in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.channels.leases import LeaseLostError, check_lease
from showroom.channels.rendering import RenderedTurn
from showroom.conversations import statuses
from showroom.conversations.messages import oldest_open, queue_outbound
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation, Message
from showroom.db.models.inventory import Branch


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
    notice_sent: bool
    # when the message was last handed to Rasa (None: Rasa certainly never had it)
    rasa_sent_at: datetime | None = None

    def due(self, now: datetime) -> bool:
        return self.next_attempt_at is None or self.next_attempt_at <= now


def next_inbound(session: Session, conversation_id: int) -> InboundWork | None:
    """The conversation's oldest pending inbound message (due or not: order first)."""
    row = session.execute(
        oldest_open(conversation_id, "in", [statuses.IN_PENDING])
        .add_columns(Branch)
        .outerjoin(Branch, Branch.id == Conversation.branch_id)
    ).first()
    if row is None:
        return None
    message, conversation, branch = row
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
        notice_sent=conversation.notice_sent_at is not None,
        rasa_sent_at=message.rasa_sent_at,
    )


def save_media(session: Session, message_id: int, media: list[dict[str, Any]]) -> None:
    message = session.get(Message, message_id)
    if message is not None:
        message.media = media


def mark_handed_to_rasa(session: Session, work: InboundWork, owner: str) -> datetime:
    """Commit, before the call, that this message goes to Rasa now (under our lease)."""
    check_lease(session, work.conversation_id, owner)
    message = session.get(Message, work.message_id)
    if message is None or message.status != statuses.IN_PENDING:
        raise LeaseLostError(f"message {work.message_id} is no longer pending")
    now = utcnow()
    message.rasa_sent_at = now
    return now


def complete_turn(
    session: Session,
    *,
    work: InboundWork,
    owner: str,
    rasa_text: str | None,
    turn: RenderedTurn,
) -> list[int]:
    """Mark the inbound message done and queue the bot's messages, atomically."""
    conversation = check_lease(session, work.conversation_id, owner)
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
    """Done without Rasa: for an agent (human mode), or answered by the gateway."""
    message = session.get(Message, message_id)
    if message is not None and message.status == statuses.IN_PENDING:
        message.status = status
        message.processed_at = utcnow()
        message.next_attempt_at = None
        message.error = error


def give_up_expired(
    session: Session,
    conversation_id: int,
    received_before: datetime,
    *,
    apology: str,
    error: str,
) -> bool:
    """Fail, in one step, every pending message of the conversation received before
    `received_before` (past GATEWAY_GIVE_UP_AFTER_S), and queue one `apology` — unless
    the customer was already apologised to after the newest of them (its apology asked
    them to write again, so those messages are covered). True when one was queued.

    The "dame un momento" mark stays: the outage is not over until Rasa answers
    (`complete_turn` clears it), so messages written after the apology do not each get
    a new notice.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return False
    expired = session.scalars(
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == "in",
            Message.status == statuses.IN_PENDING,
            Message.created_at < received_before,
        )
        .order_by(Message.id)
        .with_for_update()
    ).all()
    if not expired:
        return False
    now = utcnow()
    for message in expired:
        message.status = statuses.IN_FAILED
        message.processed_at = now
        message.next_attempt_at = None
        message.error = error[:255]
    last_apology = session.scalar(
        select(func.max(Message.id)).where(
            Message.conversation_id == conversation_id,
            Message.direction == "out",
            Message.author == "system",
            Message.body == apology,
        )
    )
    newest = expired[-1].id
    if last_apology is not None and last_apology > newest:
        return False
    queue_outbound(session, conversation, body=apology, author="system", reply_to_id=newest)
    return True


def retry_inbound(
    session: Session,
    message_id: int,
    delay_s: float,
    error: str,
    *,
    keep_mark: bool = True,
) -> int:
    """Count a failed attempt and schedule the next. `keep_mark=False` clears the hand-off
    mark: Rasa certainly never got the message (refused connection, an error answer), or
    its turn ended without an answer (the action server was down): it is sent again."""
    message = session.get(Message, message_id)
    if message is None:
        return 0
    message.attempts += 1
    message.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    message.error = error[:255]
    if not keep_mark:
        message.rasa_sent_at = None
    return message.attempts


def defer_inbound(session: Session, message_id: int, until: datetime, reason: str) -> None:
    """Wait without counting an attempt (a turn that may still be running in Rasa)."""
    message = session.get(Message, message_id)
    if message is not None and message.status == statuses.IN_PENDING:
        message.next_attempt_at = until
        message.error = reason[:255]


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
