"""`showroom db upgrade`."""

from __future__ import annotations

import click

from showroom.db import migrate


def register(main: click.Group) -> None:
    db_group = main.commands["db"]
    assert isinstance(db_group, click.Group)

    @db_group.command("upgrade")
    @click.option("--url", help="Database URL (default: DATABASE_URL).")
    def upgrade(url: str | None) -> None:
        """Create or update every table to the latest schema."""
        migrate.upgrade(url)
        click.echo("database schema is up to date")
