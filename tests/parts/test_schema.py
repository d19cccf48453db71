"""Migration 0003 builds the parts tables exactly as the models say, plus the full-text
objects that only raw SQL can create (listed in `UNMANAGED_NAMES`)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from showroom.db.models import Base
from showroom.db.models.parts import UNMANAGED_NAMES
from showroom.db.session import get_engine


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """The hook env.py and tests/db/test_migrations.py need (see docs/parts.md)."""
    return name not in Base.metadata.info.get("unmanaged_names", ())


def test_parts_schema_matches_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, Base.metadata)
    assert [d for d in diff if "part" in repr(d)] == []


def test_full_text_objects_exist(db_url: str) -> None:
    engine = get_engine(db_url)
    assert Base.metadata.info["unmanaged_names"] >= UNMANAGED_NAMES
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            tables = set(inspect(conn).get_table_names())
            assert {"parts_fts", "parts_fts_data", "parts_fts_idx", "parts_fts_config"} <= tables
            triggers = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
            assert {"parts_fts_insert", "parts_fts_delete", "parts_fts_update"} <= set(triggers)
        else:
            indexes = {i["name"] for i in inspect(conn).get_indexes("parts")}
            indexes |= {i["name"] for i in inspect(conn).get_indexes("part_terms")}
            assert {"ix_parts_search_terms_gin", "ix_part_terms_term_trgm"} <= indexes
            extensions = conn.execute(text("SELECT extname FROM pg_extension")).scalars()
            assert "pg_trgm" in set(extensions)
