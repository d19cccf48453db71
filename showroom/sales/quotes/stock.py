"""Stock checks (at quote time) and claims (at confirmation) that two buyers cannot both win.

A claim is one conditional UPDATE: `status = 'sold' WHERE status = 'available'` for a vehicle,
`stock = stock − n WHERE stock >= n` for a part. On PostgreSQL a concurrent claim waits for
the row lock, re-reads the row when the first transaction commits, no longer matches and
updates nothing: exactly one buyer gets the last unit, the other gets `OutOfStock`.
Claims run in id order so two multi-item confirmations cannot deadlock. A claim that fails
half-way gives back what it took (no savepoint: pysqlite's savepoints are not reliable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from showroom.db.base import utcnow
from showroom.db.models.inventory import Vehicle
from showroom.db.models.parts import Part
from showroom.db.models.sales import QuoteLine
from showroom.inventory.parts.cards import part_title_es
from showroom.sales.quotes.errors import OutOfStock

AVAILABLE = "available"
RESERVED = "reserved"  # "apartado": set by people in the console, never by the assistant
SOLD = "sold"


def check_vehicle(vehicle: Vehicle) -> None:
    if vehicle.status != AVAILABLE:
        raise OutOfStock(vehicle.stock_id, name=vehicle.title, vehicle=True)


def check_part(part: Part, quantity: int) -> None:
    if part.stock < quantity:
        raise OutOfStock(part.sku, quantity, max(part.stock, 0), name=part_title_es(part))


def _gone(line: QuoteLine, available: int = 0) -> OutOfStock:
    """`OutOfStock` for a quoted line, named as the quote names it (without color, km, SKU)."""
    name = line.description.split(" · ")[0]
    if line.item_type == "vehicle":
        return OutOfStock(line.reference, name=name, vehicle=True)
    return OutOfStock(line.reference, line.quantity, max(available, 0), name=name)


def check_lines(session: Session, lines: list[QuoteLine]) -> None:
    """Re-read the current stock of every line (no lock): `OutOfStock` for the first short one."""
    for line in lines:
        if line.item_type == "vehicle":
            status = (
                session.scalar(select(Vehicle.status).where(Vehicle.id == line.vehicle_id))
                if line.vehicle_id is not None
                else None
            )
            if status != AVAILABLE:
                raise _gone(line)
        else:
            stock = (
                session.scalar(select(Part.stock).where(Part.id == line.part_id))
                if line.part_id is not None
                else None
            )
            if stock is None or stock < line.quantity:
                raise _gone(line, stock or 0)


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


@dataclass
class Claim:
    """What a successful claim changed, so it can be given back in the same transaction."""

    vehicles: list[tuple[int, str]] = field(default_factory=list)  # (id, previous status)
    parts: list[tuple[int, int]] = field(default_factory=list)  # (id, quantity taken)

    def undo(self, session: Session) -> None:
        """Put the stock back (the caller still holds the row locks: nobody saw it gone)."""
        for vehicle_id, status in self.vehicles:
            session.execute(
                update(Vehicle)
                .where(Vehicle.id == vehicle_id)
                .values(status=status)
                .execution_options(synchronize_session="fetch")
            )
        for part_id, quantity in self.parts:
            session.execute(
                update(Part)
                .where(Part.id == part_id)
                .values(stock=Part.stock + quantity)
                .execution_options(synchronize_session="fetch")
            )
        self.vehicles.clear()
        self.parts.clear()


def claim_lines(session: Session, lines: list[QuoteLine], include_reserved: bool = False) -> Claim:
    """Mark the vehicles sold and take the parts out of stock, or raise `OutOfStock`
    having changed nothing.

    `include_reserved`: a salesperson confirming a sale may also sell a vehicle that was
    put aside ("apartado") in the console.
    """
    claim = Claim()
    try:
        _claim(session, lines, include_reserved, claim)
    except OutOfStock:
        claim.undo(session)
        raise
    return claim


def _claim(session: Session, lines: list[QuoteLine], include_reserved: bool, claim: Claim) -> None:
    vehicles = sorted((ln for ln in lines if ln.item_type == "vehicle"), key=_line_key)
    parts = sorted((ln for ln in lines if ln.item_type == "part"), key=_line_key)
    sellable = (AVAILABLE, RESERVED) if include_reserved else (AVAILABLE,)
    for line in vehicles:
        if line.vehicle_id is None:  # deleted from the inventory since it was quoted
            raise _gone(line)
        # PostgreSQL: waits for a concurrent buyer's commit, then reads what it left
        status = session.scalar(
            select(Vehicle.status).where(Vehicle.id == line.vehicle_id).with_for_update()
        )
        if status not in sellable:
            raise _gone(line)
        result = session.execute(
            update(Vehicle)
            .where(Vehicle.id == line.vehicle_id, Vehicle.status == status)
            .values(status=SOLD, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        if _rowcount(result) != 1:
            raise _gone(line)
        claim.vehicles.append((line.vehicle_id, str(status)))
    for line in parts:
        if line.part_id is None:
            raise _gone(line)
        result = session.execute(
            update(Part)
            .where(Part.id == line.part_id, Part.stock >= line.quantity)
            .values(stock=Part.stock - line.quantity, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        )
        if _rowcount(result) != 1:
            left = session.scalar(select(Part.stock).where(Part.id == line.part_id)) or 0
            raise _gone(line, left)
        claim.parts.append((line.part_id, line.quantity))


def _line_key(line: QuoteLine) -> int:
    return (line.vehicle_id if line.item_type == "vehicle" else line.part_id) or 0
