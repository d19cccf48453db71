"""gateway: hand-off marks for Rasa and Twilio; index for unapplied status callbacks

Revision ID: 0006
Revises: 0005

`messages.rasa_sent_at` (inbound) and `messages.submit_started_at` (outbound) are
committed before the gateway calls Rasa or Twilio, so a crash, a timeout or a cancelled
call is resolved by asking Rasa's tracker / Twilio's message list instead of sending twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import showroom.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("rasa_sent_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column(
                "submit_started_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_index(
        "ix_message_status_events_applied",
        "message_status_events",
        ["applied", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_message_status_events_applied", table_name="message_status_events")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("submit_started_at")
        batch.drop_column("rasa_sent_at")
