"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from showroom.db.base import include_name
from showroom.db.migrate import alembic_config
from showroom.db.models import Base
from showroom.db.session import get_engine


def test_migrations_match_models(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_one_linear_history() -> None:
    """Releases upgrade in one line: a second head would make `db upgrade` order ambiguous."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert all(len(rev._all_down_revisions) <= 1 for rev in script.walk_revisions())


def test_upgrade_downgrade_upgrade(empty_db_url: str) -> None:
    """Every migration applies from nothing, rolls back to nothing, and re-applies."""
    config = alembic_config(empty_db_url)

    def tables() -> set[str]:
        with get_engine(empty_db_url).connect() as conn:
            return set(inspect(conn).get_table_names()) - {"alembic_version"}

    command.upgrade(config, "head")
    assert {"vehicles", "parts", "quotes", "conversations"} <= tables()
    command.downgrade(config, "base")
    assert tables() == set()
    command.upgrade(config, "head")
    assert {"vehicles", "parts", "quotes", "conversations"} <= tables()
