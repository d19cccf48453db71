"""One catalog row: prices as other shops write them, what "universal" means, images."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from showroom.inventory.parts.rows import RowError, is_universal, parse_row


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sku": "BR-1",
        "titulo": "Balatas delanteras Brembo cerámicas",
        "precio": 689,
        "stock": 12,
        "compatibilidad": ["Nissan Tsuru 1992-2017"],
    }
    base.update(overrides)
    return base


# ------------------------------------------------------------------ prices
@pytest.mark.parametrize(
    ("written", "price"),
    [
        (1250, "1250.00"), (1250.5, "1250.50"), (89.99, "89.99"),  # JSON numbers
        ("1250", "1250.00"), ("1250.5", "1250.50"), ("1,250.00", "1250.00"),
        ("$1,250", "1250.00"), ("$ 1,250.50 MXN", "1250.50"), ("12,345,678.9", None),
        ("1250 pesos", "1250.00"), ("1289.505", "1289.51"),
        # a decimal comma only where nothing else fits
        ("1250,00", "1250.00"), ("1.250,00", "1250.00"), ("89,5", "89.50"),
        ("1.250.000", "1250000.00"),
    ],
)  # fmt: skip
def test_prices_other_shops_write(written: Any, price: str | None) -> None:
    if price is None:
        with pytest.raises(RowError, match="too large"):
            parse_row(record(precio=written))
        return
    assert parse_row(record(precio=written)).price_mxn == Decimal(price)


GUESS = "is not a price this importer can read without guessing"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("1.250", "'1.250' is ambiguous (1250 or 1.25?)"),
        ("12.500", "'12.500' is ambiguous"),
        ("1,25,000", GUESS), ("1 250,00", GUESS), ("1,250,00", GUESS), ("1250.00.00", GUESS),
        ("-5", GUESS),
        ("gratis", "precio is not a number: 'gratis'"),
        (0, "precio must be greater than 0"),
        (True, "precio must be a number"),
        ([1250], "precio must be a number"),
    ],
)  # fmt: skip
def test_prices_that_would_be_a_guess_are_refused_with_the_reason(
    written: Any, reason: str
) -> None:
    with pytest.raises(RowError) as error:
        parse_row(record(precio=written))
    assert reason in str(error.value)


# ------------------------------------------------------------------ compatibility
@pytest.mark.parametrize(
    "entry",
    ["Universal", "UNIVERSAL", "Todos", "Todas las marcas", "Aplica para todos los modelos",
     "todos los vehículos", "Uso universal", "Multimarca", "cualquier auto"],
)  # fmt: skip
def test_only_explicit_words_make_a_part_universal(entry: str) -> None:
    assert is_universal(entry)
    assert parse_row(record(compatibilidad=[entry])).universal


@pytest.mark.parametrize("entry", ["Varios modelos", "Genérico", "General", "Tsuru (todos)"])
def test_words_that_are_not_all_cars(entry: str) -> None:
    assert not is_universal(entry)
    assert not parse_row(record(compatibilidad=[entry])).universal


@pytest.mark.parametrize("missing", [None, [], "", "  ", "absent"])
def test_no_compatibility_is_unknown_not_universal(missing: Any) -> None:
    fields = record(titulo="Balatas delanteras Brembo cerámicas", compatibilidad=missing)
    if missing == "absent":
        del fields["compatibilidad"]
    row = parse_row(fields)
    assert not row.universal and row.fitments == [] and row.compat_raw == []


def test_without_compatibility_the_title_may_name_the_car() -> None:
    row = parse_row(record(titulo="Balatas delanteras para Tsuru 92-17", compatibilidad=[]))
    assert not row.universal
    assert [(f.brand, f.model, f.year_from, f.year_to) for f in row.fitments] == [
        ("Nissan", "Tsuru", 1992, 2017)
    ]
    # the car's words are not part words: "tsuru" does not make the pads a "tsuru" part
    assert "tsuru" not in row.search_terms.split()


def test_a_title_that_names_no_known_car_leaves_the_fitment_unknown() -> None:
    for title in ("Aceite para motor 5W-30", "Kit de clutch para auto compacto"):
        row = parse_row(record(titulo=title, compatibilidad=None))
        assert row.fitments == [] and not row.universal


def test_the_catalogs_compatibility_wins_over_the_title() -> None:
    row = parse_row(
        record(titulo="Balatas para Tsuru 92-17", compatibilidad=["Nissan Versa 2012-2019"])
    )
    assert [(f.model, f.year_from) for f in row.fitments] == [("Versa", 2012)]


# ------------------------------------------------------------------ images
def test_a_bad_image_url_is_dropped_with_a_warning_and_the_product_stays() -> None:
    row = parse_row(
        record(
            imagen_1="https://cdn.example.mx/BR-1/1.jpg",
            imagen_2="ftp://cdn.example.mx/BR-1/2.jpg",
            imagen_3=42,
            imagen_4="https://cdn.example.mx/BR-1/4.jpg",
        )
    )
    assert row.image_urls == [
        "https://cdn.example.mx/BR-1/1.jpg",
        "https://cdn.example.mx/BR-1/4.jpg",
    ]
    assert row.warnings == [
        "imagen_2 dropped: not an http(s) URL ('ftp://cdn.example.mx/BR-1/2.jpg')",
        "imagen_3 dropped: not a URL",
    ]
