"""`compatibilidad` parsing: canonical brands, year forms, what is not understood."""

from __future__ import annotations

import pytest

from showroom.inventory.parts.vehicles import canonical_brand, model_key, parse_compat


@pytest.mark.parametrize(
    ("raw", "brand", "model", "years"),
    [
        ("Nissan Tsuru 1992-2017", "Nissan", "Tsuru", (1992, 2017)),
        ("VW Jetta A4 2000-2015", "Volkswagen", "Jetta A4", (2000, 2015)),
        ("Chevrolet Chevy 2004", "Chevrolet", "Chevy", (2004, 2004)),
        ("Nissan Versa 2015+", "Nissan", "Versa", (2015, None)),
        ("Nissan Versa 2015 en adelante", "Nissan", "Versa", (2015, None)),
        ("Nissan Sentra 07-12", "Nissan", "Sentra", (2007, 2012)),
        ("Nissan Tsuru 92-17", "Nissan", "Tsuru", (1992, 2017)),
        ("VW Sedán 1.6L 1970 a 2003", "Volkswagen", "Sedán", (1970, 2003)),
        ("Vocho 1985-2003", "Volkswagen", "Sedán", (1985, 2003)),
        ("Tsuru 1992-2017", "Nissan", "Tsuru", (1992, 2017)),
        ("Chevy 1994-2012", "Chevrolet", "Chevy", (1994, 2012)),
        ("Honda CR-V (2007-2011)", "Honda", "CR-V", (2007, 2011)),
        ("Toyota Hilux hasta 2015", "Toyota", "Hilux", (None, 2015)),
        ("Ram 1500", "RAM", "1500", (None, None)),
        ("Nissan X-Trail 2.5L 2008-2014", "Nissan", "X-Trail", (2008, 2014)),
        ("Mercedes Benz Clase C 2010-2014", "Mercedes-Benz", "Clase C", (2010, 2014)),
        ("VW Jetta Clásico 2008-2015", "Volkswagen", "Jetta A4", (2008, 2015)),
    ],
)
def test_parse_compat(
    raw: str, brand: str, model: str, years: tuple[int | None, int | None]
) -> None:
    fitment = parse_compat(raw)
    assert fitment is not None
    assert (fitment.brand, fitment.model, (fitment.year_from, fitment.year_to)) == (
        brand,
        model,
        years,
    )
    assert fitment.raw == raw


@pytest.mark.parametrize(
    "raw", ["Universal", "Varios modelos", "", "Nissan Tsuru 2017-1992", "Nissan Tsuru 1850-1890"]
)
def test_not_understood(raw: str) -> None:
    assert parse_compat(raw) is None


def test_brands_are_canonical_like_the_vehicle_inventory() -> None:
    assert canonical_brand("vw") == "Volkswagen"
    assert canonical_brand("Mercedes") == "Mercedes-Benz"
    assert canonical_brand("Chevrolet") == "Chevrolet"
    assert canonical_brand("Patito Motors") is None


def test_model_keys_compare_spellings() -> None:
    assert model_key("NP 300") == model_key("NP300") == "np300"
    assert model_key("CR-V") == model_key("crv")
    assert model_key("Jetta Clásico") == model_key("Jetta A4")
    assert model_key("vocho") == model_key("Sedán")
