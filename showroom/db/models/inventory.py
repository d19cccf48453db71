"""Branches and the vehicles they have in stock."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.types import JSON

from showroom.db.base import Base, Money, TimestampMixin
from showroom.inventory.vocabulary import model_key, repeats_brand, text_key


class Branch(TimestampMixin, Base):
    """A dealership or parts-shop location, with its own numbers, hours and rates."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(255))
    whatsapp_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    voice_number: Mapped[str | None] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    opening_hours: Mapped[str] = mapped_column(String(255))
    # None: the Settings default applies
    annual_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    iva_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    # Quotes (docs/quotes.md); None: the QUOTE_* environment default applies
    max_bot_discount: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    commission_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    # Are price_mxn / the catalog's precio IVA-included? None: QUOTE_PRICES_INCLUDE_IVA (true)
    prices_include_iva: Mapped[bool | None] = mapped_column(Boolean)

    vehicles: Mapped[list[Vehicle]] = relationship(back_populates="branch")


class Vehicle(TimestampMixin, Base):
    """One unit in stock, identified by the dealer's stock id."""

    __tablename__ = "vehicles"
    __table_args__ = (
        Index("ix_vehicles_search", "status", "body_type", "price_mxn"),
        Index("ix_vehicles_brand_model", "brand_key", "model_key"),
        Index("ix_vehicles_branch_id", "branch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_id: Mapped[str] = mapped_column(String(40), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="RESTRICT"))
    brand: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(60))
    # Accent/case/separator-free keys the search compares ("CR-V" -> "crv"); kept in sync by
    # `_keep_name_keys`, so the same SQL works on SQLite and PostgreSQL.
    brand_key: Mapped[str] = mapped_column(String(40))
    model_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(String(12))  # nuevo | seminuevo
    body_type: Mapped[str] = mapped_column(String(12))  # sedan hatchback suv pickup van coupe
    transmission: Mapped[str] = mapped_column(String(12))  # automatica | manual
    fuel: Mapped[str] = mapped_column(String(12))  # gasolina diesel hibrido electrico
    color: Mapped[str] = mapped_column(String(40), default="")
    mileage_km: Mapped[int] = mapped_column(Integer, default=0)
    price_mxn: Mapped[Decimal] = mapped_column(Money())
    photo_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="available")  # reserved | sold

    # joined: cards show the branch name, often after the session has closed
    branch: Mapped[Branch] = relationship(back_populates="vehicles", lazy="joined")

    @validates("brand", "model")
    def _keep_name_keys(self, field: str, value: str) -> str:
        brand = value if field == "brand" else (self.brand or "")
        model = value if field == "model" else (self.model or "")
        self.brand_key = text_key(brand)
        self.model_key = model_key(brand, model)
        return value

    @property
    def name(self) -> str:
        """`"Toyota Hilux"`; `"Mazda 3"` (not "Mazda Mazda 3") when the model repeats the brand."""
        if repeats_brand(self.brand, self.model):
            return self.model
        return f"{self.brand} {self.model}"

    @property
    def title(self) -> str:
        return f"{self.name} {self.year}"
