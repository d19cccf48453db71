"""parts catalog: parts, fitments, search vocabulary, full-text indexes

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 05:00:00

Full-text objects are raw SQL (SQLAlchemy cannot describe them); their names are listed in
`showroom.db.models.parts.UNMANAGED_NAMES` so schema comparison skips them:
- SQLite: FTS5 table `parts_fts` over `parts.search_terms` (external content, triggers).
- PostgreSQL: pg_trgm; GIN index over the analyzer's lexemes; trigram index on the vocabulary.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import showroom.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE parts_fts USING fts5("
    "search_terms, content='parts', content_rowid='id', "
    "tokenize='unicode61', detail='none', columnsize=0)",
    "CREATE TRIGGER parts_fts_insert AFTER INSERT ON parts BEGIN "
    "INSERT INTO parts_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END",
    "CREATE TRIGGER parts_fts_delete AFTER DELETE ON parts BEGIN "
    "INSERT INTO parts_fts(parts_fts, rowid, search_terms) "
    "VALUES ('delete', old.id, old.search_terms); END",
    "CREATE TRIGGER parts_fts_update AFTER UPDATE OF search_terms ON parts BEGIN "
    "INSERT INTO parts_fts(parts_fts, rowid, search_terms) "
    "VALUES ('delete', old.id, old.search_terms); "
    "INSERT INTO parts_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END",
]
POSTGRES_FTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_parts_search_terms_gin ON parts "
    "USING gin (array_to_tsvector(string_to_array(search_terms, ' ')))",
    # on lower(term), not term: equality lookups must keep using the primary key (the
    # planner would otherwise pick this index for `term IN (...)`, ten times slower)
    "CREATE INDEX ix_part_terms_term_trgm ON part_terms USING gin (lower(term) gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "part_terms",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("doc_freq", sa.Integer(), nullable=False),
        sa.Column("brand_freq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_part_terms")),
    )
    op.create_table(
        "part_vehicle_models",
        sa.Column("brand_key", sa.String(length=40), nullable=False),
        sa.Column("model_key", sa.String(length=60), nullable=False),
        sa.Column("brand", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("parts_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("brand_key", "model_key", name=op.f("pk_part_vehicle_models")),
    )
    op.create_table(
        "parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("brand", sa.String(length=80), nullable=False),
        sa.Column("price_mxn", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("image_urls", sa.JSON(), nullable=False),
        sa.Column("compat_raw", sa.JSON(), nullable=False),
        sa.Column("universal", sa.Boolean(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("search_terms", sa.Text(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("created_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", showroom.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_parts_branch_id_branches"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parts")),
        sa.UniqueConstraint("sku", name=op.f("uq_parts_sku")),
    )
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parts_branch_id"), ["branch_id"], unique=False)

    op.create_table(
        "part_fitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("brand_key", sa.String(length=40), nullable=False),
        sa.Column("model_key", sa.String(length=60), nullable=False),
        sa.Column("year_from", sa.Integer(), nullable=True),
        sa.Column("year_to", sa.Integer(), nullable=True),
        sa.Column("raw", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.id"],
            name=op.f("fk_part_fitments_part_id_parts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_fitments")),
    )
    with op.batch_alter_table("part_fitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_part_fitments_part_id"), ["part_id"], unique=False)
        batch_op.create_index("ix_part_fitments_vehicle", ["brand_key", "model_key"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in (
        SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS if dialect == "postgresql" else []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("parts_fts_insert", "parts_fts_delete", "parts_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS parts_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_part_terms_term_trgm")
        op.execute("DROP INDEX IF EXISTS ix_parts_search_terms_gin")
    with op.batch_alter_table("part_fitments", schema=None) as batch_op:
        batch_op.drop_index("ix_part_fitments_vehicle")
        batch_op.drop_index(batch_op.f("ix_part_fitments_part_id"))
    op.drop_table("part_fitments")
    with op.batch_alter_table("parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parts_branch_id"))
    op.drop_table("parts")
    op.drop_table("part_vehicle_models")
    op.drop_table("part_terms")
