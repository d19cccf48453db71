"""`compatibilidad` parsing: canonical brands, year forms of other catalogs, notes dropped,
and what is not understood (with why)."""

from __future__ import annotations

import pytest

from showroom.inventory.parts.compat import (
    IMPOSSIBLE_YEARS,
    NO_VEHICLE,
    UNKNOWN_VEHICLE,
    YEAR_LEFT_OVER,
    parse_compat,
    read_compat,
    split_compat_text,
)
from showroom.inventory.parts.vehicles import canonical_brand, model_key

Years = tuple[int | None, int | None]


@pytest.mark.parametrize(
    ("raw", "brand", "model", "years"),
    [
        ("Nissan Tsuru 1992-2017", "Nissan", "Tsuru", (1992, 2017)),
        ("VW Jetta A4 2000-2015", "Volkswagen", "Jetta A4", (2000, 2015)),
        ("Chevrolet Chevy 2004", "Chevrolet", "Chevy", (2004, 2004)),
        ("Nissan Versa 2015+", "Nissan", "Versa", (2015, None)),
        ("Nissan Versa 2015 en adelante", "Nissan", "Versa", (2015, None)),
        ("Nissan Versa 2015-", "Nissan", "Versa", (2015, None)),
        ("Nissan Sentra 07-12", "Nissan", "Sentra", (2007, 2012)),
        ("Nissan Tsuru 92-17", "Nissan", "Tsuru", (1992, 2017)),
        ("VW Sedán 1.6L 1970 a 2003", "Volkswagen", "Sedán", (1970, 2003)),
        ("Vocho 1985-2003", "Volkswagen", "Sedán", (1985, 2003)),
        ("Tsuru 1992-2017", "Nissan", "Tsuru", (1992, 2017)),
        ("Chevy 1994-2012", "Chevrolet", "Chevy", (1994, 2012)),
        ("Honda CR-V (2007-2011)", "Honda", "CR-V", (2007, 2011)),
        ("Toyota Hilux hasta 2015", "Toyota", "Hilux", (None, 2015)),
        ("Toyota Hilux antes de 2016", "Toyota", "Hilux", (None, 2015)),
        ("Ram 1500", "RAM", "1500", (None, None)),
        ("Dodge Ram 1500 2002-2008", "Dodge", "Ram 1500", (2002, 2008)),
        ("Nissan X-Trail 2.5L 2008-2014", "Nissan", "X-Trail", (2008, 2014)),
        ("Mercedes Benz Clase C 2010-2014", "Mercedes-Benz", "Clase C", (2010, 2014)),
        ("VW Jetta Clásico 2008-2015", "Volkswagen", "Jetta A4", (2008, 2015)),
        # other catalogs' formats (the audit's list)
        ("Nissan Versa 2012-2019 1.6L", "Nissan", "Versa", (2012, 2019)),
        ("Honda Civic 2006-2011 2.0L", "Honda", "Civic", (2006, 2011)),
        ("Nissan Tsuru 1992-2017 Std", "Nissan", "Tsuru", (1992, 2017)),
        ("Kia Rio 2018 - Actual", "Kia", "Rio", (2018, None)),
        ("Kia Rio 2018 a la fecha", "Kia", "Rio", (2018, None)),
        ("Nissan Versa desde 2012", "Nissan", "Versa", (2012, None)),
        ("Nissan Versa a partir de 2012", "Nissan", "Versa", (2012, None)),
        ("Chevrolet Aveo 2008, 2009, 2010", "Chevrolet", "Aveo", (2008, 2010)),
        ("Nissan Sentra 2008 y 2009", "Nissan", "Sentra", (2008, 2009)),
        ("Jetta A4 1.8T 2000-2015", "Volkswagen", "Jetta A4", (2000, 2015)),
        ("Mazda3 2014-2018", "Mazda", "3", (2014, 2018)),
        ("Nissan/Tsuru/1992-2017", "Nissan", "Tsuru", (1992, 2017)),
        ("Chevrolet Aveo 2008 a 2017", "Chevrolet", "Aveo", (2008, 2017)),
        ("Toyota Corolla 2015", "Toyota", "Corolla", (2015, 2015)),
        ("Ford Ranger 12-18", "Ford", "Ranger", (2012, 2018)),
        ("Chevrolet Chevy (1994-2012)", "Chevrolet", "Chevy", (1994, 2012)),
        ("Nissan Versa 2012-19", "Nissan", "Versa", (2012, 2019)),
        ("del 92 al 17 Nissan Tsuru", "Nissan", "Tsuru", (1992, 2017)),
        ("2015 Nissan Versa", "Nissan", "Versa", (2015, 2015)),
        ("Honda Civic EX 2006-2011", "Honda", "Civic", (2006, 2011)),
        ("Nissan NP300 Doble Cabina 2008-2015", "Nissan", "NP300", (2008, 2015)),
        ("Peugeot 206 1999-2010", "Peugeot", "206", (1999, 2010)),
    ],
)
def test_parse_compat(raw: str, brand: str, model: str, years: Years) -> None:
    fitments = parse_compat(raw)
    assert len(fitments) == 1
    fitment = fitments[0]
    assert (fitment.brand, fitment.model, (fitment.year_from, fitment.year_to)) == (
        brand,
        model,
        years,
    )
    assert fitment.raw == raw


