"""Leaving a form for another flow and coming back to it (actions/resume.py)."""

from __future__ import annotations

from typing import Any

from actions_kit import loop_event, run, tracker
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common.interruptions import offer_to_resume, remember_interruption
from actions.resume import ActionAskResumeAccepted, ActionResumeForm, ValidateResumeForm
from actions.search_form import ValidateVehicleSearchForm
from actions.trade_in import ActionRegisterTradeIn, ValidateTradeInForm

BOOKING_STARTED = [loop_event("test_drive_form"), {"event": "slot", "name": "requested_slot"}]
YES_NO = [{"title": "Sí, sigamos", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def activation(
    form: str, before: list[dict[str, Any]], slots: dict[str, Any] | None = None
) -> Tracker:
    """The tracker a form's validation gets when Rasa activates the form for this message."""
    return tracker(
        slots,
        text="oye y me reciben mi carro a cuenta?",
        intent="trade_in",
        before=before,
        after=[loop_event(form)],
        active_loop=form,
        form_candidates={},
    )


async def test_a_form_started_in_the_middle_of_another_remembers_it() -> None:
    state = activation("trade_in_form", BOOKING_STARTED)
    _messages, events = await run(ValidateTradeInForm(), state)
    assert events == [SlotSet("interrupted_form", "test_drive_form")]


async def test_a_form_started_after_another_ended_remembers_nothing() -> None:
    ended = [*BOOKING_STARTED, loop_event(None)]
    state = activation("trade_in_form", ended, {"interrupted_form": "financing_form"})
    _messages, events = await run(ValidateTradeInForm(), state)
    # a flow started afresh drops an older offer
    assert events == [SlotSet("interrupted_form", None)]


async def test_later_turns_of_the_form_change_nothing() -> None:
    state = tracker(
        {"interrupted_form": "test_drive_form", "requested_slot": "tradein_brand"},
        text="es un pontiac",
        intent="inform",
        before=[*BOOKING_STARTED, loop_event("trade_in_form")],
        active_loop="trade_in_form",
        form_candidates={"tradein_brand": "es un pontiac"},
    )
    _messages, events = await run(ValidateTradeInForm(), state)
    assert events == [SlotSet("tradein_brand", "Pontiac")]


async def test_only_the_customer_facing_forms_are_remembered() -> None:
    quote_waiting = [loop_event("quote_decision_form")]
    state = activation("vehicle_search_form", quote_waiting)
    _messages, events = await run(ValidateVehicleSearchForm(), state)
    assert SlotSet("interrupted_form", "quote_decision_form") not in events
    assert remember_interruption(state, "quote_decision_form") == []


async def test_the_other_flow_done_offers_to_come_back(catalog: str) -> None:
    slots = {
        "tradein_brand": "Nissan",
        "tradein_model": "Tsuru",
        "tradein_year": 2012.0,
        "tradein_km": 150000.0,
        "interrupted_form": "test_drive_form",
    }
    _messages, events = await run(ActionRegisterTradeIn(), tracker(slots, text="150 mil"))
    assert events[-1] == ActiveLoop("resume_form")
    # nothing to come back to, or a form still running (a quick answer inside it): no offer
    assert offer_to_resume(tracker({"interrupted_form": None})) == []
    running = tracker({"interrupted_form": "trade_in_form"}, active_loop="test_drive_form")
    assert offer_to_resume(running) == []


async def test_the_offer_asks_about_the_form_left_behind() -> None:
    for form, question in [
        ("test_drive_form", "¿Seguimos con tu cita de prueba de manejo?"),
        ("vehicle_search_form", "¿Seguimos con la búsqueda de tu auto?"),
        ("financing_form", "¿Seguimos con el cálculo de tus mensualidades?"),
        ("trade_in_form", "¿Seguimos con los datos de tu auto para tomarlo a cuenta?"),
    ]:
        messages, _events = await run(
            ActionAskResumeAccepted(), tracker({"interrupted_form": form})
        )
        assert messages == [{"text": question, "buttons": YES_NO}]


async def test_the_resume_form_asks_only_while_a_form_waits() -> None:
    waiting = tracker(
        {"interrupted_form": "financing_form"},
        text="",
        active_loop="resume_form",
        form_candidates={},
    )
    _messages, events = await run(ValidateResumeForm(), waiting)
    assert events == []  # the form's only slot stays required: Rasa asks it
    assert await ValidateResumeForm().required_slots(
        ["resume_accepted"], CollectingDispatcher(), waiting, {}
    ) == ["resume_accepted"]
    nothing = tracker(text="", active_loop="resume_form", form_candidates={})
    _messages, events = await run(ValidateResumeForm(), nothing)
    assert events == [SlotSet("requested_slot", None)]


async def test_yes_reactivates_the_form_left_behind() -> None:
    state = tracker(
        {"interrupted_form": "test_drive_form", "resume_accepted": True, "td_datetime": None},
        text="si",
        intent="affirm",
    )
    messages, events = await run(ActionResumeForm(), state)
    assert messages == []
    assert events == [
        SlotSet("resume_accepted", None),
        SlotSet("interrupted_form", None),
        SlotSet("requested_slot", None),
        ActiveLoop("test_drive_form"),
    ]


async def test_no_drops_what_the_form_had_collected() -> None:
    state = tracker(
        {
            "interrupted_form": "test_drive_form",
            "resume_accepted": False,
            "td_datetime": "2026-11-28T11:00:00",
        },
        text="no gracias",
        intent="deny",
    )
    messages, events = await run(ActionResumeForm(), state)
    assert messages == [{"text": "Va 👍, lo dejamos ahí. ¿Te ayudo con algo más?"}]
    assert events == [
        SlotSet("resume_accepted", None),
        SlotSet("interrupted_form", None),
        SlotSet("td_datetime", None),
        SlotSet("td_date", None),
        SlotSet("td_proposed", None),
    ]


async def test_nothing_waiting_does_nothing() -> None:
    messages, events = await run(ActionResumeForm(), tracker({"resume_accepted": True}))
    assert messages == []
    assert events == [SlotSet("resume_accepted", None), SlotSet("interrupted_form", None)]
