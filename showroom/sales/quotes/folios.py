"""Human-friendly numbers: `MTY-2026-000123` (quotes) and `MTY-V-2026-000045` (sales).

One counter row per branch, kind and year, incremented with `UPDATE … RETURNING` in the
caller's transaction (never `max() + 1`). On PostgreSQL the row lock makes concurrent
quotes wait for each other's commit, so numbers are unique and a rolled-back quote gives
its number back (no gap). SQLite allows one writer at a time, which gives the same result.
"""

from __future__ import annotations

from sqlalchemy import Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.db.models.sales import FolioCounter

QUOTE = "quote"
TICKET = "ticket"
_COUNTERS: Table = FolioCounter.__table__  # type: ignore[assignment]


def next_value(session: Session, branch_id: int, kind: str, year: int) -> int:
    """The next number for (branch, kind, year), starting at 1."""
    bump = (
        update(_COUNTERS)
        .where(
            _COUNTERS.c.branch_id == branch_id,
            _COUNTERS.c.kind == kind,
            _COUNTERS.c.year == year,
        )
        .values(last_value=_COUNTERS.c.last_value + 1)
        .returning(_COUNTERS.c.last_value)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(_COUNTERS)
            .values(branch_id=branch_id, kind=kind, year=year, last_value=0)
            .on_conflict_do_nothing()
        )
        value = session.execute(bump).scalar_one()
    return int(value)


def next_quote_folio(session: Session, branch: Branch, year: int) -> str:
    """`MTY-2026-000123`."""
    return f"{branch.code}-{year}-{next_value(session, branch.id, QUOTE, year):06d}"


def next_ticket_number(session: Session, branch: Branch, year: int) -> str:
    """`MTY-V-2026-000045` (V for venta)."""
    return f"{branch.code}-V-{year}-{next_value(session, branch.id, TICKET, year):06d}"
