"""Run Alembic from code (`showroom db upgrade`), with the URL from Settings."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from showroom.db.session import normalize_url
from showroom.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "sqlalchemy.url", normalize_url(url or get_settings().database_url).replace("%", "%%")
    )
    return config


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)
