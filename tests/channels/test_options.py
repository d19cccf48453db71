"""Answering numbered options the way people do on WhatsApp."""

from __future__ import annotations

import pytest

from showroom.channels.options import chosen_index, payload_for

OPTIONS = [
    {"title": "Buscar auto", "payload": "/search_vehicle"},
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("2", 1),
        ("2️⃣", 1),
        (" 2 ", 1),
        ("2.", 1),
        ("la 2", 1),
        ("La 2!", 1),
        ("el 3", 2),
        ("opción 2", 1),
        ("opcion 2", 1),
        ("la opción 3", 2),
        ("#1", 0),
        ("número 3", 2),
        ("la segunda", 1),
        ("la dos", 1),
        ("primera", 0),
        ("2 porfa", 1),
        ("calcular mensualidades", 1),
        ("Buscar Auto", 0),
    ],
)
def test_answers_pick_the_option(text: str, index: int) -> None:
    assert chosen_index(text, OPTIONS) == index


@pytest.mark.parametrize(
    "text",
    ["4", "0", "22", "no", "hola", "quiero la 2 de la lista", "300 mil", "2 autos", ""],
)
def test_anything_else_goes_to_rasa_as_typed(text: str) -> None:
    assert chosen_index(text, OPTIONS) is None
    assert payload_for(text, OPTIONS) is None


def test_without_open_options_nothing_is_mapped() -> None:
    assert payload_for("2", []) is None


def test_payload_is_what_rasa_receives() -> None:
    assert payload_for("2️⃣", OPTIONS) == "/ask_financing"
