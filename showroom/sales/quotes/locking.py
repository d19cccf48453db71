"""One quote, one writer at a time: every change and transition starts by locking the row.

`lock_quote` reads the status with `SELECT … FOR UPDATE`. On PostgreSQL a second
transaction (a salesperson confirming while the assistant applies a discount) waits there
until the first commits and then reads what it left, so a change is always decided on the
current status, never on the copy the session loaded earlier; the quote is then reloaded
(lines and discounts too) so nothing stale is written back.

SQLite has no row locks: `claim_quote` adds a compare-and-set UPDATE on the status it just
read (writing nothing new). That takes SQLite's single write lock for the rest of the
transaction, and matches nothing when another connection changed the status in between
(`IllegalTransition`).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from showroom.db.models.sales import Quote
from showroom.sales.quotes.errors import IllegalTransition


def lock_quote(session: Session, quote: Quote, action: str, *, reload: bool = True) -> str:
    """Lock the quote's row for this transaction; its current status.

    With `reload`, the quote and its lines are read again (edits the caller made before are
    flushed first by the locking query, so they are kept; changes decided after the lock
    are the ones that count). Without it, only the status is brought up to date.
    """
    current = session.scalar(select(Quote.status).where(Quote.id == quote.id).with_for_update())
    if current is None:
        raise IllegalTransition(quote.folio, "deleted", action)
    if reload:
        session.refresh(quote)
    else:
        set_committed_value(quote, "status", current)
    return current


def claim_quote(session: Session, quote: Quote, action: str) -> str:
    """`lock_quote` (reloading the quote), holding the row on every database (see the
    module docstring)."""
    current = lock_quote(session, quote, action, reload=False)
    result = session.execute(
        update(Quote)
        .where(Quote.id == quote.id, Quote.status == current)
        .values(updated_at=Quote.updated_at)  # a write that changes nothing
        .execution_options(synchronize_session=False)
    )
    session.refresh(quote)
    if cast(CursorResult[Any], result).rowcount != 1:
        raise IllegalTransition(quote.folio, quote.status, action)
    return current
