"""Quotes and what follows them: lines, transitions, sales tickets, salespeople, folios.

Amounts are stored as the quote showed them (list prices include IVA, see docs/quotes.md);
`quote_events` is the audit trail of every transition and change, with who and when.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from showroom.db.base import Base, Money, TimestampMixin, UTCDateTime, utcnow
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch


def Rate() -> Numeric[Decimal]:  # noqa: N802 - reads like a type in column definitions
    """Fractions such as 0.16 (IVA) or 0.0125 (commission), four decimals like branch rates."""
    return Numeric(6, 4, asdecimal=True)


class Salesperson(TimestampMixin, Base):
    """A person who sells at a branch; confirms quotes and earns commissions."""

    __tablename__ = "salespeople"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("branches.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(160), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    branch: Mapped[Branch] = relationship(lazy="joined")


class FolioCounter(Base):
    """The last number handed out per branch, kind ("quote", "ticket") and year.

    Incremented with `UPDATE ... RETURNING` inside the caller's transaction: the row lock
    serializes concurrent writers and a rolled-back quote gives its number back.
    """

    __tablename__ = "folio_counters"

    branch_id: Mapped[int] = mapped_column(
        ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Quote(TimestampMixin, Base):
    """A priced offer to a customer with a folio (`MTY-2026-000123`) and a validity date."""

    __tablename__ = "quotes"
    __table_args__ = (
        Index("ix_quotes_customer_status", "customer_id", "status"),
        Index("ix_quotes_status_valid_until", "status", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    folio: Mapped[str] = mapped_column(String(32), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="RESTRICT"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    salesperson_id: Mapped[int | None] = mapped_column(
        ForeignKey("salespeople.id", ondelete="SET NULL")
    )
    conversation_key: Mapped[str | None] = mapped_column(String(128), index=True)
    # draft | sent | accepted | confirmed | expired | cancelled
    status: Mapped[str] = mapped_column(String(12), default="draft")
    iva_rate: Mapped[Decimal] = mapped_column(Rate())
    # whole-quote discount (line discounts live on the lines)
    discount_kind: Mapped[str | None] = mapped_column(String(8))  # percent | amount
    discount_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    discount_by: Mapped[str | None] = mapped_column(String(40))  # actor label
    discount_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # totals (IVA included in list prices; subtotal + iva == total)
    list_total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    discount_total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    subtotal: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    iva: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # exclusive end: midnight after the last valid day, in the branch's timezone
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    # FinancingPlan.as_json() of the attached simulation, or None
    financing: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    branch: Mapped[Branch] = relationship(lazy="joined")
    customer: Mapped[Customer | None] = relationship(lazy="joined")
    salesperson: Mapped[Salesperson | None] = relationship(lazy="joined")
    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="quote",
        cascade="all, delete-orphan",
        order_by="QuoteLine.position",
        lazy="selectin",
    )
    events: Mapped[list[QuoteEvent]] = relationship(
        back_populates="quote",
        cascade="all, delete-orphan",
        order_by="QuoteEvent.id",
        lazy="selectin",
    )
    ticket: Mapped[SalesTicket | None] = relationship(back_populates="quote", lazy="selectin")


class QuoteLine(Base):
    """One item: a vehicle (quantity 1) or a part with a quantity, priced when quoted."""

    __tablename__ = "quote_lines"
    __table_args__ = (UniqueConstraint("quote_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item_type: Mapped[str] = mapped_column(String(8))  # vehicle | part
    vehicle_id: Mapped[int | None] = mapped_column(
        ForeignKey("vehicles.id", ondelete="SET NULL"), index=True
    )
    part_id: Mapped[int | None] = mapped_column(
        ForeignKey("parts.id", ondelete="SET NULL"), index=True
    )
    reference: Mapped[str] = mapped_column(String(64))  # stock_id or SKU
    description: Mapped[str] = mapped_column(String(255))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Money())
    list_amount: Mapped[Decimal] = mapped_column(Money())
    discount_kind: Mapped[str | None] = mapped_column(String(8))
    discount_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    discount_by: Mapped[str | None] = mapped_column(String(40))
    discount_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(Money())

    quote: Mapped[Quote] = relationship(back_populates="lines")


class QuoteEvent(Base):
    """One transition or change of a quote: what, from which status to which, who, when."""

    __tablename__ = "quote_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    actor_kind: Mapped[str] = mapped_column(String(12))  # bot | customer | salesperson | system
    salesperson_id: Mapped[int | None] = mapped_column(
        ForeignKey("salespeople.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    quote: Mapped[Quote] = relationship(back_populates="events")


class SalesTicket(Base):
    """The sale a salesperson confirmed: number, amounts, commission, local sale date."""

    __tablename__ = "sales_tickets"
    __table_args__ = (Index("ix_sales_tickets_branch_date", "branch_id", "sale_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="RESTRICT"), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="RESTRICT"))
    salesperson_id: Mapped[int] = mapped_column(
        ForeignKey("salespeople.id", ondelete="RESTRICT"), index=True
    )
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("salespeople.id", ondelete="RESTRICT"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="issued")
    sold_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sale_date: Mapped[date] = mapped_column(Date)  # in the branch's timezone
    list_total: Mapped[Decimal] = mapped_column(Money())
    discount_total: Mapped[Decimal] = mapped_column(Money())
    subtotal: Mapped[Decimal] = mapped_column(Money())
    iva: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    commission_rate: Mapped[Decimal] = mapped_column(Rate())
    commission_amount: Mapped[Decimal] = mapped_column(Money())

    quote: Mapped[Quote] = relationship(back_populates="ticket", lazy="joined")
    branch: Mapped[Branch] = relationship(lazy="joined")
    salesperson: Mapped[Salesperson] = relationship(foreign_keys=[salesperson_id], lazy="joined")
