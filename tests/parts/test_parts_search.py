"""Search relevance on a realistic catalog, on SQLite and PostgreSQL (`db_url`).

Expectations are catalog attributes (title, fitments, stock), never SKUs copied from a run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.parts import Part
from showroom.inventory.parts.cards import part_card_es, part_fits_es
from showroom.inventory.parts.search import PartSearchResult, search_parts

pytestmark = pytest.mark.usefixtures("sample")


def fits(part: Part, brand: str, model: str, year: int) -> bool:
    return part.universal or any(
        f.brand == brand
        and f.model.startswith(model)
        and (f.year_from or 0) <= year <= (f.year_to or 9999)
        for f in part.fitments
    )


def titles(result: PartSearchResult) -> list[str]:
    return [p.title for p in result.parts]


def test_part_and_vehicle_in_the_text(session: Session) -> None:
    result = search_parts(session, "balatas delanteras tsuru 2015")
    assert result.vehicle is not None
    assert (result.vehicle.brand, result.vehicle.model, result.vehicle.year) == (
        "Nissan",
        "Tsuru",
        2015,
    )
    assert len(result.parts) == 3 and result.total >= 3
    for part in result.parts:
        assert part.title.startswith("Balatas delanteras")
        assert fits(part, "Nissan", "Tsuru", 2015)
    assert not result.needs_vehicle


@pytest.mark.parametrize(
    "text",
    [
        "amortiguador trasero jetta 2008",
        "amortiguadores traseros jetta 2008",
        "amortigudor trasero jetta 2008",
        "amortiguadores de atras para mi jetta a4 2008",
        "shocks traseros jeta 2008",
    ],
)
def test_plurals_typos_and_slang_find_the_same_parts(session: Session, text: str) -> None:
    expected = search_parts(session, "amortiguador trasero jetta 2008", limit=5)
    result = search_parts(session, text, limit=5)
    assert [p.sku for p in result.parts] == [p.sku for p in expected.parts]
    assert result.total == expected.total > 0
    for part in result.parts:
        assert part.title.startswith("Amortiguador trasero")
        assert fits(part, "Volkswagen", "Jetta A4", 2008)


@pytest.mark.parametrize(
    ("text", "title_start"),
    [
        ("pastillas de freno versa 2016", "Balatas"),
        ("kit de embrague chevy 2005", "Kit de clutch"),
        ("clutch chevy 2005", "Kit de clutch"),
        ("bujias para tsuru 2010", "Bujía"),
        ("bujía tsuru 2010", "Bujía"),
        ("bateria para np300 2012", "Acumulador"),
        ("motor de arranque vocho 1998", "Marcha"),
        ("correa de distribucion tsuru 2000", "Banda de distribución"),
        ("sonda lambda jetta 2005", "Sensor de oxígeno"),
        ("filtro de gasolina versa 2014", "Filtro de gasolina"),
    ],
)
def test_synonyms(session: Session, text: str, title_start: str) -> None:
    result = search_parts(session, text)
    assert result.parts, text
    for part in result.parts:
        assert part.title.startswith(title_start) or (
            title_start == "Marcha" and part.title.startswith("Motor de arranque")
        )


def test_explicit_vehicle_arguments_win(session: Session) -> None:
    result = search_parts(session, "balatas", brand="VW", model="Jetta", year=2005, limit=10)
    assert result.vehicle is not None and result.vehicle.brand == "Volkswagen"
    assert result.parts
    assert all(fits(p, "Volkswagen", "Jetta", 2005) for p in result.parts)
    assert not result.needs_vehicle


def test_year_outside_every_range_finds_nothing(session: Session) -> None:
    result = search_parts(session, "balatas tsuru 1985")
    assert (result.total, result.parts) == (0, [])


def test_needs_vehicle_only_when_the_part_depends_on_it(session: Session) -> None:
    assert search_parts(session, "balatas delanteras").needs_vehicle
    oil = search_parts(session, "aceite 5w30")
    assert not oil.needs_vehicle
    assert oil.parts and all("5W-30" in p.title for p in oil.parts)


def test_stock_first_and_in_stock_only(session: Session) -> None:
    everything = search_parts(session, "filtro de aceite", limit=500)
    stocks = [p.stock > 0 for p in everything.parts]
    assert stocks == sorted(stocks, reverse=True) and not all(stocks)
    available = search_parts(session, "filtro de aceite", in_stock_only=True, limit=500)
    assert available.total == sum(stocks)
    assert all(p.stock > 0 for p in available.parts)


def test_relaxes_the_least_important_word(session: Session) -> None:
    result = search_parts(session, "balatas delanteras monroe tsuru 2010")  # Monroe: shocks only
    assert result.dropped == ["monroe"]
    assert result.parts and all(p.title.startswith("Balatas delanteras") for p in result.parts)


def test_paging(session: Session) -> None:
    first = search_parts(session, "amortiguador tsuru", limit=3)
    second = search_parts(session, "amortiguador tsuru", limit=3, offset=3)
    assert first.has_more and first.total == second.total
    assert not {p.sku for p in first.parts} & {p.sku for p in second.parts}
    everything = search_parts(session, "amortiguador tsuru", limit=6)
    assert [p.sku for p in everything.parts] == [p.sku for p in first.parts + second.parts]


def test_sku_and_chatter(session: Session) -> None:
    sku = session.scalars(select(Part.sku).order_by(Part.sku)).first()
    assert sku is not None
    by_sku = search_parts(session, f"¿tienen el {sku.lower()}?")
    assert by_sku.by_sku and [p.sku for p in by_sku.parts] == [sku]
    chatty = search_parts(session, "hola buenas tardes, tienen balatas delanteras para tsuru 2015?")
    plain = search_parts(session, "balatas delanteras tsuru 2015")
    assert [p.sku for p in chatty.parts] == [p.sku for p in plain.parts]
    vehicle_only = search_parts(session, "refacciones para tsuru")
    assert vehicle_only.needs_part and vehicle_only.total == 0 and vehicle_only.ignored == []
    tyres = search_parts(session, "tienen llantas para tsuru 2010?")  # not sold here
    assert (tyres.total, tyres.ignored, tyres.needs_part) == (0, ["llantas"], True)
    assert tyres.vehicle is not None and tyres.vehicle.model == "Tsuru"


def test_branch_parts_come_first(
    session: Session, load: Callable[..., Any], add_branches: Callable[..., Any]
) -> None:
    add_branches(GDL="Guadalajara Centro")
    record = {
        "sku": "GDL-1",
        "titulo": "Balatas delanteras Fritec cerámicas",
        "categoria": "Frenos",
        "precio": 99999,  # the most expensive: only the branch puts it first
        "stock": 1,
        "marca": "Fritec",
        "compatibilidad": ["Nissan Tsuru 1992-2017"],
    }
    load(session, [record], branch_code="GDL")
    result = search_parts(session, "balatas delanteras tsuru 2015", branch_code="GDL")
    assert result.parts[0].sku == "GDL-1"
    assert "Sucursal Guadalajara Centro" in part_card_es(result.parts[0])
    elsewhere = search_parts(session, "balatas delanteras tsuru 2015")
    assert elsewhere.parts[0].sku != "GDL-1"


def test_relaxing_keeps_the_word_that_names_the_part(session: Session) -> None:
    result = search_parts(session, "kit de balatas tsuru 2010")  # no "kit" of brake pads
    assert result.dropped == ["kit"]
    assert result.parts and all(p.title.startswith("Balatas") for p in result.parts)


def test_an_unknown_part_is_not_replaced_by_a_lookalike(session: Session) -> None:
    # "rines" (wheels) is not sold; "aluminio" alone would find radiadores de aluminio
    result = search_parts(session, "rines de aluminio")
    assert (result.total, result.ignored) == (0, ["rines"])
    assert search_parts(session, "radiador de aluminio").total > 0


# ------------------------------------------------------------------ other customers' words
@pytest.mark.parametrize(
    "text",
    [
        "bomba de frenos tsuru 2010",  # a master cylinder, not a water pump
        "bomba de direccion tsuru 2010",  # a power-steering pump: not sold here either
        "faros de niebla versa 2018",  # fog lamps are not headlights
        "filtro de transmision jetta 2008",  # not an air or oil filter
        "sensor de velocidad versa 2015",  # not an oxygen sensor
        "cadena de tiempo tsuru 2010",  # the Tsuru's timing chain is not a belt
        "bujes de suspension tsuru 2010",  # not bujías
        "hules de la barra estabilizadora chevy 2008",  # bushings, not bieletas
        "cremallera de direccion tsuru 2010",
        "kit de afinacion tsuru 2010",
    ],
)
def test_a_part_the_catalog_lacks_gets_no_lookalike(session: Session, text: str) -> None:
    result = search_parts(session, text)
    assert (result.total, result.parts) == (0, []), titles(result)
    assert not result.corrections  # "bujes" is a word, not a typo of "bujías"
    assert result.vehicle is not None and result.vehicle.model  # the car was understood


def test_the_word_after_de_still_finds_what_the_catalog_has(session: Session) -> None:
    water = search_parts(session, "bomba de agua tsuru 2001")
    assert water.parts and all(p.title.startswith("Bomba de agua") for p in water.parts)
    front = search_parts(session, "balatas de adelante tsuru 2015")  # a position may go
    assert front.parts and all(p.title.startswith("Balatas delanteras") for p in front.parts)


@pytest.mark.parametrize(
    ("text", "title_start", "car"),
    [
        ("croche para tsuru 2005", "Kit de clutch", ("Nissan", "Tsuru", 2005)),
        ("cloch del vocho 1998", "Kit de clutch", ("Volkswagen", "Sedán", 1998)),
        ("banda del alternador versa 2015", "Banda de accesorios", ("Nissan", "Versa", 2015)),
        ("banda alternador chevy 2008", "Banda de accesorios", ("Chevrolet", "Chevy", 2008)),
        ("horquilla lado del chofer jetta 2008", "Horquilla inferior izquierda",
         ("Volkswagen", "Jetta A4", 2008)),
        ("rotulas de abajo tsuru 2012", "Rótula inferior", ("Nissan", "Tsuru", 2012)),
        ("soportes de motor tsuru 2010", "Soporte de motor", ("Nissan", "Tsuru", 2010)),
        ("tsuru2015 balatas", "Balatas", ("Nissan", "Tsuru", 2015)),
        ("balatas frontier 2018", "Balatas", ("Nissan", "NP300 Frontier", 2018)),
    ],
)  # fmt: skip
def test_counter_slang_and_cars_named_the_way_people_do(
    session: Session, text: str, title_start: str, car: tuple[str, str, int]
) -> None:
    result = search_parts(session, text)
    assert result.parts, text
    assert result.vehicle is not None and result.vehicle.year == car[2]
    for part in result.parts:
        assert part.title.startswith(title_start)
        assert fits(part, *car)


def test_frontier_from_the_nlu_slots(session: Session) -> None:
    result = search_parts(session, "balatas", brand="Nissan", model="Frontier", year=2019)
    assert result.parts and all(fits(p, "Nissan", "NP300 Frontier", 2019) for p in result.parts)


def test_a_car_the_catalog_has_nothing_for_is_still_that_car(session: Session) -> None:
    pads = search_parts(session, "balatas para mi cavalier 2019")
    assert pads.vehicle is not None
    assert (pads.vehicle.brand, pads.vehicle.model, pads.vehicle.year) == (
        "Chevrolet",
        "Cavalier",
        2019,
    )
    assert pads.total == 0 and not pads.needs_vehicle  # no Tsuru pads for a Cavalier
    oil = search_parts(session, "aceite 5w30 para mi cavalier")  # fits any car
    assert oil.parts and all(p.universal for p in oil.parts)
    tesla = search_parts(session, "filtro de aire tesla model 3")
    assert tesla.total == 0 and tesla.vehicle is not None and tesla.vehicle.brand == "Tesla"


# ------------------------------------------------------------------ fitment unknown
def test_a_part_without_compatibility_is_offered_to_confirm_after_known_fits(
    session: Session, load: Callable[..., Any]
) -> None:
    unknown = {
        "sku": "GEN-1",
        "titulo": "Balatas delanteras Genéricas",
        "categoria": "Frenos",
        "precio": 1,  # the cheapest: only the ranking keeps it after the known fits
        "stock": 5,
        "marca": "Genérica",
    }
    for_tsuru = {**unknown, "sku": "GEN-2", "titulo": "Balatas delanteras para Tsuru 92-17"}
    load(session, [unknown, for_tsuru])
    tsuru = search_parts(session, "balatas delanteras tsuru 2015", limit=50)
    skus = [p.sku for p in tsuru.parts]
    assert "GEN-1" in skus and "GEN-2" in skus
    assert skus[-1] == "GEN-1"  # after every part known to fit
    card = next(p for p in tsuru.parts if p.sku == "GEN-1")
    assert part_fits_es(card) == "Compatibilidad por confirmar" and not card.universal
    versa = search_parts(session, "balatas delanteras versa 2016", limit=50)
    versa_skus = [p.sku for p in versa.parts]
    assert "GEN-1" in versa_skus  # may fit: to be confirmed
    assert "GEN-2" not in versa_skus  # its title says Tsuru: never "Universal" for a Versa
