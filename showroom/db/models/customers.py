"""Customers (identified by phone across branches and channels) and opt-outs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from showroom.db.base import Base, TimestampMixin, UTCDateTime, utcnow


class Customer(TimestampMixin, Base):
    """A person who wrote or was called. `phone` is E.164; web-chat visitors have none."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # Conversation id of channels without a phone number (web chat, rasa shell)
    external_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(160))


class OptOut(Base):
    """A customer's request not to be contacted again (honoured by campaigns)."""

    __tablename__ = "opt_outs"
    __table_args__ = (UniqueConstraint("customer_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    # "all", "whatsapp" or "voice"
    channel: Mapped[str] = mapped_column(String(16), default="all")
    source: Mapped[str] = mapped_column(String(32), default="chat")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
