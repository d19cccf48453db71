"""quotes: branches.prices_include_iva (are the branch's list prices IVA-included?)

Revision ID: 0007
Revises: 0006

NULL means the default (`QUOTE_PRICES_INCLUDE_IVA`, true: Mexican retail prices include
IVA). A shop whose inventory and catalog prices are before IVA sets it false in the
branches CSV, and its quotes add the IVA to each unit price (docs/quotes.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("branches") as batch:
        batch.add_column(sa.Column("prices_include_iva", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("branches") as batch:
        batch.drop_column("prices_include_iva")