def test_a_list_with_holes_is_several_fitments() -> None:
    fitments = parse_compat("Chevrolet Aveo 2008, 2010, 2011")
    assert [(f.model, f.year_from, f.year_to) for f in fitments] == [
        ("Aveo", 2008, 2008),
        ("Aveo", 2010, 2011),
    ]


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("Varios modelos", UNKNOWN_VEHICLE),
        ("", UNKNOWN_VEHICLE),
        ("Patito X1 2010", UNKNOWN_VEHICLE),
        ("Nissan Tsuru 2017-1992", IMPOSSIBLE_YEARS),
        ("Nissan Tsuru 1850-1890", IMPOSSIBLE_YEARS),
        ("Tsuru 1992-2017 Sentra 2000", YEAR_LEFT_OVER),
        ("Nissan Tsuru 2015 1992-2017", YEAR_LEFT_OVER),
        ("2010-2015", NO_VEHICLE),
    ],
)
def test_not_understood_says_why(raw: str, why: str) -> None:
    entry = read_compat(raw)
    assert not entry.understood and entry.fitments == ()
    assert entry.problem == why
    assert parse_compat(raw) == []


def test_one_string_splits_into_entries_but_year_lists_stay_whole() -> None:
    text = "Nissan Tsuru 1992-2017, Sentra 1995-1999; Chevrolet Aveo 2008, 2009 | VW Pointer"
    assert split_compat_text(text) == [
        "Nissan Tsuru 1992-2017",
        "Sentra 1995-1999",
        "Chevrolet Aveo 2008, 2009",
        "VW Pointer",
    ]
    assert split_compat_text("Nissan Versa 2012-2019, 1.6L") == ["Nissan Versa 2012-2019, 1.6L"]


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


@pytest.mark.parametrize(
    ("raw", "brand", "model", "years"),
    [
        ("Attitude 15-20", "Dodge", "Attitude", (2015, 2020)),
        ("Rio 2018-2023", "Kia", "Rio", (2018, 2023)),
        ("Accent 2018", "Hyundai", "Accent", (2018, 2018)),
        ("Urvan", "Nissan", "Urvan", (None, None)),
        ("Lobo 2004-2014", "Ford", "Lobo", (2004, 2014)),
        ("Cavalier 2018-2021", "Chevrolet", "Cavalier", (2018, 2021)),
        ("HR-V 2016-2022", "Honda", "HR-V", (2016, 2022)),
        ("EcoSport 2004-2012", "Ford", "EcoSport", (2004, 2012)),
        ("Grand i10 2015-2020", "Hyundai", "Grand i10", (2015, 2020)),
        ("Tiggo 2 2022-2024", "Chirey", "Tiggo 2", (2022, 2024)),
        ("L200 2008-2015", "Mitsubishi", "L200", (2008, 2015)),
        ("Estaquitas 2010-2015", "Nissan", "NP300", (2010, 2015)),
        ("Tsuru (todos)", "Nissan", "Tsuru", (None, None)),
    ],
)
def test_models_without_their_brand_come_from_the_table_of_mexican_models(
    raw: str, brand: str, model: str, years: Years
) -> None:
    (fitment,) = parse_compat(raw)
    assert (fitment.brand, fitment.model, (fitment.year_from, fitment.year_to)) == (
        brand,
        model,
        years,
    )


def test_the_table_is_a_vocabulary_not_a_handful() -> None:
    from showroom.inventory.parts.vehicles import KNOWN_MODELS, MODEL_BRANDS

    assert len(KNOWN_MODELS) >= 400 and len({m.brand for m in KNOWN_MODELS}) >= 50
    for model in KNOWN_MODELS:  # brands as the vehicle inventory spells them
        assert canonical_brand(model.brand) == model.brand
    # a letter and a number alone ("A4": an Audi or a Jetta generation?) needs its brand
    assert "a4" not in MODEL_BRANDS and "x3" not in MODEL_BRANDS
    assert parse_compat("A4 2005")[0:1] == []


def test_frontier_is_the_np300_frontier() -> None:
    assert model_key("Frontier") == model_key("NP300 Frontier")
    (fitment,) = parse_compat("Nissan Frontier 2018")
    assert fitment.model_key == "np300 frontier" and fitment.model == "Frontier"


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("Nissan Tsuru 1992-2017 / Sentra 2000-2006",
         ["Nissan Tsuru 1992-2017", "Sentra 2000-2006"]),
        ("Tsuru / Sentra 2000-2006", ["Tsuru 2000-2006", "Sentra 2000-2006"]),
        ("Jetta A4/Golf A4 1999-2010", ["Jetta A4 1999-2010", "Golf A4 1999-2010"]),
        ("Chevrolet Aveo / Pontiac G3 2008-2010",
         ["Chevrolet Aveo 2008-2010", "Pontiac G3 2008-2010"]),
        # not lists: a slash between years, or after a bare brand
        ("Nissan Tsuru 92/17", ["Nissan Tsuru 92/17"]),
        ("Nissan/Tsuru/1992-2017", ["Nissan/Tsuru/1992-2017"]),
    ],
)  # fmt: skip
def test_slash_separated_lists(text: str, entries: list[str]) -> None:
    assert split_compat_text(text) == entries
    for entry in entries:
        assert read_compat(entry).understood, entry
