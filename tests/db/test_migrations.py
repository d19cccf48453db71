"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from showroom.db.base import include_name
from showroom.db.models import Base
from showroom.db.session import get_engine


def test_migrations_match_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
