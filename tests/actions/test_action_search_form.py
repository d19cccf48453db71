"""validate_vehicle_search_form: ask only what is missing; readable re-asks."""

from __future__ import annotations

from actions_kit import entity, nlu_entities, run, tracker
from rasa_sdk.events import SlotSet

from actions.search_form import ValidateVehicleSearchForm

FORM = "vehicle_search_form"


def form_turn(
    slots: dict,
    asked: str | None,
    text: str,
    intent: str,
    candidates: dict,
    entities: list | None = None,
):
    return tracker(
        {**slots, "requested_slot": asked},
        text=text,
        intent=intent,
        entities=entities,
        active_loop=FORM,
        form_candidates=candidates,
    )


async def test_activation_with_a_brand_asks_only_the_budget() -> None:
    state = tracker(
        {"brand": "Toyota"},
        text="busco un toyota",
        intent="search_vehicle",
        entities=[entity("brand", "Toyota")],
        active_loop=FORM,
        form_candidates={},
    )
    messages, events = await run(ValidateVehicleSearchForm(), state)
    assert messages == []
    assert events == [SlotSet("requested_slot", "budget")]


async def test_activation_with_a_model_asks_nothing() -> None:
    state = tracker(
        {"model": "Jetta"},
        text="tienen jetta?",
        intent="search_vehicle",
        active_loop=FORM,
        form_candidates={},
    )
    _messages, events = await run(ValidateVehicleSearchForm(), state)
    assert events == [SlotSet("requested_slot", None)]


async def test_activation_without_anything_asks_the_body_type() -> None:
    state = tracker(
        text="quiero un carro", intent="search_vehicle", active_loop=FORM, form_candidates={}
    )
    _messages, events = await run(ValidateVehicleSearchForm(), state)
    assert events == [SlotSet("requested_slot", "body_type")]


async def test_body_type_answer() -> None:
    state = form_turn({}, "body_type", "una camioneta", "inform", {"body_type": "suv"})
    _messages, events = await run(ValidateVehicleSearchForm(), state)
    assert events == [SlotSet("body_type", "suv"), SlotSet("requested_slot", "budget")]


async def test_me_da_igual_is_any_body_type() -> None:
    state = form_turn({}, "body_type", "me da igual", "inform", {})
    _messages, events = await run(ValidateVehicleSearchForm(), state)
    assert events == [SlotSet("body_type", "any"), SlotSet("requested_slot", "budget")]


async def test_no_importa_is_no_budget_limit() -> None:
    state = form_turn({"body_type": "suv"}, "budget", "no importa", "inform", {})
    messages, events = await run(ValidateVehicleSearchForm(), state)
    assert messages == []
    assert events == [SlotSet("budget", 0.0), SlotSet("requested_slot", None)]


async def test_a_plain_no_to_the_budget_is_no_limit() -> None:
    state = form_turn({"body_type": "suv"}, "budget", "no", "deny", {})
    _messages, events = await run(ValidateVehicleSearchForm(), state)
    assert events == [SlotSet("budget", 0.0), SlotSet("requested_slot", None)]


# Bare numbers ("como unos 320", "1.2") through the real NLU component: form_answers.yml.


async def test_an_absurd_budget_is_asked_again() -> None:
    # "5 pesos": the NLU's amount is 5; the budget mapping for the question passes it on
    state = form_turn(
        {"body_type": "suv"},
        "budget",
        "5 pesos",
        "inform",
        {"budget": 5},
        entities=nlu_entities("5 pesos", "inform"),
    )
    messages, events = await run(ValidateVehicleSearchForm(), state)
    assert messages == [
        {"text": 'Ese monto no me cuadra 🤔. Escríbelo así: "300 mil" o "$350,000".'}
    ]
    assert events == [SlotSet("budget", None), SlotSet("requested_slot", "budget")]


async def test_an_unreadable_answer_keeps_the_form_and_says_why() -> None:
    state = form_turn({"body_type": "suv"}, "budget", "pues algo bonito", "nlu_fallback", {})
    messages, events = await run(ValidateVehicleSearchForm(), state)
    assert messages == [{"text": "Perdón, no identifiqué el monto 🙏."}]
    assert events == [SlotSet("requested_slot", "budget"), SlotSet("budget", None)]


async def test_a_question_in_the_middle_lets_the_form_be_rejected() -> None:
    state = form_turn({"body_type": "suv"}, "budget", "donde estan?", "ask_branch_info", {})
    messages, events = await run(ValidateVehicleSearchForm(), state)
    # no slot value: Rasa rejects the form and the branch-info rule answers
    assert messages == []
    assert events == [SlotSet("requested_slot", "budget")]


async def test_a_brand_named_while_asked_the_body_type_skips_it() -> None:
    state = form_turn(
        {},
        "body_type",
        "algo de mazda",
        "inform",
        {"brand": "Mazda"},
        entities=[entity("brand", "Mazda")],
    )
    messages, events = await run(ValidateVehicleSearchForm(), state)
    assert messages == []
    assert events == [SlotSet("requested_slot", "budget")]
