"""One database transaction for a command-line command, with one-line errors.

Commands catch nothing themselves: the business errors they name and any database trouble
become click's `Error: …` (exit 1), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from showroom.db.session import session_scope

T = TypeVar("T")


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


def run_in_transaction(work: Callable[[Session], T], *business_errors: type[Exception]) -> T:
    """`work(session)` inside `cli_transaction(*business_errors)`; what it returns."""
    with cli_transaction(*business_errors) as session:
        return work(session)
