"""Entities from Spanish messages, offline (components/spanish_quantities.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from components.spanish_quantities import extract_quantities

NOW = dt.datetime(2026, 11, 25, 9, 30)  # a Wednesday morning


def found(text: str, intent: str | None = None) -> list[tuple[Any, ...]]:
    return [
        (e["entity"], e["text"], e["value"], e.get("role"))
        for e in extract_quantities(text, NOW, intent=intent)
    ]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("300 mil", "300 mil", 300_000),
        ("trescientos mil", "trescientos mil", 300_000),
        ("$250,000", "$250,000", 250_000),
        ("250k", "250k", 250_000),
        ("250 mil pesos", "250 mil pesos", 250_000),
        ("1.2 millones", "1.2 millones", 1_200_000),
        ("un millón doscientos mil", "un millón doscientos mil", 1_200_000),
        ("medio millon", "medio millon", 500_000),
        ("389,900", "389,900", 389_900),
        ("389900", "389900", 389_900),
        ("como 1.5 mdp", "1.5 mdp", 1_500_000),
    ],
)
def test_amounts(text: str, span: str, value: int) -> None:
    assert found(text) == [("amount", span, value, None)]


def test_amount_values_are_ints_when_whole() -> None:
    (entity,) = extract_quantities("250 mil", NOW)
    assert isinstance(entity["value"], int)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("busco algo hasta 300 mil", "budget"),
        ("tengo menos de 250 mil", "budget"),
        ("no mas de 280 mil", "budget"),
        ("maximo 350,000", "budget"),
        ("mi presupuesto es de 400 mil", "budget"),
        ("de contado tengo 250 mil", "budget"),
        ("300 mil de presupuesto", "budget"),
        ("de enganche 80 mil", "down_payment"),
        ("puedo dar 50 mil de entrada", "down_payment"),
        ("puedo dar de inicial 100 mil", "down_payment"),
        ("el enganche seria de 60 mil", "down_payment"),
        ("cuesta 389,900", "price"),
        ("el precio de 350 mil", "price"),
        ("vale 420 mil", "price"),
        ("cuanto pagaria al mes por un carro de 350 mil", "price"),
        ("tengo 80 mil pa el enganche", "down_payment"),
        ("junte 80 mil pal enganche", "down_payment"),
        ("tengo 80 mil para mi enganche", "down_payment"),
        ("puedo dar 100 mil de pie", "down_payment"),
        ("doy 100 mil y lo demas a meses", "down_payment"),
        ("le doy 120 mil", "down_payment"),
        ("tengo 80 mil, cuanto pagaria al mes?", "down_payment"),
        ("tengo 300 mil", "budget"),
    ],
)
def test_amount_roles(text: str, role: str) -> None:
    (entity,) = [e for e in extract_quantities(text, NOW) if e["entity"] == "amount"]
    assert entity.get("role") == role


def test_vehicle_amount_role_follows_the_intent() -> None:
    text = "quiero un carro de 350 mil"
    assert found(text) == [("amount", "350 mil", 350_000, None)]
    assert found(text, "ask_financing")[0][3] == "price"
    assert found(text, "search_vehicle")[0][3] == "budget"


def test_money_the_customer_has_follows_the_intent() -> None:
    """ "tengo 80 mil": the down payment in a financing question, the budget in a search."""
    assert found("tengo 80 mil", "ask_financing")[0][3] == "down_payment"
    assert found("tengo 80 mil", "search_vehicle")[0][3] == "budget"
    assert found("cuento con 250 mil", "ask_financing")[0][3] == "down_payment"
    # a nearer cue still wins
    assert found("tengo hasta 300 mil", "ask_financing")[0][3] == "budget"


def test_two_amounts_two_roles() -> None:
    assert found("el carro cuesta 350 mil y doy 80 mil de enganche a 48 meses") == [
        ("amount", "350 mil", 350_000, "price"),
        ("amount", "80 mil", 80_000, "down_payment"),
        ("months", "48 meses", 48, None),
    ]


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("20%", "percent", 20),
        ("el 20 por ciento", "percent", 20),
        ("el veinte por ciento", "percent", 20),
        ("48 meses", "months", 48),
        ("a 4 años", "months", 48),
        ("a cuatro años", "months", 48),
        ("año y medio", "months", 18),
        ("a 2 años y medio", "months", 30),
        ("cuarenta y ocho meses", "months", 48),
        ("a 36 mensualidades", "months", 36),
        ("80 mil km", "km", 80_000),
        ("80,000 kilometros", "km", 80_000),
        ("tiene 45 mil kms", "km", 45_000),
        ("jetta 2015", "year", 2015),
        ("del 2019", "year", 2019),
        ("modelo 18", "year", 2018),
        ("el 2", "option", 2),
        ("la segunda", "option", 2),
        ("el tercero", "option", 3),
        ("opcion 3", "option", 3),
        ("opción 3", "option", 3),
        ("#1", "option", 1),
        ("2", "option", 2),
        ("me gusta la 2", "option", 2),
    ],
)
def test_other_quantities(text: str, entity: str, value: Any) -> None:
    assert [(e[0], e[2]) for e in found(text)] == [(entity, value)]


def test_time_entity() -> None:
    assert found("me queda el sabado a las 11") == [
        ("time", "el sabado a las 11", "2026-11-28T11:00:00", None)
    ]


def test_whatsapp_message_with_everything() -> None:
    text = "tengo un jetta 2015 con 80 mil km, quiero uno nuevo hasta 450 mil"
    assert found(text) == [
        ("year", "2015", 2015, None),
        ("km", "80 mil km", 80_000, None),
        ("amount", "450 mil", 450_000, "budget"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "mil gracias",
        "300",  # a bare number under 1,000: the form that asked knows what it is
        "tengo 2 hijos",
        "un segundo porfa",
        "primero quiero saber el precio",
        "las dos me gustan",
        "tiene 4 años",
        "hola buenas tardes",
    ],
)
def test_nothing_found(text: str) -> None:
    assert found(text) == []


def test_restricting_entity_names() -> None:
    entities = extract_quantities("hasta 300 mil a 48 meses", NOW, entities={"months"})
    assert [e["entity"] for e in entities] == ["months"]


def test_offsets_point_into_the_original_text() -> None:
    text = "¿Cuánto sale a 48 MESES?"
    (entity,) = extract_quantities(text, NOW)
    assert text[entity["start"] : entity["end"]] == "48 MESES"


@pytest.mark.parametrize(("text", "value"), [("ok a 72", 72), ("mejor a 48", 48)])
def test_usual_term_after_a_is_months(text: str, value: int) -> None:
    assert [(e[0], e[2]) for e in found(text)] == [("months", value)]


@pytest.mark.parametrize(
    "text", ["mi vin es 3VWFE21C04M000001", "un CX-5 4x4", "motor V6", "tengo 1.6L"]
)
def test_codes_are_not_quantities(text: str) -> None:
    assert found(text) == []


def test_a_year_glued_to_a_model() -> None:
    assert found("jetta2015") == [("year", "2015", 2015, None)]
