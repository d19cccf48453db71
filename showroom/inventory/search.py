"""Vehicle search in SQL (the same statements on SQLite and PostgreSQL).

Brand and model compare through the `brand_key`/`model_key` columns (accent/case/separator
free, see `vocabulary`), so "crv", "CR-V" and "cr v" find the same cars on both backends
without database-specific collations or extensions.

When nothing matches, filters are dropped one at a time in `RELAX_ORDER` (the budget is
first stretched 15 %, not removed) until something does; then every dropped filter that can
be put back while still finding cars is restored, so `relaxed` names only filters that really
had to go, in the order they were dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Vehicle
from showroom.formatting import to_decimal
from showroom.inventory.branches import get_branch
from showroom.inventory.describe import describe_filters_es, describe_relaxed_es, vehicle_card_es
from showroom.inventory.vocabulary import canonical_brand, canonical_value, model_key, text_key
from showroom.settings import get_settings

__all__ = [
    "RELAX_ORDER",
    "SearchResult",
    "VehicleQuery",
    "describe_filters_es",
    "describe_relaxed_es",
    "find_vehicle_by_name",
    "get_vehicle",
    "search_vehicles",
    "vehicle_card_es",
]

RELAX_ORDER = (
    "transmission",
    "fuel",
    "year_min",
    "condition",
    "body_type",
    "model",
    "max_price",
    "brand",
)
BUDGET_STRETCH = Decimal("1.15")
_ATTRIBUTES = ("body_type", "transmission", "fuel", "condition")


@dataclass(frozen=True)
class VehicleQuery:
    brand: str | None = None  # canonical ("Volkswagen")
    model: str | None = None  # canonical ("Jetta")
    body_type: str | None = None  # sedan hatchback suv pickup van coupe (None/"any": all)
    transmission: str | None = None
    fuel: str | None = None
    condition: str | None = None  # nuevo | seminuevo
    year_min: int | None = None
    max_price: Decimal | None = None  # None or 0: no limit
    branch_code: str | None = None  # preferred branch: its cars come first, others still shown

    def normalized(self) -> VehicleQuery:
        """Canonical values ("Diésel" -> "diesel", "VW" -> "Volkswagen", "any"/"" -> None)."""
        changes: dict[str, Any] = {}
        for name in ("brand", "model", "branch_code", *_ATTRIBUTES):
            value = getattr(self, name)
            if isinstance(value, str) and (not value.strip() or text_key(value) in _ANY):
                changes[name] = None
        for name in _ATTRIBUTES:
            value = changes.get(name, getattr(self, name))
            if value is not None:
                changes[name] = canonical_value(name, value) or value.strip().lower()
        if self.brand and "brand" not in changes:
            changes["brand"] = canonical_brand(self.brand)
        if self.max_price is not None:
            budget = _number(self.max_price)
            changes["max_price"] = budget if budget is not None and budget > 0 else None
        if self.year_min is not None:
            year = _number(self.year_min)
            changes["year_min"] = int(year) if year is not None and year > 0 else None
        return replace(self, **changes) if changes else self


def _number(value: object) -> Decimal | None:
    """A slot value as a number (600000, 600000.0, "600,000", "$600,000"); None if it is not."""
    try:
        number = to_decimal(str(value).replace(",", "").replace("$", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


_ANY = {"any", "all", "cualquiera", "cualquier", "todos", "todas", "igual", "loquesea", "none"}


@dataclass(frozen=True)
class SearchResult:
    vehicles: list[Vehicle]  # this page
    total: int  # matches for query_used
    relaxed: list[str]  # filters dropped to find anything, in the order dropped
    query_used: VehicleQuery  # the query that produced the results
    offset: int = 0
    has_more: bool = field(default=False)


def _conditions(query: VehicleQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Vehicle.status == "available"]
    if query.brand:
        conditions.append(Vehicle.brand_key == text_key(query.brand))
    if query.model:
        full = text_key(query.model)
        short = model_key(query.brand, query.model) if query.brand else full
        conditions.append(
            or_(
                Vehicle.model_key == short,
                Vehicle.model_key == full,
                (Vehicle.brand_key + Vehicle.model_key) == full,
            )
        )
    for name in _ATTRIBUTES:
        value = getattr(query, name)
        if value:
            conditions.append(getattr(Vehicle, name) == value)
    if query.year_min:
        conditions.append(Vehicle.year >= int(query.year_min))
    if query.max_price:
        conditions.append(Vehicle.price_mxn <= query.max_price)
    return conditions


def _count(session: Session, query: VehicleQuery) -> int:
    statement = select(func.count()).select_from(Vehicle).where(*_conditions(query))
    return int(session.scalar(statement) or 0)


def _dropped(query: VehicleQuery, original: VehicleQuery, name: str) -> VehicleQuery:
    if name == "max_price":
        assert original.max_price is not None
        stretched = (original.max_price * BUDGET_STRETCH).quantize(Decimal(1), ROUND_HALF_UP)
        return replace(query, max_price=stretched)
    return replace(query, **{name: None})


def _relax(session: Session, original: VehicleQuery) -> tuple[VehicleQuery, list[str], int]:
    """The query that finds something, the names dropped, its match count."""
    total = _count(session, original)
    if total:
        return original, [], total
    current, dropped = original, []
    for name in RELAX_ORDER:
        if getattr(original, name) is None:
            continue
        current = _dropped(current, original, name)
        dropped.append(name)
        total = _count(session, current)
        if total:
            break
    else:
        return original, [], 0
    # Put back what is not needed, most important first (the last dropped made it match).
    for name in reversed(dropped[:-1]):
        candidate = replace(current, **{name: getattr(original, name)})
        candidate_total = _count(session, candidate)
        if candidate_total:
            current, total = candidate, candidate_total
            dropped.remove(name)
    return current, dropped, total


def _ordered(
    statement: Select[Vehicle], branch_id: int | None, budget: Decimal | None
) -> Select[Vehicle]:
    order: list[Any] = []
    if branch_id is not None:
        order.append(case((Vehicle.branch_id == branch_id, 0), else_=1))
    if budget:
        order.append(case((Vehicle.price_mxn <= budget, 0), else_=1))
        order.append(func.abs(Vehicle.price_mxn - budget))
    order.extend([Vehicle.year.desc(), Vehicle.mileage_km.asc(), Vehicle.price_mxn.asc()])
    order.append(Vehicle.id.asc())
    return statement.order_by(*order)


def search_vehicles(
    session: Session, query: VehicleQuery, offset: int = 0, limit: int | None = 3
) -> SearchResult:
    """Available vehicles matching `query` (relaxed when nothing matches), one page of them.

    Order: preferred branch first, then the price closest below the budget when there is
    one, else newest and lowest mileage.
    """
    limit = limit if limit is not None and limit > 0 else get_settings().search_page_size
    offset = max(0, offset)
    original = query.normalized()
    used, relaxed, total = _relax(session, original)
    branch = get_branch(session, used.branch_code) if used.branch_code else None
    statement = _ordered(
        select(Vehicle).where(*_conditions(used)),
        branch.id if branch is not None else None,
        original.max_price,
    )
    vehicles = list(session.scalars(statement.offset(offset).limit(limit)).unique())
    return SearchResult(
        vehicles=vehicles,
        total=total,
        relaxed=relaxed,
        query_used=used,
        offset=offset,
        has_more=offset + len(vehicles) < total,
    )


def get_vehicle(session: Session, stock_id: str) -> Vehicle | None:
    """The vehicle with this stock id (any status), or None."""
    if not stock_id or not stock_id.strip():
        return None
    return session.scalar(select(Vehicle).where(Vehicle.stock_id == stock_id.strip()))


def find_vehicle_by_name(
    session: Session, brand: str | None, model: str | None, branch_code: str | None = None
) -> Vehicle | None:
    """The best available vehicle of this brand/model (no relaxation), preferred branch first."""
    query = VehicleQuery(brand=brand, model=model, branch_code=branch_code).normalized()
    if not query.brand and not query.model:
        return None
    branch = get_branch(session, query.branch_code) if query.branch_code else None
    statement = _ordered(
        select(Vehicle).where(*_conditions(query)),
        branch.id if branch is not None else None,
        None,
    )
    return session.scalars(statement.limit(1)).unique().first()
