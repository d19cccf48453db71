"""Financing: the simulation (same figures as `showroom finance simulate`), the form, the reset."""

from __future__ import annotations

import json

from actions_kit import action_event, entity, run, tracker
from click.testing import CliRunner
from rasa_sdk.events import SlotSet

from actions.financing import ActionResetFinancing, ActionSimulateFinancing
from actions.financing_form import ValidateFinancingForm
from showroom.cli import main as showroom_cli

NEXT = {
    "text": '¿Quieres probar otro enganche o plazo? Solo dímelo (por ejemplo "a 60 meses").',
    "buttons": [
        {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
        {"title": "Hablar con un asesor", "payload": "/request_human"},
    ],
}
FORM = "financing_form"


async def test_the_chosen_car_with_its_branch_rate(catalog: str) -> None:
    state = tracker({"selected_vehicle": "MTY-002", "down_payment_pct": 20.0, "term_months": 48.0})
    messages, events = await run(ActionSimulateFinancing(), state)
    assert messages == [
        {
            "text": "Simulación de crédito 🧮\nToyota Corolla 2024: $389,900 MXN\n"
            "Enganche: $77,980 MXN (20%)\nPlazo: 48 meses · Tasa anual: 12.9%\n"
            "Mensualidad: $8,352.56 MXN\nTotal pagado: $478,902.88 MXN (con enganche)\n"
            "No incluye seguro, comisión por apertura ni IVA de los intereses.\n"
            "Es una simulación, sujeta a aprobación de crédito."
        },
        NEXT,
    ]
    # what was simulated, for a quote of this car (actions/quote.py attaches it)
    assert events == [
        SlotSet(
            "financing_terms",
            {
                "stock_id": "MTY-002",
                "price": "389900.00",
                "months": 48,
                "down_payment": "77980.00",
                "down_percent": "20.0",
            },
        )
    ]


async def test_same_figure_as_the_command_line(catalog: str) -> None:
    result = CliRunner().invoke(
        showroom_cli,
        [
            "finance",
            "simulate",
            "--price",
            "389900",
            "--down",
            "20%",
            "--months",
            "48",
            "--branch",
            "MTY",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    state = tracker({"selected_vehicle": "MTY-002", "down_payment_pct": 20.0, "term_months": 48.0})
    messages, _events = await run(ActionSimulateFinancing(), state)
    assert f"Mensualidad: ${float(plan['monthly_payment']):,.2f} MXN" in messages[0]["text"]


async def test_a_given_price_without_down_payment_uses_the_default_rate(db_url: str) -> None:
    state = tracker({"fin_price": 300000.0, "down_payment": 0.0, "term_months": 60.0})
    messages, _events = await run(ActionSimulateFinancing(), state)
    assert messages[0] == {
        "text": "Simulación de crédito 🧮\nPrecio: $300,000 MXN\nEnganche: $0 MXN (0%)\n"
        "Plazo: 60 meses · Tasa anual: 13.9%\nMensualidad: $6,964.93 MXN\n"
        "Total pagado: $417,895.80 MXN (con enganche)\n"
        "No incluye seguro, comisión por apertura ni IVA de los intereses.\n"
        "Es una simulación, sujeta a aprobación de crédito."
    }


async def test_a_given_price_wins_over_the_chosen_car(catalog: str) -> None:
    state = tracker(
        {
            "selected_vehicle": "MTY-001",
            "fin_price": 350000.0,
            "down_payment": 70000.0,
            "term_months": 72.0,
        }
    )
    messages, _events = await run(ActionSimulateFinancing(), state)
    assert messages[0]["text"].startswith("Simulación de crédito 🧮\nPrecio: $350,000 MXN\n")
    assert "Mensualidad: $5,754.62 MXN" in messages[0]["text"]


async def test_quick_answer_during_the_booking_names_its_example_values(catalog: str) -> None:
    state = tracker(
        {"selected_vehicle": "CDMX-001"},
        text="y a meses?",
        intent="ask_financing",
        active_loop="test_drive_form",
    )
    messages, events = await run(ActionSimulateFinancing(), state)
    assert messages == [
        {
            "text": "Simulación de crédito 🧮\nVolkswagen Jetta 2023: $429,900 MXN\n"
            "Enganche: $85,980 MXN (20%)\nPlazo: 48 meses · Tasa anual: 13.9%\n"
            "Mensualidad: $9,380.88 MXN\nTotal pagado: $536,262.24 MXN (con enganche)\n"
            "Usé 20% de enganche y 48 meses como ejemplo; dime tus números y la recalculo.\n"
            "No incluye seguro, comisión por apertura ni IVA de los intereses.\n"
            "Es una simulación, sujeta a aprobación de crédito."
        }
    ]
    assert events == []


async def test_quick_answer_without_a_car_asks_for_one(db_url: str) -> None:
    state = tracker(text="y a meses?", intent="ask_financing", active_loop="test_drive_form")
    messages, _events = await run(ActionSimulateFinancing(), state)
    assert messages == [
        {
            "text": "Para calcular las mensualidades necesito el auto o su precio. Elige uno de "
            'la lista o dime el precio (por ejemplo "350 mil").'
        }
    ]


async def test_a_down_payment_above_the_price_is_explained(catalog: str) -> None:
    state = tracker({"fin_price": 300000.0, "down_payment": 300000.0, "term_months": 48.0})
    messages, _events = await run(ActionSimulateFinancing(), state)
    assert messages == [
        {"text": "El enganche tiene que ser menor al precio ($300,000 MXN). ¿Cuánto darías?"}
    ]


# ------------------------------------------------------------------ the form
def form_turn(
    slots: dict,
    asked: str | None,
    text: str,
    intent: str,
    candidates: dict,
    entities: list | None = None,
):
    """Without a chosen car the form's slots are the domain's, and Rasa itself picks the next
    slot to ask (no `requested_slot` event from the validation action)."""
    return tracker(
        {**slots, "requested_slot": asked},
        text=text,
        intent=intent,
        entities=entities,
        active_loop=FORM,
        form_candidates=candidates,
    )


async def test_with_a_chosen_car_the_price_is_not_asked(db_url: str) -> None:
    state = tracker(
        {"selected_vehicle": "MTY-002"},
        text="cuanto al mes?",
        intent="ask_financing",
        active_loop=FORM,
        form_candidates={},
    )
    _messages, events = await run(ValidateFinancingForm(), state)
    assert events == [SlotSet("requested_slot", "down_payment")]


async def test_a_number_from_the_list_chooses_that_car(catalog: str) -> None:
    state = form_turn(
        {"shown_vehicles": ["CDMX-002", "MTY-002"]},
        "fin_price",
        "el 2",
        "choose_option",
        {},
        entities=[entity("option", 2)],
    )
    _messages, events = await run(ValidateFinancingForm(), state)
    assert events == [
        SlotSet("fin_price", None),
        SlotSet("selected_vehicle", "MTY-002"),
        SlotSet("requested_slot", "down_payment"),
    ]


async def test_a_percentage_becomes_an_amount_of_the_price(catalog: str) -> None:
    state = form_turn(
        {"selected_vehicle": "MTY-002"},
        "down_payment",
        "el 20%",
        "inform",
        {"down_payment_pct": 20.0},
        entities=[entity("percent", 20)],
    )
    _messages, events = await run(ValidateFinancingForm(), state)
    assert events == [SlotSet("down_payment", 77980.0), SlotSet("requested_slot", "term_months")]


async def test_sin_enganche_is_zero(db_url: str) -> None:
    state = form_turn({"fin_price": 300000.0}, "down_payment", "sin enganche", "inform", {})
    _messages, events = await run(ValidateFinancingForm(), state)
    assert events == [
        SlotSet("down_payment", 0.0),
        SlotSet("down_payment_pct", None),
    ]


# A bare "20" / "50" / "48" through the real NLU component: form_answers.yml.


async def test_a_down_payment_not_below_the_price_is_refused(catalog: str) -> None:
    state = form_turn(
        {"selected_vehicle": "MTY-004"},
        "down_payment",
        "250 mil",
        "inform",
        {"down_payment": 250000},
    )
    messages, events = await run(ValidateFinancingForm(), state)
    assert messages == [{"text": "El enganche tiene que ser menor al precio ($239,900 MXN) 🙏."}]
    assert events == [
        SlotSet("down_payment", None),
        SlotSet("down_payment_pct", None),
        SlotSet("requested_slot", "down_payment"),
    ]


async def test_a_term_outside_12_to_72_is_asked_again(db_url: str) -> None:
    slots = {"fin_price": 300000.0, "down_payment": 50000.0}
    state = form_turn(slots, "term_months", "a 96 meses", "inform", {"term_months": 96})
    messages, events = await run(ValidateFinancingForm(), state)
    assert messages == [{"text": "Manejamos plazos de 12 a 72 meses, en meses enteros 🙏."}]
    assert events == [SlotSet("term_months", None)]


async def test_lo_mas_largo_posible_is_the_longest_term(db_url: str) -> None:
    slots = {"fin_price": 300000.0, "down_payment": 50000.0}
    state = form_turn(slots, "term_months", "lo mas largo posible", "inform", {})
    _messages, events = await run(ValidateFinancingForm(), state)
    assert events == [SlotSet("term_months", 72.0)]


async def test_an_unreadable_term_keeps_the_form(db_url: str) -> None:
    slots = {"fin_price": 300000.0, "down_payment": 50000.0}
    state = form_turn(slots, "term_months", "el que me recomiendes", "nlu_fallback", {})
    messages, events = await run(ValidateFinancingForm(), state)
    assert messages == [{"text": "Perdón, no identifiqué el plazo 🙏."}]
    assert events == [SlotSet("term_months", None)]


# ------------------------------------------------------------------ a new request
async def test_a_fresh_request_starts_over(catalog: str) -> None:
    before = [action_event("action_simulate_financing")]
    state = tracker(
        {"fin_price": 300000.0, "down_payment": 50000.0, "term_months": 48.0},
        text="quiero calcular mensualidades",
        intent="ask_financing",
        before=before,
    )
    _messages, events = await run(ActionResetFinancing(), state)
    assert events == [
        SlotSet("fin_price", None),
        SlotSet("down_payment", None),
        SlotSet("down_payment_pct", None),
        SlotSet("term_months", None),
    ]


async def test_another_term_keeps_the_other_numbers(catalog: str) -> None:
    state = tracker(
        {"fin_price": 300000.0, "down_payment": 50000.0, "term_months": 60.0},
        text="y a 60 meses?",
        intent="ask_financing",
        entities=[entity("months", 60)],
    )
    _messages, events = await run(ActionResetFinancing(), state)
    assert events == []


async def test_a_percentage_replaces_an_amount(catalog: str) -> None:
    state = tracker(
        {"down_payment": 50000.0, "down_payment_pct": 30.0},
        text="y con 30%?",
        intent="ask_financing",
        entities=[entity("percent", 30)],
    )
    _messages, events = await run(ActionResetFinancing(), state)
    assert events == [SlotSet("down_payment", None)]


async def test_naming_a_car_selects_it(catalog: str) -> None:
    state = tracker(
        {"fin_price": 300000.0},
        text="cuanto al mes el corolla?",
        intent="ask_financing",
        entities=[entity("model", "Corolla")],
    )
    _messages, events = await run(ActionResetFinancing(), state)
    assert events == [
        SlotSet("fin_price", None),
        SlotSet("down_payment", None),
        SlotSet("down_payment_pct", None),
        SlotSet("term_months", None),
        SlotSet("selected_vehicle", "MTY-002"),
    ]
