"""Conversations and every message in and out of them (customer, bot, agent, system).

A conversation is one customer talking to one business number on one channel. Its `key`
is the sender id Rasa sees and the `conversation_key` of `handoff_requests`. The messages
table is also the queue: inbound messages wait in status `pending` until the gateway
worker has handed them to Rasa; outbound ones wait in `pending` until sent (or stored as
`local` when there are no Twilio credentials). See docs/gateway.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from showroom.db.base import Base, TimestampMixin, UTCDateTime, utcnow


class Conversation(TimestampMixin, Base):
    """One customer and one business number (a branch's WhatsApp number) on one channel."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "customer_id", "business_number"),
        Index("ix_conversations_branch_updated", "branch_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Rasa's sender id and HandoffRequest.conversation_key; opaque (no phone in it)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # whatsapp | simulator | web | voice
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"))
    # E.164 number the customer wrote to; replies leave from it
    business_number: Mapped[str] = mapped_column(String(20))
    # the customer's address exactly as the provider sent it (Mexican mobiles may arrive as
    # +521…, while customers.phone is normalised to +52…); replies go to this address
    customer_number: Mapped[str | None] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(8), default="bot")  # bot | human
    # The latest handoff request of this conversation, when there is one
    handoff_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("handoff_requests.id", ondelete="SET NULL")
    )
    # WhatsApp's 24-hour customer-service window starts at the customer's last message
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Options of the bot's last turn, [{"title", "payload"}]: "2" answers the second one
    last_options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # "Give me a moment" already sent for the current Rasa outage (cleared when it answers)
    notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "You are writing too fast" already sent in the current rate-limit window
    throttle_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Which gateway process works on this conversation, and until when (ordering across
    # replicas: only the lease holder hands its messages to Rasa and Twilio)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Message(TimestampMixin, Base):
    """One message in or out, with its delivery state. Also the gateway's work queue."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_id", "conversation_id", "id"),
        Index("ix_messages_queue", "status", "direction", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    author: Mapped[str] = mapped_column(String(8))  # customer | bot | agent | system
    body: Mapped[str] = mapped_column(Text, default="")
    # in: [{"url", "content_type", "sha256", "path", "size"} or {..., "error"}]
    # out: [{"url"}]
    media: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # out: the options rendered as numbers; in: what was sent to Rasa when not the body
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    rasa_text: Mapped[str | None] = mapped_column(Text)
    # Twilio's MessageSid (inbound: dedupe key; outbound: assigned when Twilio accepts)
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # in: pending | done | agent | throttled | failed
    # out: pending | submitting | local | refused | queued | sending | sent | delivered |
    #      read | failed | undelivered   (submitting: handed to Twilio, outcome not known yet)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(255))  # English reason, no PII
    error_code: Mapped[str | None] = mapped_column(String(16))  # Twilio's ErrorCode
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # out: the approved template used (or wanted) when outside the 24-hour window
    template_use: Mapped[str | None] = mapped_column(String(40))
    template_sid: Mapped[str | None] = mapped_column(String(64))
    template_variables: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # out: the inbound message this answers (latency, console threading)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    # out: handed to Twilio (or stored in the local outbox); then Twilio's callbacks
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # in: handed to Rasa and its answer stored
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # in: committed just before the message is handed to Rasa. Set on a pending message,
    # Rasa may have run the turn (a crash, a timeout, a cancelled call): its tracker is
    # asked before the message is sent again. Cleared when Rasa certainly did not get it.
    rasa_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # out: committed just before `messages.create`; while the status is `submitting`,
    # Twilio may or may not have the message (it is looked up there before a resend)
    submit_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MessageStatusEvent(Base):
    """Every verified status callback from Twilio, as received (also before the sid is known)."""

    __tablename__ = "message_status_events"
    __table_args__ = (
        Index("ix_message_status_events_provider_sid", "provider_sid"),
        # the worker's sweep of callbacks that beat our record of their sid
        Index("ix_message_status_events_applied", "applied", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(16))
    # False until applied to its message (a callback may beat our own record of the sid)
    applied: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
