"""action_refine: an answer outside a form changes what was shown last."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from actions_kit import action_event, entity, run, tracker
from rasa_sdk.events import FollowupAction, SlotSet

from actions.refine import ActionRefine, last_flow

Clock = Callable[[datetime], None]
AFTER_SEARCH = [action_event("action_search_vehicles")]
AFTER_FINANCING = [
    action_event("action_search_vehicles"),
    action_event("action_simulate_financing"),
]


def test_last_flow() -> None:
    assert last_flow(tracker(before=AFTER_FINANCING)) == "financing"
    assert last_flow(tracker(before=AFTER_SEARCH)) == "search"
    assert last_flow(tracker()) is None


async def test_a_refinement_redoes_the_search_keeping_the_rest(catalog: str) -> None:
    slots = {"body_type": "sedan", "budget": 450000.0, "shown_vehicles": ["MTY-002"]}
    state = tracker(
        slots,
        text="mejor manual",
        intent="inform",
        entities=[entity("transmission", "manual")],
        before=AFTER_SEARCH,
    )
    state.slots["transmission"] = "manual"  # set by Rasa's slot mapping before the action
    messages, events = await run(ActionRefine(), state)
    assert messages[0] == {"text": "Encontré 3 opciones (sedán, manual, hasta $450,000 MXN):"}
    assert events == [
        # closest below the budget first
        SlotSet("shown_vehicles", ["CDMX-003", "MTY-004", "TIJ-002"]),
        SlotSet("search_offset", 3),
    ]


async def test_a_new_brand_after_results(catalog: str) -> None:
    slots = {"body_type": "suv", "model": "CR-V", "brand": "Honda", "shown_vehicles": ["CDMX-004"]}
    state = tracker(
        slots,
        text="y de mazda?",
        intent="inform",
        entities=[entity("brand", "Mazda")],
        before=AFTER_SEARCH,
    )
    state.slots["brand"] = "Mazda"
    _messages, events = await run(ActionRefine(), state)
    assert events == [
        SlotSet("model", None),
        SlotSet("transmission", None),
        SlotSet("fuel", None),
        SlotSet("condition", None),
        SlotSet("year", None),
        SlotSet("shown_vehicles", ["MTY-003"]),
        SlotSet("search_offset", 1),
    ]


async def test_another_term_after_a_simulation(catalog: str) -> None:
    slots = {"selected_vehicle": "MTY-002", "down_payment": 77980.0, "term_months": 60.0}
    state = tracker(
        slots,
        text="y a 60 meses?",
        intent="inform",
        entities=[entity("months", 60)],
        before=AFTER_FINANCING,
    )
    messages, events = await run(ActionRefine(), state)
    assert "Plazo: 60 meses · Tasa anual: 12.9%" in messages[0]["text"]
    assert [(e["name"], e["value"]["months"]) for e in events] == [("financing_terms", 60)]


async def test_an_amount_after_a_simulation_is_the_down_payment(catalog: str) -> None:
    slots = {"selected_vehicle": "MTY-001", "down_payment_pct": 20.0, "term_months": 60.0}
    state = tracker(
        slots,
        text="y con 100 mil?",
        intent="inform",
        entities=[entity("amount", 100000)],
        before=AFTER_FINANCING,
    )
    messages, events = await run(ActionRefine(), state)
    assert events[:2] == [SlotSet("down_payment", 100000.0), SlotSet("down_payment_pct", None)]
    assert events[2]["name"] == "financing_terms"
    assert (events[2]["value"]["down_payment"], events[2]["value"]["down_percent"]) == (
        "100000.00",
        None,
    )
    assert "Enganche: $100,000 MXN (14.5%)" in messages[0]["text"]
    assert "Mensualidad: $13,391.86 MXN" in messages[0]["text"]


async def test_a_number_picks_from_the_list(catalog: str) -> None:
    state = tracker(
        {"shown_vehicles": ["CDMX-002", "MTY-002"]},
        text="2",
        intent="inform",
        entities=[entity("option", 2)],
        before=AFTER_SEARCH,
    )
    _messages, events = await run(ActionRefine(), state)
    assert events == [SlotSet("selected_vehicle", "MTY-002"), SlotSet("fin_price", None)]


async def test_a_city_gives_its_branch(catalog: str, fixed_now: Clock) -> None:
    fixed_now(datetime(2030, 1, 9, 10, 0, tzinfo=ZoneInfo("America/Tijuana")))
    state = tracker(text="en tijuana", intent="inform", entities=[entity("city", "Tijuana")])
    messages, _events = await run(ActionRefine(), state)
    assert messages[0]["text"].startswith("📍 Tijuana Río\nBlvd. Agua Caliente 10500, Tijuana\n")


async def test_nothing_usable_gets_the_fallback(db_url: str) -> None:
    messages, events = await run(ActionRefine(), tracker(text="pues si", intent="inform"))
    assert messages == [{"response": "utter_default"}]
    assert events == []


async def test_a_term_right_after_choosing_a_car_starts_the_financing_form(catalog: str) -> None:
    state = tracker(
        {"selected_vehicle": "MTY-002"},
        text="a 48 meses",
        intent="inform",
        entities=[entity("months", 48)],
        before=[action_event("action_select_vehicle")],
    )
    state.slots["term_months"] = 48.0
    messages, events = await run(ActionRefine(), state)
    assert messages == []
    assert events == [FollowupAction("financing_form")]


async def test_a_day_and_time_start_the_booking(db_url: str) -> None:
    state = tracker(
        {"selected_vehicle": "MTY-002"},
        text="el sabado a las 11",
        intent="inform",
        entities=[entity("time", "2030-01-12T11:00:00")],
        before=[action_event("action_select_vehicle")],
    )
    messages, events = await run(ActionRefine(), state)
    assert messages == []
    assert events == [
        SlotSet("td_datetime", "2030-01-12T11:00:00"),
        FollowupAction("test_drive_form"),
    ]
