"""quotes: salespeople, folio counters, quotes, lines, events, sales tickets; branch settings

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23 10:00:00

Quote lines refer to parts, so this revision also depends on 0003 (parts catalog).
Branches get two optional settings: max_bot_discount and commission_rate.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import showroom.db.base

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
    ]


def _money(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Numeric(precision=14, scale=2), nullable=nullable)


def _rate(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Numeric(precision=6, scale=4), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("branches") as batch:
        batch.add_column(_rate("max_bot_discount", nullable=True))
        batch.add_column(_rate("commission_rate", nullable=True))

    op.create_table(
        "salespeople",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=160), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_salespeople_branch_id_branches"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_salespeople")),
        sa.UniqueConstraint("email", name=op.f("uq_salespeople_email")),
        sa.UniqueConstraint("phone", name=op.f("uq_salespeople_phone")),
    )
    op.create_index(op.f("ix_salespeople_branch_id"), "salespeople", ["branch_id"])

    op.create_table(
        "folio_counters",
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_folio_counters_branch_id_branches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("branch_id", "kind", "year", name=op.f("pk_folio_counters")),
    )

    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("folio", sa.String(length=32), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("salesperson_id", sa.Integer(), nullable=True),
        sa.Column("conversation_key", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        _rate("iva_rate"),
        sa.Column("discount_kind", sa.String(length=8), nullable=True),
        sa.Column("discount_value", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("discount_by", sa.String(length=40), nullable=True),
        _money("discount_amount"),
        _money("list_total"),
        _money("discount_total"),
        _money("total"),
        _money("subtotal"),
        _money("iva"),
        sa.Column("valid_until", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("financing", sa.JSON(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_quotes_branch_id_branches"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_quotes_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["salesperson_id"],
            ["salespeople.id"],
            name=op.f("fk_quotes_salesperson_id_salespeople"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("folio", name=op.f("uq_quotes_folio")),
    )
    op.create_index(op.f("ix_quotes_conversation_key"), "quotes", ["conversation_key"])
    op.create_index("ix_quotes_customer_status", "quotes", ["customer_id", "status"])
    op.create_index("ix_quotes_status_valid_until", "quotes", ["status", "valid_until"])

    op.create_table(
        "quote_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_type", sa.String(length=8), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        _money("unit_price"),
        _money("list_amount"),
        sa.Column("discount_kind", sa.String(length=8), nullable=True),
        sa.Column("discount_value", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("discount_by", sa.String(length=40), nullable=True),
        _money("discount_amount"),
        _money("total"),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_quote_lines_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_quote_lines_vehicle_id_vehicles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.id"],
            name=op.f("fk_quote_lines_part_id_parts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_lines")),
        sa.UniqueConstraint("quote_id", "position", name=op.f("uq_quote_lines_quote_id")),
    )
    op.create_index(op.f("ix_quote_lines_vehicle_id"), "quote_lines", ["vehicle_id"])
    op.create_index(op.f("ix_quote_lines_part_id"), "quote_lines", ["part_id"])

    op.create_table(
        "quote_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=True),
        sa.Column("actor_kind", sa.String(length=12), nullable=False),
        sa.Column("salesperson_id", sa.Integer(), nullable=True),
        sa.Column("at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_quote_events_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["salesperson_id"],
            ["salespeople.id"],
            name=op.f("fk_quote_events_salesperson_id_salespeople"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_events")),
    )
    op.create_index(op.f("ix_quote_events_quote_id"), "quote_events", ["quote_id"])

    op.create_table(
        "sales_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("salesperson_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sold_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sale_date", sa.Date(), nullable=False),
        _money("list_total"),
        _money("discount_total"),
        _money("subtotal"),
        _money("iva"),
        _money("total"),
        _rate("commission_rate"),
        _money("commission_amount"),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_sales_tickets_quote_id_quotes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_sales_tickets_branch_id_branches"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["salesperson_id"],
            ["salespeople.id"],
            name=op.f("fk_sales_tickets_salesperson_id_salespeople"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["salespeople.id"],
            name=op.f("fk_sales_tickets_confirmed_by_id_salespeople"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_sales_tickets_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_tickets")),
        sa.UniqueConstraint("number", name=op.f("uq_sales_tickets_number")),
        sa.UniqueConstraint("quote_id", name=op.f("uq_sales_tickets_quote_id")),
    )
    op.create_index(op.f("ix_sales_tickets_salesperson_id"), "sales_tickets", ["salesperson_id"])
    op.create_index("ix_sales_tickets_branch_date", "sales_tickets", ["branch_id", "sale_date"])


def downgrade() -> None:
    op.drop_table("sales_tickets")
    op.drop_table("quote_events")
    op.drop_table("quote_lines")
    op.drop_table("quotes")
    op.drop_table("folio_counters")
    op.drop_table("salespeople")
    with op.batch_alter_table("branches") as batch:
        batch.drop_column("commission_rate")
        batch.drop_column("max_bot_discount")
