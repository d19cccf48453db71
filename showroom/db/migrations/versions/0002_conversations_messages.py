"""conversations, messages and Twilio status events (WhatsApp gateway)

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import showroom.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("business_number", sa.String(length=20), nullable=False),
        sa.Column("customer_number", sa.String(length=20), nullable=True),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("handoff_request_id", sa.Integer(), nullable=True),
        sa.Column("last_inbound_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_options", sa.JSON(), nullable=False),
        sa.Column("notice_sent_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("throttle_notice_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_conversations_branch_id_branches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_conversations_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["handoff_request_id"],
            ["handoff_requests.id"],
            name=op.f("fk_conversations_handoff_request_id_handoff_requests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint(
            "channel", "customer_id", "business_number", name=op.f("uq_conversations_channel")
        ),
        sa.UniqueConstraint("key", name=op.f("uq_conversations_key")),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversations_branch_updated", ["branch_id", "updated_at"], unique=False
        )

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("author", sa.String(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("rasa_text", sa.Text(), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=255), nullable=True),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("template_use", sa.String(length=40), nullable=True),
        sa.Column("template_sid", sa.String(length=64), nullable=True),
        sa.Column("template_variables", sa.JSON(), nullable=True),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("read_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("processed_at", showroom.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reply_to_id"],
            ["messages.id"],
            name=op.f("fk_messages_reply_to_id_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_messages_provider_sid")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_conversation_id", ["conversation_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_messages_queue", ["status", "direction", "next_attempt_at"], unique=False
        )

    op.create_table(
        "message_status_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("received_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_status_events_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_status_events")),
    )
    with op.batch_alter_table("message_status_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_status_events_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            "ix_message_status_events_provider_sid", ["provider_sid"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("message_status_events", schema=None) as batch_op:
        batch_op.drop_index("ix_message_status_events_provider_sid")
        batch_op.drop_index(batch_op.f("ix_message_status_events_message_id"))

    op.drop_table("message_status_events")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_queue")
        batch_op.drop_index("ix_messages_conversation_id")

    op.drop_table("messages")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_branch_updated")

    op.drop_table("conversations")
