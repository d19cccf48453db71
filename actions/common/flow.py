"""What the conversation was about last: cars, parts or financing.

Several intents mean different things after different lists ("el 2" picks a car or a part,
"ver más" pages cars or parts, "cotízame" quotes the chosen car or the chosen parts). No
slot influences the policies (docs/dialogue.md), so the actions decide from the tracker:
the most recent event that belongs to a flow wins. Rasa sends the action server every
event of the conversation, including the slots earlier actions set.
"""

from __future__ import annotations

from typing import Any, Literal

from rasa_sdk import Tracker

Flow = Literal["search", "financing", "parts"]
ListKind = Literal["vehicles", "parts"]

# Slots whose (non-empty) value, when an action set it, says which flow the customer is in.
FLOW_SLOTS: dict[str, Flow] = {
    "shown_vehicles": "search",
    "selected_vehicle": "search",
    "financing_terms": "financing",
    "shown_parts": "parts",
    "chosen_parts": "parts",
    "part_query": "parts",
    "part_vehicle": "parts",
}
# Actions that belong to a flow even when they set nothing.
FLOW_ACTIONS: dict[str, Flow] = {
    "action_search_vehicles": "search",
    "action_simulate_financing": "financing",
    "action_search_parts": "parts",
}
LIST_SLOTS: dict[str, ListKind] = {"shown_vehicles": "vehicles", "shown_parts": "parts"}


def _is_set(value: Any) -> bool:
    return value not in (None, "", [], {})


def last_flow(tracker: Tracker) -> Flow | None:
    """ "search", "financing" or "parts": what the bot worked on last (None: nothing yet)."""
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        name = str(event.get("name"))
        if kind == "slot" and name in FLOW_SLOTS and _is_set(event.get("value")):
            return FLOW_SLOTS[name]
        if kind == "action" and name in FLOW_ACTIONS:
            return FLOW_ACTIONS[name]
    return None


def last_list(tracker: Tracker) -> ListKind | None:
    """Which numbered list the customer saw last: "vehicles" or "parts" (None: no list)."""
    for event in reversed(tracker.events or []):
        name = str(event.get("name"))
        if event.get("event") == "slot" and name in LIST_SLOTS and _is_set(event.get("value")):
            kind = LIST_SLOTS[name]
            return kind if _is_set(tracker.get_slot(name)) else None
    if _is_set(tracker.get_slot("shown_vehicles")):
        return "vehicles"
    if _is_set(tracker.get_slot("shown_parts")):
        return "parts"
    return None
