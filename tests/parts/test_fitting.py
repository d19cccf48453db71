"""Which parts fit the customer's car, and when the car known so far is not enough:
compatibility that was not understood, matches for several models or years, and what the
cards say (fitment line, branch). On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.inventory.parts.cards import fits_exactly, part_card_es, part_fits_es
from showroom.inventory.parts.query import VehicleFilter
from showroom.inventory.parts.search import get_part, search_parts

Factory = Callable[..., dict[str, Any]]
Loader = Callable[..., Any]
StockPads = Callable[..., Any]


@pytest.fixture
def stock_pads(session: Session, product: Factory, load: Loader) -> StockPads:
    """`stock_pads(("T-1", "Nissan Tsuru 1992-2017", …), …, branch_code=…)`: front pads —
    each its sku, then its compatibility entries — imported into the catalog."""

    def stock(*parts: tuple[str, ...], **options: Any) -> Any:
        records = [
            product(sku, titulo=f"Balatas delanteras {sku}", compatibilidad=compat)
            for sku, *compat in parts
        ]
        return load(session, records, **options)

    return stock


def test_a_part_whose_compatibility_was_not_understood_does_not_vanish(
    session: Session, stock_pads: StockPads
) -> None:
    stock_pads(
        ("FIT-1", "Nissan Tsuru 1992-2017"),
        ("RAW-1", "Tsuru 1992-2017 y Sentra 2000"),  # a year left over
        ("RAW-2", "Varios modelos"),  # says nothing about a Tsuru
    )
    result = search_parts(session, "balatas delanteras", model="Tsuru", year=2015, limit=10)
    assert [p.sku for p in result.parts] == ["FIT-1", "RAW-1"]  # known fits first
    raw = result.parts[1]
    assert part_fits_es(raw) == (
        "Compatibilidad según el catálogo, por confirmar: Tsuru 1992-2017 y Sentra 2000"
    )
    anything = search_parts(session, "balatas delanteras", limit=10)
    assert {p.sku for p in anything.parts} == {"FIT-1", "RAW-1", "RAW-2"}
    assert search_parts(session, "balatas delanteras", model="Versa", limit=10).parts == []


def test_a_brand_and_year_that_fit_several_models_ask_for_the_model(
    session: Session, stock_pads: StockPads
) -> None:
    """What a VIN gives (brand and year) does not say which pads fit."""
    stock_pads(
        ("T-1", "Nissan Tsuru 1992-2017"),
        ("T-2", "Nissan Tsuru 1992-2017", "Nissan Sentra 1995-1999"),
        ("V-1", "Nissan Versa 2012-2019"),
        ("V-2", "Nissan Versa 2020-2024"),
        ("U-1", "Universal"),
    )
    by_vin = search_parts(session, "balatas", brand="Nissan", year=2015, limit=10)
    assert by_vin.needs_model and not by_vin.needs_vehicle
    assert by_vin.models == ["Tsuru", "Versa"]  # most parts first
    later = search_parts(session, "balatas", brand="Nissan", year=2022, limit=10)
    assert not later.needs_model  # only the Versa 2020-2024 pads (and universal ones) fit
    assert {p.sku for p in later.parts} == {"V-2", "U-1"}


def test_a_model_whose_parts_change_by_year_asks_for_the_year(
    session: Session, stock_pads: StockPads
) -> None:
    stock_pads(
        ("V-1", "Nissan Versa 2012-2019"),
        ("V-2", "Nissan Versa 2020-2024"),
        ("T-1", "Nissan Tsuru 1992-2017"),
        ("T-2", "Nissan Tsuru 2005-2017"),
    )
    assert search_parts(session, "balatas", model="Versa").needs_year
    assert not search_parts(session, "balatas", model="Tsuru").needs_year  # 2005-2017 fits all
    assert not search_parts(session, "balatas", model="Versa", year=2016).needs_year


def test_one_model_of_the_brand_needs_no_question(session: Session, stock_pads: StockPads) -> None:
    stock_pads(("J-1", "VW Jetta A4 2000-2015"), ("N-1", "Nissan"))
    result = search_parts(session, "balatas", brand="Volkswagen", year=2004)
    assert not result.needs_model and [p.sku for p in result.parts] == ["J-1"]


def test_the_fitment_line_can_be_left_out_only_for_the_very_car(
    session: Session, stock_pads: StockPads
) -> None:
    stock_pads(("J-1", "VW Jetta A4 2000-2015"), ("U-1",))
    part = get_part(session, "J-1")
    assert part is not None
    jetta_a4 = VehicleFilter("Volkswagen", "Jetta A4", 2004, "volkswagen", "jetta a4")
    assert fits_exactly(part, jetta_a4)
    assert not fits_exactly(part, VehicleFilter("Volkswagen", None, 2004, "volkswagen", None))
    assert not fits_exactly(part, VehicleFilter("Volkswagen", "Jetta", 2004, "volkswagen", "jetta"))
    assert not fits_exactly(
        part, VehicleFilter("Volkswagen", "Jetta A4", None, "volkswagen", "jetta a4")
    )
    assert not fits_exactly(
        part, VehicleFilter("Volkswagen", "Jetta A4", 2016, "volkswagen", "jetta a4")
    )
    assert not fits_exactly(part, None)


def test_cards_show_the_branch(
    session: Session, stock_pads: StockPads, add_branches: Callable[..., list[Branch]]
) -> None:
    _monterrey, centro = add_branches(MTY="Monterrey", CDMX="Sucursal Centro")
    stock_pads(("S-1", "Nissan Tsuru"))
    stock_pads(("M-1", "Nissan Tsuru"), branch_code="MTY")
    shared, own = get_part(session, "S-1"), get_part(session, "M-1")
    assert shared is not None and own is not None
    assert part_card_es(shared).endswith("12 en existencia")  # no branch known: none shown
    assert part_card_es(shared, centro).endswith("12 en existencia · Sucursal Centro")
    assert part_card_es(own, centro).endswith("12 en existencia · Sucursal Monterrey")


def test_a_catalog_without_compatibility_is_searched_without_asking_for_the_car(
    session: Session, stock_pads: StockPads
) -> None:
    """A shop whose export has no `compatibilidad`: its pads may fit any car, to be
    confirmed; asking "¿para qué auto es?" would not narrow anything down."""
    stock_pads(("GEN-1",), ("GEN-2",))  # no entries at all
    result = search_parts(session, "balatas delanteras", limit=10)
    assert sorted(p.sku for p in result.parts) == ["GEN-1", "GEN-2"]
    assert not result.needs_vehicle
    assert all(part_fits_es(p) == "Compatibilidad por confirmar" for p in result.parts)
    for_a_car = search_parts(session, "balatas delanteras", model="Versa", year=2016, limit=10)
    assert sorted(p.sku for p in for_a_car.parts) == ["GEN-1", "GEN-2"]
    assert not for_a_car.needs_model and not for_a_car.needs_year
