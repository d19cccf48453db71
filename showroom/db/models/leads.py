"""What the assistant records for salespeople: leads, test drives, handoff requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from showroom.db.base import Base, TimestampMixin, UTCDateTime


class Lead(TimestampMixin, Base):
    """A sales opportunity: a trade-in offer, a vehicle interest, a callback request."""

    __tablename__ = "leads"
    __table_args__ = (Index("ix_leads_customer_kind", "customer_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24))  # trade_in | vehicle_interest | callback
    status: Mapped[str] = mapped_column(String(16), default="new")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Appointment(TimestampMixin, Base):
    """A test drive booked at a branch, at a time inside its opening hours."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_branch_starts", "branch_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="RESTRICT"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="booked")  # cancelled | done


class HandoffRequest(TimestampMixin, Base):
    """A customer asked for a person (or the bot decided one should take over)."""

    __tablename__ = "handoff_requests"
    __table_args__ = (Index("ix_handoff_requests_conversation", "conversation_key", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"))
    conversation_key: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(32), default="customer_request")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")  # taken | closed
