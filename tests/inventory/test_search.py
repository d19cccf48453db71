"""Vehicle search in SQL, on SQLite and PostgreSQL (the `session` fixture runs both)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.search import (
    VehicleQuery,
    describe_filters_es,
    describe_relaxed_es,
    find_vehicle_by_name,
    get_vehicle,
    search_vehicles,
    vehicle_card_es,
)

BranchFactory = Callable[..., Branch]
VehicleFactory = Callable[..., Vehicle]


@pytest.fixture
def lot(session: Session, add_branch: BranchFactory, add_vehicle: VehicleFactory) -> Session:
    """Two branches, a dozen cars chosen to exercise every filter."""
    mty = add_branch("MTY", name="Monterrey Valle")
    cdmx = add_branch("CDMX", name="CDMX Insurgentes", city="Ciudad de México")
    add = add_vehicle
    add(
        mty,
        "Toyota",
        "Hilux",
        stock_id="HILUX-D",
        version="SR Diésel 4x4",
        body_type="pickup",
        fuel="diesel",
        price_mxn=Decimal("689900"),
    )
    add(
        cdmx,
        "Toyota",
        "Hilux",
        stock_id="HILUX-D-USED",
        version="SR Diésel 4x4",
        year=2021,
        condition="seminuevo",
        mileage_km=61000,
        body_type="pickup",
        fuel="diesel",
        price_mxn=Decimal("529900"),
    )
    add(
        mty,
        "Nissan",
        "NP300",
        stock_id="NP300-D",
        version="XE Diésel TM",
        body_type="pickup",
        fuel="diesel",
        transmission="manual",
        price_mxn=Decimal("539900"),
    )
    add(
        cdmx,
        "Nissan",
        "NP300",
        stock_id="NP300-G",
        body_type="pickup",
        transmission="manual",
        price_mxn=Decimal("479900"),
    )
    add(mty, "Ford", "Lobo", stock_id="LOBO", body_type="pickup", price_mxn=Decimal("1049900"))
    add(mty, "Honda", "CR-V", stock_id="CRV-MTY", body_type="suv", price_mxn=Decimal("689900"))
    add(
        cdmx,
        "Honda",
        "CR-V",
        stock_id="CRV-CDMX",
        body_type="suv",
        year=2022,
        condition="seminuevo",
        mileage_km=43800,
        price_mxn=Decimal("523900"),
    )
    add(
        cdmx,
        "Volkswagen",
        "Jetta",
        stock_id="JETTA-MAN",
        transmission="manual",
        price_mxn=Decimal("469990"),
    )
    add(cdmx, "Volkswagen", "Jetta", stock_id="JETTA-AUT", price_mxn=Decimal("519990"))
    add(mty, "Mazda", "Mazda 3", stock_id="MAZDA3", price_mxn=Decimal("454900"))
    add(mty, "Citroën", "C3", stock_id="C3", body_type="hatchback", price_mxn=Decimal("299900"))
    add(mty, "Nissan", "Versa", stock_id="VERSA-SOLD", status="sold", price_mxn=Decimal("300000"))
    return session


def ids(result: object) -> list[str]:
    return [v.stock_id for v in result.vehicles]  # type: ignore[attr-defined]


def test_pickup_diesel_under_600k(lot: Session) -> None:
    query = VehicleQuery(body_type="pickup", fuel="diesel", max_price=Decimal(600_000))
    result = search_vehicles(lot, query)
    assert result.relaxed == []
    assert result.total == 2
    # closest below the budget first
    assert ids(result) == ["NP300-D", "HILUX-D-USED"]
    assert all(v.price_mxn <= 600_000 for v in result.vehicles)


@pytest.mark.parametrize(
    ("brand", "model"),
    [("Honda", "CR-V"), ("honda", "crv"), ("HONDA", "cr v"), (None, "CRV")],
)
def test_brand_and_model_are_accent_case_and_separator_insensitive(
    lot: Session, brand: str | None, model: str
) -> None:
    result = search_vehicles(lot, VehicleQuery(brand=brand, model=model), limit=10)
    assert sorted(ids(result)) == ["CRV-CDMX", "CRV-MTY"]


def test_brand_aliases_and_accents(lot: Session) -> None:
    # same year and mileage: the cheaper first
    assert ids(search_vehicles(lot, VehicleQuery(brand="VW", model="jetta"), limit=5)) == [
        "JETTA-MAN",
        "JETTA-AUT",
    ]
    assert ids(search_vehicles(lot, VehicleQuery(brand="citroen"))) == ["C3"]


@pytest.mark.parametrize("model", ["Mazda 3", "mazda3", "3"])
def test_models_that_repeat_the_brand(lot: Session, model: str) -> None:
    assert ids(search_vehicles(lot, VehicleQuery(brand="Mazda", model=model))) == ["MAZDA3"]
    assert ids(search_vehicles(lot, VehicleQuery(model="Mazda 3"))) == ["MAZDA3"]


def test_attribute_values_are_read_generously(lot: Session) -> None:
    query = VehicleQuery(body_type="Pick-up", fuel="Diésel", transmission="estándar")
    assert ids(search_vehicles(lot, query)) == ["NP300-D"]
    assert search_vehicles(lot, VehicleQuery(body_type="any")).total == 11


def test_only_available_vehicles(lot: Session) -> None:
    result = search_vehicles(lot, VehicleQuery(brand="Nissan", model="Versa"))
    assert "VERSA-SOLD" not in ids(result)


def test_preferred_branch_first_others_still_shown(lot: Session) -> None:
    query = VehicleQuery(body_type="pickup", max_price=Decimal(700_000))
    in_cdmx = search_vehicles(
        lot, VehicleQuery(**{**query.__dict__, "branch_code": "cdmx"}), limit=10
    )
    assert [v.branch.code for v in in_cdmx.vehicles] == ["CDMX", "CDMX", "MTY", "MTY"]
    in_mty = search_vehicles(
        lot, VehicleQuery(**{**query.__dict__, "branch_code": "MTY"}), limit=10
    )
    assert [v.branch.code for v in in_mty.vehicles] == ["MTY", "MTY", "CDMX", "CDMX"]
    assert in_mty.total == in_cdmx.total == 4
    assert search_vehicles(lot, VehicleQuery(branch_code="NOPE")).total == 11


def test_no_budget_orders_newest_then_lowest_mileage(lot: Session) -> None:
    result = search_vehicles(lot, VehicleQuery(brand="Honda"), limit=5)
    assert ids(result) == ["CRV-MTY", "CRV-CDMX"]


def test_pagination(lot: Session) -> None:
    query = VehicleQuery(body_type="pickup")
    pages = [search_vehicles(lot, query, offset=o, limit=2) for o in (0, 2, 4)]
    assert [len(p.vehicles) for p in pages] == [2, 2, 1]
    assert [p.has_more for p in pages] == [True, True, False]
    seen = [s for p in pages for s in ids(p)]
    assert len(set(seen)) == 5 == pages[0].total
    assert search_vehicles(lot, query, offset=99).vehicles == []


def test_relaxation_drops_filters_in_order_and_reports_them(lot: Session) -> None:
    # No automatic diesel NP300 exists: transmission goes first
    query = VehicleQuery(brand="Nissan", model="NP300", fuel="diesel", transmission="automatica")
    result = search_vehicles(lot, query)
    assert result.relaxed == ["transmission"]
    assert ids(result) == ["NP300-D"]
    assert result.query_used.transmission is None
    assert result.query_used.fuel == "diesel"


def test_relaxation_stretches_the_budget_before_dropping_the_brand(lot: Session) -> None:
    # The cheapest Jetta is 469,990: 15 % over a 420,000 budget (483,000) finds it
    result = search_vehicles(lot, VehicleQuery(brand="Volkswagen", max_price=Decimal(420_000)))
    assert result.relaxed == ["max_price"]
    assert result.query_used.max_price == Decimal(483_000)
    assert ids(result) == ["JETTA-MAN"]
    # 300,000 + 15 % is still short: the brand goes, and the original budget comes back
    result = search_vehicles(lot, VehicleQuery(brand="Volkswagen", max_price=Decimal(300_000)))
    assert result.relaxed == ["brand"]
    assert result.query_used.max_price == Decimal(300_000)
    assert ids(result) == ["C3"]


def test_relaxation_keeps_every_filter_it_can(lot: Session) -> None:
    # year_min and body_type are satisfiable; only the fuel (no diesel CR-V) has to go
    query = VehicleQuery(brand="Honda", model="CR-V", fuel="diesel", year_min=2025, body_type="suv")
    result = search_vehicles(lot, query)
    assert result.relaxed == ["fuel"]
    assert ids(result) == ["CRV-MTY"]
    # the only Ford is an automatic pickup: both the transmission and the body type must go
    query = VehicleQuery(brand="Ford", body_type="sedan", transmission="manual")
    result = search_vehicles(lot, query)
    assert result.relaxed == ["transmission", "body_type"]
    assert ids(result) == ["LOBO"]


def test_an_impossible_budget_finds_nothing(lot: Session) -> None:
    result = search_vehicles(lot, VehicleQuery(brand="Ford", max_price=Decimal(1000)))
    assert result.total == 0 and result.relaxed == [] and result.vehicles == []


def test_nothing_anywhere_returns_empty_without_relaxing(session: Session) -> None:
    result = search_vehicles(session, VehicleQuery(brand="Toyota", fuel="diesel"))
    assert result.vehicles == [] and result.total == 0 and result.relaxed == []
    assert result.query_used.brand == "Toyota"


def test_zero_budget_means_no_limit(lot: Session) -> None:
    assert search_vehicles(lot, VehicleQuery(max_price=Decimal(0))).total == 11


def test_get_vehicle_and_find_by_name(lot: Session) -> None:
    hilux = get_vehicle(lot, "HILUX-D")
    assert hilux is not None and hilux.model == "Hilux"
    assert get_vehicle(lot, "nope") is None
    assert get_vehicle(lot, "VERSA-SOLD") is not None  # any status
    found = find_vehicle_by_name(lot, "toyota", "hilux", branch_code="CDMX")
    assert found is not None and found.stock_id == "HILUX-D-USED"
    found = find_vehicle_by_name(lot, "Toyota", "Hilux")
    assert found is not None and found.stock_id == "HILUX-D"  # newest
    assert find_vehicle_by_name(lot, None, None) is None
    assert find_vehicle_by_name(lot, "Nissan", "Versa") is None  # sold


def test_describe_filters_and_relaxed() -> None:
    query = VehicleQuery(body_type="pickup", fuel="diesel", max_price=Decimal(600000))
    assert describe_filters_es(query) == "pickup, diésel, hasta $600,000 MXN"
    query = VehicleQuery(brand="Mazda", model="Mazda 3", transmission="automatica", year_min=2022)
    assert describe_filters_es(query) == "Mazda 3, automática, 2022 o más reciente"
    assert describe_filters_es(VehicleQuery()) == ""
    assert describe_relaxed_es(["fuel", "max_price"]) == (
        "cualquier combustible y un presupuesto hasta 15% mayor"
    )
    assert describe_relaxed_es([]) == ""


def test_vehicle_card(lot: Session) -> None:
    hilux = get_vehicle(lot, "HILUX-D")
    assert hilux is not None
    assert vehicle_card_es(hilux) == (
        "Toyota Hilux 2026 · SR Diésel 4x4\n0 km · Automática · Diésel\n"
        "$689,900 MXN · Sucursal Monterrey Valle"
    )
    used = get_vehicle(lot, "CRV-CDMX")
    assert used is not None
    assert vehicle_card_es(used).splitlines()[1] == "43,800 km · Automática · Gasolina"
    mazda = get_vehicle(lot, "MAZDA3")
    assert mazda is not None and vehicle_card_es(mazda).startswith("Mazda 3 2026\n")
    sold = get_vehicle(lot, "VERSA-SOLD")
    assert sold is not None and vehicle_card_es(sold).endswith("· Vendido")


def test_slot_values_of_any_shape(lot: Session) -> None:
    """Budgets and years arrive from Rasa slots as floats or text; junk means no filter."""
    for budget in (600000.0, "600,000", "$600,000"):
        query = VehicleQuery(body_type="pickup", fuel="diesel", max_price=budget)  # type: ignore[arg-type]
        assert search_vehicles(lot, query).total == 2
    junk = VehicleQuery(max_price="mucho", year_min="dos mil")  # type: ignore[arg-type]
    assert junk.normalized().max_price is None and junk.normalized().year_min is None
    assert VehicleQuery(year_min=2021.0).normalized().year_min == 2021  # type: ignore[arg-type]
