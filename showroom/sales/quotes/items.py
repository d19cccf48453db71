"""What the customer chose, resolved against the inventory: vehicles by stock id, parts by SKU.

The quote's branch: a vehicle is sold by the branch that has it, so a vehicle's branch wins
over the conversation's; parts from the shared catalog can be quoted by any branch, a part
that belongs to a branch only by that branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.db.models.parts import Part
from showroom.inventory.parts.cards import part_title_es
from showroom.inventory.parts.search import get_part
from showroom.inventory.search import get_vehicle
from showroom.sales.quotes.errors import ItemNotFound, QuoteError
from showroom.sales.quotes.salespeople import resolve_branch
from showroom.sales.quotes.stock import check_part, check_vehicle

MAX_QUANTITY = 9999
MAX_LINES = 50


@dataclass(frozen=True)
class QuoteItem:
    """`QuoteItem.vehicle("MTY-0042")` or `QuoteItem.part("BAL-10014", 2)`."""

    stock_id: str | None = None
    sku: str | None = None
    quantity: int = 1

    def __post_init__(self) -> None:
        if bool(self.stock_id and self.stock_id.strip()) == bool(self.sku and self.sku.strip()):
            raise QuoteError("an item is either a vehicle (stock_id) or a part (sku)")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise QuoteError(f"quantity must be a whole number, got {self.quantity!r}")
        if not 1 <= self.quantity <= MAX_QUANTITY:
            raise QuoteError(f"quantity must be between 1 and {MAX_QUANTITY}, got {self.quantity}")
        if self.stock_id and self.quantity != 1:
            raise QuoteError("a vehicle is quoted one unit at a time")

    @classmethod
    def vehicle(cls, stock_id: str) -> QuoteItem:
        return cls(stock_id=stock_id)

    @classmethod
    def part(cls, sku: str, quantity: int = 1) -> QuoteItem:
        return cls(sku=sku, quantity=quantity)


@dataclass(frozen=True)
class ResolvedItem:
    """A line ready to store: the inventory row, its text and its price now."""

    item_type: str  # vehicle | part
    vehicle: Vehicle | None
    part: Part | None
    reference: str
    description: str
    quantity: int
    unit_price: Decimal


def vehicle_description(vehicle: Vehicle) -> str:
    """`Toyota Hilux 2024 SR Diésel 4x4 · Blanco · 0 km` (catalog facts only)."""
    text = vehicle.title + (f" {vehicle.version}" if vehicle.version else "")
    extras = [vehicle.color] if vehicle.color else []
    extras.append(f"{vehicle.mileage_km:,} km")
    return " · ".join([text, *extras])[:255]


def _merge(resolved: list[ResolvedItem]) -> list[ResolvedItem]:
    """The same part twice (any SKU spelling) is one line with the quantities added; the
    same vehicle twice, one line."""
    merged: dict[tuple[str, int], ResolvedItem] = {}
    for item in resolved:
        row = item.vehicle if item.vehicle is not None else item.part
        assert row is not None
        key = (item.item_type, row.id)
        previous = merged.get(key)
        if previous is None:
            merged[key] = item
        elif item.part is not None:
            quantity = previous.quantity + item.quantity
            if quantity > MAX_QUANTITY:
                raise QuoteError(f"quantity of {item.reference} is more than {MAX_QUANTITY}")
            check_part(item.part, quantity)
            merged[key] = replace(previous, quantity=quantity)
    return list(merged.values())


def resolve_items(
    session: Session, items: Sequence[QuoteItem], branch: Branch | str | None
) -> tuple[Branch, list[ResolvedItem]]:
    """The quote's branch and its lines; `ItemNotFound`, `OutOfStock` or `QuoteError`."""
    if not items:
        raise QuoteError("a quote needs at least one item")
    if len(items) > MAX_LINES:
        raise QuoteError(f"a quote has at most {MAX_LINES} items")
    resolved: list[ResolvedItem] = []
    vehicle_branches: set[int] = set()
    part_branches: set[int] = set()
    for item in items:
        if item.stock_id:
            vehicle = get_vehicle(session, item.stock_id)
            if vehicle is None:
                raise ItemNotFound(item.stock_id.strip(), "vehicle")
            check_vehicle(vehicle)
            vehicle_branches.add(vehicle.branch_id)
            resolved.append(
                ResolvedItem(
                    "vehicle",
                    vehicle,
                    None,
                    vehicle.stock_id,
                    vehicle_description(vehicle),
                    1,
                    Decimal(vehicle.price_mxn),
                )
            )
        else:
            part = get_part(session, item.sku or "")
            if part is None:
                raise ItemNotFound((item.sku or "").strip(), "part")
            check_part(part, item.quantity)
            if part.branch_id is not None:
                part_branches.add(part.branch_id)
            resolved.append(
                ResolvedItem(
                    "part",
                    None,
                    part,
                    part.sku,
                    f"{part_title_es(part)} · SKU {part.sku}"[:255],
                    item.quantity,
                    Decimal(part.price_mxn),
                )
            )
    resolved = _merge(resolved)
    quote_branch = _quote_branch(session, branch, vehicle_branches, part_branches)
    for line in resolved:
        if line.part is not None and line.part.branch_id not in (None, quote_branch.id):
            raise QuoteError(f"part {line.reference} belongs to another branch")
    return quote_branch, resolved


def _quote_branch(
    session: Session, branch: Branch | str | None, vehicles: set[int], parts: set[int]
) -> Branch:
    if len(vehicles) > 1:
        raise QuoteError("vehicles from different branches go in separate quotes")
    if vehicles:
        found = session.get(Branch, next(iter(vehicles)))
        assert found is not None  # a foreign key
        return found
    if branch is not None:
        return resolve_branch(session, branch)
    if len(parts) == 1:
        found = session.get(Branch, next(iter(parts)))
        assert found is not None
        return found
    raise QuoteError("the branch that quotes these parts is needed")
