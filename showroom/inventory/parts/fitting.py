"""Which parts fit the customer's vehicle, and whether the vehicle known so far is enough.

- `vehicle_condition`: SQL for "fits this vehicle" (a fitment of that brand / model family /
  year range, or a universal part).
- Parts whose every `compatibilidad` entry was not understood have no fitment and are not
  universal. Hiding them from every vehicle search would lose products without a word, so
  (decision, docs/parts.md) they are offered when their raw text names the vehicle's model
  (or brand, when no model is known), ranked after the parts known to fit, and their card
  shows the catalog's words "por confirmar". Parts with no `compatibilidad` at all (and no
  car in the title) may fit any car: they are offered the same way, "por confirmar".
- `spread`: when the vehicle lacks its model (a VIN gives brand and year) or its year, do
  the matches fit different cars? Then the customer is asked for the model (or year)
  before a list of parts for other cars is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, exists, not_, or_, select
from sqlalchemy.orm import Session

from showroom.db.models.parts import Part, PartFitment
from showroom.inventory.parts.query import VehicleFilter
from showroom.inventory.parts.text import normalize
from showroom.inventory.parts.vehicles import BRAND_ALIASES, glue_numbers

_CHUNK = 500
# brand key -> every spelling of that brand ("volkswagen" -> "vw", "volks", ...)
_SPELLINGS: dict[str, list[str]] = {}
for _spelling, _brand in BRAND_ALIASES.items():
    _SPELLINGS.setdefault(normalize(_brand), []).append(_spelling)


def _fitment_matches(vehicle: VehicleFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if vehicle.brand_key:
        conditions.append(PartFitment.brand_key == vehicle.brand_key)
    if vehicle.model_key:
        tokens = vehicle.model_key.split()
        broader = [" ".join(tokens[:n]) for n in range(1, len(tokens))]
        if vehicle.brand_key:
            broader.append("")  # "Nissan 2000-2010": every Nissan model
        conditions.append(
            or_(
                PartFitment.model_key == vehicle.model_key,
                PartFitment.model_key.like(vehicle.model_key + " %"),
                PartFitment.model_key.in_(broader),
            )
        )
    if vehicle.year:
        conditions.append(
            or_(PartFitment.year_from.is_(None), PartFitment.year_from <= vehicle.year)
        )
        conditions.append(or_(PartFitment.year_to.is_(None), PartFitment.year_to >= vehicle.year))
    return conditions


def vehicle_condition(vehicle: VehicleFilter) -> ColumnElement[bool]:
    """Parts that fit `vehicle`: universal, or a fitment matching it."""
    return or_(
        Part.universal.is_(True),
        exists().where(PartFitment.part_id == Part.id, *_fitment_matches(vehicle)),
    )


def unverified_condition() -> ColumnElement[bool]:
    """Parts that are not universal and have no fitment: compatibility text none of which
    was understood, or none given."""
    return Part.universal.is_(False) & not_(exists().where(PartFitment.part_id == Part.id))


def unknown_fit(session: Session, part_ids: Sequence[int]) -> set[int]:
    """Of these non-universal parts, the ones whose catalog row says nothing about fitment:
    no fitment (not even from the title) and no compatibility text. Two indexed lookups
    (which have fitments, then the raw text of the few that do not), cheaper than a
    per-row subquery on the hundreds of matches of "balatas"."""
    fitted: set[int] = set()
    for start in range(0, len(part_ids), _CHUNK):
        chunk = list(part_ids[start : start + _CHUNK])
        fitted.update(
            session.scalars(
                select(PartFitment.part_id).where(PartFitment.part_id.in_(chunk)).distinct()
            )
        )
    rest = [part_id for part_id in part_ids if part_id not in fitted]
    unknown: set[int] = set()
    for start in range(0, len(rest), _CHUNK):
        rows = session.execute(
            select(Part.id, Part.compat_raw).where(Part.id.in_(rest[start : start + _CHUNK]))
        )
        unknown.update(part_id for part_id, raw in rows if not any(str(e).strip() for e in raw))
    return unknown


def mentions_vehicle(compat_raw: Sequence[str], vehicle: VehicleFilter) -> bool:
    """Does the catalog's own text name the vehicle's model (or its brand)?"""
    text = f" {glue_numbers(normalize(' ; '.join(compat_raw)))} "
    if vehicle.model_key:
        key = vehicle.model_key
        return f" {key} " in text or f" {key.replace(' ', '')} " in text
    if vehicle.brand_key:
        spellings = [vehicle.brand_key, *_SPELLINGS.get(vehicle.brand_key, [])]
        return any(f" {s} " in text for s in spellings)
    return False


@dataclass(frozen=True)
class Spread:
    """What the matching fitments say about the vehicle still unknown."""

    models: list[str] = field(default_factory=list)  # models the matches fit, most first
    needs_model: bool = False  # no model known and the matches fit different models
    needs_year: bool = False  # no year known and no single year fits every match


def spread(session: Session, vehicle: VehicleFilter, part_ids: Sequence[int]) -> Spread:
    """How the parts `part_ids` (matches made for particular cars) spread over models and
    years, given what `vehicle` already says."""
    if vehicle.is_empty or not part_ids or (vehicle.model_key and vehicle.year):
        return Spread()
    models: dict[int, set[str]] = {}
    names: dict[str, str] = {}
    lows: dict[int, float] = {}
    highs: dict[int, float] = {}
    conditions = _fitment_matches(vehicle)
    for start in range(0, len(part_ids), _CHUNK):
        chunk = list(part_ids[start : start + _CHUNK])
        rows = session.execute(
            select(
                PartFitment.part_id,
                PartFitment.model_key,
                PartFitment.model,
                PartFitment.year_from,
                PartFitment.year_to,
            ).where(PartFitment.part_id.in_(chunk), *conditions)
        )
        for part_id, key, model, year_from, year_to in rows:
            models.setdefault(part_id, set()).add(key)
            names.setdefault(key, model)
            low = float("-inf") if year_from is None else year_from
            high = float("inf") if year_to is None else year_to
            lows[part_id] = min(lows.get(part_id, low), low)
            highs[part_id] = max(highs.get(part_id, high), high)
    if not vehicle.model_key:
        specific = [keys for keys in models.values() if "" not in keys]  # "" fits any model
        counts = Counter(key for keys in specific for key in keys)
        shown = [names[key] for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        disjoint = len(specific) > 1 and not set.intersection(*specific)
        return Spread(models=shown, needs_model=disjoint)
    disjoint_years = bool(lows) and max(lows.values()) > min(highs.values())
    return Spread(needs_year=disjoint_years)
