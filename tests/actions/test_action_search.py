"""Search, more results, choosing a car, and what a new search forgets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from actions_kit import entity, run, tracker
from rasa_sdk.events import SlotSet

from actions.search import (
    ActionMoreResults,
    ActionResetSearch,
    ActionSearchVehicles,
    ActionSelectVehicle,
    filters_to_reset,
)
from showroom.inventory.describe import describe_wanted_es
from showroom.inventory.search import VehicleQuery

AFTER_LIST = [
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
]
MORE = {"title": "Ver más", "payload": "/more_results"}
CHOICE_BUTTONS = [
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
    {"title": "Pedir cotización", "payload": "/request_quote"},
    {"title": "Hablar con un asesor", "payload": "/request_human"},
]
PICK_ONE = '¿Te interesa alguno? Dime su número (por ejemplo "el 2").'


async def test_results_with_photo_card_and_options(catalog: str) -> None:
    state = tracker({"body_type": "suv", "budget": 500000.0}, metadata={"branch": "MTY"})
    messages, events = await run(ActionSearchVehicles(), state)
    assert messages == [
        {"text": "Encontré 1 opción (SUV, hasta $500,000 MXN):"},
        {
            "text": "1. Mazda CX-5 2022 · i Grand Touring\n38,000 km · Automática · Gasolina\n"
            "$459,900 MXN · Sucursal Monterrey Valle",
            "image": "https://img.example.mx/mty-003/1.jpg",
        },
        {"text": '¿Te interesa? Responde "el 1" y te doy más detalles.', "buttons": AFTER_LIST},
    ]
    assert events == [SlotSet("shown_vehicles", ["MTY-003"]), SlotSet("search_offset", 1)]


async def test_nothing_matches_relaxes_and_says_which_filter(catalog: str) -> None:
    state = tracker({"body_type": "sedan", "budget": 200000.0})
    messages, events = await run(ActionSearchVehicles(), state)
    assert messages[0] == {
        "text": "No encontré sedanes de hasta $200,000 MXN 😕. Ampliando la búsqueda a un "
        "presupuesto hasta 15% mayor, encontré 1 opción:"
    }
    assert messages[1] == {
        "text": "1. Chevrolet Aveo 2023 · LS\n25,000 km · Manual · Gasolina\n"
        "$229,900 MXN · Sucursal Tijuana Río"
    }
    assert events == [SlotSet("shown_vehicles", ["TIJ-002"]), SlotSet("search_offset", 1)]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        (
            VehicleQuery(body_type="sedan", max_price=Decimal(200000)),
            "sedanes de hasta $200,000 MXN",
        ),
        (
            VehicleQuery(
                body_type="pickup", brand="Toyota", fuel="diesel", max_price=Decimal(600000)
            ),
            "pickups Toyota diésel de hasta $600,000 MXN",
        ),
        (
            VehicleQuery(body_type="suv", transmission="automatica", condition="seminuevo"),
            "SUVs seminuevas automáticas",
        ),
        (VehicleQuery(body_type="van", fuel="electrico"), "vans eléctricas"),
        (VehicleQuery(body_type="hatchback", transmission="manual"), "hatchbacks manuales"),
        (
            VehicleQuery(brand="Mazda", model="Mazda 3", transmission="automatica", year_min=2022),
            "Mazda 3 automáticos del 2022 en adelante",
        ),
        (VehicleQuery(brand="Nissan", fuel="hibrido"), "autos Nissan híbridos"),
        (VehicleQuery(fuel="gasolina", condition="nuevo"), "autos nuevos de gasolina"),
        (VehicleQuery(max_price=Decimal(150000)), "autos de hasta $150,000 MXN"),
        (VehicleQuery(), ""),
    ],
)
def test_what_was_not_found_reads_as_spanish(query: VehicleQuery, wanted: str) -> None:
    """ "No encontré …": a noun phrase whose adjectives agree with the body type."""
    assert describe_wanted_es(query) == wanted


async def test_pages_continue_numbering_until_everything_was_shown(catalog: str) -> None:
    first_messages, first = await run(ActionSearchVehicles(), tracker({"body_type": "sedan"}))
    assert first_messages[0] == {"text": "Encontré 7 opciones (sedán). Te muestro las 3 mejores:"}
    assert [m["text"].split("\n")[0] for m in first_messages[1:4]] == [
        "1. Volkswagen Jetta 2025 · GLI",
        "2. Toyota Corolla 2024 · LE CVT",
        "3. Mazda 3 2024 · i Sport",
    ]
    assert first_messages[4] == {"text": PICK_ONE, "buttons": [MORE, *AFTER_LIST]}
    assert first == [
        SlotSet("shown_vehicles", ["CDMX-002", "MTY-002", "CDMX-006"]),
        SlotSet("search_offset", 3),
    ]

    slots = {"body_type": "sedan", "shown_vehicles": ["CDMX-002", "MTY-002", "CDMX-006"]}
    slots["search_offset"] = 3
    second_messages, second = await run(ActionMoreResults(), tracker(slots))
    assert [m.get("text", "").split("\n")[0] for m in second_messages] == [
        "Aquí van más opciones:",
        "4. Volkswagen Jetta 2023 · Comfortline",
        "5. Chevrolet Aveo 2023 · LS",
        "6. Nissan Versa 2021 · Sense",
        PICK_ONE,
    ]
    shown = ["CDMX-002", "MTY-002", "CDMX-006", "CDMX-001", "TIJ-002", "MTY-004"]
    assert second == [SlotSet("shown_vehicles", shown), SlotSet("search_offset", 6)]

    third_messages, third = await run(
        ActionMoreResults(), tracker({**slots, "shown_vehicles": shown, "search_offset": 6})
    )
    assert third_messages[1]["text"].startswith("7. Volkswagen Jetta 2019 · Trendline")
    assert third_messages[2] == {"text": PICK_ONE, "buttons": AFTER_LIST}
    assert third == [SlotSet("shown_vehicles", [*shown, "CDMX-003"]), SlotSet("search_offset", 7)]

    done, none = await run(
        ActionMoreResults(),
        tracker({**slots, "shown_vehicles": [*shown, "CDMX-003"], "search_offset": 7}),
    )
    assert done == [
        {
            "text": "Ya te mostré todas las opciones que tengo (7). ¿Quieres cambiar algo? "
            "Por ejemplo el tipo de auto o el presupuesto."
        }
    ]
    assert none == []


async def test_the_customers_branch_comes_first(catalog: str) -> None:
    messages, events = await run(
        ActionSearchVehicles(), tracker({"body_type": "sedan"}, metadata={"branch": "MTY"})
    )
    assert events[0] == SlotSet("shown_vehicles", ["MTY-002", "MTY-004", "CDMX-002"])
    assert messages[1]["text"].endswith("$389,900 MXN · Sucursal Monterrey Valle")


async def test_more_results_before_any_search_asks_what_to_look_for(catalog: str) -> None:
    messages, events = await run(
        ActionMoreResults(), tracker(text="ver mas", intent="more_results")
    )
    assert messages == [
        {"text": 'Primero dime qué buscas 🙂 Por ejemplo: "una SUV de hasta 400 mil".'}
    ]
    assert events == []


async def test_an_empty_inventory_says_so(db_url: str) -> None:
    messages, events = await run(ActionSearchVehicles(), tracker({"body_type": "suv"}))
    assert messages == [
        {
            "text": "Por ahora no tengo autos disponibles que coincidan 😕. Puedes probar con "
            "otro tipo de auto u otro presupuesto, o pedirme hablar con un asesor."
        }
    ]
    assert events == [SlotSet("shown_vehicles", None), SlotSet("search_offset", 0)]


# ------------------------------------------------------------------ choosing
SHOWN = {"shown_vehicles": ["CDMX-002", "MTY-002", "CDMX-006"], "fin_price": 300000.0}


async def test_choose_by_number(catalog: str) -> None:
    state = tracker(
        SHOWN, text="me interesa el 2", intent="choose_option", entities=[entity("option", 2)]
    )
    messages, events = await run(ActionSelectVehicle(), state)
    assert messages == [
        {
            "text": "¡Buena elección! 👌\nToyota Corolla 2024 · LE CVT\n0 km · Automática · "
            "Gasolina\n$389,900 MXN · Sucursal Monterrey Valle\nSedán confiable y económico.",
            "image": "https://img.example.mx/mty-002/1.jpg",
        },
        {"text": "¿Qué quieres hacer?", "buttons": CHOICE_BUTTONS},
    ]
    assert events == [SlotSet("selected_vehicle", "MTY-002"), SlotSet("fin_price", None)]


async def test_a_number_outside_the_list(catalog: str) -> None:
    state = tracker(SHOWN, text="el 5", intent="choose_option", entities=[entity("option", 5)])
    messages, events = await run(ActionSelectVehicle(), state)
    assert messages == [{"text": "Solo te mostré 3; dime un número del 1 al 3."}]
    assert events == []


async def test_choose_by_model_prefers_the_car_shown(catalog: str) -> None:
    state = tracker(
        SHOWN, text="me gusta el jetta", intent="choose_option", entities=[entity("model", "Jetta")]
    )
    _messages, events = await run(ActionSelectVehicle(), state)
    assert events[0] == SlotSet("selected_vehicle", "CDMX-002")


async def test_a_chosen_car_with_several_photos_sends_two_more(catalog: str) -> None:
    state = tracker(
        {"shown_vehicles": ["MTY-003"]},
        text="el 1",
        intent="choose_option",
        entities=[entity("option", 1)],
    )
    messages, _events = await run(ActionSelectVehicle(), state)
    assert [m.get("image") for m in messages] == [
        "https://img.example.mx/mty-003/1.jpg",
        "https://img.example.mx/mty-003/2.jpg",
        "https://img.example.mx/mty-003/3.jpg",
        None,
    ]


async def test_a_reserved_car_is_not_chosen(catalog: str) -> None:
    state = tracker(
        {"shown_vehicles": ["MTY-005"]},
        text="el 1",
        intent="choose_option",
        entities=[entity("option", 1)],
    )
    messages, events = await run(ActionSelectVehicle(), state)
    assert messages == [
        {
            "text": "El Toyota RAV4 2023 ya no está disponible 😕. ¿Te muestro otras opciones "
            "parecidas?",
            "buttons": [MORE],
        }
    ]
    assert events == []


async def test_a_car_we_do_not_have(catalog: str) -> None:
    state = tracker(
        text="me interesa un tesla", intent="choose_option", entities=[entity("brand", "Tesla")]
    )
    messages, events = await run(ActionSelectVehicle(), state)
    assert messages == [{"text": "No tengo Tesla disponible en este momento 😕."}]
    assert events == []


# ------------------------------------------------------------------ a new search
PREVIOUS = {
    "brand": "Toyota",
    "transmission": "manual",
    "year": 2020.0,
    "budget": 400000.0,
    "shown_vehicles": ["MTY-002"],
    "search_offset": 1,
}
LIST_RESET = [SlotSet("shown_vehicles", None), SlotSet("search_offset", 0)]


@pytest.mark.parametrize(
    ("mentioned", "had_search", "expected"),
    [
        (
            set(),
            True,
            {"brand", "model", "body_type", "transmission", "fuel", "condition", "year", "budget"},
        ),
        ({"transmission"}, True, set()),
        ({"body_type"}, True, {"brand", "model", "transmission", "fuel", "condition", "year"}),
        ({"brand"}, True, {"model", "transmission", "fuel", "condition", "year"}),
        (
            {"model"},
            True,
            {"brand", "body_type", "transmission", "fuel", "condition", "year", "budget"},
        ),
        (
            {"model", "budget"},
            True,
            {"brand", "body_type", "transmission", "fuel", "condition", "year"},
        ),
        ({"body_type"}, False, set()),
    ],
)
def test_what_a_new_request_forgets(
    mentioned: set[str], had_search: bool, expected: set[str]
) -> None:
    assert filters_to_reset(mentioned, had_search) == expected


async def test_a_bare_new_search_starts_over(db_url: str) -> None:
    state = tracker(PREVIOUS, text="quiero ver otro carro", intent="search_vehicle")
    _messages, events = await run(ActionResetSearch(), state)
    assert (
        events
        == [
            SlotSet(name, None)
            for name in (
                "brand",
                "model",
                "body_type",
                "transmission",
                "fuel",
                "condition",
                "year",
                "budget",
            )
        ]
        + LIST_RESET
    )


async def test_another_body_type_keeps_the_budget(db_url: str) -> None:
    state = tracker(
        {**PREVIOUS, "body_type": "suv"},
        text="y pickups?",
        intent="search_vehicle",
        entities=[entity("body_type", "pickup")],
    )
    _messages, events = await run(ActionResetSearch(), state)
    assert (
        events
        == [
            SlotSet(name, None)
            for name in ("brand", "model", "transmission", "fuel", "condition", "year")
        ]
        + LIST_RESET
    )


async def test_a_roleless_amount_in_the_search_is_the_budget(db_url: str) -> None:
    state = tracker(
        PREVIOUS,
        text="y automaticas de unos 450 mil?",
        intent="search_vehicle",
        entities=[entity("transmission", "automatica"), entity("amount", 450000)],
    )
    _messages, events = await run(ActionResetSearch(), state)
    assert events == [SlotSet("budget", 450000.0), *LIST_RESET]


async def test_asking_again_inside_the_form_keeps_everything(db_url: str) -> None:
    state = tracker(
        PREVIOUS, text="busco carro", intent="search_vehicle", active_loop="vehicle_search_form"
    )
    _messages, events = await run(ActionResetSearch(), state)
    assert events == []
