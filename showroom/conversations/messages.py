"""Recording messages in and out. The gateway worker sends what is queued here.

Anything that wants to write to a customer (the bot's turn, an agent in the console, a
campaign) calls `queue_outbound`; the gateway sends it in order, from the conversation's
business number, applying WhatsApp's 24-hour rule (docs/gateway.md).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from showroom.conversations import statuses
from showroom.conversations.clean import clean_text, clean_value
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation, Message

AUTHORS = ("customer", "bot", "agent", "system")


def message_by_sid(
    session: Session, provider_sid: str, *, for_update: bool = False
) -> Message | None:
    """The message Twilio knows as `provider_sid`. `for_update` locks its row until the
    transaction ends (PostgreSQL; SQLite has one writer at a time anyway) and reads its
    latest committed state: a read-check-write on it cannot interleave with another."""
    query = select(Message).where(Message.provider_sid == provider_sid)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def record_inbound(
    session: Session,
    conversation: Conversation,
    *,
    provider_sid: str,
    body: str,
    media: Sequence[dict[str, Any]] = (),
    status: str = statuses.IN_PENDING,
    received_at: datetime | None = None,
) -> Message | None:
    """Store a customer's message once; None when this provider sid was already stored.

    The unique `provider_sid` makes a replayed webhook (Twilio retries, a proxy resending)
    a no-op, also when two replicas receive it at the same moment. Control characters
    are dropped from the body and media (`clean.py`: PostgreSQL refuses a NUL).
    """
    if message_by_sid(session, provider_sid) is not None:
        return None
    now = received_at or utcnow()
    message = Message(
        conversation_id=conversation.id,
        direction="in",
        author="customer",
        body=clean_text(body),
        media=clean_value(list(media)),
        options=[],
        provider_sid=provider_sid,
        status=status,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    if _insert_once(session, message, provider_sid) is not None:
        return None  # another webhook stored it a moment ago
    conversation.last_inbound_at = now
    conversation.updated_at = now
    return message


def queue_outbound(
    session: Session,
    conversation: Conversation,
    *,
    body: str = "",
    media_urls: Sequence[str] = (),
    author: str = "bot",
    options: Sequence[dict[str, str]] = (),
    reply_to_id: int | None = None,
    template_use: str | None = None,
    template_variables: dict[str, str] | None = None,
) -> Message:
    """Queue a message to the customer; the gateway worker sends it (or stores it locally).

    `template_use` names the approved template (Settings.twilio_templates) to use when the
    24-hour window is closed; without one such a send is refused with the reason.
    """
    if author not in AUTHORS or author == "customer":
        raise ValueError(f"outbound author must be bot, agent or system, not {author!r}")
    if not body.strip() and not media_urls and not template_use:
        raise ValueError("an outbound message needs a body, media or a template")
    now = utcnow()
    message = Message(
        conversation_id=conversation.id,
        direction="out",
        author=author,
        body=clean_text(body),
        media=[{"url": url} for url in media_urls],
        options=clean_value(list(options)),
        status=statuses.OUT_PENDING,
        attempts=0,
        reply_to_id=reply_to_id,
        template_use=template_use,
        template_variables=template_variables,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    session.flush()
    conversation.updated_at = now
    return message


def record_second_copy(
    session: Session, original: Message, provider_sid: str, status: str = "queued"
) -> Message:
    """Twilio has a second message for `original` under `provider_sid`: a send whose
    answer was lost was not found at Twilio and went out again, and then the first copy
    turned up (its status callback, a late answer). The customer got both, so the copy is
    stored as a message of its own — its callbacks apply to it, and no later lookup at
    Twilio can take its sid for another message with the same text. Idempotent."""
    existing = message_by_sid(session, provider_sid)
    if existing is not None:
        return existing
    now = utcnow()
    copy = Message(
        conversation_id=original.conversation_id,
        direction="out",
        author=original.author,
        body=original.body,
        media=list(original.media or []),
        options=list(original.options or []),
        provider_sid=provider_sid,
        status=status,
        attempts=0,
        error=f"Twilio sent outbound {original.id} twice; this is the other copy",
        reply_to_id=original.reply_to_id,
        template_use=original.template_use,
        template_sid=original.template_sid,
        template_variables=original.template_variables,
        submitted_at=original.submit_started_at or now,
        created_at=now,
        updated_at=now,
    )
    # or the copy the other path (a callback, a late answer) recorded a moment ago
    return _insert_once(session, copy, provider_sid) or copy


def _insert_once(session: Session, message: Message, provider_sid: str) -> Message | None:
    """Insert `message` under its unique `provider_sid`; None when inserted. When another
    process stored a message under that sid a moment earlier, that message is returned
    instead. Any other constraint violation is raised: nothing is lost silently."""
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        found = message_by_sid(session, provider_sid)
        if found is not None:
            return found
        raise
    return None


def oldest_open(
    conversation_id: int, direction: str, open_statuses: Collection[str]
) -> Select[Message, Conversation]:
    """The conversation's oldest message of `direction` in one of `open_statuses`, with its
    conversation: the gateway works through a conversation's messages in order. Callers
    join what else they need (the branch, the customer)."""
    return (
        select(Message, Conversation)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == direction,
            Message.status.in_(open_statuses),
        )
        .order_by(Message.id)
        .limit(1)
    )


def history(
    session: Session, conversation_id: int, *, after_id: int = 0, limit: int = 200
) -> list[Message]:
    """Messages of a conversation in order, those after `after_id` (for polling clients)."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after_id)
            .order_by(Message.id)
            .limit(limit)
        )
    )
