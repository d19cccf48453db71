"""`action_refine`: an answer outside any form ("¿y automáticas?", "a 60 meses", "el 2"),
or a message the FallbackClassifier found unclear but that still carries usable entities.

It changes the last thing shown: after parts, a quantity or position chooses a part and a
vehicle or a year searches the same part for it; a car number picks from the list;
financing figures redo the simulation (or start the financing form when something is still
missing); search filters redo the search (keeping the rest of it); a day and time start the
test-drive booking; a city gives that city's branches. Anything else gets the fallback menu.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.branches import ActionBranchInfo
from actions.common.context import entity_names, entity_value
from actions.common.errors import apologise_on_failure
from actions.common.flow import last_flow
from actions.common.text import to_number
from actions.financing import mentioned_financing, simulate_and_show
from actions.parts import search_and_present, vehicle_in_message
from actions.parts_choice import choose_part, message_pick
from actions.search import (
    FILTERS,
    ActionSelectVehicle,
    budget_in_message,
    filters_to_reset,
    mentioned_filters,
    search_and_show,
)


def financing_overrides(tracker: Tracker, flow: str | None) -> dict[str, Any] | None:
    """The financing values this message changes; None when it changes none."""
    mentioned = mentioned_financing(tracker)
    overrides: dict[str, Any] = {}
    if "down_payment" in mentioned:
        overrides["down_payment_pct"] = None
    if "down_payment_pct" in mentioned:
        overrides["down_payment"] = None
    if not mentioned and flow == "financing":
        # "¿y con 100 mil?" right after a simulation: a role-less amount is the down payment
        amount = to_number(entity_value(tracker, "amount"))
        if amount is None:
            return None
        return {"down_payment": float(amount), "down_payment_pct": None}
    return overrides if mentioned else None


def financing_complete(tracker: Tracker, overrides: dict[str, Any]) -> bool:
    """A price (given or the chosen car's), a down payment and a term are all known."""
    values = {
        name: tracker.get_slot(name)
        for name in ("fin_price", "selected_vehicle", "down_payment", "down_payment_pct")
    }
    values["term_months"] = tracker.get_slot("term_months")
    values.update(overrides)
    has_price = values["fin_price"] is not None or bool(values["selected_vehicle"])
    has_down = values["down_payment"] is not None or values["down_payment_pct"] is not None
    return has_price and has_down and values["term_months"] is not None


def refine_parts(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """After parts: a position or quantity chooses a part ("4 piezas"); a vehicle or a part
    searches again ("es un Versa 2016", "¿y para 2018?"). None: not about the parts."""
    if not message_pick(tracker).is_empty and tracker.get_slot("shown_parts"):
        return choose_part(dispatcher, tracker)
    if vehicle_in_message(tracker) is not None or "part" in entity_names(tracker):
        return search_and_present(dispatcher, tracker)
    return None


class ActionRefine(Action):
    def name(self) -> str:
        return "action_refine"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        names = entity_names(tracker)
        flow = last_flow(tracker)
        if flow == "parts":
            events = refine_parts(dispatcher, tracker)
            if events is not None:
                return events
        if "option" in names:
            return await ActionSelectVehicle().run(dispatcher, tracker, domain)
        financing = financing_overrides(tracker, flow)
        search = mentioned_filters(tracker)
        if financing is not None and (not search or flow == "financing"):
            events = [SlotSet(name, value) for name, value in financing.items()]
            if not financing_complete(tracker, financing):
                # "a 48 meses" right after choosing a car: the form asks what is missing
                return [*events, FollowupAction("financing_form")]
            return events + simulate_and_show(dispatcher, tracker, financing)
        if search:
            dropped = filters_to_reset(search, had_search=True)
            overrides: dict[str, Any] = {name: None for name in FILTERS if name in dropped}
            budget = budget_in_message(tracker)
            if budget is not None:
                overrides["budget"] = float(budget)
            events = [SlotSet(name, value) for name, value in overrides.items()]
            current = {name: tracker.get_slot(name) for name in FILTERS}
            return events + search_and_show(dispatcher, tracker, {**current, **overrides})
        when = entity_value(tracker, "time")
        if when:
            # "el sábado a las 11" after seeing a car: book it (the form checks the hours)
            return [SlotSet("td_datetime", when), FollowupAction("test_drive_form")]
        if "city" in names:
            return await ActionBranchInfo().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_default")
        return []
