"""Parts search for the action server: `search_parts`, `get_part`.

The database retrieves candidates through its full-text index (index.py); the Python
scorer (scoring.py) ranks them. Same data, same results on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session, joinedload, selectinload

from showroom.db.models.inventory import Branch
from showroom.db.models.parts import Part
from showroom.inventory.parts import fitting, index, scoring
from showroom.inventory.parts.query import Clause, ParsedQuery, VehicleFilter, understand
from showroom.inventory.parts.scoring import Candidate

# A result set is "vehicle-specific" when at least this share of it fits particular vehicles.
NEEDS_VEHICLE_SHARE = 0.5
_SKU_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{2,63}")


@dataclass(frozen=True)
class PartSearchResult:
    parts: list[Part]  # this page, best first (fitments and branch loaded)
    total: int  # parts matching, all pages
    needs_vehicle: bool  # no vehicle given and the matches depend on it: ask for it
    vehicle: VehicleFilter | None  # the vehicle applied (from arguments or the text)
    understood: list[str] = field(default_factory=list)  # words searched for
    dropped: list[str] = field(default_factory=list)  # words relaxed away to find anything
    ignored: list[str] = field(default_factory=list)  # words the catalog does not have
    corrections: dict[str, str] = field(default_factory=dict)  # typo -> lexeme used
    offset: int = 0
    by_sku: bool = False  # the text was a SKU of the catalog
    # The vehicle is known only in part and the matches fit different cars: ask for the
    # model (`models`: the ones they fit, most common first) or the year before listing.
    needs_model: bool = False
    needs_year: bool = False
    models: list[str] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.parts) < self.total

    @property
    def needs_part(self) -> bool:
        """Nothing in the text named a catalog part: ask which part ("refacciones para
        tsuru"), or say it is not sold here when `ignored` has words ("llantas")."""
        return not self.understood and not self.by_sku


def get_part(session: Session, sku: str) -> Part | None:
    """A part by SKU (exact first, then case-insensitive), fitments and branch loaded."""
    options = (selectinload(Part.fitments), joinedload(Part.branch))
    part = session.scalar(select(Part).where(Part.sku == sku.strip()).options(*options))
    if part is None:
        part = session.scalars(
            select(Part)
            .where(func.upper(Part.sku) == sku.strip().upper())
            .order_by(Part.sku)
            .options(*options)
        ).first()
    return part


def _candidates(
    session: Session,
    clauses: list[Clause],
    vehicle: VehicleFilter,
    in_stock_only: bool,
    *,
    every: bool,
) -> list[Candidate]:
    statement = select(
        Part.id,
        Part.sku,
        Part.title_terms,
        Part.search_terms,
        Part.stock,
        Part.price_mxn,
        Part.branch_id,
        Part.universal,
    )
    if clauses:
        alternatives = [sorted(c.alternatives) for c in clauses]
        statement = statement.where(index.fts_condition(session, alternatives, every=every))
    if in_stock_only:
        statement = statement.where(Part.stock > 0)
    if vehicle.is_empty:
        return [_candidate(row) for row in session.execute(statement)]
    # Parts whose compatibility was not understood, or not given at all, come with their
    # raw text (in the same round trip): they stay when their text names the vehicle, or
    # when there is no text ("por confirmar", fitting.py).
    doubtful = fitting.unverified_condition()
    statement = statement.add_columns(
        type_coerce(case((doubtful, Part.compat_raw), else_=None), JSON).label("doubt")
    ).where(or_(fitting.vehicle_condition(vehicle), doubtful))
    found: list[Candidate] = []
    for row in session.execute(statement):
        if row.doubt is None:
            found.append(_candidate(row))
        elif not row.doubt:  # no compatibility given: it may fit, to be confirmed
            found.append(_candidate(row, unverified=True, unknown=True))
        elif fitting.mentions_vehicle(row.doubt, vehicle):
            found.append(_candidate(row, unverified=True))
    return found


def _candidate(row: Any, *, unverified: bool = False, unknown: bool = False) -> Candidate:
    return Candidate(
        id=row.id,
        sku=row.sku,
        title_terms=tuple(row.title_terms.split()),
        search_terms=frozenset(row.search_terms.split()),
        stock=row.stock,
        price=Decimal(row.price_mxn),
        branch_id=row.branch_id,
        universal=bool(row.universal),
        unverified=unverified,
        fit_unknown=unknown,
    )


def _relax(
    candidates: list[Candidate], parsed: ParsedQuery, docs: int
) -> tuple[list[Candidate], list[str]]:
    """The candidates that keep the most important clauses, and the words given up. A word
    that says which kind of part ("bomba de *frenos*") is never given up."""
    order = [
        i
        for i in scoring.drop_order(parsed.clauses, parsed.stats, docs, candidates)
        if scoring.may_drop(parsed.clauses[i], parsed.stats)
    ]
    for dropped_count in range(1, min(len(order) + 1, len(parsed.clauses))):
        keep = [c for i, c in enumerate(parsed.clauses) if i not in order[:dropped_count]]
        hits = [p for p in candidates if all(scoring.has_clause(c, p) for c in keep)]
        if hits:
            return hits, [parsed.clauses[i].word for i in sorted(order[:dropped_count])]
    return [], []


def _looks_like_code(token: str) -> bool:
    """ "BAL-10007", "0986AB1234", "100234": not "2015" (a year) or plain words."""
    digits = sum(ch.isdigit() for ch in token)
    letters = sum(ch.isalpha() for ch in token)
    return (
        bool(digits and letters) or (digits >= 5 and not letters) or (digits >= 3 and "-" in token)
    )


def _sku_matches(session: Session, text: str) -> list[Part]:
    codes = {m.upper() for m in _SKU_LIKE.findall(text) if _looks_like_code(m)}
    if not codes:
        return []
    return list(
        session.scalars(
            select(Part)
            .where(func.upper(Part.sku).in_(sorted(codes)))
            .order_by(Part.sku)
            .options(selectinload(Part.fitments), joinedload(Part.branch))
        )
    )


def search_parts(
    session: Session,
    text: str,
    *,
    brand: str | None = None,
    model: str | None = None,
    year: int | None = None,
    in_stock_only: bool = False,
    branch_code: str | None = None,
    limit: int = 3,
    offset: int = 0,
) -> PartSearchResult:
    """Parts for a customer's words, best first.

    `brand`/`model`/`year` (NLU slots) restrict to parts that fit that vehicle (parts
    without compatibility, such as oil, always fit); without them a vehicle named in the
    text is used. `branch_code` ranks that branch's parts (and catalog-wide ones) first.
    In-stock parts come first; `in_stock_only` hides the others. Words that name nothing in
    the catalog are reported in `ignored`; when no word names a part the result is empty.
    """
    by_sku = _sku_matches(session, text)
    if by_sku:
        visible = [p for p in by_sku if p.stock > 0 or not in_stock_only]
        page = visible[offset : offset + limit]
        return PartSearchResult(page, len(visible), False, None, offset=offset, by_sku=True)

    parsed = understand(session, text, brand=brand, model=model, year=year)
    vehicle = parsed.vehicle
    docs = parsed.docs
    words = [c.word for c in parsed.clauses]
    dropped: list[str] = []
    if not parsed.clauses:
        # nothing names a part: "llantas" (not sold here, see `ignored`) or only a vehicle
        # ("refacciones para tsuru", see `needs_part`); listing random parts helps nobody
        hits: list[Candidate] = []
    else:
        hits = _candidates(session, parsed.clauses, vehicle, in_stock_only, every=True)
        if not hits and len(parsed.clauses) > 1:
            anything = _candidates(session, parsed.clauses, vehicle, in_stock_only, every=False)
            hits, dropped = _relax(anything, parsed, docs)

    if parsed.missing_parts or (
        parsed.ignored and not any(scoring.names_the_part(parsed.clauses, p) for p in hits)
    ):
        # "rines de aluminio": the unknown word is the thing asked for, and no part found is
        # one of the named kind; radiadores "de aluminio" would be a wrong answer. "bujes",
        # "faros de niebla", "sensor de velocidad": the catalog has no such part, and
        # bujías, headlights or other sensors are not it
        hits = []

    preferred = None
    if branch_code:
        preferred = session.scalar(select(Branch.id).where(Branch.code == branch_code))
    scored = [
        (
            scoring.sort_key(
                p,
                scoring.score(parsed.clauses, p, parsed.stats, docs),
                is_the_part=scoring.names_the_part(parsed.clauses, p),
                preferred_branch=preferred,
                vehicle_given=not vehicle.is_empty,
            ),
            p.id,
        )
        for p in hits
    ]
    scored.sort()
    page_ids = [part_id for _, part_id in scored[offset : offset + limit]]
    needs_vehicle = False
    if vehicle.is_empty and hits:
        specific = [p.id for p in hits if not p.universal]
        if len(specific) >= NEEDS_VEHICLE_SHARE * len(hits):
            # parts the catalog says nothing about fit no car in particular: asking which
            # car would not narrow them down
            unknown = fitting.unknown_fit(session, specific)
            needs_vehicle = len(specific) - len(unknown) >= NEEDS_VEHICLE_SHARE * len(hits)
    made_for = [p.id for p in hits if not p.universal and not p.unverified]
    spread = fitting.spread(session, vehicle, made_for)
    return PartSearchResult(
        parts=_load(session, page_ids),
        total=len(hits),
        needs_vehicle=needs_vehicle,
        vehicle=None if vehicle.is_empty else vehicle,
        understood=[w for w in words if w not in dropped],
        dropped=dropped,
        ignored=parsed.ignored,
        corrections=parsed.corrections,
        offset=offset,
        needs_model=spread.needs_model,
        needs_year=spread.needs_year,
        models=spread.models,
    )


def _load(session: Session, ids: list[int]) -> list[Part]:
    if not ids:
        return []
    parts = (
        session.scalars(
            select(Part)
            .where(Part.id.in_(ids))
            .options(joinedload(Part.fitments), joinedload(Part.branch))
        )
        .unique()
        .all()
    )
    by_id = {p.id: p for p in parts}
    return [by_id[i] for i in ids]
