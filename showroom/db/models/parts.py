"""The parts catalog: products, the vehicles they fit, and the search vocabulary.

Full-text search needs objects SQLAlchemy cannot describe (an FTS5 virtual table on SQLite,
GIN expression/trigram indexes on PostgreSQL). Migration 0003 creates them with raw SQL and
`UNMANAGED_NAMES` lists them, so schema comparison (Alembic autogenerate, the migrations
test) can skip them by name through `Base.metadata.info["unmanaged_names"]`.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import JSON

from showroom.db.base import Base, Money, TimestampMixin
from showroom.db.models.inventory import Branch

#: Created by raw SQL in migration 0003; invisible to `Base.metadata`.
UNMANAGED_NAMES = frozenset(
    {
        # SQLite: the FTS5 index over parts.search_terms and its shadow tables
        "parts_fts",
        "parts_fts_data",
        "parts_fts_idx",
        "parts_fts_docsize",
        "parts_fts_config",
        "parts_fts_content",
        # PostgreSQL: GIN index over the analyzer's lexemes, trigram index of the vocabulary
        "ix_parts_search_terms_gin",
        "ix_part_terms_term_trgm",
    }
)
Base.metadata.info.setdefault("unmanaged_names", set()).update(UNMANAGED_NAMES)


class Part(TimestampMixin, Base):
    """One catalog product, identified by the shop's SKU.

    `branch_id` is None for a catalog shared by every branch (the import contract has no
    branch column; `showroom import parts --branch CODE` assigns a whole file to a branch).
    `search_terms` / `title_terms` are produced by `showroom.inventory.parts.text` at import
    time: both databases index exactly these lexemes, so they find the same candidates.
    """

    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(80), default="")
    brand: Mapped[str] = mapped_column(String(80), default="")
    price_mxn: Mapped[Decimal] = mapped_column(Money())
    stock: Mapped[int] = mapped_column(Integer, default=0)
    image_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    # `compatibilidad` exactly as imported
    compat_raw: Mapped[list[str]] = mapped_column(JSON, default=list)
    # True when the file gave no compatibility at all (oil, bulbs...): fits any vehicle
    universal: Mapped[bool] = mapped_column(Boolean, default=False)
    branch_id: Mapped[int | None] = mapped_column(
        ForeignKey("branches.id", ondelete="RESTRICT"), index=True
    )
    search_terms: Mapped[str] = mapped_column(Text, default="")
    title_terms: Mapped[str] = mapped_column(Text, default="")
    # Hash of the imported fields: a re-import skips unchanged rows
    content_hash: Mapped[str] = mapped_column(String(32), default="")

    fitments: Mapped[list[PartFitment]] = relationship(
        back_populates="part", cascade="all, delete-orphan", order_by="PartFitment.id"
    )
    branch: Mapped[Branch | None] = relationship()

    @property
    def first_image(self) -> str | None:
        return self.image_urls[0] if self.image_urls else None


class PartFitment(Base):
    """One parsed `compatibilidad` entry: brand, model and an inclusive year range.

    `year_from`/`year_to` None means open-ended ("2015+" has no `year_to`; an entry without
    years fits every year). `*_key` columns are normalized (lower case, no accents) for search.
    """

    __tablename__ = "part_fitments"
    __table_args__ = (Index("ix_part_fitments_vehicle", "brand_key", "model_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"), index=True)
    brand: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(60))
    brand_key: Mapped[str] = mapped_column(String(40))
    model_key: Mapped[str] = mapped_column(String(60))
    year_from: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(String(160))

    part: Mapped[Part] = relationship(back_populates="fitments")

    @property
    def label(self) -> str:
        """`Nissan Tsuru 1992-2017`, `Nissan Versa 2015+`, `Nissan Tsuru`."""
        years = ""
        if self.year_from and self.year_to:
            years = (
                f" {self.year_from}"
                if self.year_from == self.year_to
                else f" {self.year_from}-{self.year_to}"
            )
        elif self.year_from:
            years = f" {self.year_from}+"
        elif self.year_to:
            years = f" hasta {self.year_to}"
        return f"{self.brand} {self.model}{years}"


class PartTerm(Base):
    """Search vocabulary: every lexeme of `parts.search_terms` with its document counts.

    Rebuilt by the importer. Feeds typo correction (which known words are close to an
    unknown one) and the scorer's idf weights, identically on both databases. The row with
    the empty term (never a lexeme) holds the number of parts in `doc_freq`.
    """

    __tablename__ = "part_terms"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    doc_freq: Mapped[int] = mapped_column(Integer)
    # documents whose product brand (`marca`) contains the term
    brand_freq: Mapped[int] = mapped_column(Integer, default=0)


class PartVehicleModel(Base):
    """The vehicles the catalog knows (distinct fitment brand/model), rebuilt on import.

    Lets search recognise "tsuru" or "jetta a4" in a customer's words for any catalog.
    """

    __tablename__ = "part_vehicle_models"

    brand_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    model_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    brand: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(60))
    parts_count: Mapped[int] = mapped_column(Integer, default=0)
