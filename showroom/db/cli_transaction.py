"""One database transaction for a command-line command, with one-line errors.

Commands catch nothing themselves: the business errors they name and any database trouble
become click's `Error: …` (exit 1), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from showroom.db.session import session_scope


@contextmanager
def cli_transaction(*business_errors: type[Exception]) -> Iterator[Session]:
    """A session in a transaction; `business_errors` and SQLAlchemy errors -> ClickException."""
    try:
        with session_scope() as session:
            yield session
    except business_errors as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"database error ({type(exc).__name__}); is the schema current? (`showroom db upgrade`)"
        ) from exc
