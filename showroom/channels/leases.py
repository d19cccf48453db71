"""Conversation leases: one gateway process at a time works on a conversation.

A process takes the conversation's lease with one conditional UPDATE (`lease_owner` empty,
expired or already its own) — atomic on PostgreSQL (the row lock makes the loser re-check
and miss) and on SQLite (one writer at a time) — and renews it while it works. A crashed
process's lease expires after GATEWAY_LEASE_S and another replica takes over. Every write
that hands work to Rasa or Twilio, or finishes it, checks the lease is still its own
(`check_lease`, `LeaseLostError` otherwise).

Clocks: on PostgreSQL, lease times are the database's `now()`, so replicas whose clocks
disagree still agree on when a lease expires. SQLite is one machine (one clock).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from showroom.conversations import statuses
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation, Message

# open messages: inbound `pending`; outbound `pending` or `submitting` (its outcome must
# be looked up). Inbound's `pending` is the same word as outbound's.
WORK_STATUSES = statuses.OUT_OPEN


class LeaseLostError(Exception):
    """Another process took this conversation over (ours expired)."""


def now_expr(session: Session) -> ColumnElement[Any] | datetime:
    """ "Now" for lease comparisons: the database's clock on PostgreSQL, ours on SQLite."""
    return func.now() if session.get_bind().dialect.name == "postgresql" else utcnow()


def _expiry(session: Session, lease_s: float) -> ColumnElement[Any] | datetime:
    return now_expr(session) + timedelta(seconds=lease_s)


def _free_or_mine(owner: str, now: ColumnElement[Any] | datetime) -> Any:
    return or_(
        Conversation.lease_owner.is_(None),
        Conversation.lease_expires_at.is_(None),
        Conversation.lease_expires_at < now,
        Conversation.lease_owner == owner,
    )


def due_conversations(session: Session, owner: str, now: datetime, limit: int) -> list[int]:
    """Conversations the worker can make progress on now, not leased by another process.

    A conversation's messages go out strictly in order — its open outbound messages
    first, then its pending inbound ones, oldest first — so only the oldest open message
    counts: the outbound one if there is one (it holds the inbound ones back), else the
    inbound one. It is due when that message's `next_attempt_at` has come. A newer
    message that is due behind an older one that waits does not make the conversation
    due (the worker would claim it, stop at the older message and come back at once).

    `now` is this replica's clock, the one that wrote `next_attempt_at` (see
    docs/gateway.md, "Clocks").
    """
    first = (
        select(
            Message.conversation_id.label("conversation_id"),
            Message.direction.label("direction"),
            func.min(Message.id).label("message_id"),
        )
        .where(Message.status.in_(WORK_STATUSES))
        .group_by(Message.conversation_id, Message.direction)
        .subquery()
    )
    head = aliased(Message)
    open_outbound = aliased(Message)
    outbound_waiting = (
        select(open_outbound.id)
        .where(
            open_outbound.conversation_id == head.conversation_id,
            open_outbound.direction == "out",
            open_outbound.status.in_(WORK_STATUSES),
        )
        .exists()
    )
    rows = session.execute(
        select(head.conversation_id)
        .join(first, first.c.message_id == head.id)
        .join(Conversation, Conversation.id == head.conversation_id)
        .where(
            or_(head.next_attempt_at.is_(None), head.next_attempt_at <= now),
            # an inbound message is next only when nothing is left to send
            or_(head.direction == "out", ~outbound_waiting),
            _free_or_mine(owner, now_expr(session)),
        )
        .group_by(head.conversation_id)
        .order_by(func.min(head.id))
        .limit(limit)
    )
    return [row[0] for row in rows]


def claim(session: Session, conversation_id: int, owner: str, lease_s: float) -> bool:
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, _free_or_mine(owner, now_expr(session)))
        .values(
            lease_owner=owner,
            lease_expires_at=_expiry(session, lease_s),
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
            lease_expires_at=_expiry(session, lease_s),
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


def check_lease(session: Session, conversation_id: int, owner: str) -> Conversation:
    """The conversation, row-locked, while `owner` still holds an unexpired lease on it."""
    conversation = session.scalar(
        select(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.lease_owner == owner,
            or_(
                Conversation.lease_expires_at.is_(None),
                Conversation.lease_expires_at >= now_expr(session),
            ),
        )
        .with_for_update()
    )
    if conversation is None:
        raise LeaseLostError(f"conversation {conversation_id}")
    return conversation
